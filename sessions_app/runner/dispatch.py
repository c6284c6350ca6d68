"""The server's side of a server run: admit it, queue it, follow it to its end.

`start` is what Run does for a server language (over the pad's socket or REST):
the checks (rules, language, a runner for it, rate limits, the queue's bound),
a ServerRun row, then a task that follows the run while everyone watches it
(live.py) and writes the finished run into the session's runs. `execute` is the
stateless `POST /api/execute`. `cancel` stops a queued or running run from any
process: a queued run's row says so; a running one's runner is told directly.
"""
import asyncio
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from channels.db import database_sync_to_async
from channels.exceptions import ChannelFull
from django.conf import settings
from django.utils import timezone

from .. import rules
from ..access import INTERVIEWER
from ..languages import is_language
from ..models import InterviewSession, ServerRun
from ..realtime.changes import Author, ChangeOrigin, Identity, Refused
from ..realtime.detached import detach
from ..realtime.registry import get_registry
from . import protocol, worker
from .availability import SERVER_LANGUAGES, server_languages, unavailable_reason
from .live import LiveRun

RUN_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
TRUNCATED_MARKER = "\n[output truncated]"
MAX_STDIN_BYTES = 64 * 1024
QUEUE_FULL = "every runner is busy and the queue is full: try again in a moment"
NO_COLOR = "#888888"  # of a requester who shows none (REST, or no name yet)
KEPT = timedelta(days=1)  # how long the queue's rows are kept (the rate limits look back a minute)


@dataclass(frozen=True)
class Requester:
    """Who pressed Run, as the server knows them."""

    identity: Identity
    author: Author
    color: str = NO_COLOR
    session_id: str = ""

    @property
    def key(self) -> str:
        """One person, for the per-person limits: their account, or their key or connection in a session."""
        if self.identity.principal.startswith("user:"):
            return self.identity.principal
        return f"{self.session_id}:{self.identity.principal}:{self.author.name}:{self.author.connection_id}"[:120]

    @property
    def by(self) -> dict:
        return {"name": self.author.name[:80] or "Someone", "color": self.color[:80]}


def admit(session_id, run_id: str, language: str | None, requester: Requester) -> ServerRun:
    """The queued row of a run that passes every limit (Refused otherwise).

    `language` None: the session's as its row says (a document gets `meta.language`
    only once someone switches it).
    """
    if not isinstance(run_id, str) or not RUN_ID.match(run_id):
        raise Refused("invalid", "a run id is 1 to 64 letters, digits, '-' or '_'")
    if language is None:
        language = InterviewSession.objects.values_list("language", flat=True).get(pk=session_id)
    if language not in SERVER_LANGUAGES:
        raise Refused("invalid", f"{language} does not run on the server")
    if language not in server_languages():
        raise Refused("unavailable", unavailable_reason(language), strike=False)
    runner = settings.PAD_RUNNER
    now = timezone.now()
    # A row older than the longest a run can last was left by a server that died: not active.
    longest = runner["QUEUE_TIMEOUT"] + runner["COMPILE_SECONDS"] + runner["WALL_SECONDS"] + 30
    active = ServerRun.objects.filter(
        state__in=[ServerRun.QUEUED, ServerRun.RUNNING], created_at__gte=now - timedelta(seconds=longest)
    )
    ServerRun.objects.filter(created_at__lt=now - KEPT).delete()  # the runs themselves are in the sessions
    if session_id and ServerRun.objects.filter(session_id=session_id, run_id=run_id).exists():
        raise Refused("invalid", "a run with this id was already started")
    if active.filter(requester=requester.key).exists():
        raise Refused("rate_limited", "you already have a run going: wait for it or stop it", strike=False)
    recent = ServerRun.objects.filter(created_at__gte=now - timedelta(minutes=1))
    if session_id and recent.filter(session_id=session_id).count() >= runner["RUNS_PER_MINUTE"]:
        raise Refused("rate_limited", f"at most {runner['RUNS_PER_MINUTE']} server runs a minute per session",
                      strike=False)
    if recent.filter(requester=requester.key).count() >= runner["RUNS_PER_MINUTE_PERSON"]:
        raise Refused("rate_limited", f"at most {runner['RUNS_PER_MINUTE_PERSON']} server runs a minute each",
                      strike=False)
    if active.filter(state=ServerRun.QUEUED).count() >= runner["MAX_QUEUED"]:
        raise Refused("queue_full", QUEUE_FULL, strike=False)
    return ServerRun.objects.create(
        session_id=session_id, run_id=run_id, requester=requester.key, language=language
    )


def queue_position(pk: str) -> tuple[str, int]:
    """(state, 1-based place in the queue) of a run."""
    run = ServerRun.objects.filter(pk=pk).values("state", "created_at").first()
    if run is None:
        return ServerRun.CANCELLED, 0
    ahead = ServerRun.objects.filter(
        state=ServerRun.QUEUED, created_at__lt=run["created_at"],
        created_at__gte=run["created_at"] - timedelta(seconds=settings.PAD_RUNNER["QUEUE_TIMEOUT"]),
    ).count()
    return run["state"], ahead + 1


def give_up(pk: str, status: str) -> None:
    """End a run the server stops waiting for; a runner that takes it late leaves it alone."""
    ServerRun.objects.filter(pk=pk).exclude(state=ServerRun.FINISHED).update(
        state=ServerRun.FINISHED, status=status, finished_at=timezone.now()
    )


def failed(message: str, status: str = "error") -> dict:
    return {"status": status, "message": message, "stdout": "", "stderr": "", "duration_ms": 0}


async def follow(run: ServerRun, code: str, stdin: str, on_message=lambda message: None,
                 on_position=lambda position: None) -> dict:
    """Queue a run and wait for its outcome (a dict of sandbox.Outcome's fields), reporting on the way."""
    if settings.PAD_RUNNER["IN_PROCESS"]:
        worker.start_in_process()
    layer = protocol.layer()
    reply = await layer.new_channel("pad.runreply.")
    try:
        await layer.send(protocol.queue_channel(), protocol.execute(run.pk, reply, run.language, code, stdin))
    except ChannelFull:
        await database_sync_to_async(give_up)(run.pk, "error")
        return failed(QUEUE_FULL)
    loop = asyncio.get_running_loop()
    beat = settings.PAD_RUNNER["HEARTBEAT"]
    since = heard = loop.time()
    claimed = False
    while True:
        try:
            message = await asyncio.wait_for(layer.receive(reply), timeout=min(1.0, beat))
        except TimeoutError:
            message = None
        now = loop.time()
        if message is not None:
            heard = now
            if message["type"] == protocol.FINISHED:
                return message["outcome"]
            claimed = claimed or message["type"] == protocol.CLAIMED
            on_message(message)
            continue
        if claimed:
            if now - heard > max(4 * beat, 5.0):
                await database_sync_to_async(give_up)(run.pk, "error")
                return failed("the runner running this program stopped responding (it may have crashed): run it again")
            continue
        state, position = await database_sync_to_async(queue_position)(run.pk)
        if state == ServerRun.CANCELLED:
            return failed("stopped before it started", "stopped")
        if state == ServerRun.RUNNING:
            claimed, heard = True, now  # its first messages are on their way
        elif state == ServerRun.QUEUED:
            if now - since > settings.PAD_RUNNER["QUEUE_TIMEOUT"]:
                await database_sync_to_async(give_up)(run.pk, "error")
                return failed(f"no runner took this run within {settings.PAD_RUNNER['QUEUE_TIMEOUT']} s: try again")
            on_position(position)


def capped(text: str, truncated: bool) -> str:
    return text + TRUNCATED_MARKER if truncated else text


def run_entry(run_id: str, language: str, by: dict, stdin: str, outcome: dict) -> dict:
    """The finished run as an entry of the session's runs (the pages' RunEntry)."""
    cut = outcome.get("truncated") or {}
    entry = {
        "id": run_id, "by": by, "language": language,
        "stdout": capped(outcome.get("stdout", ""), cut.get("stdout", False)),
        "stderr": capped(outcome.get("stderr", ""), cut.get("stderr", False)),
        "status": outcome.get("status", "error"),
        "duration_ms": max(0, int(outcome.get("duration_ms") or 0)),
        "at": timezone.now().isoformat(),
    }
    if outcome.get("message"):
        entry["message"] = str(outcome["message"])[:1000]
    if stdin:
        entry["stdin"] = stdin
    return entry


async def start(session_id: str, run_id: str, stdin: str, requester: Requester) -> None:
    """Admit a run of the session's code in its language, and follow it in a task of its own (Refused)."""
    if not isinstance(stdin, str) or len(stdin.encode()) > MAX_STDIN_BYTES:
        raise Refused("invalid", f"the input is text of at most {MAX_STDIN_BYTES // 1024} KiB")
    async with get_registry().borrow(session_id) as room:
        state = room.session_state()
        if not rules.allowed("add_run", requester.identity.role, state):
            raise Refused(*rules.refusal("add_run", requester.identity.role, state))
        language = room.document.language if is_language(room.document.language) else None
        run = await database_sync_to_async(admit)(session_id, run_id, language, requester)
        code = room.document.code
    detach(drive(session_id, run, code, stdin, requester), f"server run {run_id} of {session_id}")


async def drive(session_id: str, run: ServerRun, code: str, stdin: str, requester: Requester) -> None:
    """Follow a run while everyone in the session watches; then write it into the runs."""
    async with get_registry().borrow(session_id) as room:
        live = LiveRun(room, run.run_id, run.language, requester.by)
        live.publish(force=True)

        def on_message(message):
            if message["type"] == protocol.PHASE:
                live.phase(message["phase"])
            elif message["type"] == protocol.OUTPUT:
                live.output(message["stream"], message["text"])
            live.publish()

        def on_position(position):
            live.queued(position)
            live.publish()

        try:
            outcome = await follow(run, code, stdin, on_message, on_position)
            entry = run_entry(run.run_id, run.language, requester.by, stdin, outcome)
            origin = ChangeOrigin("runner", requester.identity, author=requester.author)
            room.edit(lambda document: document.runs.append(entry), origin)
        finally:
            live.end()


async def cancel(session_id: str, run_id: str, requester: Requester) -> None:
    """Stop a run: the one who started it, or an interviewer (Refused when neither, or no such run)."""
    run = await database_sync_to_async(
        lambda: ServerRun.objects.filter(session_id=session_id, run_id=run_id).first()
    )()
    if run is None:
        raise Refused("invalid", "no such run in this session", strike=False)
    if run.requester != requester.key and requester.identity.role != INTERVIEWER:
        raise Refused("forbidden", "only the person who started a run, or an interviewer, may stop it")
    queued = await database_sync_to_async(
        lambda: ServerRun.objects.filter(pk=run.pk, state=ServerRun.QUEUED).update(state=ServerRun.CANCELLED)
    )()
    if queued:
        return
    run = await database_sync_to_async(ServerRun.objects.get)(pk=run.pk)
    if run.state == ServerRun.RUNNING and run.cancel_channel:
        await protocol.layer().send(run.cancel_channel, {"type": protocol.CANCEL})


async def execute(language: str, code: str, stdin: str, requester: Requester) -> dict:
    """Run a program outside any session and return its outcome (POST /api/execute; Refused)."""
    run = await database_sync_to_async(admit)(None, f"execute-{secrets.token_hex(8)}", language, requester)
    return await follow(run, code, stdin)

