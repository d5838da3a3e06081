"""The authoring loop: `new`, `check`, and `serve` with its incremental rebuilds."""

from __future__ import annotations

import io
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import NOW, write_files
from sitegen.serve.rebuild import Rebuilder
from sitegen.builder.api import BuildOptions, build
from sitegen.serve.server import shutdown, start

HUB = {
    "site.yaml": "title: Hub\nbase_url: https://example.org/hub/\n",
    "content/about.md": "---\ntitle: About\nmenu: true\n---\nAbout us.\n",
    "content/networks/reading.md": "---\ntitle: Reading network\nmembers: [millbrook]\n---\nWe read.\n",
    "content/schools/millbrook.md": "---\ntitle: Millbrook Primary\nurn: 990101\nphase: primary\n---\n",
    "content/news/2026-01-10-first.md": "---\ntitle: First post\ndate: 2026-01-10\ntags: [cpd]\nnetworks: [reading]\n---\nSee [the toolkit](../resources/toolkit.md).\n",
    "content/news/2026-02-10-second.md": "---\ntitle: Second post\ndate: 2026-02-10\ntags: [cpd]\n---\nMore.\n",
    "content/news/2026-03-10-third.md": "---\ntitle: Third post\ndate: 2026-03-10\ntags: [reading]\nnetworks: [reading]\n---\nAnd more.\n",
    "content/resources/toolkit.md": "---\ntitle: Toolkit\nkey_stages: [KS1]\nnetworks: [reading]\nschool: millbrook\n---\nA toolkit.\n",
    "content/events/2026-12-01-twilight.md": '---\ntitle: Twilight\nstart: "2026-12-01 16:00"\nnetworks: [reading]\n---\n',
    "content/news/2026-04-01-draft.md": "---\ntitle: Draft post\ndate: 2026-04-01\ndraft: true\n---\nNot yet.\n",
}


# sitegen new -------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "path"), [
    ("news", "content/news/2026-11-23-spring-reading-fortnight.md"),
    ("event", "content/events/spring-reading-fortnight.md"),  # when it happens is not known yet: no date in its name
    ("resource", "content/resources/spring-reading-fortnight.md"),
    ("network", "content/networks/spring-reading-fortnight.md"),
    ("school", "content/schools/spring-reading-fortnight.md"),
    ("page", "content/spring-reading-fortnight.md"),
])
def test_new_writes_a_file_that_builds(hub, kind: str, path: str) -> None:  # type: ignore[no-untyped-def]
    site = hub({})
    run = site.run("new", kind, 'Spring "reading" fortnight', "--dir")  # the hub folder is the last argument
    assert run.code == 0, run.err
    assert run.out.strip().endswith(path)
    text = (site.root / path).read_text()
    assert text.startswith('---\ntitle: "Spring \\"reading\\" fortnight"\n')
    built = site.build("--drafts")
    assert built.code == 0, built.err
    again = site.run("new", kind, 'Spring "reading" fortnight', "--dir")
    assert again.code == 2 and "already exists" in again.err
    assert (site.root / path).read_text() == text, "never overwrites"


def test_a_new_event_given_its_date_builds_without_a_warning(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({})
    assert site.run("new", "event", "Maths conference", "--dir").code == 0
    path = site.root / "content/events/maths-conference.md"
    text = path.read_text()
    path.write_text(text.replace("start: 2026-11-23", "start: 2027-01-14 09:30").replace("draft: true", "draft: false"))
    built = site.build()
    assert built.code == 0, built.err
    assert "warning" not in built.err


def test_new_uses_the_hubs_own_archetype(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"templates/archetypes/news.md": "---\ntitle: {{ title }}\ndate: {{ today }}\nauthor: The office\n---\n"})
    run = site.run("new", "news", "Hello", "--dir")
    assert (site.root / "content/news/2026-11-23-hello.md").read_text() == '---\ntitle: "Hello"\ndate: 2026-11-23\nauthor: The office\n---\n'
    assert run.code == 0


def test_new_refuses_an_unknown_kind(hub) -> None:  # type: ignore[no-untyped-def]
    run = hub({}).run("new", "blog", "Hello", "--dir")
    assert run.code == 2
    assert run.lines == ["sitegen: unknown kind 'blog': use one of news, network, school, resource, event, vacancy, page"]


# sitegen check -----------------------------------------------------------------

def test_check_lists_external_resources_and_strict_fails(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({
        "content/accessibility.md": "---\ntitle: Accessibility\nreviewed: 2026-06-01\n---\n",
        "templates/page.html": "{% extends 'base.html' %}{% block head %}<script src=\"https://analytics.example/t.js\"></script>{% endblock %}"
                               "{% block content %}<h1>{{ page.title }}</h1>{% endblock %}",
        "content/about.md": "---\ntitle: About\n---\n",
    })
    run = site.run("check")
    assert run.code == 0
    assert "content/about.md: /about/index.html loads https://analytics.example/t.js from another site" in run.err
    assert not site.out.exists()
    strict = site.run("check", "--strict")
    assert strict.code == 1


def test_check_warns_about_an_old_accessibility_statement(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/accessibility.md": "---\ntitle: Accessibility statement\nreviewed: 2025-06-01\n---\nText.\n"})
    run = site.run("check")
    assert run.code == 0
    assert ("content/accessibility.md:3: reviewed: 2025-06-01 is over a year ago; check the statement again and update the date (warning)"
            in run.lines)
    site.write({"content/accessibility.md": "---\ntitle: Accessibility statement\nreviewed: 2026-06-01\n---\nText.\n"})
    assert "over a year ago" not in site.run("check").err


def test_check_warns_about_scripts_in_the_text(hub) -> None:  # type: ignore[no-untyped-def]
    run = hub({"content/about.md": "---\ntitle: About\n---\n<iframe src=\"https://maps.example/embed\" title=\"Map\"></iframe>\n"}).run("check")
    assert "content/about.md: the text contains a <iframe>" in run.err
    assert "content/about.md: /about/index.html loads https://maps.example/embed from another site" in run.err


# incremental rebuilds ----------------------------------------------------------

def full_build(root: Path, tmp: Path) -> dict[str, bytes]:
    result = build(root, BuildOptions(drafts=True, now=NOW, write=False))
    return dict(result.rendered)


EDITS = [
    ("a post's text", {"content/news/2026-02-10-second.md": "---\ntitle: Second post\ndate: 2026-02-10\ntags: [cpd]\n---\nChanged text.\n"}),
    ("a post's title", {"content/news/2026-02-10-second.md": "---\ntitle: Renamed post\ndate: 2026-02-10\ntags: [cpd]\n---\nChanged.\n"}),
    ("a post's date", {"content/news/2026-02-10-second.md": "---\ntitle: Renamed post\ndate: 2025-02-10\ntags: [cpd, new-tag]\n---\nChanged.\n"}),
    ("a linked resource's slug", {"content/resources/toolkit.md": "---\ntitle: Toolkit\nslug: kit\nkey_stages: [KS2]\nnetworks: [reading]\nschool: millbrook\n---\nA toolkit.\n"}),
    ("a resource's title", {"content/resources/other.md": "---\ntitle: Another\nkey_stages: [KS1]\n---\n",
                            "content/resources/toolkit.md": "---\ntitle: Zebra toolkit\nkey_stages: [KS1]\nnetworks: [reading]\nschool: millbrook\n---\nA.\n"}),
    ("a network's title", {"content/networks/reading.md": "---\ntitle: Readers\nmembers: [millbrook]\n---\nWe read.\n"}),
    ("a school's title", {"content/schools/millbrook.md": "---\ntitle: Millbrook School\nurn: 990101\nphase: primary\n---\n"}),
    ("a new post", {"content/news/2026-05-01-fourth.md": "---\ntitle: Fourth\ndate: 2026-05-01\ntags: [cpd]\nnetworks: [reading]\n---\nNew.\n"}),
    ("a page joining the menu", {"content/contact.md": "---\ntitle: Contact\nmenu: true\n---\nWrite to us.\n"}),
    ("a template", {"templates/news.html": "{% extends 'base.html' %}{% block content %}<h1>{{ page.title }}</h1><p>custom</p>{% endblock %}"}),
    ("a static file", {"static/files/plan.pdf": "%PDF-1.4 two"}),
    ("site.yaml", {"site.yaml": "title: Renamed hub\nbase_url: https://example.org/hub/\n"}),
]


def test_incremental_rebuilds_match_full_builds(tmp_path: Path) -> None:
    root = write_files(tmp_path / "hub", {**HUB, "static/files/plan.pdf": "%PDF-1.4 one"})
    rebuilder = Rebuilder(root, BuildOptions(drafts=True, now=NOW))
    assert not rebuilder.rebuild(None).errors
    for what, files in EDITS:
        write_files(root, files)
        result = rebuilder.rebuild({root / rel for rel in files})
        assert not result.errors, what
        assert rebuilder.files == full_build(root, tmp_path), f"after editing {what}"
        for rel in files:
            if rel.startswith("static/"):
                served = rebuilder.copies[rel.split("/", 1)[1]]
                assert served.read_bytes() == (root / rel).read_bytes()
    removed = root / "content/news/2026-03-10-third.md"
    removed.unlink()
    assert not rebuilder.rebuild({removed}).errors
    assert rebuilder.files == full_build(root, tmp_path)
    assert "news/third/index.html" not in rebuilder.files


def test_one_edit_renders_only_what_it_touches(tmp_path: Path) -> None:
    root = write_files(tmp_path / "hub", HUB)
    rebuilder = Rebuilder(root, BuildOptions(drafts=True, now=NOW))
    total = rebuilder.rebuild(None).rendered
    post = root / "content/events/2026-12-01-twilight.md"
    post.write_text('---\ntitle: Twilight session\nstart: "2026-12-01 16:00"\nnetworks: [reading]\n---\n')
    result = rebuilder.rebuild({post})
    assert 0 < result.rendered < total / 3, (result.rendered, total)
    assert "events/twilight/index.html" in result.changed


def test_a_broken_file_keeps_the_last_good_site(tmp_path: Path) -> None:
    root = write_files(tmp_path / "hub", HUB)
    rebuilder = Rebuilder(root, BuildOptions(drafts=True, now=NOW))
    rebuilder.rebuild(None)
    before = dict(rebuilder.files)
    post = root / "content/news/2026-02-10-second.md"
    post.write_text("---\ntitle: Second post\ndate: next week\n---\n")
    result = rebuilder.rebuild({post})
    assert [str(e) for e in result.errors] == ['content/news/2026-02-10-second.md:3: date: "next week" is not a date (write a date as YYYY-MM-DD, or a date and time as "YYYY-MM-DD HH:MM")']
    assert rebuilder.files == before
    post.write_text("---\ntitle: Second post, fixed\ndate: 2026-02-10\n---\n")
    assert not rebuilder.rebuild({post}).errors
    assert b"Second post, fixed" in rebuilder.files["news/second/index.html"]


# sitegen serve -----------------------------------------------------------------

@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    root = write_files(tmp_path / "hub", HUB)
    log = io.StringIO()
    dev = start(root, BuildOptions(now=NOW), "127.0.0.1", 0, out=log)
    dev.log = log  # type: ignore[attr-defined]
    dev.url = f"http://127.0.0.1:{dev.http.server_address[1]}"  # type: ignore[attr-defined, union-attr]
    yield dev
    shutdown(dev)


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def wait_for(url: str, text: str, present: bool = True, seconds: float = 10) -> str:
    deadline = time.monotonic() + seconds
    while True:
        body = get(url)[1]
        if (text in body) == present or time.monotonic() > deadline:
            return body
        time.sleep(0.02)


def test_serve_shows_edits_under_the_base_path(server) -> None:  # type: ignore[no-untyped-def]
    status, body = get(server.url + "/hub/news/second/")
    assert status == 200 and "Second post" in body
    assert '<script src="/__sitegen/live.js"></script>' in body
    assert get(server.url + "/news/second/")[0] == 404
    assert get(server.url + "/hub/news/second")[1] == body  # redirected to the folder
    (server.root / "content/news/2026-02-10-second.md").write_text("---\ntitle: Edited while serving\ndate: 2026-02-10\n---\n")
    assert "Edited while serving" in wait_for(server.url + "/hub/news/second/", "Edited while serving")
    assert "Edited while serving" in wait_for(server.url + "/hub/news/", "Edited while serving")


def test_serve_shows_drafts_with_a_label(server) -> None:  # type: ignore[no-untyped-def]
    status, body = get(server.url + "/hub/news/draft/")
    assert status == 200
    assert '<strong class="badge draft">Draft</strong>' in body


def test_serve_reports_a_broken_file_and_recovers(server) -> None:  # type: ignore[no-untyped-def]
    post = server.root / "content/news/2026-02-10-second.md"
    post.write_text("---\ntitle: Second post\ndate: next week\n---\n")
    body = wait_for(server.url + "/hub/news/second/", "sitegen-errors")
    assert "content/news/2026-02-10-second.md:3: date: &quot;next week&quot; is not a date" in body
    assert "content/news/2026-02-10-second.md:3: date:" in server.log.getvalue()
    post.write_text("---\ntitle: Second post again\ndate: 2026-02-10\n---\n")
    body = wait_for(server.url + "/hub/news/second/", "sitegen-errors", present=False)
    assert "Second post again" in body


def test_serve_tells_the_browser_to_reload(server) -> None:  # type: ignore[no-untyped-def]
    events = urllib.request.urlopen(server.url + "/__sitegen/events", timeout=10)
    (server.root / "content/about.md").write_text("---\ntitle: About us now\nmenu: true\n---\n")
    assert events.readline() == b"data: reload\n"
    events.close()


def test_a_build_carries_no_live_reload(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub(HUB)
    assert site.build().code == 0
    for page in site.out.rglob("*.html"):
        assert "__sitegen" not in page.read_text()


def test_serve_listens_on_this_computer_and_serves_only_the_site(server) -> None:  # type: ignore[no-untyped-def]
    assert server.http.server_address[0] == "127.0.0.1"
    for path in ("/hub/../site.yaml", "/hub/%2e%2e/site.yaml", "/hub/..%2fsite.yaml", "/hub/content/about.md", "/site.yaml"):
        status, body = get(server.url + path)
        assert status in (404, 302), path
        assert "title: Hub" not in body
