"""A dropped connection's seat, kept for a while: the person shows as reconnecting, not gone.

When a connection ends without a proper close (the network went away, a ping went
unanswered), its awareness states stay for PAD_PRESENCE_GRACE seconds and the people
list shows the person as "reconnecting". If the client comes back in time it takes its
states over (same awareness client id) or shows up again under the same name and role,
and the seat is given up; otherwise it is removed at the end of the grace period.
"""
import asyncio

CLEAN_CLOSES = (1000, 1001)  # closed on purpose: the page was closed, or navigated away


class Grace:
    def __init__(self, room, seconds: float):
        self.room = room
        self.seconds = seconds
        self._timers: dict[object, asyncio.TimerHandle] = {}  # departed connection -> its expiry

    def keep(self, connection) -> bool:
        """Keep a lost connection's seat for the grace period; False when there is nothing to keep."""
        if self.seconds <= 0 or not self.room.awareness.users_of(connection):
            return False
        loop = asyncio.get_running_loop()
        self._timers[connection] = loop.call_later(self.seconds, self.end, connection)
        return True

    def end(self, connection) -> None:
        """Give up a kept seat: its states are removed for everyone."""
        timer = self._timers.pop(connection, None)
        if timer is None:
            return
        timer.cancel()
        self.room.forget_awareness(connection)
        self.room.presence_changed()

    def kept(self) -> list:
        return list(self._timers)

    def is_kept(self, owner) -> bool:
        return owner in self._timers

    def returned(self, connection) -> None:
        """A connection shows itself: end the seats it took over, or kept under its name and role."""
        user = self.room.awareness.users_of(connection)
        for kept in list(self._timers):
            kept_users = self.room.awareness.users_of(kept)
            same_person = user and kept_users and kept.identity.role == connection.identity.role and (
                kept_users[0]["name"].casefold() == user[0]["name"].casefold()
            )
            if not kept_users or same_person:
                self.end(kept)

    def close(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
