"""Two server processes (uvicorn and daphne) behind a real nginx that pins each session to one of them.

docs/nginx.conf.template hashes the session id (consistent hashing), so every
client of a session reaches the same process: edits fan out there, and the
processes' Redis links carry heartbeats, not edits. When that process dies
(SIGKILL, mid-typing), nginx sends its sessions' clients to the other one, which
loads them from PostgreSQL; the clients' own copies fill in the rest, and no
edit is lost.
"""
import json
import time
import urllib.request
from unittest import TestCase

import redis

from tests.support.nginx import NginxProxy
from tests.support.node import finish, start_script
from tests.support.server import ServerProcess
from tests.support.services import shared_postgres, shared_redis
from tests.test_interop import api, wait_for_code

SESSIONS = 12


def health(server) -> dict:
    with urllib.request.urlopen(server.url + "/health", timeout=10) as response:
        return json.loads(response.read())


def publishes(redis_url: str) -> int:
    """PUBLISH commands Redis has served (the channel layer sends one per group message)."""
    with redis.Redis.from_url(redis_url) as client:
        return client.info("commandstats").get("cmdstat_publish", {}).get("calls", 0)


class NginxPinningTests(TestCase):
    def setUp(self):
        redis_server, postgres = shared_redis(), shared_postgres()
        self.redis_url = redis_server.url
        database_url = postgres.create_database()
        env = {"REDIS_URL": self.redis_url, "PAD_HEARTBEAT_INTERVAL": "1", "PAD_TRUSTED_PROXIES": "1"}
        self.servers = []
        for kind in ("uvicorn", "daphne"):
            server = ServerProcess(env=env, database_url=database_url, server=kind)
            self.addCleanup(server.close)
            self.servers.append(server.start())
        self.proxy = NginxProxy([f"127.0.0.1:{server.port}" for server in self.servers])
        self.addCleanup(self.proxy.close)
        self.proxy.start()

    def test_each_session_lives_in_one_process_and_moves_when_it_dies(self):
        sessions = [api(self.proxy, "POST", "/api/sessions/", {})["id"] for _ in range(SESSIONS)]
        published_before = publishes(self.redis_url)
        clients = start_script("survive_restart.mjs", {
            "url": self.proxy.ws_url + "/ws/yjs", "sessions": sessions, "clients": 2, "duration_ms": 6000,
        })
        self.addCleanup(clients.kill)
        self.assertEqual(clients.stdout.readline().strip(), "typing")

        rooms = [health(server)["rooms"] for server in self.servers]
        self.assertEqual(sum(rooms), SESSIONS, f"a session is open in both processes: {rooms}")
        self.assertNotIn(0, rooms, "nginx sent every session to one process")

        time.sleep(2)  # both processes serve their sessions for a while
        victim = self.servers[rooms.index(max(rooms))]
        victim.kill()
        self.assertEqual(clients.stdout.readline().strip(), "done typing")
        published = publishes(self.redis_url) - published_before

        result = finish(clients)["sessions"]
        typed = 0
        for session_id in sessions:
            texts, tokens = result[session_id]["texts"], result[session_id]["tokens"]
            self.assertEqual(len(set(texts)), 1)
            self.assertEqual([token for token in tokens if token not in texts[0]], [], "edits were lost")
            self.assertEqual(wait_for_code(self.proxy, session_id, texts[0]), texts[0])
            typed += len(tokens)
        self.assertGreater(typed, SESSIONS * 50)
        # Unpinned, every edit would cross Redis (one PUBLISH each, or one per batch).
        self.assertLess(published, typed / 3, f"{published} PUBLISH for {typed} edits")
