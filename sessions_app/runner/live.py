"""A server run as everyone in the session sees it while it lasts: an awareness state of its own.

Pages show other people's runs from the `running` field of awareness states
(frontend run/liveTail.ts); a server run gets a state under a client id of its
own, without a `user` (so it is no participant), owned by the run in the room.
"""
import json
import secrets
import time

TAIL_BYTES = 1024  # of JSON per stream, as the pages' own live tails
PUBLISH_INTERVAL = 0.25  # seconds: at most four states a second, however fast a program prints
RENEW_INTERVAL = 10.0  # pages drop a state not renewed for 30 s
KEEP_CHARS = 16 * 1024  # of each stream's end, to cut the tail from


def tail_of(text: str, budget: int = TAIL_BYTES) -> str:
    """The end of `text` whose JSON encoding fits in `budget` bytes, from a line start when near."""
    if len(json.dumps(text)) <= budget:
        return text
    chars = min(len(text), budget)
    tail = text[-chars:]
    while chars and len(json.dumps(tail)) > budget:
        chars = int(chars * 0.8)
        tail = text[-chars:] if chars else ""
    newline = tail.find("\n")
    if 0 <= newline < 200 and newline < len(tail) - 1:
        tail = tail[newline + 1:]
    return tail


class LiveRun:
    """Publishes one server run's phase, queue position and output tail to the room, throttled."""

    def __init__(self, room, run_id: str, language: str, by: dict):
        self.room = room
        self.owner = ("server-run", run_id)
        self.client_id = secrets.randbits(31) or 1
        self.state = {
            "id": run_id, "language": language, "phase": "queued",
            "started": int(time.time() * 1000), "stdout": "", "stderr": "", "cut": False,
            "by": by, "server": True,
        }
        self.streams = {"stdout": "", "stderr": ""}
        self.published_at = 0.0
        self.dirty = True

    def queued(self, position: int) -> None:
        if self.state.get("position") != position:
            self.state.update(phase="queued", position=position)
            self.dirty = True

    def phase(self, phase: str) -> None:
        if phase != self.state["phase"]:
            if self.state["phase"] == "queued":  # it starts now
                self.state["started"] = int(time.time() * 1000)
                self.state.pop("position", None)
            self.state["phase"] = phase
            self.dirty = True

    def output(self, stream: str, text: str) -> None:
        if stream in self.streams:
            self.streams[stream] = (self.streams[stream] + text)[-KEEP_CHARS:]
            self.dirty = True

    def publish(self, force: bool = False) -> None:
        """Send the state if it changed (and the interval passed), or to renew it."""
        now = time.monotonic()
        due = self.dirty and now - self.published_at >= PUBLISH_INTERVAL
        if not (force or due or now - self.published_at >= RENEW_INTERVAL):
            return
        for stream, text in self.streams.items():
            self.state[stream] = tail_of(text)
        self.state["cut"] = any(self.state[s] != text for s, text in self.streams.items())
        self.room.set_server_awareness(self.owner, self.client_id, {"running": dict(self.state)})
        self.published_at, self.dirty = now, False

    def end(self) -> None:
        self.room.set_server_awareness(self.owner, self.client_id, None)
