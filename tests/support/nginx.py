"""A real nginx in front of several server processes, configured from docs/nginx.conf.template.

It listens on 127.0.0.1 at a free port and keeps its configuration, logs and
temporary files in a temporary directory. A missing binary is a failure, never
a skip: ./run-tests.sh installs nginx.
"""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from string import Template

from .server import ROOT, free_port
from .services import _Service, _wait_for_port

TEMPLATE = ROOT / "docs" / "nginx.conf.template"


def nginx_binary() -> str:
    binary = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)
    if binary is None:
        raise AssertionError("nginx is not installed: ./run-tests.sh installs it (apt-get install nginx)")
    return binary


def render(listen: str, upstreams: list[str]) -> str:
    """The template with its two variables filled in, as `envsubst` would (nginx's own $-names stay)."""
    servers = " ".join(f"server {address} max_fails=1 fail_timeout=5s;" for address in upstreams)
    return Template(TEMPLATE.read_text()).safe_substitute(PAD_LISTEN=listen, PAD_UPSTREAMS=servers)


class NginxProxy(_Service):
    """nginx with the pad's site configuration in front of `upstreams` ("127.0.0.1:port")."""

    name = "nginx"

    def __init__(self, upstreams: list[str]):
        self.binary = nginx_binary()
        self.upstreams = upstreams
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="pad-nginx-")
        self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self):
        directory = Path(self.dir)
        (directory / "site.conf").write_text(render(f"127.0.0.1:{self.port}", self.upstreams))
        temp = {name: directory / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
        for path in temp.values():
            path.mkdir()
        # As root, nginx's workers would switch to `nobody`, who cannot use these directories.
        user = "user root;\n" if os.geteuid() == 0 else ""
        (directory / "nginx.conf").write_text(
            f"{user}daemon off;\nworker_processes 1;\npid {directory}/nginx.pid;\n"
            f"error_log {directory}/error.log warn;\n"
            "events { worker_connections 4096; }\n"
            "http {\n  access_log off;\n"
            f"  client_body_temp_path {temp['body']};\n  proxy_temp_path {temp['proxy']};\n"
            f"  fastcgi_temp_path {temp['fastcgi']};\n  uwsgi_temp_path {temp['uwsgi']};\n"
            f"  scgi_temp_path {temp['scgi']};\n"
            f"  include {directory}/site.conf;\n}}\n"
        )
        log = directory / "error.log"
        with open(directory / "stdout.log", "wb") as out:
            self.process = subprocess.Popen(
                [self.binary, "-p", self.dir, "-c", str(directory / "nginx.conf"), "-e", str(log)],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        _wait_for_port(self.port, self.process, self.name, log)
        return self
