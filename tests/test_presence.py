"""Who is here (issue 14, item 5): a person whose connection dropped shows as "reconnecting", for a
grace period, on every path (JSON socket, REST, the page's Yjs socket); a clean close removes at
once; coming back (same awareness client, or the same name and role) takes the seat back."""
import json

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import TestCase, override_settings
from rest_framework.test import APIClient

from interview_project.asgi import application
from sessions_app.management.commands.serve import server_command
from sessions_app.realtime import protocol
from tests.support.sockets import YjsTestClient, connect_json, create_session, receive_json_until

LOST = 1006  # what a server reports when the network went away or a ping went unanswered


def people(message) -> list[tuple]:
    return sorted((p["name"], p["status"]) for p in message["participants"])


async def until_people(client, predicate, timeout=3.0) -> dict:
    """The next presence message whose (name, status) pairs satisfy `predicate`."""
    return await receive_json_until(
        client, lambda m: m.get("type") == "presence" and predicate(people(m)), timeout=timeout
    )


async def rest_people(session_id) -> list[tuple]:
    body = (await sync_to_async(APIClient().get)(f"/api/sessions/{session_id}/participants")).json()
    return people(body)


@override_settings(PAD={**settings.PAD, "PRESENCE_GRACE": 1.0, "PRESENCE_INTERVAL": 0.05})
class ReconnectingTests(TestCase):
    async def test_a_lost_connection_is_reconnecting_then_gone(self):
        session_id = await create_session()
        watcher, _ = await connect_json(session_id, name="Watcher")
        ada, _ = await connect_json(session_id, name="Ada")
        await until_people(watcher, lambda found: ("Ada", "online") in found)
        await ada.disconnect(code=LOST)
        seen = await until_people(watcher, lambda found: ("Ada", "reconnecting") in found)
        self.assertEqual(seen["connected_users"], 2)
        self.assertIn(("Ada", "reconnecting"), await rest_people(session_id))
        await until_people(watcher, lambda found: found == [("Watcher", "online")], timeout=5)
        self.assertEqual(await rest_people(session_id), [("Watcher", "online")])
        await watcher.disconnect()

    async def test_a_clean_close_leaves_at_once(self):
        session_id = await create_session()
        watcher, _ = await connect_json(session_id, name="Watcher")
        ada, _ = await connect_json(session_id, name="Ada")
        await until_people(watcher, lambda found: ("Ada", "online") in found)
        await ada.disconnect(code=1001)
        message = await until_people(watcher, lambda found: len(found) == 1)
        self.assertEqual(people(message), [("Watcher", "online")])
        await watcher.disconnect()

    async def test_coming_back_takes_the_seat_back(self):
        session_id = await create_session()
        watcher, _ = await connect_json(session_id, name="Watcher")
        state = {"user": {"name": "Grace", "color": "#3e8ef7"}}
        update = protocol.awareness(protocol.encode_awareness([protocol.AwarenessEntry(4242, 3, state)]))
        grace = await YjsTestClient(session_id).connect()
        await grace.send(update)
        await until_people(watcher, lambda found: ("Grace", "online") in found)
        await grace.communicator.disconnect(code=LOST)
        await until_people(watcher, lambda found: ("Grace", "reconnecting") in found)
        again = await YjsTestClient(session_id).connect()
        await again.send(update)  # a provider that reconnects sends its state as it was
        back = await until_people(watcher, lambda found: ("Grace", "online") in found)
        self.assertEqual(people(back), [("Grace", "online"), ("Watcher", "online")])
        # A JSON client coming back under the same name and role takes the seat back too.
        ada, _ = await connect_json(session_id, name="Ada")
        await until_people(watcher, lambda found: ("Ada", "online") in found)
        await ada.disconnect(code=LOST)
        await until_people(watcher, lambda found: ("Ada", "reconnecting") in found)
        ada_again, _ = await connect_json(session_id, name="Ada")
        message = await until_people(watcher, lambda found: ("Ada", "online") in found)
        self.assertEqual(people(message), [("Ada", "online"), ("Grace", "online"), ("Watcher", "online")])
        for client in (watcher, ada_again):
            await client.disconnect()
        await again.disconnect()

    async def test_the_pages_socket_gets_the_people_list_when_it_asks(self):
        session_id = await create_session()
        page = WebsocketCommunicator(application, f"/ws/yjs/{session_id}?presence=1")
        stock = WebsocketCommunicator(application, f"/ws/yjs/{session_id}")
        for communicator in (page, stock):
            await communicator.connect()
        ada, _ = await connect_json(session_id, name="Ada")
        frames = {"page": [], "stock": []}
        for name, communicator in (("page", page), ("stock", stock)):
            while not await communicator.receive_nothing(timeout=0.4):
                frame = await communicator.receive_output()
                if frame.get("text"):
                    frames[name].append(json.loads(frame["text"]))
        self.assertEqual(frames["stock"], [])  # a stock provider would choke on text frames
        self.assertIn(("Ada", "online"), people(frames["page"][-1]))
        for communicator in (page, stock, ada):
            await communicator.disconnect()


class PingTests(TestCase):
    def test_both_servers_ping_often_enough_to_notice_a_vanished_network(self):
        uvicorn = server_command("uvicorn", "127.0.0.1", 8000)
        daphne = server_command("daphne", "127.0.0.1", 8000)
        interval, timeout = str(settings.PAD["PING_INTERVAL"]), str(settings.PAD["PING_TIMEOUT"])
        self.assertEqual(uvicorn[uvicorn.index("--ws-ping-interval") + 1], interval)
        self.assertEqual(uvicorn[uvicorn.index("--ws-ping-timeout") + 1], timeout)
        # daphne takes whole seconds (it refuses "2.0" and does not start).
        self.assertEqual(float(daphne[daphne.index("--ping-interval") + 1]), settings.PAD["PING_INTERVAL"])
        self.assertEqual(float(daphne[daphne.index("--ping-timeout") + 1]), settings.PAD["PING_TIMEOUT"])
        self.assertTrue(daphne[daphne.index("--ping-interval") + 1].isdigit())
        self.assertLessEqual(settings.PAD["PING_INTERVAL"] + settings.PAD["PING_TIMEOUT"], 5)
