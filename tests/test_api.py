"""The REST API: every endpoint, and every kind of bad input."""
import base64

from django.core.cache import cache
from django.test import TestCase, override_settings
from pycrdt import Doc, Text
from rest_framework.test import APIClient

from sessions_app.languages import LANGUAGE_IDS
from sessions_app.models import InterviewSession
from sessions_app.realtime import store


@override_settings(PAD_OPEN_CREATION=True)
class ApiTestCase(TestCase):
    """The client that creates a session is its interviewer (the answer sets its role cookie)."""

    def setUp(self):
        cache.clear()  # throttle counters
        self.client = APIClient()

    def create(self, **body):
        response = self.client.post("/api/sessions/", body, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        return response.json()


class SessionCrudTests(ApiTestCase):
    def test_create_with_empty_body(self):
        response = self.client.post("/api/sessions/")
        self.assertEqual(response.status_code, 201)
        body = response.json()
        for key in ("id", "url", "title", "language", "code", "created_at"):
            self.assertIn(key, body)
        self.assertEqual(body["language"], "python")
        self.assertTrue(body["url"].endswith(f"/session/{body['id']}"))
        self.assertTrue(InterviewSession.objects.filter(pk=body["id"]).exists())

    def test_ids_are_unguessable(self):
        ids = {self.create()["id"] for _ in range(20)}
        self.assertEqual(len(ids), 20)
        for session_id in ids:
            # 128 random bits in URL-safe base64: 22 characters.
            self.assertGreaterEqual(len(session_id), 22)
            self.assertRegex(session_id, r"^[A-Za-z0-9_-]+$")

    def test_create_with_title_language_and_code(self):
        body = self.create(title="Two sum", language="javascript", code="const x = 1;\n")
        self.assertEqual((body["title"], body["language"], body["code"]), ("Two sum", "javascript", "const x = 1;\n"))
        fetched = self.client.get(f"/api/sessions/{body['id']}/").json()
        self.assertEqual(fetched["code"], "const x = 1;\n")

    @override_settings(PUBLIC_URL="https://pad.example.org")
    def test_share_link_uses_public_url(self):
        body = self.create()
        self.assertEqual(body["url"], f"https://pad.example.org/session/{body['id']}")

    def test_patch_title_language_and_code(self):
        session_id = self.create()["id"]
        changes = {"title": "Renamed", "language": "go", "code": "package main"}
        response = self.client.patch(f"/api/sessions/{session_id}/", changes, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual((body["title"], body["language"], body["code"]), ("Renamed", "go", "package main"))

    def test_delete(self):
        session_id = self.create()["id"]
        self.assertEqual(self.client.delete(f"/api/sessions/{session_id}/").status_code, 204)
        response = self.client.get(f"/api/sessions/{session_id}/")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["detail"], "session not found")

    def test_code_read_and_write(self):
        session_id = self.create(code="a")["id"]
        self.assertEqual(self.client.get(f"/api/sessions/{session_id}/code").json()["code"], "a")
        response = self.client.put(f"/api/sessions/{session_id}/code", {"code": "print('hi')\n"}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(self.client.get(f"/api/sessions/{session_id}/code").json()["code"], "print('hi')\n")

    def test_language_write(self):
        session_id = self.create()["id"]
        response = self.client.put(f"/api/sessions/{session_id}/language", {"language": "rust"}, format="json")
        self.assertEqual(response.json(), {"language": "rust"})
        self.assertEqual(self.client.get(f"/api/sessions/{session_id}/").json()["language"], "rust")

    def test_participants_of_an_empty_session(self):
        session_id = self.create()["id"]
        response = self.client.get(f"/api/sessions/{session_id}/participants")
        self.assertEqual(response.json(), {"connected_users": 0, "participants": []})

    def test_languages_list(self):
        languages = self.client.get("/api/languages/").json()
        self.assertEqual({lang["id"] for lang in languages}, set(LANGUAGE_IDS))
        runnable = {lang["id"] for lang in languages if lang["runnable"]}
        self.assertEqual(runnable, {
            "javascript", "typescript", "python", "sql", "postgresql", "ruby", "lua", "php", "c", "cpp",
        })

    def test_health(self):
        response = self.client.get("/health")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json(), {"status": "ok", "database": "ok", "channel_layer": "ok", "saving": "ok", "rooms": 0}
        )

    def test_openapi_schema_and_docs_page(self):
        schema = self.client.get("/api/schema/", HTTP_ACCEPT="application/json")
        self.assertEqual(schema.status_code, 200)
        self.assertIn("/api/sessions/", schema.json()["paths"])
        docs = self.client.get("/api/docs/")
        self.assertEqual(docs.status_code, 200)
        html = docs.content.decode()
        self.assertIn("swagger", html.lower())
        # Everything the docs page loads comes from this server.
        self.assertNotRegex(html, r'(src|href)="https?://')


class HistoryTests(ApiTestCase):
    def test_history_replays_to_the_current_code(self):
        session_id = self.create(code="hello")["id"]
        for code in ("hello world", "hello, world", "hello, world!\n"):
            self.client.put(f"/api/sessions/{session_id}/code", {"code": code}, format="json")
        steps, url = [], f"/api/sessions/{session_id}/history?limit=2"
        while url:
            page = self.client.get(url).json()
            steps += page["results"]
            url = page["next"]
        self.assertEqual([s["seq"] for s in steps], list(range(1, len(steps) + 1)))
        self.assertEqual(len(steps), store.log_length(session_id))
        self.assertEqual(len(steps), InterviewSession.objects.get(pk=session_id).last_seq)
        doc = Doc()
        text = doc.get("code", type=Text)
        replayed = []
        for step in steps:
            doc.apply_update(base64.b64decode(step["update"]))
            replayed.append(str(text))
        self.assertEqual(replayed[-1], "hello, world!\n")
        self.assertIn("hello world", replayed)

    def test_history_bad_paging(self):
        session_id = self.create()["id"]
        response = self.client.get(f"/api/sessions/{session_id}/history?after=x")
        self.assertEqual(response.status_code, 400)
        self.assertIn("detail", response.json())


class BadInputTests(ApiTestCase):
    def assertBadField(self, response, field):
        self.assertEqual(response.status_code, 400, response.content)
        body = response.json()
        self.assertIn(field, body["detail"])
        self.assertIn(field, body["errors"])

    def test_unknown_session_everywhere(self):
        for method, path in [
            ("get", "/api/sessions/nope/"), ("patch", "/api/sessions/nope/"), ("delete", "/api/sessions/nope/"),
            ("get", "/api/sessions/nope/code"), ("put", "/api/sessions/nope/code"),
            ("put", "/api/sessions/nope/language"), ("get", "/api/sessions/nope/participants"),
            ("get", "/api/sessions/nope/history"),
        ]:
            response = getattr(self.client, method)(path, {"code": "x", "language": "go"}, format="json")
            self.assertEqual(response.status_code, 404, (method, path))
            self.assertEqual(response.json()["detail"], "session not found")

    def test_unknown_language(self):
        self.assertBadField(self.client.post("/api/sessions/", {"language": "cobol"}, format="json"), "language")
        session_id = self.create()["id"]
        self.assertBadField(
            self.client.put(f"/api/sessions/{session_id}/language", {"language": "cobol"}, format="json"), "language"
        )

    def test_non_string_code(self):
        self.assertBadField(self.client.post("/api/sessions/", {"code": 42}, format="json"), "code")
        session_id = self.create(code="keep")["id"]
        self.assertBadField(self.client.put(f"/api/sessions/{session_id}/code", {"code": ["x"]}, format="json"), "code")
        self.assertEqual(self.client.get(f"/api/sessions/{session_id}/code").json()["code"], "keep")

    def test_oversized_code(self):
        session_id = self.create(code="keep")["id"]
        big = "x" * (512 * 1024 + 1)
        self.assertBadField(self.client.put(f"/api/sessions/{session_id}/code", {"code": big}, format="json"), "code")
        self.assertBadField(self.client.post("/api/sessions/", {"code": big}, format="json"), "code")
        self.assertEqual(self.client.get(f"/api/sessions/{session_id}/code").json()["code"], "keep")

    def test_unknown_and_wrongly_typed_fields(self):
        self.assertBadField(self.client.post("/api/sessions/", {"colour": "red"}, format="json"), "colour")
        self.assertBadField(self.client.post("/api/sessions/", {"title": 7}, format="json"), "title")
        session_id = self.create()["id"]
        self.assertBadField(self.client.patch(f"/api/sessions/{session_id}/", {"id": "mine"}, format="json"), "id")

    def test_malformed_json(self):
        response = self.client.post("/api/sessions/", "{not json", content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("JSON", response.json()["detail"])

    @override_settings(REST_FRAMEWORK={
        **__import__("django.conf").conf.settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"session_create": "5/min"},
    })
    def test_a_flood_of_creations_is_throttled(self):
        codes = [self.client.post("/api/sessions/").status_code for _ in range(8)]
        self.assertEqual(codes[:5], [201] * 5)
        self.assertEqual(codes[5:], [429] * 3)
        response = self.client.post("/api/sessions/")
        self.assertIn("detail", response.json())
        # Reading still works while creating is throttled.
        self.assertEqual(self.client.get("/health").status_code, 200)
