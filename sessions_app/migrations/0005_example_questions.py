"""Example questions for a fresh install (sessions_app/data/example_questions.json)."""
import json
from pathlib import Path

from django.db import migrations

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "example_questions.json"


def add_examples(apps, schema_editor):
    Question = apps.get_model("sessions_app", "Question")
    for example in json.loads(EXAMPLES.read_text()):
        if not Question.objects.filter(title=example["title"]).exists():
            Question.objects.create(**example)


def remove_examples(apps, schema_editor):
    Question = apps.get_model("sessions_app", "Question")
    titles = [example["title"] for example in json.loads(EXAMPLES.read_text())]
    Question.objects.filter(title__in=titles, author__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("sessions_app", "0004_question_bank")]

    operations = [migrations.RunPython(add_examples, remove_examples)]
