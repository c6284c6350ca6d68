"""Delete the update log (the replay) of interviews ended long ago: `manage.py prune_history --days 90`."""
from django.core.management.base import BaseCommand, CommandError

from sessions_app import record


class Command(BaseCommand):
    help = (
        "Delete the update log, and so the replay, of sessions ended more than N days ago "
        "(default: PAD_HISTORY_RETENTION_DAYS); their final code, runs, notes and scorecard are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days=None, **options):
        days = record.retention_days() if days is None else days
        if days <= 0:
            raise CommandError("no retention is set: pass --days N or set PAD_HISTORY_RETENTION_DAYS")
        pruned = record.prune(days)
        self.stdout.write(f"pruned the history of {len(pruned)} session(s) ended more than {days} days ago")
