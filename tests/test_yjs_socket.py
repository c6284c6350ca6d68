"""The y-websocket endpoint: sync, fan-out, awareness, the shared document, and bad frames."""
import json

from asgiref.sync import sync_to_async
from django.conf import settings
from django.test import TestCase, override_settings
from pycrdt import Doc, Map, Text
from rest_framework.test import APIClient

from sessions_app.realtime import protocol
from sessions_app.realtime.protocol import AwarenessEntry
from tests.support.sockets import (
    YjsTestClient,
    bearer,
    connect_json,
    create_session,
    create_session_with_key,
    receive_json_until,
    stored,
    wait_stored,
)


class YjsSyncTests(TestCase):
    async def test_a_new_client_receives_the_whole_document(self):
        session_id = await create_session()
        a = await YjsTestClient(session_id).connect()
        await a.edit(lambda text: text.insert(0, "hello world"))
        b = await YjsTestClient(session_id).connect()
        self.assertEqual(str(b.text), "hello world")
        await a.disconnect()
        await b.disconnect()

    async def test_updates_fan_out_and_merge(self):
        session_id = await create_session()
        a = await YjsTestClient(session_id).connect()
        b = await YjsTestClient(session_id).connect()
        await a.edit(lambda text: text.insert(0, "abc"))
        await b.wait_for_text("abc")
        # Concurrent edits at both ends: both survive.
        await a.edit(lambda text: text.insert(0, ">"))
        await b.edit(lambda text: text.insert(3, "<"))
        await a.wait_for_text(">abc<")
        await b.wait_for_text(">abc<")
        await a.disconnect()
        await b.disconnect()
        code, _, log_rows = await stored(session_id)
        self.assertEqual(code, ">abc<")
        self.assertEqual(log_rows, 3)

    async def test_server_sends_step1_so_offline_edits_reach_it(self):
        session_id = await create_session()
        offline = Doc()
        offline.get("code", type=Text).insert(0, "typed offline")
        client = YjsTestClient(session_id)
        client.doc = offline
        client.text = offline.get("code", type=Text)
        await client.communicator.connect()
        step1 = await client.pump(until=lambda m: getattr(m, "sync_type", None) is protocol.SyncType.STEP1)
        # Answer the server's step 1 as a provider would: with what it lacks.
        await client.send(protocol.sync_step2(offline.get_update(step1.payload)))
        await client.disconnect()
        self.assertEqual((await stored(session_id))[0], "typed offline")

    async def test_json_and_yjs_clients_share_one_document(self):
        session_id = await create_session()
        yjs = await YjsTestClient(session_id).connect()
        json_client, _ = await connect_json(session_id)
        await yjs.edit(lambda text: text.insert(0, "def f():\n    pass\n"))
        message = await receive_json_until(json_client, lambda m: m.get("type") == "update")
        self.assertEqual(message["code"], "def f():\n    pass\n")
        # The JSON client edits its copy while the Yjs client types elsewhere.
        await yjs.edit(lambda text: text.insert(0, "# top\n"))
        await json_client.send_json_to({"type": "update", "code": "def f():\n    return 42\n"})
        expected = "# top\ndef f():\n    return 42\n"
        await yjs.wait_for_text(expected)
        message = await receive_json_until(json_client, lambda m: m.get("type") == "update" and m["code"] == expected)
        self.assertEqual(message["code"], expected)
        await yjs.disconnect()
        await json_client.disconnect()
        self.assertEqual((await stored(session_id))[0], expected)

    async def test_json_clients_get_coalesced_updates_from_typing(self):
        session_id = await create_session()
        yjs = await YjsTestClient(session_id).connect()
        json_client, _ = await connect_json(session_id)
        for char in "x" * 60:
            await yjs.edit(lambda text, char=char: text.insert(len(text), char))
        updates = 0
        while True:
            message = await receive_json_until(json_client, lambda m: m.get("type") == "update")
            updates += 1
            if message["code"] == "x" * 60:
                break
        self.assertLess(updates, 60 // 2, "JSON clients should get one message per interval, not per keystroke")
        await yjs.disconnect()
        await json_client.disconnect()

    async def test_rest_writes_reach_connected_editors(self):
        session_id, key = await create_session_with_key()
        yjs = await YjsTestClient(session_id).connect()
        await yjs.edit(lambda text: text.insert(0, "old"))
        await wait_stored(session_id, "old")
        api = APIClient(**bearer(key))
        url = f"/api/sessions/{session_id}/code"
        response = await sync_to_async(api.put)(url, {"code": "new code"}, format="json")
        self.assertEqual(response.status_code, 200)
        await yjs.wait_for_text("new code")
        url = f"/api/sessions/{session_id}/language"
        response = await sync_to_async(api.put)(url, {"language": "go"}, format="json")
        self.assertEqual(response.status_code, 200)
        meta = yjs.doc.get("meta", type=Map)
        await yjs.pump(until=lambda m: meta.get("language") == "go")
        await yjs.disconnect()

    async def test_awareness_is_relayed_and_counted(self):
        session_id = await create_session()
        a = await YjsTestClient(session_id).connect()
        b = await YjsTestClient(session_id).connect()
        state = {"user": {"name": "Ada", "color": "#ff0000", "role": "interviewer"}}
        await a.send(protocol.awareness(protocol.encode_awareness([AwarenessEntry(123, 1, state)])))
        message = await b.pump(until=lambda m: getattr(m, "type", None) is protocol.MessageType.AWARENESS)
        # Relayed as the server stamped it: the role is the connection's, not the one claimed.
        relayed = protocol.decode_awareness(message.payload)[0].state
        self.assertEqual(relayed, {"user": {**state["user"], "role": "candidate"}})
        json_client, init = await connect_json(session_id, name="Grace")
        self.assertEqual(init["connected_users"], 3)
        names = sorted(p["name"] for p in init["participants"])
        self.assertIn("Ada", names)
        response = await sync_to_async(APIClient().get)(f"/api/sessions/{session_id}/participants")
        body = response.json()
        self.assertEqual(body["connected_users"], 3)
        self.assertEqual({p["client"] for p in body["participants"]}, {"yjs", "json"})
        # The JSON client appears to Yjs clients as an awareness state too.
        message = await b.pump(
            until=lambda m: getattr(m, "type", None) is protocol.MessageType.AWARENESS
            and any((e.state or {}).get("user", {}).get("name") == "Grace"
                    for e in protocol.decode_awareness(m.payload))
        )
        self.assertIsNotNone(message)
        await a.disconnect()
        # Leaving removes the state for everyone.
        message = await b.pump(
            until=lambda m: getattr(m, "type", None) is protocol.MessageType.AWARENESS
            and any(e.client_id == 123 and e.state is None for e in protocol.decode_awareness(m.payload))
        )
        await b.disconnect()
        await json_client.disconnect()


class YjsBadFrameTests(TestCase):
    async def check_refused(self, frame, code):
        session_id = await create_session()
        a = await YjsTestClient(session_id).connect()
        b = await YjsTestClient(session_id).connect()
        await a.edit(lambda text: text.insert(0, "intact"))
        await b.wait_for_text("intact")
        await a.send(frame)
        error = await a.pump(until=lambda m: isinstance(m, dict) and m.get("text"))
        self.assertEqual(json.loads(error["text"])["code"], code)
        # The connection, the room and the other client keep working.
        await a.edit(lambda text: text.insert(6, "!"))
        await b.wait_for_text("intact!")
        await a.disconnect()
        await b.disconnect()
        code_after, _, rows_after = await stored(session_id)
        self.assertEqual(code_after, "intact!")
        self.assertEqual(rows_after, 2)  # the two good edits, nothing from the bad frame

    async def test_truncated_frame(self):
        await self.check_refused(protocol.sync_update(b"\x01\x02\x03")[:-2], "bad_frame")

    async def test_unknown_message_type(self):
        await self.check_refused(b"\x09\x00", "bad_frame")

    async def test_update_rejected_by_pycrdt(self):
        await self.check_refused(protocol.sync_update(b"\x05\xff\xff\xff garbage"), "bad_frame")

    async def test_text_frame(self):
        session_id = await create_session()
        a = await YjsTestClient(session_id).connect()
        await a.communicator.send_to(text_data="hello")
        error = await a.pump(until=lambda m: isinstance(m, dict) and m.get("text"))
        self.assertEqual(json.loads(error["text"])["code"], "bad_frame")
        await a.disconnect()

    @override_settings(PAD={**settings.PAD, "MAX_FRAME_BYTES": 1000})
    async def test_oversized_frame(self):
        await self.check_refused(protocol.sync_update(b"\x00" * 2000), "too_large")

    @override_settings(PAD={**settings.PAD, "MAX_CODE_BYTES": 100})
    async def test_document_growing_past_the_limit(self):
        big = Doc()
        big.get("code", type=Text).insert(0, "z" * 200)
        await self.check_refused(protocol.sync_update(big.get_update()), "too_large")

    @override_settings(PAD={**settings.PAD, "MAX_BAD_FRAMES": 3})
    async def test_repeated_abuse_closes_the_connection(self):
        session_id = await create_session()
        a = await YjsTestClient(session_id).connect()
        for _ in range(4):
            await a.send(b"\xff")
        with self.assertRaisesRegex(ConnectionError, "4400"):
            await a.pump(until=lambda m: False)

    async def test_unknown_session_is_closed_with_4404(self):
        client = YjsTestClient("no-such-session")
        connected, _ = await client.communicator.connect()
        self.assertTrue(connected)
        output = await client.communicator.receive_output(timeout=2)
        self.assertEqual((output["type"], output.get("code")), ("websocket.close", 4404))
