"""One log row per session per flush (LogBatch) instead of one per update (DocUpdate).

Its own migration, between the schema's (0010 and 0012): PostgreSQL refuses to alter a
table in the transaction that wrote its rows.

Each old row becomes a batch of one update, its time and author packed with it
(realtime/log_batch.py); going back splits every batch into rows of one update.
"""
from django.db import migrations

from sessions_app.realtime import log_batch
from sessions_app.realtime.changes import Author, LogEntry


def pack_rows(apps, schema_editor):
    rows = apps.get_model("sessions_app", "DocUpdate").objects
    changed = []
    for row in rows.iterator(chunk_size=1000):
        author = Author(row.author_name, row.author_role, row.author_client, row.connection_id)
        row.data = log_batch.encode([LogEntry.at_time(bytes(row.data), row.created_at, author)])
        row.last_seq = row.seq
        changed.append(row)
    rows.bulk_update(changed, ["data", "last_seq"], batch_size=500)


def split_batches(apps, schema_editor):
    model = apps.get_model("sessions_app", "DocUpdate")
    for batch in list(model.objects.all()):
        for i, entry in enumerate(log_batch.decode(bytes(batch.data))):
            author = entry.author
            model.objects.update_or_create(
                session_id=batch.session_id, seq=batch.seq + i,
                defaults={"data": entry.data, "created_at": entry.at, "last_seq": batch.seq + i,
                          "author_name": author.name, "author_role": author.role,
                          "author_client": author.client, "connection_id": author.connection_id},
            )


class Migration(migrations.Migration):

    dependencies = [
        ('sessions_app', '0010_logbatch_last_seq'),
    ]

    operations = [
        migrations.RunPython(pack_rows, split_batches),
    ]
