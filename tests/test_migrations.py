"""Migrations that rewrite stored data keep every update, its time and its author, both ways."""
from datetime import UTC, datetime

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

from sessions_app.models import LogBatch
from sessions_app.realtime import store
from sessions_app.realtime.changes import Author, LogEntry

BEFORE = [("sessions_app", "0009_docupdate_session_index_from_unique")]
AFTER = [("sessions_app", "0012_log_batches")]
ROWS = [  # seq, update, time, author (name, role, client, connection)
    (1, b"\x01\x02", datetime(2026, 11, 27, 9, 0, 0, 123456, tzinfo=UTC), ("Ada", "candidate", "yjs", "c1")),
    (2, b"\x03", datetime(2026, 11, 27, 9, 0, 1, 0, tzinfo=UTC), ("", "", "server", "")),
    (3, b"\x04\x05\x06", datetime(2026, 11, 27, 9, 0, 2, 999999, tzinfo=UTC), ("Ada", "candidate", "yjs", "c1")),
]


class LogBatchMigrationTests(TransactionTestCase):
    def migrate(self, targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    def tearDown(self):
        self.migrate(executor_leaf_nodes())

    def test_rows_of_one_update_become_batches_and_back(self):
        apps = self.migrate(BEFORE)
        session = apps.get_model("sessions_app", "InterviewSession").objects.create(last_seq=3)
        old = apps.get_model("sessions_app", "DocUpdate")
        for seq, data, at, (name, role, client, connection_id) in ROWS:
            old.objects.create(session=session, seq=seq, data=data, created_at=at, author_name=name,
                               author_role=role, author_client=client, connection_id=connection_id)

        self.migrate(AFTER)
        logged = [(seq, entry.data, entry.at, entry.author) for seq, entry in store.log_entries(session.pk)]
        self.assertEqual(logged, [(seq, data, at, Author(*author)) for seq, data, at, author in ROWS])
        # A flush after the migration writes its two updates as one row; going back splits it.
        later = [(4, b"\x07", datetime(2026, 11, 27, 9, 5, tzinfo=UTC), ("Grace", "interviewer", "json", "c2")),
                 (5, b"\x08", datetime(2026, 11, 27, 9, 6, tzinfo=UTC), ("Ada", "candidate", "yjs", "c1"))]
        entries = [LogEntry.at_time(data, at, Author(*author)) for _, data, at, author in later]
        store.write([store.PendingWrite(session.pk, entries, "", None)], compact_every=1000)
        self.assertEqual(LogBatch.objects.filter(session_id=session.pk).count(), 4)

        apps = self.migrate(BEFORE)
        back = apps.get_model("sessions_app", "DocUpdate").objects.filter(session_id=session.pk).order_by("seq")
        self.assertEqual(
            [(row.seq, bytes(row.data), row.created_at,
              (row.author_name, row.author_role, row.author_client, row.connection_id)) for row in back],
            ROWS + later,
        )


def executor_leaf_nodes():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
