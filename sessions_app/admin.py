"""The admin: inspect sessions, who is in them, their code, status and record; notes are read-only here."""
from django import forms
from django.contrib import admin
from django.utils.html import format_html

from . import questions
from .models import InterviewSession, Question, SessionNotes
from .realtime import bridge


def monospace(text: str):
    return format_html(
        '<pre style="font-family:monospace;white-space:pre-wrap;overflow:auto;max-height:40em;'
        'padding:1em;border:1px solid #ccc">{}</pre>',
        text,
    )


class NotesInline(admin.StackedInline):
    model = SessionNotes
    fields = ["notes_view", "updated_at"]
    readonly_fields = ["notes_view", "updated_at"]
    can_delete = False
    extra = 0

    @admin.display(description="interviewer notes")
    def notes_view(self, notes):
        return monospace(notes.text)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(InterviewSession)
class InterviewSessionAdmin(admin.ModelAdmin):
    list_display = [
        "id", "title", "owner", "language", "created_at", "status", "duration_shown", "people_connected", "code_size",
    ]
    list_filter = ["language", "created_at", ("ended_at", admin.EmptyFieldListFilter)]
    search_fields = ["id", "title", "owner__username"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "id", "language", "code_view", "created_at", "updated_at", "ended_at", "duration_shown", "last_seq",
        "state_seq", "people_connected", "candidate_names", "exports",
    ]
    fields = [
        "id", "title", "owner", "co_interviewers", "language", "ended_at", "duration_shown", "candidate_may_run",
        "candidate_names", "exports", "code_view", "rating", "recommendation", "scorecard_comment",
        "people_connected", "created_at", "updated_at", "last_seq", "state_seq",
    ]
    filter_horizontal = ["co_interviewers"]
    inlines = [NotesInline]

    @admin.display(description="status")
    def status(self, session):
        return "ended" if session.ended_at else "live"

    @admin.display(description="duration")
    def duration_shown(self, session):
        minutes, seconds = divmod(int(session.duration.total_seconds()), 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02}:{seconds:02}"

    @admin.display(description="record")
    def exports(self, session):
        """The replay, the record as JSON and the code as a file (a superuser is every session's interviewer)."""
        return format_html(
            '<a href="/session/{0}/replay">replay</a> · <a href="/api/sessions/{0}/record?download=1">record (JSON)</a>'
            ' · <a href="/api/sessions/{0}/file">code</a>',
            session.pk,
        )

    @admin.display(description="people connected")
    def people_connected(self, session):
        return len(bridge.participants(session.pk))

    @admin.display(description="code size")
    def code_size(self, session):
        return f"{len(session.code.encode())} B"

    @admin.display(description="code")
    def code_view(self, session):
        return monospace(session.code)


class QuestionAdminForm(forms.ModelForm):
    """The same validation as the REST API's (questions.py)."""

    class Meta:
        model = Question
        fields = "__all__"

    def clean(self):
        data = super().clean()
        try:
            questions.validate_starter_code(data.get("starter_code") or {})
            questions.validate_tests(data.get("tests") or [], data.get("function_name", ""))
            data["tags"] = questions.validate_tags(data.get("tags") or [])
        except questions.InvalidQuestion as exc:
            self.add_error(exc.field, str(exc))
        return data


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionAdminForm
    list_display = ["title", "difficulty", "tag_list", "languages", "author", "updated_at"]
    list_filter = ["difficulty"]
    search_fields = ["title", "statement"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description="tags")
    def tag_list(self, question):
        return ", ".join(question.tags)

    @admin.display(description="starter code")
    def languages(self, question):
        return ", ".join(sorted(question.starter_code or {}))

    def save_model(self, request, question, form, change):
        if not change and question.author is None:
            question.author = request.user
        super().save_model(request, question, form, change)
