"""The log's rows become LogBatch: their authors and times are packed in `data` (0011_pack_log_rows)."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sessions_app', '0011_pack_log_rows'),
    ]

    operations = [
        migrations.RemoveField(model_name='docupdate', name='author_name'),
        migrations.RemoveField(model_name='docupdate', name='author_role'),
        migrations.RemoveField(model_name='docupdate', name='author_client'),
        migrations.RemoveField(model_name='docupdate', name='connection_id'),
        migrations.RenameModel(old_name='DocUpdate', new_name='LogBatch'),
        migrations.AlterField(
            model_name='logbatch',
            name='session',
            field=models.ForeignKey(db_index=False, on_delete=models.deletion.CASCADE, related_name='log',
                                    to='sessions_app.interviewsession'),
        ),
    ]
