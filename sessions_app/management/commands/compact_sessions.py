"""Fold each session's update log into its cached state and text; the log is kept."""
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F

from sessions_app.models import InterviewSession
from sessions_app.realtime import store


class Command(BaseCommand):
    help = "Refresh the cached state and code of sessions whose log has grown since their last compaction."

    def add_arguments(self, parser):
        parser.add_argument("session_ids", nargs="*", help="only these sessions (default: every one that needs it)")

    def handle(self, *args, **options):
        sessions = InterviewSession.objects.filter(last_seq__gt=F("state_seq"))
        if options["session_ids"]:
            sessions = sessions.filter(pk__in=options["session_ids"])
        count = 0
        for session_id in sessions.values_list("pk", flat=True).iterator():
            with transaction.atomic():
                # Lock like a flush does, so a live server's writes wait their turn.
                InterviewSession.objects.select_for_update().filter(pk=session_id).exists()
                store.compact(session_id)
            count += 1
        self.stdout.write(f"compacted {count} session(s)")
