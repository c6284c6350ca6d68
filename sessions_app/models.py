"""Interview sessions, their interviewers, private notes, and the append-only log of their document."""
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from .languages import DEFAULT_LANGUAGE, LANGUAGE_CHOICES


def new_session_id():
    """128 random bits, URL-safe: the id is the only thing guarding a session."""
    return secrets.token_urlsafe(16)


class Question(models.Model):
    """A question of the team's bank: statement, starter code per language, test cases, guidance.

    The tests call `function_name` with each case's `input` (a list of arguments) and
    compare the result with `expected` (JSON); without a function name, a case's
    `input` is the program's stdin and `expected` its stdout. Hidden cases and the
    guidance are for interviewers only (questions.py decides who sees what).
    """

    DIFFICULTIES = [("easy", "Easy"), ("medium", "Medium"), ("hard", "Hard")]

    title = models.CharField(max_length=200)
    statement = models.TextField(help_text="Markdown")
    difficulty = models.CharField(max_length=8, choices=DIFFICULTIES, default="medium")
    tags = models.JSONField(default=list, blank=True)
    function_name = models.CharField(max_length=64, blank=True, default="")
    starter_code = models.JSONField(default=dict, blank=True, help_text="language id -> code")
    tests = models.JSONField(default=list, blank=True, help_text="[{name, input, expected, hidden}]")
    guidance = models.TextField(blank=True, default="", help_text="Markdown, interviewers only")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class InterviewSession(models.Model):
    """A pad. Its live document is a CRDT; the row caches its merged state and plain text."""

    id = models.CharField(primary_key=True, max_length=32, default=new_session_id, editable=False)
    title = models.CharField(max_length=200, blank=True, default="")
    language = models.CharField(max_length=20, choices=LANGUAGE_CHOICES, default=DEFAULT_LANGUAGE)
    code = models.TextField(blank=True, default="")
    # Merged CRDT state covering every logged update with seq <= state_seq.
    state = models.BinaryField(blank=True, default=b"")
    state_seq = models.BigIntegerField(default=0)
    # The highest seq handed out in this session's log.
    last_seq = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    # Who may act as interviewer: the account that created it, accounts added to it, and
    # whoever holds its interviewer key. Keys are stored as hashes only (access.py).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_sessions"
    )
    co_interviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="shared_sessions")
    interviewer_key_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    observer_key_nonce = models.CharField(max_length=32, blank=True, default="", editable=False)
    candidate_may_run = models.BooleanField(default=True)
    # Names candidates showed under, for the dashboard.
    candidate_names = models.JSONField(default=list, blank=True)

    # The interviewers' scorecard.
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    recommendation = models.CharField(
        max_length=8, blank=True, default="", choices=[("hire", "Hire"), ("no_hire", "No hire")]
    )
    scorecard_comment = models.TextField(blank=True, default="")
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions")
    # When the update log (and so the replay) was deleted under the retention setting.
    history_pruned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title or self.id

    @property
    def duration(self):
        """How long the interview ran (until now while it is live)."""
        return (self.ended_at or timezone.now()) - self.created_at


class SessionNotes(models.Model):
    """The interviewers' private notes: a second CRDT document, kept whole (no update log)."""

    session = models.OneToOneField(InterviewSession, on_delete=models.CASCADE, primary_key=True, related_name="notes")
    state = models.BinaryField(blank=True, default=b"")
    text = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "session notes"

    def __str__(self):
        return f"notes of {self.session_id}"


class LogBatch(models.Model):
    """A run of a session's Yjs updates, numbered `seq` to `last_seq`, with when and by whom each was
    made: one row per session per flush. The rows in order are the session's history.

    `data` packs the updates with their times and authors (realtime/log_batch.py reads and
    writes it); `created_at` is the first update's time, for queries and the admin.
    """

    # No index of its own: the unique (session, seq) index starts with it, and serves every
    # lookup by session.
    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="log", db_index=False)
    seq = models.BigIntegerField()
    last_seq = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    data = models.BinaryField()

    class Meta:
        ordering = ["session", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["session", "seq"], name="unique_update_seq"),
        ]

    def __str__(self):
        return f"{self.session_id}#{self.seq}-{self.last_seq}"


class SessionEvent(models.Model):
    """Something that happened in a session, on the interview's timeline beside its edits.

    Runs, language changes, end and reopen, people joining and leaving, and the
    candidate's activity signals (a paste, the page losing focus, a long idle spell).
    Interviewers (and observers) only.
    """

    KINDS = ["join", "leave", "run", "language", "end", "reopen", "paste", "blur", "focus", "idle"]

    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=12, choices=[(kind, kind) for kind in KINDS])
    name = models.CharField(max_length=60, blank=True, default="")
    role = models.CharField(max_length=12, blank=True, default="")
    connection_id = models.CharField(max_length=16, blank=True, default="")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["session", "at", "id"]

    def __str__(self):
        return f"{self.session_id} {self.kind} {self.at:%H:%M:%S}"


class ServerRun(models.Model):
    """A program sent to the runners: the queue's order, its limits and cancelling read these rows."""

    QUEUED, RUNNING, CANCELLED, FINISHED = "queued", "running", "cancelled", "finished"
    STATES = [QUEUED, RUNNING, CANCELLED, FINISHED]

    id = models.CharField(primary_key=True, max_length=32, default=new_session_id, editable=False)
    session = models.ForeignKey(
        InterviewSession, null=True, blank=True, on_delete=models.CASCADE, related_name="server_runs"
    )  # none for a stateless /api/execute
    run_id = models.CharField(max_length=64)  # the id the page gave it (its entry in the runs)
    requester = models.CharField(max_length=120)  # who asked, for the per-person limit
    language = models.CharField(max_length=20)
    state = models.CharField(max_length=10, choices=[(s, s) for s in STATES], default=QUEUED, db_index=True)
    status = models.CharField(max_length=10, blank=True, default="")  # ok, error, timeout, stopped
    runner = models.CharField(max_length=120, blank=True, default="")
    cancel_channel = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.language} run {self.run_id} ({self.state})"


class Runner(models.Model):
    """A runner worker process, as its last heartbeat described it (which languages it runs)."""

    name = models.CharField(primary_key=True, max_length=120)
    languages = models.JSONField(default=dict)  # language id -> toolchain version
    slots = models.PositiveSmallIntegerField(default=1)
    busy = models.PositiveSmallIntegerField(default=0)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return self.name
