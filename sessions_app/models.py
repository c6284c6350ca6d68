"""Interview sessions and the append-only log of their document's updates."""
import secrets

from django.db import models

from .languages import DEFAULT_LANGUAGE, LANGUAGE_CHOICES


def new_session_id():
    """128 random bits, URL-safe: the id is the only thing guarding a session."""
    return secrets.token_urlsafe(16)


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

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title or self.id


class DocUpdate(models.Model):
    """One batch-flushed Yjs update of a session's document, in order: the session's history."""

    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="updates")
    seq = models.BigIntegerField()
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["session", "seq"], name="unique_update_seq"),
        ]

    def __str__(self):
        return f"{self.session_id}#{self.seq}"
