"""The container image and compose.yaml (README, "Containers"), built and run with podman.

Builds the image from this checkout (and, as no image registry is reachable here, local images
of Debian's PostgreSQL 15 and Redis 7 under the names compose.yaml uses, on a debootstrapped
Debian 12 kept between runs), starts compose.yaml with podman-compose, makes the first
interviewer account as the README says, creates a session over REST, edits it with stock Yjs
clients through the web container, restarts the web container and reads the code back from
PostgreSQL; then removes every container, volume, network and image it made.
"""
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from unittest import TestCase

from tests.support.node import run_script
from tests.support.server import ROOT, api, free_port, link_key

CONTAINERS = ROOT / "tests" / "containers"
IMAGE = "localhost/interview-pad:latest"
RUNNER_IMAGE = "localhost/interview-pad-runner:latest"
HELLO_JAVA = """public class Main {
  public static void main(String[] a) {
    System.out.println("Hello, " + (6 * 7));
  }
}
"""
STAND_INS = {"postgres": "docker.io/library/postgres:15-bookworm", "redis": "docker.io/library/redis:7-bookworm"}
PODMAN_COMPOSE = [sys.executable, "-m", "podman_compose"]
HOST_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


def cached_steps(output: str) -> dict:
    """Each build step's instruction (without its stage prefix) -> whether it came from the cache."""
    steps, current = {}, None
    for line in output.splitlines():
        found = re.match(r"\[\d+/\d+\] STEP \d+/\d+: (.*)", line) or re.match(r"STEP \d+/\d+: (.*)", line)
        if found:
            current = found.group(1)
            steps[current] = False
        elif current and line.startswith("--> Using cache"):
            steps[current] = True
    return steps


class ContainerTests(TestCase):
    @classmethod
    def setUpClass(cls):
        for tool in ("podman", "debootstrap", "runc"):
            if shutil.which(tool) is None:
                raise AssertionError(f"{tool} is not installed: ./run-tests.sh installs it")
        cls.env = {**os.environ, "CONTAINERS_CONF": str(CONTAINERS / "containers.conf")}
        cls.run_checked(["bash", str(CONTAINERS / "base_image.sh")], timeout=900)
        for name, tag in STAND_INS.items():
            if subprocess.run(["podman", "image", "exists", tag], env=cls.env).returncode != 0:
                cls.build(tag, CONTAINERS / name)

    @classmethod
    def run_checked(cls, command, timeout=600, cwd=ROOT, explain=lambda: "") -> str:
        """Run `command`; its output, or a failure with its output and `explain()`."""
        result = subprocess.run(command, env=cls.env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise AssertionError(f"{' '.join(map(str, command))} failed ({result.returncode}):\n"
                                 f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}\n{explain()}")
        return result.stdout + result.stderr

    @classmethod
    def build(cls, tag, context, target=None) -> str:
        """podman build (host network: the build installs packages from the registries, trusting
        this machine's CA bundle, which holds its TLS proxy's certificate)."""
        trust = []
        if Path(HOST_CA_BUNDLE).is_file():
            trust = ["--volume", f"{HOST_CA_BUNDLE}:/run/host-ca.crt:ro", "--build-arg",
                     "NODE_EXTRA_CA_CERTS=/run/host-ca.crt", "--build-arg", "PIP_CERT=/run/host-ca.crt"]
        return cls.run_checked([
            # Docker's image format: OCI images have no HEALTHCHECK.
            "podman", "build", "--format", "docker", "--pull=never", "--network", "host", "-t", tag, *trust,
            *(["--target", target] if target else []), str(context),
        ], timeout=1500)

    def test_the_image_and_compose_serve_persist_and_survive_a_restart(self):
        before = set(self.run_checked(["podman", "images", "-q", "--no-trunc"]).split())
        self.addCleanup(self.remove_images_since, before)
        self.build(IMAGE, ROOT)
        inspect = json.loads(self.run_checked(["podman", "image", "inspect", IMAGE]))[0]
        print(f"\nimage {IMAGE}: {inspect['Size'] / 1e6:.0f} MB", file=sys.stderr)
        self.assertEqual(inspect["Config"]["User"], "pad")
        self.assertEqual(inspect["Config"]["Entrypoint"], ["pad-entrypoint"])
        self.assertIn("/health", json.dumps(inspect.get("Healthcheck")))
        self.build(RUNNER_IMAGE, ROOT, target="runner")
        runner = json.loads(self.run_checked(["podman", "image", "inspect", RUNNER_IMAGE]))[0]
        print(f"image {RUNNER_IMAGE}: {runner['Size'] / 1e6:.0f} MB", file=sys.stderr)
        self.assertEqual((runner["Config"]["User"], runner["Config"]["Cmd"][0]), ("pad", "runworker"))

        # A change to the app's code rebuilds from its COPY: the packages' layers come from the cache.
        # The change is new to this run: podman's layer cache outlives the images removed after
        # a run, so a fixed edit to the same tree hits an earlier run's COPY layer.
        changed = self.copy_of_context()
        with open(changed / "sessions_app" / "__init__.py", "a") as module:
            module.write(f"# changed {secrets.token_hex(8)}\n")
        steps = cached_steps(self.build(IMAGE, changed))
        for step in ("RUN npm ci", "RUN npm run build", "RUN python3 -m venv", "RUN apt-get update"):
            self.assertTrue(all(steps[name] for name in steps if name.startswith(step)), (step, steps))
        self.assertFalse(steps["COPY sessions_app/ sessions_app/"], steps)

        # No secret key outside DEBUG: the container refuses to start, and says why.
        refused = subprocess.run(["podman", "run", "--rm", "-e", "SECRET_KEY=", IMAGE], env=self.env,
                                 capture_output=True, text=True, timeout=120)
        self.assertEqual(refused.returncode, 64, refused.stderr)
        self.assertIn("SECRET_KEY is not set", refused.stderr)

        # The per-keystroke modules run compiled in the image (scripts/build_native.py, in its build stage).
        compiled = subprocess.run(
            ["podman", "run", "--rm", "-e", "SECRET_KEY=only-for-this-check", IMAGE, "shell", "-c",
             "from sessions_app.realtime import native; print(sorted(set(native.compiled().values())))"],
            env=self.env, capture_output=True, text=True, timeout=120,
        )
        self.assertEqual(compiled.stdout.strip().splitlines()[-1:], ["[True]"], compiled.stderr)

        # compose.yaml, as the README runs it (its .env written here).
        self.project = f"padtest{secrets.token_hex(3)}"
        self.port = free_port()
        workdir = Path(tempfile.mkdtemp(prefix="pad-compose-"))
        self.addCleanup(shutil.rmtree, workdir, True)
        shutil.copy(ROOT / "compose.yaml", workdir / "compose.yaml")
        password = secrets.token_urlsafe(12)
        (workdir / ".env").write_text(
            f"SECRET_KEY={secrets.token_urlsafe(40)}\nPOSTGRES_PASSWORD={password}\nPAD_PORT={self.port}\n"
        )
        self.addCleanup(self.tear_down_compose, workdir)
        self.compose_in(workdir, "up", "-d", "--no-build")  # the image is built: compose uses it
        base = f"http://127.0.0.1:{self.port}"
        self.wait_healthy(base)

        # The first interviewer account, as the README makes it.
        made = self.compose_in(workdir, "run", "--rm", "web", "createinterviewer", "ivy", "--no-input")
        self.assertRegex(made, r"interviewer 'ivy' created; password: \S+")

        # A session over REST (signed in as ivy), edited by stock Yjs clients through the web container.
        server = SimpleNamespace(url=base)
        browser = self.sign_in(base, "ivy", re.search(r"password: (\S+)", made).group(1))
        created = browser("POST", "/api/sessions/", {"title": "In a container"})
        session_id, key = created["id"], link_key(created["interviewer_link"])

        # Java runs on the runner container, in its sandbox, through the queue in Redis.
        languages = self.wait_for(lambda: {item["id"]: item for item in browser("GET", "/api/languages/")
                                           if item["id"] == "java" and item["available"]}, "a runner with Java")
        self.assertIn("17", languages["java"]["version"])
        ran = browser("POST", "/api/execute", {"language": "java", "code": HELLO_JAVA})
        self.assertEqual((ran["status"], ran["stdout"]), ("ok", "Hello, 42\n"), ran)
        result = run_script("yjs_clients.mjs", {
            "url": f"ws://127.0.0.1:{self.port}/ws/yjs", "session": session_id, "clients": 2, "ops": 120, "seed": 7,
        })
        text = result["texts"][0]
        self.assertEqual(len(set(result["texts"])), 1)
        self.assertGreater(len(text), 20)

        # Restart the web container: the code comes back, from PostgreSQL.
        self.compose_in(workdir, "restart", "web")
        self.wait_healthy(base)
        self.assertEqual(api(server, "GET", f"/api/sessions/{session_id}/code", key=key)["code"], text)
        stored = self.compose_in(workdir, "exec", "-T", "postgres", "psql", "-U", "pad", "-d", "pad", "-At", "-c",
                                 f"SELECT code || '|' FROM sessions_app_interviewsession WHERE id = '{session_id}'")
        self.assertEqual(stored.rstrip("\n"), text + "|")  # (the mark keeps the code's own last newlines)

    # ---- helpers ----

    def copy_of_context(self) -> Path:
        """The build context (what .dockerignore lets in), copied to a temporary directory."""
        copy = Path(tempfile.mkdtemp(prefix="pad-context-"))
        self.addCleanup(shutil.rmtree, copy, True)
        skip = shutil.ignore_patterns("node_modules", "dist", "__pycache__", "*.pyc")
        (copy / "scripts").mkdir()
        for name in ("Dockerfile", ".dockerignore", "manage.py", "requirements.txt", "scripts/build_native.py"):
            shutil.copy(ROOT / name, copy / name)
        for name in ("interview_project", "sessions_app", "docker", "frontend"):
            shutil.copytree(ROOT / name, copy / name, ignore=skip)
        return copy

    def remove_images_since(self, before):
        """Remove the images this test made (the app's, and its build stages); keep the base images."""
        subprocess.run(["podman", "rmi", "-f", IMAGE, RUNNER_IMAGE], env=self.env, capture_output=True)
        now = subprocess.run(["podman", "images", "-q", "--no-trunc"], env=self.env, capture_output=True,
                             text=True).stdout.split()
        made = [image for image in now if image not in before]
        if made:
            subprocess.run(["podman", "rmi", "-f", *made], env=self.env, capture_output=True)

    def sign_in(self, base, username, password):
        """A cookie-keeping client signed in as `username`, as the sign-in page does it (with CSRF)."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

        def call(method, path, body=None):
            csrf = next((cookie.value for cookie in jar if cookie.name == "csrftoken"), "")
            request = urllib.request.Request(
                base + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                headers={"Content-Type": "application/json", "X-CSRFToken": csrf},
            )
            with opener.open(request, timeout=120) as response:
                return json.loads(response.read() or b"null")
        call("GET", "/api/auth/me")
        self.assertTrue(call("POST", "/api/auth/login", {"username": username, "password": password})["authenticated"])
        return call

    def compose_in(self, workdir, *args, timeout=300) -> str:
        """podman-compose run from the directory holding compose.yaml and its .env."""
        return self.run_checked([*PODMAN_COMPOSE, "--project-name", self.project, *args], timeout=timeout, cwd=workdir,
                                explain=self.web_log)

    def web_log(self, service="web") -> str:
        logs = subprocess.run(["podman", "logs", "--tail", "60", f"{self.project}_{service}_1"], env=self.env,
                              capture_output=True, text=True)
        return logs.stdout[-4000:] + logs.stderr[-4000:]

    def wait_for(self, condition, what, timeout=180):
        deadline = time.monotonic() + timeout
        while not (value := condition()):
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} within {timeout} s:\n{self.web_log('runner')}")
            time.sleep(0.5)
        return value

    def wait_healthy(self, base, timeout=180):
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"the web container never became healthy:\n{self.web_log()}")
            time.sleep(0.5)

    def tear_down_compose(self, workdir):
        subprocess.run([*PODMAN_COMPOSE, "--project-name", self.project, "down", "--volumes", "--timeout", "5"],
                       env=self.env, cwd=workdir, capture_output=True, timeout=300)
        left = subprocess.run(["podman", "ps", "-a", "--filter", f"name={self.project}", "--format", "{{.Names}}"],
                              env=self.env, capture_output=True, text=True).stdout.split()
        volumes = subprocess.run(["podman", "volume", "ls", "--format", "{{.Name}}"], env=self.env,
                                 capture_output=True, text=True).stdout.split()
        if left or any(v.startswith(self.project) for v in volumes):
            raise AssertionError(f"compose down left {left} {volumes}")
