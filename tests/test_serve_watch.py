"""`sitegen serve` living beside other work: a build run in the hub while the dev server watches it,
hub folders that appear after it started, and stopping it with a signal (decap-server goes too)."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from browser import missing
from conftest import REPO, write_files

from sitegen.builder.api import BuildOptions
from sitegen.editor import decap
from sitegen.serve.server import shutdown, start

DECAP_SERVER = REPO / ".ci" / "node_modules" / ".bin" / "decap-server"

FILES: dict[str, str | bytes] = {
    "site.yaml": "title: Watch Hub\nbase_url: /hub/\n",
    "content/about.md": "---\ntitle: About\n---\nWho we are.\n",
    **{f"content/news/2026-01-{d:02d}-post-{d}.md": f"---\ntitle: Post {d}\ndate: 2026-01-{d:02d}\n---\nHello.\n" for d in range(1, 21)},
}


def wait_until(condition, seconds: float = 10) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_build_beside_the_dev_server_prints_no_warnings_and_starts_no_rebuild(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """A build makes and removes the output, the cache and a staging folder in the hub: watchdog used to
    print a RuntimeWarning ("Callback with id ... already exists") for each folder, 33 KB a build."""
    root = write_files(tmp_path / "hub", FILES)
    log = io.StringIO()
    server = start(root, BuildOptions(), "127.0.0.1", 0, log)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            capfd.readouterr()
            for _ in range(2):  # the second build replaces the first's output and reuses its cache
                built = subprocess.run([sys.executable, str(REPO / "build.py"), "build", str(root)], capture_output=True, text=True, check=False)
                assert built.returncode == 0, built.stderr
            assert (root / "_site" / "news" / "index.html").exists() and (root / ".sitegen-cache").is_dir()
            time.sleep(1)  # the watcher's events, had there been any
        printed = capfd.readouterr()
        assert not caught, [str(w.message)[:200] for w in caught]
        assert "Warning" not in printed.err and "already exists" not in printed.err, printed.err[:500]
        assert "rebuilt" not in log.getvalue().split("\n", 1)[1], log.getvalue()  # (the first line is the first build)
    finally:
        shutdown(server)


def test_a_hub_folder_made_after_the_server_started_is_watched(tmp_path: Path) -> None:
    root = write_files(tmp_path / "hub", FILES)
    log = io.StringIO()
    server = start(root, BuildOptions(), "127.0.0.1", 0, log)
    try:
        page = "about/index.html"
        write_files(root, {"templates/page.html": "{% extends 'base.html' %}{% block content %}<h1>Own template</h1>{% endblock %}"})
        assert wait_until(lambda: b"Own template" in (server.rebuilder.get(page) or b"")), log.getvalue()
        (root / "templates" / "page.html").write_text("{% extends 'base.html' %}{% block content %}<h1>Edited again</h1>{% endblock %}")
        assert wait_until(lambda: b"Edited again" in (server.rebuilder.get(page) or b"")), log.getvalue()
        (root / "site.yaml").write_text("title: Renamed Hub\nbase_url: /hub/\n")
        assert wait_until(lambda: b"Renamed Hub" in (server.rebuilder.get(page) or b"")), log.getvalue()
    finally:
        shutdown(server)


def group_alive(pgid: int) -> bool:
    """Whether any process of the process group `pgid` is running (zombies do not count)."""
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


@pytest.mark.parametrize("which", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_stops_sitegen_serve_and_all_of_decap_server(tmp_path: Path, which: signal.Signals) -> None:
    """`kill` or a closed terminal: the server says it stopped, and decap-server (with anything it
    started, as npx starts node) is gone."""
    if not DECAP_SERVER.exists():
        missing("decap-server is not installed: run 'npm ci --prefix .ci' (as .ci/run does)")
    if not decap.cached_files():
        missing(f"Decap CMS {decap.VERSION} is not downloaded: run 'python -m sitegen.editor.decap' (as .ci/run does)")
    root = write_files(tmp_path / "hub", FILES)
    env = {**os.environ, "SITEGEN_DECAP_SERVER": str(DECAP_SERVER)}
    serve = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", "0", str(root)], env=env, stderr=subprocess.PIPE, text=True)
    children: list[int] = []
    try:
        assert serve.stderr is not None
        lines = []
        for line in serve.stderr:
            lines.append(line)
            if line.startswith("editor:"):
                break
        assert "saves into" in lines[-1], lines
        found = subprocess.run(["pgrep", "-P", str(serve.pid)], capture_output=True, text=True, check=False).stdout.split()
        children = [int(pid) for pid in found]
        assert children and all(group_alive(pid) for pid in children), "decap-server is not running"
        serve.send_signal(which)
        assert serve.wait(15) == 0
        assert "stopped" in serve.stderr.read()
        assert wait_until(lambda: not any(group_alive(pid) for pid in children), 5), "decap-server is still running"
    finally:
        if serve.poll() is None:
            serve.kill()
        for pid in children:  # should this test fail, leave nothing running
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
