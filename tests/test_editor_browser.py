"""The editor at /admin/, used as a head would: Decap CMS in Debian's Chromium, saving through
Decap's local backend (decap-server, installed into .ci/node_modules by .ci/run) into a hub
served by `sitegen serve`; no internet. The new post must build."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
import yaml
from browser import missing
from conftest import REPO, write_files

from sitegen.editor import decap
from sitegen.cli.main import main
from sitegen.builder.api import BuildOptions

DECAP_SERVER = REPO / ".ci" / "node_modules" / ".bin" / "decap-server"

SITE = """\
title: Editor Hub
base_url: /hub/
kinds:
  news:
    fields:
      phase: {type: vocabulary, vocabulary: phases, label: Phase, help: The phase it is about.}
"""
FILES = {
    "content/networks/reading-network.md": "---\ntitle: Reading Network\n---\nWe read.\n",
    "content/networks/maths-network.md": "---\ntitle: Maths Network\n---\nWe count.\n",
    "content/news/2026-09-01-term-starts.md": "---\ntitle: Term starts\ndate: 2026-09-01\n---\nHello.\n",
    "content/about.md": "---\ntitle: About\nmenu: {title: About us, order: 2}\nextra: {sponsor: Vale Trust}\n---\nWho we are.\n",
}


@pytest.fixture
def editing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """`sitegen serve` of a small hub, with decap-server started for /admin/; yields (root, address)."""
    pytest.importorskip("playwright")
    if not DECAP_SERVER.exists():
        missing("decap-server is not installed: run 'npm ci --prefix .ci' (as .ci/run does)")
    if not decap.cached_files():
        missing(f"Decap CMS {decap.VERSION} is not downloaded: run 'python -m sitegen.editor.decap' (as .ci/run does)")
    from sitegen.serve.server import shutdown, start

    monkeypatch.setenv("SITEGEN_DECAP_SERVER", str(DECAP_SERVER))
    root = write_files(tmp_path / "hub", {"site.yaml": SITE, **FILES})
    out = io.StringIO()
    server = start(root, BuildOptions(), "127.0.0.1", 0, out, editor=True)
    try:
        assert server.editor is not None, out.getvalue()
        yield root, f"http://127.0.0.1:{server.http.server_address[1]}/hub/"  # type: ignore[union-attr]
    finally:
        shutdown(server)
        assert server.editor is None or server.editor.process.poll() is not None  # decap-server stopped with it


def test_a_head_writes_a_news_post_in_the_browser(editing, browser, capsys) -> None:  # type: ignore[no-untyped-def]
    root, address = editing
    problems: list[str] = []
    with browser.new_context(viewport={"width": 1300, "height": 900}) as context:
        page = context.new_page()
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
        page.on("request", lambda r: problems.append(f"left the machine: {r.url}") if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
        page.goto(address + "admin/")
        page.get_by_role("button", name="Login").click()
        page.goto(address + "admin/#/collections/news/new")

        def field(name: str):  # type: ignore[no-untyped-def]  # Decap gives each control the id NAME-field-N
            return page.locator(f"[id^='{name}-field-']")

        field("title").fill("Phonics open morning")
        field("date").fill("2026-11-20")
        field("summary").fill("Come and see phonics teaching in action.")
        # A vocabulary as a select: its display label shown, its term stored.
        field("phase").click()
        page.get_by_text("Early years", exact=True).click()
        # Networks as a relation to the networks collection.
        field("networks").click()
        page.get_by_text("Reading Network", exact=True).click()
        # The body, in the rich text editor.
        body = page.locator("[data-slate-editor='true']")
        body.click()
        page.keyboard.type("Visitors are welcome from 9am.")
        page.get_by_role("button", name="Publish", exact=True).click()
        page.get_by_text("Publish now").click()
        saved = root / "content" / "news" / "2026-11-20-phonics-open-morning.md"
        page.wait_for_timeout(500)
        for _ in range(50):
            if saved.exists():
                break
            page.wait_for_timeout(100)

    assert not problems, problems
    assert saved.exists(), sorted(p.name for p in (root / "content" / "news").iterdir())
    text = saved.read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---")[1])
    assert meta["title"] == "Phonics open morning"
    assert str(meta["date"]) == "2026-11-20"
    assert meta["phase"] == "early years"  # the term, not its label
    assert meta["networks"] == ["reading-network"]  # the network's slug
    assert "Visitors are welcome from 9am." in text.split("---", 2)[2]

    capsys.readouterr()
    assert main(["build", "--drafts", str(root)]) == 0, capsys.readouterr().err
    post = (root / "_site" / "news" / "phonics-open-morning" / "index.html").read_text(encoding="utf-8")
    assert "Visitors are welcome from 9am." in post and "Reading Network" in post


def test_fields_the_form_leaves_out_are_kept_when_a_page_is_saved(editing, browser) -> None:  # type: ignore[no-untyped-def]
    """menu: and extra: have no control in the form; saving the page in the editor must not drop them."""
    root, address = editing
    about = root / "content" / "about.md"
    with browser.new_context(viewport={"width": 1300, "height": 900}) as context:
        page = context.new_page()
        page.goto(address + "admin/")
        page.get_by_role("button", name="Login").click()
        page.goto(address + "admin/#/collections/pages/entries/about")
        page.locator("[id^='title-field-']").fill("About the hub")
        page.get_by_role("button", name="Publish", exact=True).click()
        page.get_by_text("Publish now").click()
        for _ in range(50):
            if "About the hub" in about.read_text(encoding="utf-8"):
                break
            page.wait_for_timeout(100)
    meta = yaml.safe_load(about.read_text(encoding="utf-8").split("---")[1])
    assert meta == {"title": "About the hub", "menu": {"title": "About us", "order": 2}, "extra": {"sponsor": "Vale Trust"}}


def test_stopping_sitegen_serve_stops_decap_server(tmp_path: Path) -> None:
    """Ctrl-C or `kill`: no decap-server is left running, writing into the hub."""
    import signal
    import subprocess
    import sys
    import time

    if not DECAP_SERVER.exists():
        missing("decap-server is not installed: run 'npm ci --prefix .ci' (as .ci/run does)")
    if not decap.cached_files():
        missing(f"Decap CMS {decap.VERSION} is not downloaded: run 'python -m sitegen.editor.decap' (as .ci/run does)")
    root = write_files(tmp_path / "hub", {"site.yaml": SITE, **FILES})
    env = {**os.environ, "SITEGEN_DECAP_SERVER": str(DECAP_SERVER)}
    serve = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", "0", str(root)], env=env,
                             stderr=subprocess.PIPE, text=True)
    children: list[str] = []
    try:
        lines = []
        assert serve.stderr is not None
        for line in serve.stderr:
            lines.append(line)
            if line.startswith("editor:"):
                break
        assert "saves into" in lines[-1], lines
        children = subprocess.run(["pgrep", "-P", str(serve.pid)], capture_output=True, text=True, check=False).stdout.split()
        assert children, "decap-server is not running"
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(15) == 0
        time.sleep(0.5)
        for pid in children:
            assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
    finally:
        if serve.poll() is None:
            serve.kill()
        for pid in children:  # should this test fail, leave nothing running
            subprocess.run(["kill", pid], capture_output=True, check=False)
