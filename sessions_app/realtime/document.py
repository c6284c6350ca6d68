"""The CRDT documents of a session: the pad (code, shared settings, runs) and the interviewers' notes."""
from typing import Any, ClassVar

from pycrdt import Array, Doc, Map, Text

from ..rules import SessionState


class SharedDocument:
    """A pycrdt Doc with named shared types (`ROOTS`) and the edits the server makes to them.

    Text offsets in pycrdt are UTF-8 byte offsets, so every edit computed from
    Python strings is converted before it touches a Text. Limits and rules are
    not checked here but where changes enter (gate.py).
    """

    ROOTS: ClassVar[dict[str, type]] = {}

    def __init__(self):
        self.doc = Doc()
        self.roots = {name: self.doc.get(name, type=kind) for name, kind in self.ROOTS.items()}

    def state_vector(self) -> bytes:
        return self.doc.get_state()

    @property
    def session_state(self) -> SessionState:
        """The session's state as this document shows it (only the pad's shows one)."""
        return SessionState()

    def diff(self, state_vector: bytes | None = None) -> bytes:
        """Everything this document has that a peer with `state_vector` lacks."""
        return self.doc.get_update(state_vector) if state_vector else self.doc.get_update()

    def apply_update(self, update: bytes, during=None) -> None:
        """Apply a Yjs update atomically, or raise (ValueError) leaving the document unchanged.

        On every keystroke (gate.py): so in a transaction of pycrdt's Rust document itself,
        as `Doc.apply_update` does but without its Python wrapper (half the time).
        `during(txn)`, if given, is called in that transaction once the update is in, to read
        the document without a transaction of its own (not called inside the wrapper's).
        """
        doc = self.doc
        if doc._txn is not None:  # inside a transaction of the wrapper: it must be that one
            return doc.apply_update(update)
        txn = doc._doc.create_transaction()
        try:
            try:
                doc._doc.apply_update(txn, update)
                if during is not None:
                    during(txn)
            finally:
                txn.commit()
        finally:
            txn.drop()


class PadDocument(SharedDocument):
    """What everyone in a session shares: `Text("code")`, `Map("meta")`, `Array("runs")`."""

    ROOTS = {"code": Text, "meta": Map, "runs": Array}

    @property
    def code_text(self) -> Text:
        return self.roots["code"]

    @property
    def meta(self) -> Map:
        return self.roots["meta"]

    @property
    def runs(self) -> Array:
        return self.roots["runs"]

    @property
    def code(self) -> str:
        return str(self.code_text)

    @property
    def language(self) -> str | None:
        return self.meta.get("language")

    def code_and_language(self) -> tuple[str, Any]:
        """`code` and `language`, read in one transaction of the Rust document: a flush asks it of every
        room it writes, where pycrdt's wrappers open three transactions for the two (7.5 against 1 µs)."""
        if self.doc._txn is not None:  # inside a transaction of the wrapper: read through it
            return self.code, self.language
        txn = self.doc._doc.create_transaction()
        try:
            code = self.code_text.integrated.get_string(txn)
            try:
                language = self.meta.integrated.get(txn, "language")
            except ValueError:  # (pycrdt's "Key error": not set)
                language = None
            return code, language
        finally:
            txn.commit()
            txn.drop()

    @property
    def session_state(self) -> SessionState:
        """The session's state as the server wrote it into `meta` (clients cannot write it)."""
        return SessionState(
            ended=bool(self.meta.get("ended_at")),
            candidate_may_run=self.meta.get("candidate_may_run", True) is not False,
        )

    def replace_code(self, new_code: str) -> None:
        """Turn a whole-text write into the minimal edit: keep the common prefix and suffix."""
        replace_text(self.doc, self.code_text, new_code)

    def set_language(self, language: str) -> None:
        self.set_meta(language=language)

    def set_meta(self, **values) -> None:
        """Set `meta` keys (None removes one), in one transaction, skipping those unchanged."""
        with self.doc.transaction():
            for key, value in values.items():
                if value is None:
                    if key in self.meta:
                        del self.meta[key]
                elif self.meta.get(key) != value:
                    self.meta[key] = value

    def trim_runs(self, max_runs: int, max_output_bytes: int, output_bytes) -> None:
        """Drop the oldest runs beyond `max_runs` or beyond `max_output_bytes` of output; keep the newest."""
        entries: list = self.runs.to_py() or []
        drop = max(0, len(entries) - max_runs)
        total = 0
        for index in range(len(entries) - 1, drop - 1, -1):
            total += output_bytes(entries[index])
            if total > max_output_bytes and index < len(entries) - 1:
                drop = index + 1
                break
        if drop:
            del self.runs[0:drop]


class NotesDocument(SharedDocument):
    """The interviewers' private notes: `Text("notes")`, in a document of its own."""

    ROOTS = {"notes": Text}

    @property
    def text(self) -> str:
        return str(self.roots["notes"])

    def replace_text(self, new_text: str) -> None:
        replace_text(self.doc, self.roots["notes"], new_text)


def replace_text(doc: Doc, text: Text, new: str) -> None:
    """Replace the content of `text` with `new` as one minimal edit (prefix and suffix kept)."""
    old = str(text)
    if old == new:
        return
    start, old_end, new_end = changed_span(old, new)
    byte_start = len(old[:start].encode())
    byte_old_end = byte_start + len(old[start:old_end].encode())
    with doc.transaction():
        if byte_old_end > byte_start:
            del text[byte_start:byte_old_end]
        if new_end > start:
            text.insert(byte_start, new[start:new_end])


def changed_span(old: str, new: str) -> tuple[int, int, int]:
    """(start, old_end, new_end): old[start:old_end] became new[start:new_end]."""
    limit = min(len(old), len(new))
    start = common_length(limit, lambda n: old[:n] == new[:n])
    tail = common_length(limit - start, lambda n: old[len(old) - n:] == new[len(new) - n:])
    return start, len(old) - tail, len(new) - tail


def common_length(limit: int, matches) -> int:
    """The largest n <= limit with matches(n), by bisection (slice compares run in C)."""
    low, high = 0, limit
    while low < high:
        mid = (low + high + 1) // 2
        if matches(mid):
            low = mid
        else:
            high = mid - 1
    return low
