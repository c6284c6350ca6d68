"""The plain-JSON socket: init, updates, counts, presence, isolation, persistence and bad input."""
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import TestCase
from rest_framework.test import APIClient

from interview_project.asgi import application
from tests.support.sockets import (
    assert_no_message_of_type,
    bearer,
    connect_json,
    create_session,
    create_session_with_key,
    receive_type,
    stored,
)


class JsonSocketTests(TestCase):
    async def test_init_carries_code_language_and_count(self):
        session_id = await create_session(code="x = 1", language="python")
        client, init = await connect_json(session_id)
        self.assertEqual(init["type"], "init")
        self.assertEqual(init["connected_users"], 1)
        self.assertIn("language", init)
        await client.disconnect()

    async def test_update_fans_out_to_every_other_client(self):
        session_id = await create_session()
        a, _ = await connect_json(session_id)
        b, _ = await connect_json(session_id)
        c, _ = await connect_json(session_id)
        await a.send_json_to({"type": "update", "code": "print('hi')", "language": "python"})
        for other in (b, c):
            message = await receive_type(other, "update")
            self.assertEqual(message["code"], "print('hi')")
            self.assertEqual(message["language"], "python")
        # The sender's own text is already current: no echo.
        await assert_no_message_of_type(a, "update")
        for client in (a, b, c):
            await client.disconnect()

    async def test_user_count_rises_and_falls(self):
        session_id = await create_session()
        a, init = await connect_json(session_id)
        self.assertEqual(init["connected_users"], 1)
        b, init = await connect_json(session_id)
        self.assertEqual(init["connected_users"], 2)
        self.assertEqual((await receive_type(a, "user_count"))["connected_users"], 2)
        c, _ = await connect_json(session_id)
        self.assertEqual((await receive_type(a, "user_count"))["connected_users"], 3)
        self.assertEqual((await receive_type(b, "user_count"))["connected_users"], 3)
        await b.disconnect()
        self.assertEqual((await receive_type(a, "user_count"))["connected_users"], 2)
        self.assertEqual((await receive_type(c, "user_count"))["connected_users"], 2)
        await a.disconnect()
        await c.disconnect()

    async def test_join_names_appear_in_presence(self):
        session_id = await create_session()
        a, _ = await connect_json(session_id, name="Ada")
        b, _ = await connect_json(session_id, name="Grace")
        message = await receive_type(a, "presence")
        while sorted(p["name"] for p in message["participants"]) != ["Ada", "Grace"]:
            message = await receive_type(a, "presence")
        self.assertEqual(message["connected_users"], 2)
        await a.disconnect()
        await b.disconnect()

    async def test_sessions_are_isolated(self):
        first, second = await create_session(), await create_session()
        a, _ = await connect_json(first)
        b, _ = await connect_json(second)
        await a.send_json_to({"type": "update", "code": "secret"})
        await assert_no_message_of_type(b, "update", timeout=0.5)
        await a.disconnect()
        await b.disconnect()
        self.assertEqual((await stored(second))[0], "")
        self.assertEqual((await stored(first))[0], "secret")

    async def test_code_is_persisted_for_new_connections_and_rest(self):
        session_id = await create_session()
        a, _ = await connect_json(session_id)
        await a.send_json_to({"type": "update", "code": "def f():\n    return 1\n", "language": "python"})
        await a.disconnect()
        code, language, log_rows = await stored(session_id)
        self.assertEqual(code, "def f():\n    return 1\n")
        self.assertGreater(log_rows, 0)
        b, init = await connect_json(session_id)
        self.assertEqual(init["code"], "def f():\n    return 1\n")
        await b.disconnect()

    async def test_language_only_update(self):
        session_id = await create_session()
        a, _ = await connect_json(session_id)
        b, _ = await connect_json(session_id)
        await a.send_json_to({"type": "update", "language": "rust"})
        self.assertEqual((await receive_type(b, "update"))["language"], "rust")
        await a.disconnect()
        await b.disconnect()
        self.assertEqual((await stored(session_id))[1], "rust")

    async def test_a_text_based_on_an_older_version_undoes_nothing(self):
        """A write naming its `base` version merges with what it crossed on the wire."""
        session_id = await create_session()
        a, _ = await connect_json(session_id)
        b, init = await connect_json(session_id)
        await a.send_json_to({"type": "update", "code": "hello"})
        seen = await receive_type(b, "update")
        self.assertEqual(seen["code"], "hello")
        self.assertGreater(seen["version"], init["version"])
        await a.send_json_to({"type": "update", "code": "hello world"})
        newer = await receive_type(b, "update")  # sent to b, but b typed before reading it
        self.assertEqual(newer["code"], "hello world")
        await b.send_json_to({"type": "update", "code": "HI hello", "base": seen["version"]})
        await b.send_json_to({"type": "update", "code": "HI, hello", "base": seen["version"]})
        for client in (a, b):  # both end with the merge (b's may come in two steps)
            final = await receive_type(client, "update")
            while final["code"] != "HI, hello world":
                final = await receive_type(client, "update")
        # Without a base, the text is taken as based on the newest version sent.
        await b.send_json_to({"type": "update", "code": "HI, hello world!"})
        self.assertEqual((await receive_type(a, "update"))["code"], "HI, hello world!")
        await a.disconnect()
        await b.disconnect()
        self.assertEqual((await stored(session_id))[0], "HI, hello world!")

    async def test_unknown_session_is_closed_with_4404(self):
        communicator = WebsocketCommunicator(application, "/ws/session/doesnotexist/")
        connected, _ = await communicator.connect()
        if connected:
            output = await communicator.receive_output(timeout=2)
            self.assertEqual(output["type"], "websocket.close")
            self.assertEqual(output["code"], 4404)


class JsonSocketBadInputTests(TestCase):
    async def assertErrorAndIntact(self, client, frame, code):
        if isinstance(frame, bytes):
            await client.send_to(bytes_data=frame)
        else:
            await client.send_to(text_data=frame)
        error = await receive_type(client, "error")
        self.assertEqual(error["code"], code, error)
        self.assertTrue(error["message"])
        await client.send_json_to({"type": "ping"})
        await receive_type(client, "pong")  # still open
        return error

    async def test_each_bad_message_gets_an_error_and_loses_nothing(self):
        session_id = await create_session()
        a, _ = await connect_json(session_id)
        watcher, _ = await connect_json(session_id)
        await a.send_json_to({"type": "update", "code": "keep me"})
        await receive_type(watcher, "update")
        cases = [
            ("{not json", "bad_json"),
            ("[1, 2]", "bad_message"),
            ('{"type": 5}', "bad_message"),
            ('{"type": "explode"}', "unknown_type"),
            ('{"type": "update", "code": 12}', "invalid"),
            ('{"type": "update", "language": "cobol"}', "invalid"),
            ('{"type": "update"}', "invalid"),
            ('{"type": "update", "code": "x", "base": "1"}', "invalid"),
            ('{"type": "join", "name": ""}', "invalid"),
            (b"\x00\x01binary", "bad_frame"),
        ]
        for frame, code in cases:
            error = await self.assertErrorAndIntact(a, frame, code)
            for field in ("code", "language", "name"):
                if isinstance(frame, str) and f'"{field}"' in frame and code == "invalid":
                    self.assertIn(field, error["message"])
        error = await self.assertErrorAndIntact(
            a, '{"type": "update", "code": "%s"}' % ("y" * (512 * 1024 + 1)), "too_large"
        )
        self.assertIn("code", error["message"])
        # The other client saw nothing change, and the document is intact.
        await assert_no_message_of_type(watcher, "update")
        await a.send_json_to({"type": "update", "code": "keep me!"})
        self.assertEqual((await receive_type(watcher, "update"))["code"], "keep me!")
        await a.disconnect()
        await watcher.disconnect()
        self.assertEqual((await stored(session_id))[0], "keep me!")

    async def test_a_flood_is_rate_limited_and_others_keep_working(self):
        session_id = await create_session()
        flooder, _ = await connect_json(session_id)
        other, _ = await connect_json(session_id)
        for _ in range(600):
            await flooder.send_json_to({"type": "ping"})
        error = await receive_type(flooder, "error", timeout=10)
        self.assertEqual(error["code"], "rate_limited")
        await other.send_json_to({"type": "update", "code": "still here"})
        self.assertEqual((await receive_type(flooder, "update", timeout=10))["code"], "still here")
        await flooder.disconnect()
        await other.disconnect()


class JsonSocketLifecycleTests(TestCase):
    async def test_deleting_a_session_closes_its_sockets_with_4404(self):
        session_id, key = await create_session_with_key()
        client, _ = await connect_json(session_id)
        response = await sync_to_async(APIClient().delete)(f"/api/sessions/{session_id}/", **bearer(key))
        self.assertEqual(response.status_code, 204)
        while True:
            output = await client.receive_output(timeout=3)
            if output["type"] == "websocket.close":
                break
        self.assertEqual(output["code"], 4404)

    async def test_browsers_from_another_site_are_refused(self):
        session_id = await create_session()
        for origin in (b"http://evil.example", b"http://localhost:8001"):  # another site, another port
            foreign = WebsocketCommunicator(
                application, f"/ws/session/{session_id}/", headers=[(b"origin", origin), (b"host", b"localhost:8000")]
            )
            connected, _ = await foreign.connect()
            self.assertFalse(connected, origin)
        own = WebsocketCommunicator(
            application, f"/ws/session/{session_id}/",
            headers=[(b"origin", b"http://localhost:8000"), (b"host", b"localhost:8000")],
        )
        connected, _ = await own.connect()
        self.assertTrue(connected)
        await own.disconnect()
