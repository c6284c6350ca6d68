"""Per-connection protection against floods and repeated bad frames."""
import time


class FrameGuard:
    """A token bucket for incoming frames, and a count of bad ones before giving up.

    `allow` takes a token only if one is there: JSON drops what is over the rate
    (the next whole text replaces it), and the Yjs socket's read-callback path
    hands such a frame to its usual path. `delay` instead slows the sender down,
    for Yjs, where a dropped update would be a lost keystroke. A sender slowed down
    for `max_throttled` seconds in a row is flooding.
    """

    def __init__(self, rate: float, burst: float, max_bad: int = 20, max_throttled: float = 10.0):
        self.rate = rate
        self.burst = burst
        self.max_bad = max_bad
        self.max_throttled = max_throttled
        self.tokens = burst
        self.bad = 0
        self._last = time.monotonic()
        self._throttled_since: float | None = None

    def _refill(self):
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self._last) * self.rate)
        self._last = now
        return now

    def allow(self) -> bool:
        """Take a token for one frame if one is there without waiting; False (and nothing taken)
        otherwise. (`give_back` returns it.)"""
        self._refill()
        if self.tokens < 1:
            return False
        self.tokens -= 1
        self._throttled_since = None  # as `delay` when it had one: the sender is not held back now
        return True

    def delay(self) -> float | None:
        """Seconds to wait before handling this frame; None once throttled for too long."""
        now = self._refill()
        self.tokens -= 1
        if self.tokens >= 0:
            self._throttled_since = None
            return 0.0
        if self._throttled_since is None:
            self._throttled_since = now
        elif now - self._throttled_since > self.max_throttled:
            return None
        return -self.tokens / self.rate

    def give_back(self) -> None:
        self.tokens += 1

    def strike(self) -> bool:
        """Count a bad frame; True once the sender has sent too many to keep talking to."""
        self.bad += 1
        return self.bad > self.max_bad
