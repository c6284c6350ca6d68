"""What kinds of content a Yjs update inserts, read straight off its bytes (Yjs update encoding v1).

The gate must refuse rich content in a document of plain texts, maps and arrays of
JSON values (embeds, formatting, nested types, binaries, sub-documents) and NUL
characters in texts. Asking pycrdt for a text's change (its delta) walks the whole
text, item by item: about 160 µs per keystroke in a long, much-edited program.
Reading the update itself costs a few microseconds and says the same thing.
"""
from typing import Final

from .protocol import ProtocolError, Reader

# Item content references (Yjs's `readItemContent`).
GC, DELETED, JSON, BINARY, STRING, EMBED, FORMAT, TYPE, ANY, DOC, SKIP = 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
PLAIN = frozenset({GC, DELETED, STRING, ANY, SKIP})
MAX_ANY_DEPTH = 64

_BIT8, _BIT7, _BIT6, _BITS5 = 0x80, 0x40, 0x20, 0x1F
# A keystroke: one client, one struct, a string placed by its neighbours' ids (so no parent
# written): 0x01 0x01, the client and clock, then the info byte of a string with a left
# origin (0x84: two numbers follow), a right one (0x44: two) or both (0xC4: four).
_LEFT_ORIGIN: Final = 0x84
_RIGHT_ORIGIN: Final = 0x44
_BOTH_ORIGINS: Final = 0xC4


class Contents:
    """Summary of an update's inserted content."""

    __slots__ = ("kinds", "nul")

    def __init__(self):
        self.kinds: set[int] = set()  # content references seen
        self.nul = False  # a string inserted into a text holds a NUL character

    @property
    def plain(self) -> bool:
        return self.kinds <= PLAIN


def has_nul(data: bytes) -> bool:
    if len(data) > 64:
        return data.find(b"\x00") >= 0
    # A keystroke's few bytes, in a compiled loop: `b"\x00" in data` first tries the operand as an
    # integer (and raises and clears a TypeError), and a method call costs more than the loop.
    for byte in data:
        if byte == 0:
            return True
    return False


def _string_contents(nul: bool) -> Contents:
    contents = Contents()
    contents.kinds.add(STRING)
    contents.nul = nul
    return contents


# What a keystroke inserts, one object each: shared, so read only.
_KEYSTROKE_TEXT: Final = _string_contents(False)
_KEYSTROKE_NUL: Final = _string_contents(True)


def read_contents(update: bytes) -> Contents:
    """The kinds of content `update` inserts (ProtocolError when it is not a v1 update); read only."""
    reader = Reader(update)
    if not _at_keystroke_string(reader):
        return read_all_contents(update)
    return _KEYSTROKE_NUL if has_nul(reader.var_bytes()) else _KEYSTROKE_TEXT


def _at_keystroke_string(reader: Reader) -> bool:
    """Read a keystroke's header, up to its string; False when the update is not a keystroke
    (or ends early: the full reader then says how).

    Read by hand: a regular expression's call and match object cost more than the rest of
    reading the keystroke.
    """
    data = reader.data
    if len(data) < 3 or data[0] != 1 or data[1] != 1:
        return False
    reader.pos = 2
    try:
        reader.var_uint()  # the client
        reader.var_uint()  # its clock
        info = _byte(reader)
        numbers = 2 if info == _LEFT_ORIGIN or info == _RIGHT_ORIGIN else 4 if info == _BOTH_ORIGINS else 0
        for _ in range(numbers):
            reader.var_uint()
    except ProtocolError:
        return False
    return numbers > 0


def read_all_contents(update: bytes) -> Contents:
    """`read_contents` without its shortcut for a keystroke: every struct read in turn."""
    reader = Reader(update)
    contents = Contents()
    kinds = contents.kinds
    var_uint = reader.var_uint  # (bound once: several numbers per struct)
    for _ in range(var_uint()):  # clients
        structs = var_uint()
        var_uint()  # client
        var_uint()  # clock
        for _ in range(structs):
            info = _byte(reader)
            ref = info & _BITS5
            kinds.add(ref)
            if ref == GC or ref == SKIP:
                var_uint()  # length
                continue
            if info & _BIT8:  # left origin id
                var_uint()
                var_uint()
            if info & _BIT7:  # right origin id
                var_uint()
                var_uint()
            if not info & (_BIT7 | _BIT8):  # the parent is written out
                if var_uint() == 1:
                    reader.var_bytes()  # the root's name
                else:
                    var_uint()  # the parent item's id
                    var_uint()
                if info & _BIT6:
                    reader.var_bytes()  # the key in a map
            if ref == STRING:
                if has_nul(reader.var_bytes()):
                    contents.nul = True
            else:
                _read_content(reader, ref, contents)
    return contents


def _read_content(reader: Reader, ref: int, contents: Contents) -> None:
    if ref == DELETED:
        reader.var_uint()
    elif ref == ANY:
        for _ in range(reader.var_uint()):
            _skip_any(reader, 0)
    elif ref == JSON:
        for _ in range(reader.var_uint()):
            reader.var_bytes()
    elif ref in (BINARY, EMBED):
        reader.var_bytes()
    elif ref == FORMAT:
        reader.var_bytes()
        reader.var_bytes()
    elif ref == TYPE:
        if reader.var_uint() in (3, 5):  # an XML element or hook has a name
            reader.var_bytes()
    elif ref == DOC:
        reader.var_bytes()
        _skip_any(reader, 0)
    else:
        raise ProtocolError(f"unknown content type {ref} in an update")


def _skip_any(reader: Reader, depth: int) -> None:
    """Skip one lib0 `any` value."""
    if depth > MAX_ANY_DEPTH:
        raise ProtocolError("a value in an update is nested too deeply")
    kind = _byte(reader)
    if kind in (127, 126, 121, 120):  # undefined, null, false, true
        return
    if kind == 125:  # var int
        while _byte(reader) & 0x80:
            pass
    elif kind == 124:
        _skip(reader, 4)
    elif kind in (123, 122):
        _skip(reader, 8)
    elif kind in (119, 116):  # string, bytes
        reader.var_bytes()
    elif kind == 118:  # object
        for _ in range(reader.var_uint()):
            reader.var_bytes()
            _skip_any(reader, depth + 1)
    elif kind == 117:  # array
        for _ in range(reader.var_uint()):
            _skip_any(reader, depth + 1)
    else:
        raise ProtocolError(f"unknown value type {kind} in an update")


def _byte(reader: Reader) -> int:
    if reader.pos >= len(reader.data):
        raise ProtocolError("truncated update")
    byte = reader.data[reader.pos]
    reader.pos += 1
    return byte


def _skip(reader: Reader, count: int) -> None:
    if reader.pos + count > len(reader.data):
        raise ProtocolError("truncated update")
    reader.pos += count
