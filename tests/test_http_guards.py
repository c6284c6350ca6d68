"""HTTP under attack (issue 9, items 8 to 10): throttles, cross-site writes, debug pages, deep JSON."""
import subprocess
import urllib.error
import urllib.request

from django.core.cache import cache
from django.test import TestCase, override_settings
from rest_framework.test import APIClient

from interview_project import settings as project_settings
from sessions_app.models import InterviewSession
from tests.support.server import ROOT, ServerProcess

DEEP = "[" * 100_000 + "]" * 100_000


@override_settings(PAD_OPEN_CREATION=True)
class ThrottleTests(TestCase):
    def setUp(self):
        cache.clear()

    @override_settings(
        REST_FRAMEWORK={**project_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"session_create": "5/min"}}
    )
    def test_forwarded_for_does_not_bypass_the_creation_throttle(self):
        client = APIClient()
        statuses = [
            client.post("/api/sessions/", {}, format="json", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
            for n in range(8)
        ]
        self.assertEqual(statuses, [201] * 5 + [429] * 3)

    @override_settings(
        REST_FRAMEWORK={**project_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"session_create": "2/min"}},
        PAD={**project_settings.PAD, "TRUSTED_PROXIES": 1},
    )
    def test_behind_a_trusted_proxy_the_client_is_the_forwarded_address(self):
        client = APIClient()

        def create(forwarded):
            return client.post("/api/sessions/", {}, format="json", HTTP_X_FORWARDED_FOR=forwarded).status_code

        # The proxy appends the address it saw; what the client wrote before it is not believed.
        self.assertEqual([create(f"1.2.3.{n}, 10.0.0.1") for n in range(3)], [201, 201, 429])
        self.assertEqual(create("10.0.0.2"), 201)


@override_settings(PAD_OPEN_CREATION=True)
class CrossSiteTests(TestCase):
    def setUp(self):
        cache.clear()

    def test_a_cross_site_form_cannot_create_a_session(self):
        client = APIClient()
        for content_type, body in [
            ("application/x-www-form-urlencoded", "title=pwned"),
            ("multipart/form-data; boundary=x",
             "--x\r\nContent-Disposition: form-data; name=title\r\n\r\npwned\r\n--x--\r\n"),
            ("text/plain", "title=pwned"),
        ]:
            response = client.generic("POST", "/api/sessions/", body, content_type=content_type, HTTP_ORIGIN="http://evil.example")
            self.assertEqual(response.status_code, 403, content_type)
            self.assertIn("detail", response.json())
            # Even from this site, only JSON is read.
            response = client.generic("POST", "/api/sessions/", body, content_type=content_type)
            self.assertEqual(response.status_code, 415, content_type)
            self.assertIn("detail", response.json())
        self.assertEqual(InterviewSession.objects.count(), 0)

    def test_json_from_another_site_or_port_is_refused(self):
        client = APIClient()
        for origin in ("http://evil.example", "http://testserver:8001", "https://testserver.evil.example"):
            response = client.post("/api/sessions/", {}, format="json", HTTP_ORIGIN=origin)
            self.assertEqual(response.status_code, 403, origin)
        own_site = client.post("/api/sessions/", {}, format="json", HTTP_ORIGIN="http://testserver")
        self.assertEqual(own_site.status_code, 201)
        self.assertEqual(client.post("/api/sessions/", {}, format="json").status_code, 201)  # scripts send no Origin

    def test_deep_json_is_a_400(self):
        response = APIClient().generic("POST", "/api/sessions/", DEEP, content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("nested deeper", response.json()["detail"])
        response = APIClient().generic("POST", "/api/sessions/", '{"title": NaN}', content_type="application/json")
        self.assertEqual(response.status_code, 400)


class FreshInstallTests(TestCase):
    """Item 10: what a fresh `./start-dev.sh` shows the network is not Django's debug pages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # As start-dev.sh starts it: no DEBUG in the environment.
        cls.server = ServerProcess(env={"DEBUG": ""}, server="uvicorn").start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        super().tearDownClass()

    def fetch(self, path, data=None):
        request = urllib.request.Request(self.server.url + path, data=data, method="POST" if data else "GET",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def test_no_debug_pages(self):
        status, body = self.fetch("/no/such/page")
        self.assertEqual(status, 404)
        for leak in ("URLconf", "urlpatterns", "DEBUG = True", "admin/"):
            self.assertNotIn(leak, body)
        status, body = self.fetch("/api/sessions/", DEEP.encode())
        self.assertEqual(status, 400)
        for leak in ("DATABASES", "sys.path", "Traceback"):
            self.assertNotIn(leak, body)

    def test_pages_and_static_files_are_cross_origin_isolated(self):
        """COOP and COEP on every response (static files too), so Python's Stop can interrupt."""
        paths = ["/", "/api/languages/", "/static/favicon.svg"]
        for path in paths:
            request = urllib.request.Request(self.server.url + path)
            with urllib.request.urlopen(request, timeout=10) as response:
                self.assertEqual(response.headers["Cross-Origin-Opener-Policy"], "same-origin", path)
                self.assertEqual(response.headers["Cross-Origin-Embedder-Policy"], "require-corp", path)
                self.assertEqual(response.headers["Cross-Origin-Resource-Policy"], "same-origin", path)

    def test_hashed_and_versioned_static_files_are_cached_for_good_and_compressed(self):
        dist = ROOT / "frontend" / "dist"
        hashed = next(p for p in sorted((dist / "assets").glob("*.js")))
        files = sorted((dist / "runtimes").rglob("*"))
        runtime = next(p for p in files if p.is_file() and p.suffix not in (".br", ".gz"))
        for path in (hashed, runtime):
            url = "/static/" + path.relative_to(dist).as_posix()
            request = urllib.request.Request(self.server.url + url, headers={"Accept-Encoding": "br, gzip"})
            with urllib.request.urlopen(request, timeout=10) as response:
                self.assertIn("immutable", response.headers["Cache-Control"], url)
        request = urllib.request.Request(self.server.url + "/static/assets/" + hashed.name,
                                         headers={"Accept-Encoding": "br"})
        with urllib.request.urlopen(request, timeout=10) as response:
            self.assertEqual(response.headers["Content-Encoding"], "br")
        with urllib.request.urlopen(self.server.url + "/static/favicon.svg", timeout=10) as response:
            self.assertNotIn("immutable", response.headers.get("Cache-Control", ""))

    def test_start_dev_refuses_debug_pages_on_a_public_address(self):
        environment = {"PATH": "/usr/bin:/bin", "DEBUG": "1", "HOST": "0.0.0.0"}
        result = subprocess.run(["bash", "start-dev.sh"], cwd=ROOT, env=environment,
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("127.0.0.1 only", result.stderr)
