"""The gate: whether an incoming update may change a session's document, decided before it does.

A CRDT update cannot be taken back once applied, and its bytes do not say
plainly what it touches. So the room keeps a trial copy of its document: an
incoming update is applied there first, observers read what it did (the code's
length, which `meta` keys, which runs), and the checks (limits, roles) judge
that. Only an admitted update reaches the real document; a refused one is
forgotten by rebuilding the copy. Updates that need no judging (from other
processes, or the server's own edits) are applied to the copy as well, so it
stays level with the document.

What reaches the real document is not the client's bytes but what the copy
integrated from them (its transaction's update). A Yjs update may carry parts
that depend on changes nobody sent (structs or deletions of unknown items):
a document keeps those pending, invisibly and without limit (a 400 KB frame of
deletions of unknown items held 3 MB, and its state still encoded in 2 bytes).
They stay in the copy only, counted, and the copy is rebuilt when they add up.

The gate sits on the path of every keystroke, so its observers are registered on
pycrdt's underlying (Rust) types, `Doc._doc` and each type's `integrated`: pycrdt's
own wrappers convert every part of every event into Python objects first, which
took most of the gate's time. pycrdt is pinned (requirements.txt).
"""
import logging

from pycrdt import Array, Map, Text, merge_updates

from .changes import DELETED, ArrayChange, Change, Refused, TextChange
from .update_content import read_contents

logger = logging.getLogger(__name__)

# Each update can grow the encoding by a little more than its own length (items
# split where it inserts): added to the running bound, re-measured when it is high.
SPLIT_ALLOWANCE = 32
# Bytes of incoming updates that integrated nothing (pending or duplicate) before
# the trial copy is rebuilt without them.
MAX_UNINTEGRATED_BYTES = 1024 * 1024


class Gate:
    """A trial copy of one document and the checks an incoming update must pass.

    Each check is `check(change, origin, gate)` and raises Refused to refuse; it
    sees the document as it is (`gate.document`) and as it would be (`gate.trial`).
    """

    def __init__(self, document, checks: list, max_encoded_bytes: int):
        self.document = document
        self.checks = checks
        self.max_encoded_bytes = max_encoded_bytes
        self.last_change = Change()  # what the last judged update did
        self._reset()

    def close(self) -> None:
        """Stop observing the trial copy, so that it can be freed.

        Observer callbacks are held from the Rust side, where Python's collector
        cannot see a cycle through them: an observed document is never freed until
        its subscriptions are dropped (a whole document per room).
        """
        for subscription in self._subscriptions:
            subscription.drop()
        self._subscriptions = []

    def _reset(self) -> None:
        if getattr(self, "_subscriptions", None):
            self.close()
        state = self.document.diff()
        self.trial = trial = type(self.document)()
        trial.apply_update(state)
        self._change = Change()
        self._integrated: list[bytes] = []
        self._unintegrated = 0
        self._state = None
        self._meta_changed = False
        self._subscriptions = [trial.doc._doc.observe(self._on_transaction)]
        self._sized = [(name, root.integrated) for name, root in trial.roots.items() if type(root) in (Text, Array)]
        self._lengths: dict | None = None
        for name, shared in trial.roots.items():
            self._subscriptions.append(shared.integrated.observe(self._observer(name, OBSERVERS[type(shared)])))
        self.encoded_bound = len(state)

    @property
    def session_state(self):
        """The document's session state (before the change being judged), read again only after
        a change of `meta` has reached the document."""
        if self._state is None:
            self._state = self.document.session_state
        return self._state

    def _observer(self, name: str, observe):
        """The callback recording, into the change being judged, what happened to root `name`."""
        return lambda event: observe(self._change, name, event)

    def admit(self, update: bytes, origin) -> bytes | None:
        """Judge a Yjs update; return what of it the document may apply, if anything.

        Raises Refused when a check refuses it, ValueError when it cannot be decoded.
        """
        return self._judge(lambda trial: trial.apply_update(update, self._read_lengths), origin, len(update))

    def admit_edit(self, edit, origin) -> bytes | None:
        """Judge an edit the server makes for `origin` (`edit(document)`, e.g. a whole-text write)."""
        return self._judge(edit, origin, 0)

    def _judge(self, apply, origin, incoming: int) -> bytes | None:
        self._change = change = Change()
        self._integrated.clear()
        self._lengths = None
        if self._meta_changed:
            self._state, self._meta_changed = None, False
        try:
            apply(self.trial)  # a bad update raises ValueError and leaves the copy unchanged
        except Exception:
            self._integrated.clear()
            if incoming:
                raise
            self._reset()  # an edit may have done part of its work
            raise
        integrated = self._take_integrated()
        self._count_unintegrated(incoming - len(integrated or b""))
        self.last_change = change
        self._meta_changed = "meta" in change.maps  # the document has it once the room commits
        if integrated is None:
            return None
        if not origin.checked:
            self._measure(integrated)
            return integrated
        try:
            contents = read_contents(integrated)
            change.rich, change.nul = not contents.plain, contents.nul
            if not (change.texts or change.maps or change.arrays):
                # Changes to the known types all fire an observer: this one touched another type.
                change.unknown_roots = sorted(set(self.trial.doc.keys()) - set(self.trial.ROOTS)) or ["?"]
            lengths = self._lengths or {name: len(self.trial.roots[name]) for name, _ in self._sized}
            for name, text in change.texts.items():
                text.length = lengths[name]
            for name, array in change.arrays.items():
                array.length = lengths[name]
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
        return integrated

    def _read_lengths(self, txn) -> None:
        """The lengths of the trial's texts and arrays, read in the transaction that applied an update."""
        self._lengths = {name: integrated.len(txn) for name, integrated in self._sized}

    def follow(self, update: bytes) -> bytes | None:
        """Apply an update that needs no judging; return what of it is new (for the document)."""
        self._change = Change()
        self._integrated.clear()
        self._state = None
        self.trial.apply_update(update)
        self._meta_changed = "meta" in self._change.maps
        integrated = self._take_integrated()
        if integrated:
            self.encoded_bound += len(integrated) + SPLIT_ALLOWANCE
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
        """An upper bound of the trial's encoded size: a running sum, measured exactly near the limit."""
        bound = self.encoded_bound + len(update) + SPLIT_ALLOWANCE
        if bound > self.max_encoded_bytes:
            bound = len(self.trial.diff())
        self.encoded_bound = bound
        return bound

    def _on_transaction(self, event) -> None:
        self._integrated.append(event.update)


# Observers of the trial copy's shared types, by type: what the update being admitted does.

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


OBSERVERS = {Text: _on_text, Map: _on_map, Array: _on_array}
