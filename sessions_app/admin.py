"""The admin: inspect sessions, who is in them, and their code."""
from django.contrib import admin
from django.utils.html import format_html

from .models import InterviewSession
from .realtime import bridge


@admin.register(InterviewSession)
class InterviewSessionAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "language", "created_at", "people_connected", "code_size"]
    list_filter = ["language", "created_at"]
    search_fields = ["id", "title"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "id", "language", "code_view", "created_at", "updated_at", "last_seq", "state_seq", "people_connected",
    ]
    fields = [
        "id", "title", "language", "ended_at", "code_view", "people_connected",
        "created_at", "updated_at", "last_seq", "state_seq",
    ]

    @admin.display(description="people connected")
    def people_connected(self, session):
        return len(bridge.participants(session.pk))

    @admin.display(description="code size")
    def code_size(self, session):
        return f"{len(session.code.encode())} B"

    @admin.display(description="code")
    def code_view(self, session):
        return format_html(
            '<pre style="font-family:monospace;white-space:pre;overflow:auto;max-height:40em;'
            'padding:1em;border:1px solid #ccc">{}</pre>',
            session.code,
        )
