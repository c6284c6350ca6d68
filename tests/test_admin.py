"""The admin: list columns, search, filters, and the read-only code view."""
from django.contrib.auth.models import User
from django.test import TestCase

from sessions_app.models import InterviewSession


class AdminTests(TestCase):
    def setUp(self):
        self.admin = User.objects.create_superuser("admin", "admin@example.org", "pw-for-tests-only")
        self.client.force_login(self.admin)
        self.first = InterviewSession.objects.create(title="Two sum", language="python", code="print(<1>)\n")
        self.second = InterviewSession.objects.create(title="LRU cache", language="go", code="package main\n")

    def test_list_shows_the_columns(self):
        html = self.client.get("/admin/sessions_app/interviewsession/").content.decode()
        for text in ("Two sum", "LRU cache", "People connected", "Code size", "11 B", "13 B"):
            self.assertIn(text, html)

    def test_search_by_id_and_title(self):
        html = self.client.get("/admin/sessions_app/interviewsession/", {"q": "LRU"}).content.decode()
        self.assertIn("LRU cache", html)
        self.assertNotIn("Two sum", html)
        html = self.client.get("/admin/sessions_app/interviewsession/", {"q": self.first.pk}).content.decode()
        self.assertIn("Two sum", html)
        self.assertNotIn("LRU cache", html)

    def test_filter_by_language(self):
        html = self.client.get("/admin/sessions_app/interviewsession/", {"language": "go"}).content.decode()
        self.assertIn("LRU cache", html)
        self.assertNotIn("Two sum", html)

    def test_status_duration_and_notes(self):
        from django.utils import timezone

        from sessions_app.models import SessionNotes

        self.first.ended_at = self.first.created_at + timezone.timedelta(minutes=45, seconds=7)
        self.first.save()
        SessionNotes.objects.create(session=self.first, text="<b>hire</b>")
        html = self.client.get("/admin/sessions_app/interviewsession/").content.decode()
        self.assertIn("0:45:07", html)
        self.assertIn(">ended<", html)
        self.assertIn(">live<", html)
        html = self.client.get(f"/admin/sessions_app/interviewsession/{self.first.pk}/change/").content.decode()
        self.assertIn("&lt;b&gt;hire&lt;/b&gt;", html)  # read-only and escaped
        for link in (f"/api/sessions/{self.first.pk}/record?download=1", f"/api/sessions/{self.first.pk}/file"):
            self.assertIn(link, html)
            self.assertEqual(self.client.get(link).status_code, 200)  # a superuser is every session's interviewer

    def test_code_is_shown_read_only_in_monospace_and_escaped(self):
        html = self.client.get(f"/admin/sessions_app/interviewsession/{self.first.pk}/change/").content.decode()
        self.assertIn("font-family:monospace", html)
        self.assertIn("print(&lt;1&gt;)", html)
        self.assertNotIn('name="code"', html)  # not an editable field
