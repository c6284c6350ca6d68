"""Runner workers: take runs off the queue, run each in a fresh sandbox, stream back what it prints.

Started with Channels' `manage.py runworker --layer runners pad-runner` (our
`runworker` command, which uses RunnerWorker), or inside the server process when
there is no Redis (PAD_RUNNER["IN_PROCESS"], see start_in_process).
"""
import asyncio
import itertools
import logging
import os
import socket
from dataclasses import asdict

from channels.consumer import AsyncConsumer
from channels.db import database_sync_to_async
from channels.exceptions import ChannelFull, StopConsumer
from channels.worker import Worker
from django.conf import settings
from django.utils import timezone

from ..models import Runner, ServerRun
from . import protocol, toolchains
from .limits import RunLimits
from .sandbox import SandboxRun

logger = logging.getLogger(__name__)

OUTPUT_INTERVAL = 0.1  # seconds between output messages of one run (they batch what was printed)
RUNNER_BEAT = 2.0  # seconds between a runner's notes in the database that it is alive


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(run: str, runner: str, cancel_channel: str) -> bool:
    """Take a queued run (False when it was cancelled meanwhile, or another runner has it)."""
    return ServerRun.objects.filter(pk=run, state=ServerRun.QUEUED).update(
        state=ServerRun.RUNNING, runner=runner, cancel_channel=cancel_channel, started_at=timezone.now()
    ) == 1


def finish(run: str, status: str) -> None:
    ServerRun.objects.filter(pk=run).update(state=ServerRun.FINISHED, status=status, finished_at=timezone.now())


class Reporter:
    """What one run tells its reply channel: its phases and output in order, batched, and heartbeats."""

    def __init__(self, layer, reply: str):
        self.layer = layer
        self.reply = reply
        self.events: list[dict] = []
        self.gone = False

    def phase(self, phase: str) -> None:
        self.events.append({"type": protocol.PHASE, "phase": phase})

    def output(self, stream: str, text: str) -> None:
        # Only what the sandbox keeps (its output limit per stream) arrives here.
        last = self.events[-1] if self.events else None
        if last and last["type"] == protocol.OUTPUT and last["stream"] == stream:
            last["text"] += text
        else:
            self.events.append({"type": protocol.OUTPUT, "stream": stream, "text": text})

    async def send(self, message: dict) -> None:
        if self.gone:
            return
        try:
            await self.layer.send(self.reply, message)
        except ChannelFull:
            self.gone = True  # nobody reads the replies (the server that asked died): run on, quietly
            logger.warning("the reply channel of a run is full; its server is gone")

    async def flush(self) -> None:
        events, self.events = self.events, []
        for event in events:
            await self.send(event)

    async def pump(self, beat: float) -> None:
        """Send what accumulated every OUTPUT_INTERVAL, and a heartbeat at least every `beat` seconds."""
        quiet = 0.0
        while True:
            await asyncio.sleep(OUTPUT_INTERVAL)
            quiet += OUTPUT_INTERVAL
            if self.events:
                await self.flush()
                quiet = 0.0
            elif quiet >= beat:
                await self.send({"type": protocol.HEARTBEAT})
                quiet = 0.0


class RunnerConsumer(AsyncConsumer):
    """One run: claim it, run it in a sandbox, report to its reply channel, then end."""

    channel_layer_alias = None  # a run's channels are on the runners' layer (protocol.layer())

    async def run_execute(self, message):
        """Run one program, unless it was cancelled while it waited in the queue."""
        layer = protocol.layer()
        cancel = await layer.new_channel("pad.runcancel.")
        if not await database_sync_to_async(claim)(message["run"], runner_name(), cancel):
            return
        reporter = Reporter(layer, message["reply"])
        await reporter.send({"type": protocol.CLAIMED, "runner": runner_name(), "cancel": cancel})
        sandbox = SandboxRun(
            message["language"], message["code"], message.get("stdin", ""), RunLimits.from_settings(),
            on_output=reporter.output, on_phase=reporter.phase,
        )
        helpers = [
            asyncio.ensure_future(reporter.pump(settings.PAD_RUNNER["HEARTBEAT"])),
            asyncio.ensure_future(self.stop_on_cancel(layer, cancel, sandbox)),
        ]
        try:
            outcome = asdict(await sandbox.run())
        except Exception as exc:  # an unknown language, a missing toolchain, a sandbox that fails
            logger.exception("run %s failed to start", message["run"])
            outcome = {"status": "error", "message": f"the runner could not run this program: {exc}"}
        finally:
            for helper in helpers:
                helper.cancel()
        await reporter.flush()
        await database_sync_to_async(finish)(message["run"], outcome["status"])
        await reporter.send({"type": protocol.FINISHED, "outcome": outcome})

    async def stop_on_cancel(self, layer, channel: str, sandbox) -> None:
        message = await layer.receive(channel)
        if message.get("type") == protocol.CANCEL:
            sandbox.stop()

    async def runner_exit(self, message):
        """The run is over: this instance ends (the worker makes one per run)."""
        raise StopConsumer()


class RunnerWorker(Worker):
    """Channels' worker, taking a run off the queue only when it has a free slot.

    Channels' own listener pulls every message at once into one consumer; runners
    sharing a queue must leave what they cannot run now to the others.
    """

    def __init__(self, application, channels, channel_layer, slots: int | None = None, announce: bool = True):
        super().__init__(application, channels, channel_layer)
        self.slots = slots or settings.PAD_RUNNER["SLOTS"]
        self.busy = 0
        self.name = runner_name()
        self.announce = announce  # note its languages in the database (for servers in other processes)

    async def handle(self):
        beat = asyncio.ensure_future(self.beat())
        try:
            await super().handle()
        finally:
            beat.cancel()
            if self.announce:
                await database_sync_to_async(Runner.objects.filter(name=self.name).delete)()

    async def listener(self, channel):
        free = asyncio.Semaphore(self.slots)
        for number in itertools.count():
            await free.acquire()
            message = await self.channel_layer.receive(channel)
            if message.get("type") != protocol.EXECUTE:
                free.release()
                continue
            key = f"{channel}#{number}"
            queue = self.get_or_create_application_instance(key, {"type": "channel", "channel": channel})
            self.busy += 1
            self.application_instances[key]["future"].add_done_callback(lambda _: self.done(free))
            await queue.put(message)
            await queue.put({"type": protocol.EXIT})

    def done(self, free: asyncio.Semaphore) -> None:
        self.busy -= 1
        free.release()

    async def beat(self) -> None:
        """Say in the database which languages this runner runs, while it lives."""
        languages = await asyncio.to_thread(toolchains.available)
        listed = ", ".join(f"{k} ({v})" for k, v in languages.items()) or "nothing"
        # In the server process, ./start-dev.sh has said it already (manage.py runner_languages).
        logger.log(logging.INFO if self.announce else logging.DEBUG, "runner %s runs: %s", self.name, listed)
        while self.announce:
            try:
                status = {"languages": languages, "slots": self.slots, "busy": self.busy, "seen_at": timezone.now()}
                await database_sync_to_async(Runner.objects.update_or_create)(name=self.name, defaults=status)
            except Exception:
                logger.exception("runner %s could not note its heartbeat", self.name)
            await asyncio.sleep(RUNNER_BEAT)


_in_process: dict = {}


def start_in_process() -> None:
    """Start this process's runner in the running event loop, once (no Redis: PAD_RUNNER["IN_PROCESS"])."""
    loop = asyncio.get_running_loop()
    task = _in_process.get(loop)
    if task is not None and not task.done():
        return
    worker = RunnerWorker(RunnerConsumer.as_asgi(), [protocol.queue_channel()], protocol.layer(), announce=False)
    _in_process.clear()  # a loop that ended (tests) has no runner any more
    _in_process[loop] = asyncio.ensure_future(worker.arun())
