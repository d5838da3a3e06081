"""The local editor server is as safe as the dev server (issue 24, class 4).

decap-server, which `sitegen serve` starts for the editor at /admin/, is reached only through serve:
serve checks the Host (DNS rebinding), that the request comes from this computer and the editor's own
page, and that it writes only into the collections' folders and the media folder; decap-server
answers no one else, and stops whenever serve stops (Ctrl-C, SIGTERM, SIGKILL, a crash).

The policy is tested without Node; the rest with Decap's real decap-server (.ci/node_modules, as
.ci/run installs it, or $SITEGEN_TEST_DECAP_SERVER), skipped without it except in CI."""

from __future__ import annotations

import http.client
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import missing
from conftest import REPO, write_files

from sitegen.serve.editor_proxy import API_PATH, Places, Refused, check_request, check_sender

PLACES = Places(frozenset({"content", "content/news", "content/events"}), "static/img/uploads")
SITE = "title: Editor Hub\nbase_url: /hub/\n"
DRAFT = "content/news/2026-01-01-plans.md"
FILES = {
    "site.yaml": SITE,
    DRAFT: "---\ntitle: Plans\ndate: 2026-01-01\ndraft: true\n---\nOur secret plans.\n",
    "templates/footer_extra.html": "<p>Ours</p>",
}


def entry(path: str, new_path: str | None = None) -> dict[str, object]:
    data = {"slug": "x", "path": path, "raw": "---\ntitle: X\n---\n", **({"newPath": new_path} if new_path else {})}
    return {"action": "persistEntry", "params": {"branch": "main", "dataFiles": [data], "assets": [],
                                                  "options": {"commitMessage": "x", "useWorkflow": False, "status": "draft"}}}


def media(path: str) -> dict[str, object]:
    return {"action": "persistMedia", "params": {"branch": "main", "asset": {"path": path, "content": "aGk=", "encoding": "base64"}}}


def refusal(request: object, root: Path) -> str | None:
    try:
        check_request(request, PLACES, root)
    except Refused as refused:
        return refused.why
    return None


# The policy ------------------------------------------------------------------------------------------

ENTRIES = "the collections' Markdown files (content, content/events, content/news)"
REFUSED = {
    "site.yaml": (entry("site.yaml"), f"the editor works only in {ENTRIES}, not in 'site.yaml'"),
    "a template": (entry("templates/base.md"), f"the editor works only in {ENTRIES}, not in 'templates/base.md'"),
    "a workflow": (media(".github/workflows/publish.yml"),
                   "the editor works only in the media folder (static/img/uploads), not in '.github/workflows/publish.yml'"),
    "up and out": (entry("content/news/../../site.yaml"), f"the editor works only in {ENTRIES}, not in 'content/news/../../site.yaml'"),
    "absolute": (entry("/etc/cron.d/x.md"), f"the editor works only in {ENTRIES}, not in '/etc/cron.d/x.md'"),
    "not Markdown": (entry("content/news/run.sh"), f"the editor works only in {ENTRIES}, not in 'content/news/run.sh'"),
    "a hidden file": (entry("content/news/.htaccess.md"), f"the editor works only in {ENTRIES}, not in 'content/news/.htaccess.md'"),
    "a new folder": (entry("content/news/deep/x.md"), f"the editor works only in {ENTRIES}, not in 'content/news/deep/x.md'"),
    "rename into another folder": (entry("content/news/a.md", "content/a.md"), "the editor renames an entry only within its own folder"),
    "asset beside site.yaml": ({**entry("content/news/a.md"), "params": {**entry("content/news/a.md")["params"],  # type: ignore[dict-item]
                                "assets": [{"path": "site.yaml", "content": "aGk=", "encoding": "base64"}]}},
                               "the editor works only in the media folder (static/img/uploads), not in 'site.yaml'"),
    "media elsewhere": (media("templates/x.png"), "the editor works only in the media folder (static/img/uploads), not in 'templates/x.png'"),
    "delete site.yaml": ({"action": "deleteFile", "params": {"branch": "main", "path": "site.yaml"}},
                         f"the editor works only in {ENTRIES}, not in 'site.yaml'"),
    "delete many": ({"action": "deleteFiles", "params": {"branch": "main", "paths": ["content/news/a.md", "templates/base.html"]}},
                    f"the editor works only in {ENTRIES}, not in 'templates/base.html'"),
    "read site.yaml": ({"action": "getEntry", "params": {"branch": "main", "path": "site.yaml"}},
                       "the editor works only in content/ and static/, not in 'site.yaml'"),
    "list the hub": ({"action": "entriesByFolder", "params": {"branch": "main", "folder": ".", "extension": "yaml", "depth": 9}},
                     "the editor works only in a collection's folder, not in '.'"),
    "git actions": ({"action": "publishUnpublishedEntry", "params": {}}, "the editor does not 'publishUnpublishedEntry' here"),
    "not a request": ([1, 2], "not a request of the editor"),
    "a path that is not text": (media(["a"]), "the editor works only in the media folder (static/img/uploads), not in \"['a']\""),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("name", REFUSED)
def test_the_editor_writes_only_its_collections_and_media(name: str, tmp_path: Path) -> None:
    request, message = REFUSED[name]
    assert refusal(request, write_files(tmp_path, FILES)) == message


@pytest.mark.parametrize("request_", [entry(DRAFT), entry("content/about.md"), entry("content/news/a.md", "content/news/b.md"),
                                      entry("content/news/a.cy.md"), media("static/img/uploads/visit.jpg"),
                                      {"action": "deleteFile", "params": {"branch": "main", "path": "static/img/uploads/visit.jpg"}},
                                      {"action": "getMediaFile", "params": {"branch": "main", "path": "static/img/visit.jpg"}},
                                      {"action": "entriesByFolder", "params": {"branch": "main", "folder": "content/news", "extension": "md", "depth": 1}},
                                      {"action": "info"}])
def test_what_the_editor_does_passes(request_: object, tmp_path: Path) -> None:
    assert refusal(request_, write_files(tmp_path, FILES)) is None


def test_a_collection_folder_that_links_out_of_the_hub_is_refused(tmp_path: Path) -> None:
    root = write_files(tmp_path / "hub", {"site.yaml": SITE})
    (tmp_path / "elsewhere").mkdir()
    (root / "content").mkdir()
    (root / "content" / "news").symlink_to(tmp_path / "elsewhere")
    assert refusal(entry("content/news/a.md"), root) == "content/news is a link out of its folder: the editor writes only into the hub's own folders"
    (root / "content" / "about.md").symlink_to(root / "site.yaml")  # a link to another file of the hub
    assert refusal(entry("content/about.md"), root) == "content/about.md is a link out of its folder: the editor writes only into the hub's own folders"


class Headers(dict[str, str]):
    pass


SENDERS = {
    "from the network": ("192.168.1.20", {"Content-Type": "application/json", "Host": "127.0.0.1:8000"}, (403, "the editor saves only from this computer")),
    "a form post": ("127.0.0.1", {"Content-Type": "text/plain", "Host": "127.0.0.1:8000"}, (415, "the editor sends JSON")),
    "another site's page": ("127.0.0.1", {"Content-Type": "application/json", "Host": "127.0.0.1:8000", "Origin": "https://evil.example"},
                            (403, "a page at https://evil.example may not use the editor of this hub")),
    "another local site": ("127.0.0.1", {"Content-Type": "application/json", "Host": "127.0.0.1:8000", "Origin": "http://127.0.0.1:3000"},
                           (403, "a page at http://127.0.0.1:3000 may not use the editor of this hub")),
    "cross-site fetch": ("::1", {"Content-Type": "application/json", "Host": "[::1]:8000", "Sec-Fetch-Site": "cross-site"},
                         (403, "only the editor's own page may use it")),
}


@pytest.mark.parametrize("name", SENDERS)
def test_only_the_editors_own_page_on_this_computer_is_heard(name: str) -> None:
    client, headers, (status, why) = SENDERS[name]
    with pytest.raises(Refused) as refused:
        check_sender(client, Headers(headers))
    assert (refused.value.status, refused.value.why) == (status, why)
    check_sender("127.0.0.1", Headers({"Content-Type": "application/json; charset=utf-8", "Host": "localhost:8000", "Origin": "http://localhost:8000"}))


# With the real decap-server ----------------------------------------------------------------------------

def decap_server() -> str:
    found = os.environ.get("SITEGEN_TEST_DECAP_SERVER") or str(REPO / ".ci" / "node_modules" / ".bin" / "decap-server")
    if not Path(found).exists():
        missing("decap-server is not installed: run 'npm ci --prefix .ci' (as .ci/run does)")
    return found


def post(port: int, path: str, body: object, host: str | None = None, **headers: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", path, json.dumps(body), {"Content-Type": "application/json", **({"Host": host} if host else {}), **headers})
        answer = connection.getresponse()
        return answer.status, answer.read().decode("utf-8", "replace")
    finally:
        connection.close()


@pytest.fixture
def serving(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, int, int]]:
    """`sitegen serve` with decap-server, in this process: (hub, serve's port, decap-server's port)."""
    monkeypatch.setenv("SITEGEN_DECAP_SERVER", decap_server())
    from sitegen.builder.api import BuildOptions
    from sitegen.serve.server import shutdown, start

    root = write_files(tmp_path / "hub", FILES)
    out = io.StringIO()
    server = start(root, BuildOptions(), "127.0.0.1", 0, out, editor=True)
    try:
        assert server.editor is not None, out.getvalue()
        yield root, server.http.server_address[1], server.editor.port  # type: ignore[union-attr]
    finally:
        shutdown(server)


GET_DRAFT = {"action": "getEntry", "params": {"branch": "main", "path": DRAFT}}


def test_dns_rebinding_reads_no_draft(serving: tuple[Path, int, int]) -> None:
    root, port, decap_port = serving
    status, text = post(port, API_PATH, GET_DRAFT)
    assert status == 200 and "Our secret plans." in text  # the editor's own page, through serve
    assert post(port, API_PATH, GET_DRAFT, host=f"attacker.example:{port}") == (
        421, f"sitegen serve answers only at its own address (such as http://127.0.0.1:{port}/), not at attacker.example:{port}\n")
    for host in (f"attacker.example:{decap_port}", f"127.0.0.1:{decap_port}"):  # decap-server itself: it answers serve only
        assert post(decap_port, "/api/v1", GET_DRAFT, host=host) == (403, "this decap-server answers only the sitegen serve that started it\n")


def test_the_editor_cannot_write_settings_or_templates(serving: tuple[Path, int, int]) -> None:
    root, port, decap_port = serving
    before = {p: p.read_bytes() for p in (root / "site.yaml", root / "templates" / "footer_extra.html")}
    assert post(port, API_PATH, media("site.yaml")) == (
        403, '{"error": "the editor works only in the media folder (static/img/uploads), not in \'site.yaml\'"}')
    assert post(port, API_PATH, entry("templates/footer_extra.html"))[0] == 403
    assert post(decap_port, "/api/v1", media("site.yaml"))[0] == 403
    assert {p: p.read_bytes() for p in before} == before
    saved = entry("content/news/2026-02-02-news.md")
    assert post(port, API_PATH, saved) == (200, '{"message":"entry persisted"}')
    assert (root / "content" / "news" / "2026-02-02-news.md").read_text(encoding="utf-8") == "---\ntitle: X\n---\n"


def serve_process(root: Path) -> tuple[subprocess.Popen[str], int, int]:
    """`sitegen serve` in a process of its own: (it, its port, decap-server's process id)."""
    env = {**os.environ, "SITEGEN_DECAP_SERVER": decap_server()}
    code = "import sys; from sitegen.cli.main import main; sys.exit(main(sys.argv[1:]))"
    serve = subprocess.Popen([sys.executable, "-c", code, "serve", "--port", "0", str(root)], env=env, stderr=subprocess.PIPE, text=True)
    port = 0
    assert serve.stderr is not None
    for line in serve.stderr:
        if line.startswith("serving "):
            port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        if line.startswith("editor: ") and port:
            break
    children = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _parent(p) == serve.pid and b"decap-server" in _cmdline(p)]
    assert len(children) == 1, children
    return serve, port, children[0]


def _cmdline(proc: Path) -> bytes:
    try:
        return (proc / "cmdline").read_bytes()
    except OSError:
        return b""


def _parent(proc: Path) -> int:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state == "Z":  # ended; its parent (serve, killed) no longer waits for it
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds processes in /proc (Linux)")
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_decap_server_stops_with_serve(how: signal.Signals, tmp_path: Path) -> None:
    root = write_files(tmp_path / "hub", FILES)
    serve, port, decap = serve_process(root)
    try:
        assert post(port, API_PATH, GET_DRAFT)[0] == 200
        serve.send_signal(how)
        serve.wait(20)
        assert gone(decap), f"decap-server ({decap}) still runs after {how.name} of sitegen serve"
    finally:
        serve.kill()
        try:
            os.kill(decap, signal.SIGKILL)
        except ProcessLookupError:
            pass
