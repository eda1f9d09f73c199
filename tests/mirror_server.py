"""A release built from purpose-built notes, and a local HTTP server on 127.0.0.1 that
serves it faithfully or misbehaves on purpose, for the download and loader tests."""

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import TESTS
from pipeline.build import build

ALLIANCES = str(Path(sys.executable).parent / "alliances")


GERMANY_PACT = """\
id: germany-pact
name: Germany Test Pact
short_name: GTP
kind: bilateral_defense
obligations: [defense]
signed: 1955-05-05
in_force: 1955-05-05
last_reviewed: 2026-01-01
source: text
sources:
  - id: text
    url: https://example.org/germany-pact
    title: Text of the Germany Test Pact
members:
  - {country: USA, role: original, joined: 1955-05-05, source: text}
  - {country: DEU, role: original, joined: 1955-05-05, left: 1960-01-01, source: text}
  - {country: DEU, role: acceded, joined: 1995-01-01, source: text}
"""


WEST_GERMANY = """\
  - country: DEU
    cow_ccode: 260
    cow_abbrev: GFR
    cow_name: German Federal Republic
    from_year: 1955
    until_year: 1989
    source: cow
"""


def build_release(root: Path, extra: dict[str, str] | None = None) -> Path:
    """A release built from the purpose-built notes (plus `extra` treaty notes) in `root`."""
    raw = Path(shutil.copytree(TESTS / "fixtures" / "raw", root / "raw"))
    for name, text in {"germany-pact": GERMANY_PACT, **(extra or {})}.items():
        (raw / "treaties" / f"{name}.yaml").write_text(text, encoding="utf-8")
    overrides = raw / "countries" / "cow_overrides.yaml"
    overrides.write_text(overrides.read_text(encoding="utf-8") + WEST_GERMANY, encoding="utf-8")
    build(raw, root)
    return root / "releases"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    return build_release(tmp_path_factory.mktemp("mirror"))


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; records every path asked for; cuts `drop` files off halfway."""

    requests: list[str]
    drop: set[str]
    misbehave: dict[str, str] = {}  # file name -> "redirect", "404", "500", "endless", "garbage", "drip" or "stall"

    def log_message(self, *args):
        pass

    hold_at: int | None = None  # the request (1 = the first) answered halfway and then held
    held: threading.Event | None = None  # set once that request is held

    def do_GET(self):
        self.requests.append(self.path)
        name = self.path.rsplit("/", 1)[-1]
        how = "hold" if len(self.requests) == self.hold_at else self.misbehave.get(name)
        if how == "hold":
            body = Path(self.translate_path(self.path)).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.held.set()
            time.sleep(10)  # the client is killed meanwhile
            return
        if how == "redirect":
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.end_headers()
            return
        if how in ("404", "500"):
            self.send_error(int(how))
            return
        if how in ("drip", "stall"):
            body = Path(self.translate_path(self.path)).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                for byte in body[:100] if how == "drip" else body[:1]:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.05)
                time.sleep(6)  # then nothing: the client must give up first
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        if how == "garbage":
            body = b"<html>not json"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if how == "endless":
            self.send_response(200)
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"x" * 65536)
            except (BrokenPipeError, ConnectionResetError):
                return
        if name in self.drop:
            body = Path(self.translate_path(self.path)).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.connection.shutdown(2)
            self.close_connection = True
            return
        super().do_GET()


@pytest.fixture
def serve():
    servers = []

    def start(folder: Path, drop=(), misbehave=None, hold_at=None, held=None):
        handler = type("Handler", (_Handler,), {"requests": [], "drop": set(drop), "misbehave": misbehave or {}, "hold_at": hold_at, "held": held})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/", handler.requests

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def download(*args):
    """The command line, with a short overall deadline so that a server that drips is cut off quickly."""
    env = {**os.environ, "ALLIANCES_DOWNLOAD_DEADLINE": "2"}
    return subprocess.run([ALLIANCES, "download", *args], capture_output=True, text=True, env=env)
