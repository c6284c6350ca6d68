"""The question bank (issue 12): the model and its validation, REST and its refusals, the example
questions of a fresh install, the Markdown sanitiser, and hidden tests that never reach candidates."""
import json
from html.parser import HTMLParser

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.test import SimpleTestCase, TestCase, override_settings
from pycrdt import Map
from rest_framework.test import APIClient

from sessions_app import markdown
from sessions_app.models import InterviewSession, Question
from sessions_app.questions import validate_starter_code, validate_tests
from tests.support.sockets import YjsTestClient, bearer, connect_json, receive_json_until

QUESTION = {
    "title": "Sum a list",
    "statement": "Return the sum of `numbers`.",
    "difficulty": "easy",
    "tags": ["Arrays"],
    "function_name": "total",
    "starter_code": {"python": "def total(numbers):\n    pass\n", "javascript": "function total(numbers) {}\n"},
    "tests": [
        {"name": "visible one", "input": [[1, 2]], "expected": 3, "hidden": False},
        {"name": "secret one", "input": [[40, 2, 7919]], "expected": 7961, "hidden": True},
    ],
    "guidance": "Ask about overflow: **7919** is prime.",
}


class TagCollector(HTMLParser):
    """Every element and attribute a browser would build from some HTML."""

    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


class MarkdownTests(SimpleTestCase):
    ATTACKS = (
        "# Title\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n<iframe src=//evil></iframe>\n"
        "<a href=\"javascript:alert(1)\">raw link</a> <svg onload=alert(1)>\n\n"
        "[click](javascript:alert(1)) [data](data:text/html,<script>alert(1)</script>) [ok](https://example.org) "
        "![remote](https://evil.example/p.png) ![tracker](//evil.example/p.png) "
        "![inline](data:image/png;base64,iVBORw0KGgo=)\n\n```python\nprint('<b>')\n```"
    )

    def test_no_raw_html_scripts_or_remote_images(self):
        html = markdown.render(self.ATTACKS)
        tags = TagCollector(html).tags
        self.assertFalse({tag for tag, _ in tags} - {"h1", "p", "a", "img", "pre", "code"}, tags)
        for tag, attrs in tags:
            self.assertFalse([name for name in attrs if name.startswith("on")], (tag, attrs))
            if tag == "a":
                self.assertRegex(attrs["href"], r"^(https://|mailto:|#$)")
                self.assertEqual(attrs["rel"], "nofollow noopener noreferrer")
            if tag == "img":
                self.assertTrue(attrs["src"].startswith("data:image/png;base64,"), attrs)
        self.assertIn(("a", {"href": "https://example.org", "target": "_blank", "rel": "nofollow noopener noreferrer"}),
                      tags)
        self.assertIn("&lt;b&gt;", html)
        self.assertIn(("code", {"class": "language-python"}), tags)


class ExampleQuestionsTests(TestCase):
    def test_a_fresh_database_has_the_examples(self):
        titles = set(Question.objects.values_list("title", flat=True))
        examples = {"Two sum", "Parse a duration", "Merge intervals", "Most common words", "Top customers"}
        self.assertTrue(examples <= titles)
        for question in Question.objects.all():
            self.assertTrue(any(case["hidden"] for case in question.tests), question.title)
            self.assertTrue(any(not case["hidden"] for case in question.tests), question.title)
            # Each passes the bank's own validation, as if an interviewer had written it.
            validate_tests(question.tests, question.function_name)
            validate_starter_code(question.starter_code)
            self.assertTrue(question.starter_code, question.title)
        self.assertEqual(set(Question.objects.get(title="Top customers").starter_code), {"sql", "postgresql"})


class QuestionBankTests(TestCase):
    def setUp(self):
        self.user = get_user_model().objects.create_user("ada", password="correct horse battery")
        self.bank = APIClient()
        self.bank.force_login(self.user)

    def test_crud_search_and_filters(self):
        created = self.bank.post("/api/questions/", QUESTION, format="json")
        self.assertEqual(created.status_code, 201, created.content)
        body = created.json()
        self.assertEqual((body["author"], body["tags"]), ("ada", ["arrays"]))
        self.assertIn("<strong>7919</strong>", body["guidance_html"])
        question_id = body["id"]
        found = [q["title"] for q in self.bank.get("/api/questions/?q=sum list").json()]
        self.assertIn("Sum a list", found)
        self.assertNotIn("Merge intervals", found)
        self.assertIn("Sum a list", [q["title"] for q in self.bank.get("/api/questions/?tag=arrays").json()])
        self.assertNotIn("Sum a list", [q["title"] for q in self.bank.get("/api/questions/?difficulty=hard").json()])
        self.assertNotIn("Sum a list", [q["title"] for q in self.bank.get("/api/questions/?language=go").json()])
        patched = self.bank.patch(f"/api/questions/{question_id}/", {"difficulty": "medium"}, format="json")
        self.assertEqual(patched.json()["difficulty"], "medium")
        self.assertEqual(self.bank.delete(f"/api/questions/{question_id}/").status_code, 204)

    def test_bad_questions_are_refused_naming_the_field(self):
        cases = [
            ({"starter_code": {"cobol": "DISPLAY 'HI'."}}, "starter_code"),
            ({"starter_code": ["python"]}, "starter_code"),
            ({"tests": [{"name": "x", "input": 5, "expected": 1}]}, "tests"),
            ({"tests": [{"name": "x"}]}, "tests"),
            ({"tests": [{"name": "a", "input": [], "expected": 1}, {"name": "a", "input": [], "expected": 2}]},
             "tests"),
            ({"function_name": "", "tests": [{"name": "x", "input": [1], "expected": 1}]}, "tests"),
            ({"function_name": "not a name"}, "function_name"),
            ({"statement": "x" * 20_001}, "statement"),
            ({"tags": "arrays"}, "tags"),
            ({"difficulty": "legendary"}, "difficulty"),
        ]
        for change, field in cases:
            response = self.bank.post("/api/questions/", {**QUESTION, **change}, format="json")
            self.assertEqual(response.status_code, 400, (change, response.content))
            self.assertIn(field, response.json()["errors"], change)
        self.assertFalse(Question.objects.filter(title="Sum a list").exists())

    def test_the_bank_is_for_signed_in_interviewers_only(self):
        question = Question.objects.get(title="Two sum")
        for client in (APIClient(), APIClient(**bearer("a-session-key"))):
            self.assertEqual(client.get("/api/questions/").status_code, 403)
            self.assertEqual(client.get(f"/api/questions/{question.pk}/").status_code, 403)
            self.assertEqual(client.post("/api/questions/", QUESTION, format="json").status_code, 403)


@override_settings(PAD_OPEN_CREATION=True)
class SessionFromQuestionTests(TestCase):
    def setUp(self):
        get_user_model().objects.create_user("ada", password="correct horse battery")
        self.interviewer = APIClient()
        self.interviewer.login(username="ada", password="correct horse battery")
        self.question = Question.objects.create(**QUESTION)

    def start(self, **body):
        response = self.interviewer.post("/api/sessions/", {"question": self.question.pk, **body}, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        return response.json()

    def assertNoSecrets(self, text: str):
        for secret in ("7919", "7961", "secret one", "overflow"):
            self.assertNotIn(secret, text)

    def test_starting_from_a_question(self):
        session = self.start()
        self.assertEqual((session["title"], session["language"]), ("Sum a list", "python"))
        self.assertEqual(session["code"], "def total(numbers):\n    pass\n")
        self.assertEqual(len(session["question"]["tests"]), 2)  # the interviewer's view: hidden ones too
        self.assertIn("overflow", session["question"]["guidance"])
        in_javascript = self.start(language="javascript")
        self.assertEqual(in_javascript["code"], "function total(numbers) {}\n")

    def test_candidates_see_the_statement_and_visible_tests_only(self):
        session = self.start()
        response = APIClient().get(f"/api/sessions/{session['id']}/")
        question = response.json()["question"]
        self.assertEqual([case["name"] for case in question["tests"]], ["visible one"])
        self.assertEqual(question["hidden_tests"], 1)
        self.assertIn("statement_html", question)
        self.assertNotIn("guidance", question)
        self.assertNoSecrets(response.content.decode())
        for path in ("code", "participants", "file"):
            self.assertNoSecrets(APIClient().get(f"/api/sessions/{session['id']}/{path}").content.decode())

    def test_no_account_no_bank(self):
        anonymous = APIClient()
        response = anonymous.post("/api/sessions/", {"question": self.question.pk}, format="json")
        self.assertEqual(response.status_code, 403)
        session = anonymous.post("/api/sessions/", {}, format="json").json()  # open creation, no question
        attach = anonymous.post(
            f"/api/sessions/{session['id']}/question", {"question": self.question.pk}, format="json"
        )
        self.assertEqual(attach.status_code, 403)
        self.assertIsNone(InterviewSession.objects.get(pk=session["id"]).question)


@override_settings(PAD_OPEN_CREATION=True)
class LiveQuestionTests(TestCase):
    async def test_an_interviewer_starts_a_live_session_on_a_question(self):
        await sync_to_async(get_user_model().objects.create_user)("ada", password="correct horse battery")
        question = await sync_to_async(Question.objects.create)(**QUESTION)
        interviewer = APIClient()
        await sync_to_async(interviewer.login)(username="ada", password="correct horse battery")
        session = (await sync_to_async(interviewer.post)("/api/sessions/", {}, format="json")).json()
        json_candidate, _ = await connect_json(session["id"])
        yjs_candidate = await YjsTestClient(session["id"]).connect()
        response = await sync_to_async(interviewer.post)(
            f"/api/sessions/{session['id']}/question", {"question": question.pk}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        update = await receive_json_until(json_candidate, lambda m: m.get("type") == "update" and "total" in m["code"])
        self.assertNotIn("7919", json.dumps(update))
        meta = yjs_candidate.doc.get("meta", type=Map)
        await yjs_candidate.pump(until=lambda m: meta.get("question_id") == question.pk)
        self.assertNotIn(b"7919", yjs_candidate.doc.get_update())
        await json_candidate.disconnect()
        await yjs_candidate.disconnect()
