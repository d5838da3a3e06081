"""The editor at /admin/: its Decap CMS config generated from the content schema, the pinned
copy of Decap CMS, the page itself, and the settings and warnings that go with it."""

from __future__ import annotations

import hashlib
import http.server
import os
import re
import threading
from pathlib import Path

import pytest
import yaml
from conftest import REPO, soup

from sitegen.config.editor import AdminSettings, repository
from sitegen.editor.decap_config import config_yaml, decap_config
from sitegen.editor import decap
from sitegen.serve import editing as local
from sitegen.config.siteyaml import load_config

GOLDEN = Path(__file__).parent / "golden" / "decap_config.yml"
# A hub with a kind of its own (a choice, a reference to another own kind, a date), a field added
# to a built-in kind, and a vocabulary with a label of its own.
GOLDEN_SITE = """\
title: Golden Hub
base_url: https://trust.github.io/golden-hub/
vocabularies:
  resource_types: {add: [knowledge organiser], labels: {CPD material: CPD materials}}
kinds:
  news:
    fields:
      phase: {type: vocabulary, vocabulary: phases}
  projects:
    title: Projects
    singular: project
    fields:
      lead: {type: text, label: Project lead, example: Mrs J. Patel}
  vacancies:
    title: Vacancies
    singular: vacancy
    fields:
      closing_date: {type: date, required: true, label: Closing date, help: The last day to apply., example: 2027-01-15}
      contract: {type: choice, choices: [permanent, fixed term], facet: true}
      project: {type: reference, to: projects}
      grade: {type: number}
admin:
  branch: live
  auth_url: https://auth.trust.example
  editorial_workflow: true
"""

needs_decap = pytest.mark.skipif(not decap.cached_files() and os.environ.get("CI", "").lower() not in ("1", "true", "yes"),
                                 reason=f"Decap CMS {decap.VERSION} is not downloaded (python -m sitegen.editor.decap)")


def golden_config(tmp_path: Path) -> dict:  # type: ignore[type-arg]
    (tmp_path / "site.yaml").write_text(GOLDEN_SITE)
    config = load_config(tmp_path)
    return decap_config(config.schema, config.vocabularies, config.admin, config.base_url)


def test_config_from_the_schema_matches_the_golden_file(tmp_path: Path) -> None:
    """Any change to the schema shows here as a change to the editor: review it, then
    regenerate with SITEGEN_UPDATE_GOLDEN=1."""
    text = config_yaml(golden_config(tmp_path))
    if os.environ.get("SITEGEN_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_config_follows_the_schema(tmp_path: Path) -> None:
    config = golden_config(tmp_path)
    assert config["backend"] == {"name": "github", "branch": "live", "repo": "trust/golden-hub", "base_url": "https://auth.trust.example"}
    assert config["publish_mode"] == "editorial_workflow"
    assert (config["media_folder"], config["public_folder"]) == ("static/img/uploads", "/img/uploads")
    collections = {c["name"]: c for c in config["collections"]}
    assert list(collections) == ["news", "networks", "schools", "resources", "events", "vacancies", "projects", "pages"]
    assert collections["pages"]["folder"] == "content" and collections["vacancies"]["folder"] == "content/vacancies"
    news = {f["name"]: f for f in collections["news"]["fields"]}
    assert list(news)[:3] == ["title", "date", "author"] and list(news)[-1] == "body"
    assert news["date"]["required"] is True and news["author"]["required"] is False
    assert news["date"]["format"] == "YYYY-MM-DD" and news["date"]["time_format"] is False
    assert news["phase"]["options"][0] == {"label": "Early years", "value": "early years"}
    assert news["networks"] | {} == {**news["networks"], "widget": "relation", "collection": "networks", "value_field": "{{slug}}", "multiple": True}
    assert news["body"]["sanitize_preview"] is True
    assert "menu" not in {f["name"] for f in collections["pages"]["fields"]}  # kept as written, not offered
    # File names start with the date the form gives: 2026-11-20-our-visit.md
    assert collections["news"]["slug"] == "{{fields.date | date('YYYY-MM-DD')}}-{{slug}}"
    assert collections["events"]["slug"] == "{{fields.start | date('YYYY-MM-DD')}}-{{slug}}"
    assert collections["networks"]["slug"] == "{{slug}}"
    events = {f["name"]: f for f in collections["events"]["fields"]}
    assert events["start"]["format"] == "YYYY-MM-DD HH:mm"  # the site's own way with a time
    assert events["attendance"]["options"][0] == {"label": "In person", "value": "in person"}
    resources = {f["name"]: f for f in collections["resources"]["fields"]}
    types = {o["value"]: o["label"] for o in resources["type"]["options"]}
    assert types["CPD material"] == "CPD materials" and types["knowledge organiser"] == "Knowledge organiser"
    assert resources["subjects"]["multiple"] is True and resources["school"]["collection"] == "schools"
    vacancies = {f["name"]: f for f in collections["vacancies"]["fields"]}
    assert vacancies["project"]["collection"] == "projects" and vacancies["grade"]["widget"] == "number"
    assert vacancies["salary"]["widget"] == "string" and vacancies["apply_email"]["widget"] == "string"  # built in, with the hub's own fields added
    assert collections["vacancies"]["sortable_fields"][0] == {"field": "closing_date", "default_sort": "asc"}
    assert vacancies["closing_date"]["hint"] == "The last day to apply. For example: 2027-01-15"


@needs_decap
def test_config_is_valid_for_decap_cms(tmp_path: Path) -> None:
    """Checked by Decap CMS's own validateConfig, from the pinned package's source (see tests/decap_schema.py)."""
    from decap_schema import prepare, validate

    script = prepare(tmp_path / "validator")
    config = yaml.safe_load(config_yaml(golden_config(tmp_path)))
    assert validate(script, config) == "valid"
    example = load_config(REPO)
    assert validate(script, decap_config(example.schema, example.vocabularies, example.admin, example.base_url)) == "valid"
    broken = yaml.safe_load(config_yaml(golden_config(tmp_path)))
    index, networks = next((i, f) for i, f in enumerate(broken["collections"][0]["fields"]) if f["name"] == "networks")
    del networks["collection"]  # news: networks, a relation with nothing to relate to
    assert f"'collections[0].fields[{index}]' must have required property 'collection'" in validate(script, broken)


def test_repository_from_a_github_pages_address() -> None:
    assert repository(AdminSettings(), "https://vale.github.io/hub/") == "vale/hub"
    assert repository(AdminSettings(), "https://vale.github.io/") == "vale/vale.github.io"
    assert repository(AdminSettings(), "https://hub.example.org/") == ""
    assert repository(AdminSettings(repo="a/b"), "https://vale.github.io/hub/") == "a/b"


# --- the built site ----------------------------------------------------------------------------


@needs_decap
def test_build_serves_the_editor_from_the_site_itself(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/news/2026-03-10-visit.md": "---\ntitle: Visit\ndate: 2026-03-10\n---\nHi.\n"})
    assert site.build().code == 0
    admin = site.out / "admin"
    script = (admin / "decap-cms.js").read_bytes()
    assert hashlib.sha256(script).hexdigest() == decap.SCRIPT_SHA256 and len(script) > 4_000_000
    assert len(list(admin.glob("*.decap-cms.js"))) > 10  # the chunks it loads from beside itself
    page = site.html("admin/index.html")
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    assert page.body["data-pagefind-ignore"] == "all"
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "default-src 'self'" in policy and "connect-src 'self' https://api.github.com" in policy
    assert [s.get("src") for s in page.find_all("script") if s.get("src")] == ["decap-cms.js", "sitegen-admin.js"]
    assert "/hub/assets/sitegen.css" in page.find("script", id="sitegen-admin").string  # the theme's stylesheet, under the base path
    assert page.find(class_="sitegen-admin-note")  # no repository known yet: said on the page
    assert yaml.safe_load((admin / "config.yml").read_text())["collections"][0]["folder"] == "content/news"
    assert "admin" not in (site.out / "sitemap.xml").read_text()


def test_no_public_page_references_the_editor(example_site: Path) -> None:
    if not (example_site / "admin" / "index.html").exists():
        pytest.skip("the example hub was built without the editor (Decap CMS not downloaded)")
    mention = re.compile(r"/admin\b")
    for path in example_site.rglob("*"):
        rel = path.relative_to(example_site).as_posix()
        if path.is_file() and not rel.startswith("admin/") and path.suffix in (".html", ".xml", ".txt", ".json", ".ics", ".js", ".css"):
            assert not mention.search(path.read_text(encoding="utf-8", errors="replace")), rel


def test_admin_false_leaves_the_editor_out_and_fetches_nothing(hub, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SITEGEN_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("SITEGEN_NPM_REGISTRY", "http://127.0.0.1:9")  # nothing listens there
    site = hub(site_yaml="title: Test Hub\nadmin: false\n")
    run = site.build()
    assert run.code == 0 and len(run.lines) == 1, run.err
    assert not (site.out / "admin").exists() and not (tmp_path / "empty-cache").exists()


def test_without_the_registry_the_build_succeeds_without_the_editor(hub, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SITEGEN_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("SITEGEN_NPM_REGISTRY", "http://127.0.0.1:9")
    site = hub()
    run = site.build()
    assert run.code == 0
    assert run.lines[0] == (
        f"site.yaml: admin: the editor at /admin/ is left out of this build: cannot download http://127.0.0.1:9/decap-cms/-/decap-cms-{decap.VERSION}.tgz "
        f"([Errno 111] Connection refused). It comes back once 'python -m sitegen.editor.decap' has downloaded Decap CMS {decap.VERSION}; "
        "'admin: false' silences this (warning)")
    assert run.lines[1].startswith("built ")
    assert not (site.out / "admin").exists() and (site.out / "index.html").exists()
    assert site.run("check").code == 0  # check writes nothing and downloads nothing
    assert not decap.cached_files()


def test_a_download_that_is_not_the_pinned_file_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    class Wrong(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"not decap"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Wrong)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("SITEGEN_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("SITEGEN_NPM_REGISTRY", f"http://127.0.0.1:{server.server_address[1]}")
    try:
        files, why = decap.ensure()
    finally:
        server.shutdown()
        server.server_close()
    assert files == {} and "is not the expected file" in why
    assert not decap.folder().exists()  # nothing kept


# --- settings ----------------------------------------------------------------------------------


def test_wrong_admin_settings_are_errors(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub(site_yaml="title: Test Hub\nadmin:\n  repo: just-a-name\n  backend: gitlab\n  auth_url: http://auth.example\n"
                         "  editorial_workflow: sometimes\n  brnach: main\n")
    run = site.build()
    assert run.code == 1
    assert run.lines[:-1] == sorted([
        "site.yaml:2: admin: unknown key 'brnach' (did you mean branch?); admin takes backend, repo, branch, auth_url, auth_endpoint, editorial_workflow",
        "site.yaml:2: admin: editorial_workflow: must be true or false",
        'site.yaml:2: admin: backend: "gitlab" is not one sitegen sets up; use github or git-gateway',
        'site.yaml:2: admin: repo: "just-a-name" is not a GitHub repository: write owner/name, e.g. our-network/hub',
        'site.yaml:2: admin: auth_url: "http://auth.example" must be a full https:// address, e.g. https://hub-auth.example.workers.dev',
    ])
    assert hub(site_yaml="title: Test Hub\nadmin: yes please\n").build().lines[0] == (
        "site.yaml:2: admin: write 'admin: false' to leave the editor out, or settings such as 'admin: {repo: our-network/hub}'")


def test_a_file_name_date_that_disagrees_with_the_date_is_a_warning(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({
        "content/news/2026-03-10-visit.md": "---\ntitle: Visit\ndate: 2026-03-11\n---\nHi.\n",
        "content/events/2027-02-04-open-day.md": "---\ntitle: Open day\nstart: 2027-02-04 16:00\n---\nCome.\n",
        "content/events/2027-02-05-fair.md": "---\ntitle: Fair\n\nstart: 2027-02-06 10:00\n---\nCome.\n",
    })
    run = site.build()
    assert run.code == 0
    warnings = [line for line in run.lines if line.endswith("(warning)") and "file name" in line]
    assert warnings == [
        "content/events/2027-02-05-fair.md:4: start: 2027-02-06 is not the date in the file name (2027-02-05); correct one of them so that they agree (warning)",
        "content/news/2026-03-10-visit.md:3: date: 2026-03-11 is not the date in the file name (2026-03-10); correct one of them so that they agree (warning)",
    ]


# --- sitegen serve -----------------------------------------------------------------------------


def test_serve_points_the_editor_at_the_local_backend() -> None:
    config = b"backend:\n  name: github\n"
    served = yaml.safe_load(local.served("admin/config.yml", config, "localhost:8123"))
    assert served["local_backend"] == {"url": "http://localhost:8123/__sitegen/api/v1"}  # serve itself, which passes it on
    page = (b"<meta http-equiv=\"Content-Security-Policy\" content=\"connect-src 'self' https://api.github.com\">\n"
            b'<p class="sitegen-admin-note">not connected</p>\n<script src="decap-cms.js"></script>')
    out = local.served("admin/index.html", page, "localhost:8123")
    assert b"connect-src 'self' https://api.github.com" in out and b"not connected" not in out  # same origin: nothing to add
    assert local.served("news/index.html", b"<p>/admin/</p>", "localhost:8123") == b"<p>/admin/</p>"


def test_serve_without_node_says_how_to_get_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.delenv("SITEGEN_DECAP_SERVER", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no node, no npx
    out = io.StringIO()
    assert local.start(tmp_path, out) is None
    assert out.getvalue() == ("editor: to edit in the browser at /admin/ without an account, install Node.js (https://nodejs.org/, "
                              "or 'sudo apt install nodejs npm') and run sitegen serve again\n")


def test_example_hub_page_is_readable(example_site: Path) -> None:
    if not (example_site / "admin" / "index.html").exists():
        pytest.skip("the example hub was built without the editor")
    page = soup(example_site / "admin" / "index.html")
    assert page.html["lang"] == "en-GB" and page.title.string == "Edit Vale Learning Partnership"
