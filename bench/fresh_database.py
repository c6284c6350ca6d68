"""A fresh, migrated SQLite database (WAL, as the server runs it) for benchmarks of the server's own
database code (flush.py, join_queries.py)."""
import contextlib
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def fresh_database(prefix: str):
    """Django set up on a new SQLite file in a temporary directory, migrated; closed at the end."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/db.sqlite3"
        os.environ["DJANGO_SETTINGS_MODULE"] = "interview_project.settings"
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        import django
        from django.core.management import call_command
        from django.db import connection

        django.setup()
        call_command("migrate", verbosity=0)
        try:
            yield
        finally:
            connection.close()
