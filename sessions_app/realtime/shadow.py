"""A JSON client's view of the document, so its whole-text writes become CRDT edits.

The shadow is a copy of the document as last sent to the client. A new text
from the client is diffed against that copy, not against the live document, so
edits others made meanwhile are merged by the CRDT instead of overwritten.

Each text sent is numbered (`version`). A client that names the version its
text is based on (`base`) is diffed against that version even when the server
has sent newer ones in the meantime (they crossed on the wire): without it, the
diff against the newer text would undo the edits the client had not seen yet.
"""
from collections import OrderedDict

from .document import PadDocument

KEPT_VERSIONS = 32


class TextShadow:
    def __init__(self):
        self.copy = PadDocument()
        self.version = 0
        # version -> the copy's whole state when that version was sent
        self._sent: OrderedDict[int, bytes] = OrderedDict()

    def reset(self) -> None:
        """Forget the client's view (its text was refused); version numbers keep rising."""
        self.copy = PadDocument()
        self._sent.clear()

    def catch_up(self, document: PadDocument) -> int:
        """Bring the copy level with the live document (what the client now sees); return its version."""
        self.copy.doc.apply_update(document.diff(self.copy.state_vector()))
        self.version += 1
        self._sent[self.version] = self.copy.diff()
        while len(self._sent) > KEPT_VERSIONS:
            self._sent.popitem(last=False)
        return self.version

    def edit(self, new_code: str, base: int | None = None) -> bytes | None:
        """The CRDT update turning the client's text into `new_code`, if it differs.

        `base`: the version the client's text came from; None (or a version no
        longer kept) means the last one sent.
        """
        target = self.copy
        if base is not None and base in self._sent:
            target = PadDocument()
            target.doc.apply_update(self._sent[base])
        updates = []
        subscription = target.doc.observe(lambda event: updates.append(event.update))
        try:
            target.replace_code(new_code)
        finally:
            target.doc.unobserve(subscription)
        if target is not self.copy:
            # The client's text is now this version plus its edit: its next
            # edit on the same base starts from here.
            self._sent[base] = target.diff()
            for update in updates:
                self.copy.doc.apply_update(update)
        return updates[0] if updates else None
