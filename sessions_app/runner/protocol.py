"""The runner queue's messages, by name: what the server sends a runner and what a runner answers.

A run goes to the queue channel (`settings.PAD_RUNNER["CHANNEL"]`, on the `runners`
channel layer) as EXECUTE; whichever runner takes it answers on the run's reply
channel: CLAIMED (with the channel that cancels it), then PHASE, OUTPUT and
HEARTBEAT while it runs, and FINISHED once. CANCEL goes to the claimed run's
channel. EXIT is a runner's note to itself that a run is over.
"""
import asyncio
import weakref

from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings

EXECUTE = "run.execute"
CLAIMED = "run.claimed"
PHASE = "run.phase"
OUTPUT = "run.output"
HEARTBEAT = "run.heartbeat"
FINISHED = "run.finished"
CANCEL = "run.cancel"
EXIT = "runner.exit"

LAYER = "runners"  # the channel layer alias (settings.CHANNEL_LAYERS)


def queue_channel() -> str:
    return settings.PAD_RUNNER["CHANNEL"]


def execute(run: str, reply: str, language: str, code: str, stdin: str) -> dict:
    return {"type": EXECUTE, "run": run, "reply": reply, "language": language, "code": code, "stdin": stdin}


_loop_layers = weakref.WeakKeyDictionary()


def layer():
    """The runners' channel layer: Redis lists across machines, or in memory for this event loop.

    In memory, the server and its in-process runner share one loop; a layer per loop
    keeps queues from outliving the loop that made them (each test has its own).
    """
    if settings.CHANNEL_LAYERS[LAYER]["BACKEND"] != "channels.layers.InMemoryChannelLayer":
        return get_channel_layer(LAYER)
    loop = asyncio.get_running_loop()
    if loop not in _loop_layers:
        _loop_layers[loop] = InMemoryChannelLayer(**settings.CHANNEL_LAYERS[LAYER].get("CONFIG", {}))
    return _loop_layers[loop]
