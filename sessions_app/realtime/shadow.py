"""A JSON client's view of the document, so its whole-text writes become CRDT edits.

The shadow is a copy of the document as last sent to the client. A new text
from the client is diffed against that copy, not against the live document, so
edits others made meanwhile are merged by the CRDT instead of overwritten.
"""
from .document import PadDocument


class TextShadow:
    def __init__(self, max_code_bytes: int):
        self.copy = PadDocument(max_code_bytes)

    def catch_up(self, document: PadDocument) -> None:
        """Bring the copy level with the live document (what the client now sees)."""
        self.copy.doc.apply_update(document.diff(self.copy.state_vector()))

    def edit(self, new_code: str) -> bytes | None:
        """The CRDT update turning the client's last-seen text into `new_code` (DocumentTooLarge)."""
        updates = []
        subscription = self.copy.doc.observe(lambda event: updates.append(event.update))
        try:
            self.copy.replace_code(new_code)
        finally:
            self.copy.doc.unobserve(subscription)
        return updates[0] if updates else None
