"""Roles against a real server process with stock Yjs clients (issue 10), on daphne and uvicorn."""
from unittest import TestCase

from tests.support.node import run_script
from tests.support.server import ServerProcess, api, create_session, link_key


class RolesWithStockClientsMixin:
    server_kind = "daphne"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = ServerProcess(server=cls.server_kind).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        super().tearDownClass()

    def test_the_server_decides_who_may_change_what(self):
        session_id, key = create_session(self.server)
        observer_key = link_key(api(self.server, "GET", f"/api/sessions/{session_id}/", key=key)["observer_link"])
        result = run_script("roles.mjs", {
            "url": self.server.ws_url + "/ws/yjs", "session": session_id,
            "interviewer_key": key, "observer_key": observer_key,
        })
        # The observer's typing and the candidate's removal were refused: nobody else saw them,
        # and the stored code is the candidate's alone.
        self.assertEqual(result["interviewer"], {"text": "print(42)\n", "runs": 0, "errors": []})
        for refused in ("observer", "candidate"):  # each time its client re-sent the refused change
            self.assertEqual(set(result[refused]["errors"]), {"forbidden"}, result)
        self.assertEqual(api(self.server, "GET", f"/api/sessions/{session_id}/code")["code"], "print(42)\n")


class DaphneRolesTests(RolesWithStockClientsMixin, TestCase):
    server_kind = "daphne"


class UvicornRolesTests(RolesWithStockClientsMixin, TestCase):
    server_kind = "uvicorn"
