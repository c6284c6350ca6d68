"""The CRDT document of one session: code, shared settings and run results."""
from pycrdt import Array, Doc, Map, Text

ROOTS = ("code", "meta", "runs")


class PadDocument:
    """A pycrdt Doc with the pad's shared types and the edits the server makes to them.

    Text offsets in pycrdt are UTF-8 byte offsets, so every edit computed from
    Python strings is converted before it touches the Text. Limits are not
    checked here but where changes enter (gate.py).
    """

    def __init__(self):
        self.doc = Doc()
        self.code_text = self.doc.get("code", type=Text)
        self.meta = self.doc.get("meta", type=Map)
        self.runs = self.doc.get("runs", type=Array)

    @property
    def code(self) -> str:
        return str(self.code_text)

    @property
    def language(self) -> str | None:
        return self.meta.get("language")

    def state_vector(self) -> bytes:
        return self.doc.get_state()

    def diff(self, state_vector: bytes | None = None) -> bytes:
        """Everything this document has that a peer with `state_vector` lacks."""
        return self.doc.get_update(state_vector) if state_vector else self.doc.get_update()

    def apply_update(self, update: bytes) -> None:
        """Apply a Yjs update atomically, or raise (ValueError) leaving the document unchanged."""
        self.doc.apply_update(update)

    def replace_code(self, new_code: str, origin=None) -> None:
        """Turn a whole-text write into the minimal edit: keep the common prefix and suffix."""
        old_code = self.code
        if old_code == new_code:
            return
        start, old_end, new_end = changed_span(old_code, new_code)
        byte_start = len(old_code[:start].encode())
        byte_old_end = byte_start + len(old_code[start:old_end].encode())
        with self.doc.transaction(origin=origin):
            if byte_old_end > byte_start:
                del self.code_text[byte_start:byte_old_end]
            if new_end > start:
                self.code_text.insert(byte_start, new_code[start:new_end])

    def set_language(self, language: str, origin=None) -> None:
        if self.language != language:
            with self.doc.transaction(origin=origin):
                self.meta["language"] = language


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
