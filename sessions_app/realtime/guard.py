"""Per-connection protection against floods and repeated bad frames."""
import time


class FrameGuard:
    """A token bucket for incoming frames, and a count of bad ones before giving up."""

    def __init__(self, rate: float = 200.0, burst: float = 400.0, max_bad: int = 20):
        self.rate = rate
        self.burst = burst
        self.max_bad = max_bad
        self.tokens = burst
        self.bad = 0
        self._last = time.monotonic()

    def allow(self) -> bool:
        """Take a token for one frame; False when the sender is flooding."""
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self._last) * self.rate)
        self._last = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    def strike(self) -> bool:
        """Count a bad frame; True once the sender has sent too many to keep talking to."""
        self.bad += 1
        return self.bad > self.max_bad
