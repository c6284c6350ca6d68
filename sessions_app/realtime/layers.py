"""The Redis channel layer for several server processes: channels_redis' Pub/Sub layer, batched.

`RedisPubSubChannelLayer.group_send` is one PUBLISH round trip through redis-py
(about 0.2 ms of CPU each, measured here) and waits for it. Rooms publish every
keystroke, so `group_send` here only queues the message; a task per event loop
publishes everything queued meanwhile in one pipeline (one write, one read).
Delivery is what Pub/Sub gives anyway: at most once, in order per process,
nothing kept for a process that is not listening; peers heal from a lost
message with their heartbeats (peers.py).

Built on channels_redis 4.3's Pub/Sub layer internals (`_get_layer`, shards);
requirements.txt pins the version.
"""
import asyncio
import logging
import weakref
from collections import defaultdict

from channels_redis.pubsub import RedisPubSubChannelLayer

logger = logging.getLogger(__name__)


class _Outbox:
    """Messages queued on one event loop, and the task that publishes them."""

    def __init__(self, layer):
        self.layer = layer
        self.queued: list[tuple[object, str, bytes]] = []  # (shard, Redis channel, payload)
        self.wake = asyncio.Event()
        self.task = asyncio.ensure_future(self.run())

    def put(self, shard, channel: str, payload: bytes):
        self.queued.append((shard, channel, payload))
        self.wake.set()

    async def run(self):
        while True:
            await self.wake.wait()
            self.wake.clear()
            batch, self.queued = self.queued, []
            by_shard = defaultdict(list)
            for shard, channel, payload in batch:
                by_shard[shard].append((channel, payload))
            for shard, messages in by_shard.items():
                try:
                    await publish_all(shard, messages)
                except Exception:
                    logger.exception("publishing %d messages to Redis failed", len(messages))


async def publish_all(shard, messages):
    """PUBLISH each (channel, payload) through the shard's connection, pipelined."""
    async with shard._lock:
        shard._ensure_redis()
        pipe = shard._redis.pipeline(transaction=False)
        for channel, payload in messages:
            pipe.publish(channel, payload)
        await pipe.execute()


class BatchedRedisPubSubChannelLayer(RedisPubSubChannelLayer):
    """channels_redis' Redis Pub/Sub layer whose group sends are queued and pipelined."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._outboxes: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Outbox] = weakref.WeakKeyDictionary()
        self._last = None  # (loop, outbox) of the last call: the common case, without a weakref lookup

    async def group_send(self, group, message):
        loop = asyncio.get_running_loop()
        outbox = self._last if self._last is not None and self._last[0] is loop else None
        if outbox is None or outbox[1].task.done():
            box = self._outboxes.get(loop)
            if box is None or box.task.done():
                box = self._outboxes[loop] = _Outbox(self)
            outbox = self._last = (loop, box)
        loop_layer = self._get_layer()
        channel = loop_layer._get_group_channel_name(group)
        outbox[1].put(loop_layer._get_shard(channel), channel, self.serialize(message))

    async def flush(self):
        for outbox in self._outboxes.values():
            outbox.task.cancel()
        self._outboxes.clear()
        self._last = None
        await self._get_layer().flush()
