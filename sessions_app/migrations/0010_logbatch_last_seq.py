"""The first step to one log row per session per flush (0011_pack_log_rows): a row's last seq."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sessions_app', '0009_docupdate_session_index_from_unique'),
    ]

    operations = [
        migrations.AddField(
            model_name='docupdate',
            name='last_seq',
            field=models.BigIntegerField(default=0),
            preserve_default=False,
        ),
    ]
