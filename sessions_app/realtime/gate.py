"""The gate: whether an incoming update may change a session's document, decided as it does.

A CRDT update's bytes do not say plainly what it touches. So the gate applies an
incoming update to the document itself, where observers read what it did (the
code's length, which `meta` keys, which runs), and the checks (limits, roles)
judge that before anyone else sees the document again: all of it runs in one
callback of the event loop. A refused update is taken back by rebuilding the
document as it was: from a checkpoint of its state plus every update admitted
since (kept until they add up to the checkpoint's size, when the document's state
becomes the new checkpoint). So each keystroke is applied once, where a separate
trial copy cost a second apply of every update.

What is logged and sent on is not the client's bytes but what the document
integrated from them (its transaction's update). A Yjs update may carry parts
that depend on changes nobody sent (structs or deletions of unknown items): a
document keeps those pending, invisibly and without limit (a 400 KB frame of
deletions of unknown items held 3 MB, and its state still encoded in 2 bytes).
They are never logged or sent, only counted, and the document is rebuilt without
them when they add up.

The gate sits on the path of every keystroke, so its observers are registered on
pycrdt's underlying (Rust) types, `Doc._doc` and each type's `integrated`: pycrdt's
own wrappers convert every part of every event into Python objects first, which
took most of the gate's time. pycrdt is pinned (requirements.txt).
"""
import logging
from typing import Any, Final

from pycrdt import Array, Map, Text, merge_updates

from .changes import DELETED, ArrayChange, Change, Refused, TextChange
from .update_content import read_contents

logger = logging.getLogger(__name__)

# Each update can grow the encoding by a little more than its own length (items
# split where it inserts): added to the running bound, re-measured when it is high.
SPLIT_ALLOWANCE: Final = 32
# Bytes of incoming updates that integrated nothing (pending or duplicate) before
# the document is rebuilt without them.
MAX_UNINTEGRATED_BYTES = 1024 * 1024  # (not Final: tests lower it)


class Gate:
    """A session's document, the checks an incoming update must pass, and the way back from one refused.

    Each check is `check(change, origin, gate)` and raises Refused to refuse; it sees
    the document as it would be (`gate.document`) and the session's state as it was
    (`gate.session_state`). Replace the document only through the gate: after a
    refusal, `gate.document` is a new object.
    """

    def __init__(self, document, checks: list, max_encoded_bytes: int):
        self.checks = checks
        self.max_encoded_bytes = max_encoded_bytes
        self.last_change = Change()  # what the last judged update did
        self._subscriptions: list = []
        self._use(document)

    def close(self) -> None:
        """Stop observing the document, so that it can be freed.

        Observer callbacks are held from the Rust side, where Python's collector
        cannot see a cycle through them: an observed document is never freed until
        its subscriptions are dropped (a whole document per room).
        """
        for subscription in self._subscriptions:
            subscription.drop()
        self._subscriptions = []

    def _use(self, document) -> None:
        """Observe `document` from now on, with its state as the checkpoint."""
        self.close()
        self.document = document
        state = document.diff()
        self._since: list[bytes] = []
        self._checkpoint, self._since_bytes = state, 0
        self._change = Change()
        self._integrated: list[bytes] = []
        self._unintegrated = 0
        self._state: Any = None
        self._meta_changed = False
        self._subscriptions = [document.doc._doc.observe(self._on_transaction)]
        self._texts = [(name, root.integrated) for name, root in document.roots.items() if type(root) is Text]
        self._lengths: dict | None = None
        for name, shared in document.roots.items():
            self._subscriptions.append(shared.integrated.observe(self._observer(name, OBSERVERS[type(shared)])))
        self.encoded_bound = len(state)

    def _reset(self) -> None:
        """Rebuild the document as the admitted updates left it: without the one being judged, or pending parts."""
        document = type(self.document)()
        document.apply_update(merge_updates(self._checkpoint, *self._since) if self._since else self._checkpoint)
        self._use(document)

    def _admitted(self, update: bytes) -> None:
        """Keep an update the document took, for a rebuild; fold them into the checkpoint once they weigh as much."""
        self._since.append(update)
        self._since_bytes += len(update)
        if self._since_bytes > max(len(self._checkpoint), 4096):
            self._checkpoint, self._since, self._since_bytes = self.document.diff(), [], 0

    @property
    def session_state(self) -> Any:
        """The document's session state before the change being judged (for the checks)."""
        return self._state

    def current_session_state(self):
        """The document's session state now: read again only after a change of `meta` (the
        room asks for every awareness message, and reading `meta` costs a transaction a key)."""
        if self._state is None or self._meta_changed:
            self._state, self._meta_changed = self.document.session_state, False
        return self._state

    def _observer(self, name: str, observe):
        """The callback recording, into the change being judged, what happened to root `name`."""
        return lambda event: observe(self._change, name, event)

    def admit(self, update: bytes, origin) -> bytes | None:
        """Judge a Yjs update; return what of it the document may apply, if anything.

        Raises Refused when a check refuses it, ValueError when it cannot be decoded.
        """
        return self._judge(lambda document: document.apply_update(update, self._read_lengths), origin, len(update))

    def admit_edit(self, edit, origin) -> bytes | None:
        """Judge an edit the server makes for `origin` (`edit(document)`, e.g. a whole-text write)."""
        return self._judge(edit, origin, 0)

    def _judge(self, apply, origin, incoming: int) -> bytes | None:
        self._change = change = Change()
        self._integrated.clear()
        self._lengths = None
        self.current_session_state()
        try:
            apply(self.document)  # a bad update raises ValueError and leaves the document unchanged
        except Exception:
            self._integrated.clear()
            if incoming:
                raise
            self._reset()  # an edit may have done part of its work
            raise
        integrated = self._take_integrated()
        unintegrated = incoming - len(integrated or b"")
        self.last_change = change
        self._meta_changed = "meta" in change.maps
        if integrated is None:
            self._count_unintegrated(unintegrated)
            return None
        if origin.checked:
            self._check(change, integrated, origin)
        else:
            self._measure(integrated)
        self._admitted(integrated)
        self._count_unintegrated(unintegrated)  # (once admitted: a rebuild it sets off keeps it)
        return integrated

    def _check(self, change: Change, integrated: bytes, origin) -> None:
        """Complete `change` from what the document integrated and run the checks; a refusal
        takes the update back (Refused)."""
        try:
            contents = read_contents(integrated)
            change.rich, change.nul = not contents.plain, contents.nul
            if not (change.texts or change.maps or change.arrays):
                # Changes to the known types all fire an observer: this one touched another type.
                change.unknown_roots = sorted(set(self.document.doc.keys()) - set(self.document.ROOTS)) or ["?"]
            lengths = self._lengths
            for name, text in change.texts.items():
                text.length = lengths[name] if lengths is not None else len(self.document.roots[name])
            for name, array in change.arrays.items():
                array.length = len(self.document.roots[name])
            change.encoded_bytes = self._measure(integrated)
            for check in self.checks:
                check(change, origin, self)
        except Refused:
            self._reset()
            raise
        except Exception:
            logger.exception("checking an update failed; refusing it")
            self._reset()
            raise Refused("server_error", "the server could not check this change") from None

    def _read_lengths(self, txn) -> None:
        """The lengths of the document's texts, read in the transaction that applied an update (a
        keystroke's; arrays change rarely, and are measured after)."""
        self._lengths = {name: integrated.len(txn) for name, integrated in self._texts}

    def follow(self, update: bytes) -> bytes | None:
        """Apply an update that needs no judging; return what of it is new (for the log and the others)."""
        self._change = Change()
        self._integrated.clear()
        self.document.apply_update(update)
        self._meta_changed = self._meta_changed or "meta" in self._change.maps
        integrated = self._take_integrated()
        if integrated:
            self.encoded_bound += len(integrated) + SPLIT_ALLOWANCE
            self._admitted(integrated)
        return integrated

    def _take_integrated(self) -> bytes | None:
        updates, self._integrated = self._integrated, []
        if len(updates) > 1:
            return merge_updates(*updates)
        return updates[0] if updates else None

    def _count_unintegrated(self, size: int) -> None:
        if size > 0:
            self._unintegrated += size
            if self._unintegrated > MAX_UNINTEGRATED_BYTES:
                self._reset()

    def _measure(self, update: bytes) -> int:
        """An upper bound of the document's encoded size: a running sum, measured exactly near the limit."""
        bound = self.encoded_bound + len(update) + SPLIT_ALLOWANCE
        if bound > self.max_encoded_bytes:
            bound = len(self.document.diff())
        self.encoded_bound = bound
        return bound

    def _on_transaction(self, event) -> None:
        self._integrated.append(event.update)


# Observers of the document's shared types, by type: what the update being admitted does.

def _on_text(change: Change, name: str, event) -> None:
    # Not the event's delta: computing it walks the whole text (see update_content.py).
    change.texts.setdefault(name, TextChange())


def _on_map(change: Change, name: str, event) -> None:
    keys = change.maps.setdefault(name, {})
    for key, action in event.keys.items():
        keys[key] = DELETED if action["action"] == "delete" else action["newValue"]


def _on_array(change: Change, name: str, event) -> None:
    array = change.arrays.setdefault(name, ArrayChange())
    for part in event.delta:
        if "insert" in part:
            array.inserted.extend(part["insert"])
        elif "delete" in part:
            array.deleted += part["delete"]


OBSERVERS: dict = {Text: _on_text, Map: _on_map, Array: _on_array}
