"""Local editing for `sitegen serve`: the editor at /admin/ saves straight into the hub's folder.

Decap CMS's local backend is a small Node program, decap-server, that reads and writes the
hub's files for the editor. `sitegen serve` starts it on 127.0.0.1 at a free port that only serve
uses: the editor at /admin/ talks to serve, which checks each request (editor_proxy.py) and passes
it on with a secret that decap-server, guarded by decap-guard.js, asks for. decap-server stops when
serve does, however serve stops (decap-guard.js). No account is needed.
The command comes from $SITEGEN_DECAP_SERVER (a decap-server installed by npm), else
`npx decap-server@VERSION` (which npm downloads the first time).
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..editor.decap_config import for_local_editing
from .editor_proxy import API_PATH

SERVER_VERSION = "3.11.3"  # decap-server, Decap's local backend


NODE_HINT = "install Node.js (https://nodejs.org/, or 'sudo apt install nodejs npm') and run sitegen serve again"


GUARD = Path(__file__).with_name("decap-guard.js")


@dataclass
class LocalBackend:
    port: int
    process: subprocess.Popen[bytes]
    token: str = ""  # the secret decap-server asks of every request (decap-guard.js)

    def stop(self) -> None:
        """Stop decap-server and whatever it started (npx runs it as a child of its own)."""
        if self.process.stdin:
            self.process.stdin.close()  # decap-guard.js: the end of its input stops it
        if self.process.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self.process.wait(5)
        self._signal(signal.SIGTERM)  # anything of its group still running after it ended

    def _signal(self, which: signal.Signals) -> None:
        try:
            os.killpg(self.process.pid, which)  # it leads a process group of its own (see `start`)
        except (ProcessLookupError, PermissionError):
            pass


def command() -> list[str] | None:
    """How to run decap-server here, or None when Node.js is missing."""
    own = os.environ.get("SITEGEN_DECAP_SERVER")
    if own:
        return shlex.split(own)
    npx = shutil.which("npx")
    if npx is None or shutil.which("node") is None:
        return None
    return [npx, "--yes", f"decap-server@{SERVER_VERSION}"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(root: Path, out: IO[str] = sys.stderr, wait: float = 60.0) -> LocalBackend | None:
    """Start decap-server for the hub in `root`; None (having said why in one line) when it cannot run."""
    cmd = command()
    if cmd is None:
        print(f"editor: to edit in the browser at /admin/ without an account, {NODE_HINT}", file=out, flush=True)
        return None
    port, token = free_port(), secrets.token_urlsafe(32)
    guard = str(GUARD).replace("\\", "\\\\").replace('"', '\\"')
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "GIT_REPO_DIRECTORY": str(root), "MODE": "fs", "LOG_LEVEL": "warn",
           "ORIGIN": "http://sitegen-serve.invalid",  # no web page may call it from a browser (its default lets any local page)
           "NODE_OPTIONS": f'{os.environ.get("NODE_OPTIONS", "")} --require "{guard}"'.strip(),
           "SITEGEN_EDITOR_TOKEN": token, "SITEGEN_STOP_WITH_STDIN": "1"}
    try:
        # In a process group of its own, so that stopping it stops npx's child too, and a Ctrl-C in the
        # terminal reaches only `sitegen serve`, which then stops it. Its stdin is a pipe that serve never
        # writes to: when serve ends, however it ends, the pipe closes and decap-guard.js stops it.
        process = subprocess.Popen(cmd, cwd=root, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   start_new_session=True)
    except OSError as exc:
        print(f"editor: cannot start decap-server ({exc.strerror}); the site is served without local editing", file=out, flush=True)
        return None
    backend = LocalBackend(port, process, token)
    try:
        if backend_answers(backend, wait, out):
            return backend
    except BaseException:  # stopped while waiting (Ctrl-C, `kill`): leave nothing running
        backend.stop()
        raise
    return None


def backend_answers(backend: LocalBackend, wait: float, out: IO[str]) -> bool:
    """Wait for decap-server to listen; False (having said why and stopped it) when it does not."""
    process, port = backend.process, backend.port
    deadline = time.monotonic() + wait  # npx may first download it
    while time.monotonic() < deadline:
        if process.poll() is not None:
            reason = (process.stderr.read().decode("utf-8", "replace").strip().splitlines() or ["it stopped"])[-1] if process.stderr else "it stopped"
            print(f"editor: decap-server did not start ({reason}); the site is served without local editing", file=out, flush=True)
            backend.stop()  # whatever it started
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.1)
    backend.stop()
    print(f"editor: decap-server did not answer within {wait:.0f}s; the site is served without local editing", file=out, flush=True)
    return False


def served(file: str, body: bytes, host: str) -> bytes:
    """/admin/ as `sitegen serve` sends it: the config points at serve's own API_PATH, at the address
    (`host`, the request's checked Host) the page was loaded from, which Decap CMS needs whole."""
    if file == "admin/config.yml":
        return for_local_editing(body.decode("utf-8"), f"http://{host}{API_PATH}").encode("utf-8")
    if file == "admin/index.html":  # saving locally needs no repository: leave out the note that says one is missing
        return re.sub(rb'<p class="sitegen-admin-note">.*?</p>\n', b"", body, count=1, flags=re.DOTALL)
    return body


def prepare(root: Path, enabled: bool, out: IO[str] = sys.stderr) -> tuple[LocalBackend | None, bool]:
    """For `sitegen serve`: make sure Decap CMS is downloaded and start decap-server.

    Returns (the backend or None, whether Decap CMS was just downloaded, so the site needs building again)."""
    from ..editor import decap

    if not enabled:
        return None, False
    downloaded = False
    if not decap.cached_files():
        files, why = decap.ensure()
        if not files:
            print(f"editor: /admin/ is left out: {why}", file=out, flush=True)
            return None, False
        downloaded = True
    return start(root, out), downloaded
