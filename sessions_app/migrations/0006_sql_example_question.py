"""The SQL example question (now that SQL runs in the browser), for installs that already have the others."""
from importlib import import_module

from django.db import migrations

examples = import_module("sessions_app.migrations.0005_example_questions")


def remove_sql_example(apps, schema_editor):
    Question = apps.get_model("sessions_app", "Question")
    Question.objects.filter(title="Top customers", author__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("sessions_app", "0005_example_questions")]

    # Adds each example whose title is missing: here, only the SQL one.
    operations = [migrations.RunPython(examples.add_examples, remove_sql_example)]
