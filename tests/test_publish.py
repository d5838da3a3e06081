"""Publishing: a new hub from `sitegen init`, the host files of every build, byte-identical builds
whatever the time of day, the whole built site served over HTTP, and calendars read by a second parser."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
import tomllib
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import pytest
import yaml
from browser import missing, serve
from conftest import NOW, REPO, soup
from icalendar import Calendar

import sitegen
from sitegen.cli.main import main
from sitegen.builder.api import BuildOptions

ICAL_JS = REPO / ".ci" / "node_modules" / "ical.js" / "dist" / "ical.js"


# the built example hub, served under /vale/ ---------------------------------------------------

class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for attr in ("href", "src", "poster", "data"):
            if a.get(attr):
                self.found.append(a[attr])
        for part in a.get("srcset", "").split(","):
            if part.strip():
                self.found.append(part.split()[0])
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            self.found.append(a["content"].split("url=", 1)[1])


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # follows the server's 301 for a folder
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, b"", ""


def test_the_served_example_hub_has_no_broken_internal_link_or_asset(tmp_path: Path) -> None:
    root = tmp_path / "served"
    with serve(root) as origin:
        sitegen.build(REPO, BuildOptions(output=root / "vale", base_url=origin + "/vale/", now=NOW))
        queue, seen, broken = [origin + "/vale/", origin + "/vale/404.html"], set(), []
        while queue:
            url = queue.pop()
            if url in seen:
                continue
            seen.add(url)
            status, body, kind = fetch(url)
            if status != 200:
                broken.append((url, status))
                continue
            if "html" not in kind:
                continue
            parser = _Links()
            parser.feed(body.decode("utf-8"))
            for link in parser.found:
                target = urljoin(url, link).split("#")[0]
                if target.startswith(origin) and target not in seen:
                    assert urlsplit(target).path.startswith("/vale/"), f"{url} links to {link}, outside /vale/"
                    queue.append(target)
    assert broken == []
    pages = [u for u in seen if u.endswith("/")]
    assert len(seen) > 130 and len(pages) > 100, (len(seen), len(pages))
    assert origin + "/vale/favicon.svg" in seen and origin + "/vale/events/calendar.ics" in seen


def test_the_404_page_works_at_any_depth(example_site: Path) -> None:
    """Hosts serve 404.html at whatever address was asked for, so its links must not be relative."""
    page = soup(example_site / "404.html")
    for deep in ("/vale/x/", "/vale/news/2026/no/such/page/"):
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for el in page.find_all(tag):
                value = el.get(attr)
                if not value or urlsplit(value).scheme or value.startswith("#"):
                    continue
                target = urlsplit(urljoin("https://user.github.io" + deep, value)).path
                assert target.startswith("/vale/"), value
                path = example_site / target.removeprefix("/vale/")
                assert (path / "index.html" if target.endswith("/") else path).is_file(), (deep, value)


# byte-identical builds ------------------------------------------------------------------------

def build_at(moment: dt.datetime, out: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))
    assert main(["build", str(REPO), "-o", str(out), "--base-url", "https://user.github.io/vale/"]) == 0
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_builds_at_different_times_of_one_day_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    london = ZoneInfo("Europe/London")
    early = build_at(dt.datetime(2026, 11, 23, 0, 30, tzinfo=london), tmp_path / "early", monkeypatch)
    late = build_at(dt.datetime(2026, 11, 23, 23, 30, tzinfo=london), tmp_path / "late", monkeypatch)
    assert early.keys() == late.keys()
    assert [name for name in early if early[name] != late[name]] == []
    assert "events/calendar.ics" in early and "feed.xml" in early and len(early) > 140


def test_calendar_stamps_and_sequence_come_from_the_content(example_site: Path) -> None:
    cal = Calendar.from_ical((example_site / "events" / "calendar.ics").read_bytes())
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    cancelled = events["tag:vale-partnership.example,2026:events/sendco-forum-spring"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    changed = dt.datetime(2026, 11, 16, tzinfo=ZoneInfo("Europe/London")).astimezone(dt.UTC)
    assert cancelled.decoded("DTSTAMP") == changed and cancelled.decoded("LAST-MODIFIED") == changed
    scheduled = events["tag:vale-partnership.example,2026:events/maths-lesson-study-open-afternoon"]
    assert int(scheduled["SEQUENCE"]) == 0 < int(cancelled["SEQUENCE"])
    assert "LAST-MODIFIED" not in scheduled
    # named 2026-12-03-...: stamped with the date in its file name, not the build's clock
    assert scheduled.decoded("DTSTAMP") == dt.datetime(2026, 12, 3, tzinfo=ZoneInfo("Europe/London")).astimezone(dt.UTC)


def test_a_cancellation_outranks_the_scheduled_event_without_an_updated_date(hub) -> None:  # type: ignore[no-untyped-def]
    event = "---\ntitle: Forum\nstart: 2026-12-01 16:00\nstatus: {}\n---\n"
    site = hub({"content/events/forum.md": event.format("scheduled")})
    assert site.build().code == 0
    before = Calendar.from_ical((site.out / "events/forum/forum.ics").read_bytes()).walk("VEVENT")[0]
    site.write({"content/events/forum.md": event.format("cancelled")})
    assert site.build().code == 0
    after = Calendar.from_ical((site.out / "events/forum/forum.ics").read_bytes()).walk("VEVENT")[0]
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"]) and after["UID"] == before["UID"]
    run = site.run("check")
    assert "content/events/forum.md:4: status: cancelled, but no 'updated:' date" in run.err


def test_ids_survive_a_move_to_another_address(hub) -> None:  # type: ignore[no-untyped-def]
    files = {"content/news/2026-01-05-a.md": "---\ntitle: A\ndate: 2026-01-05\n---\n", "content/events/e.md": "---\ntitle: E\nstart: 2026-12-01\n---\n"}
    ids = "ids: tag:our-network.org.uk,2024\n"
    site = hub(files, site_yaml="title: Hub\nbase_url: https://old.example/hub/\n" + ids)
    assert site.build().code == 0
    old = ((site.out / "feed.xml").read_bytes(), (site.out / "events/calendar.ics").read_bytes())
    site.write({"site.yaml": "title: Hub\nbase_url: https://www.our-network.org.uk/\n" + ids})
    assert site.build().code == 0
    feed, cal = (site.out / "feed.xml").read_text(), (site.out / "events/calendar.ics").read_bytes()
    assert re.findall(r"<id>[^<]*</id>", feed) == re.findall(r"<id>[^<]*</id>", old[0].decode())
    assert "<id>tag:our-network.org.uk,2024:news/a/</id>" in feed
    assert [e["UID"] for e in Calendar.from_ical(cal).walk("VEVENT")] == ["tag:our-network.org.uk,2024:events/e"]
    assert [e["UID"] for e in Calendar.from_ical(old[1]).walk("VEVENT")] == ["tag:our-network.org.uk,2024:events/e"]


def test_a_bad_ids_setting_is_an_error(hub) -> None:  # type: ignore[no-untyped-def]
    run = hub(site_yaml="title: Hub\nids: https://example.org/\n").build()
    assert run.code == 1
    assert run.lines[0] == ('site.yaml:2: ids: "https://example.org/" is not a tag: address; write your domain and the year '
                            "you first used it, e.g. tag:our-network.org.uk,2026")


# calendars read by a second parser ------------------------------------------------------------

def ical_js(path: Path) -> list[dict]:
    node = shutil.which("node")
    if node is None or not ICAL_JS.is_file():
        missing("node and the npm package ical.js are needed (bash .ci/run installs ical.js into .ci/node_modules/)")
    out = subprocess.run([node, str(REPO / "tests" / "ical_instants.mjs"), str(ICAL_JS), str(path)],
                         capture_output=True, text=True, check=True, timeout=60)
    return [json.loads(line) for line in out.stdout.splitlines()]


def icalendar_instants(path: Path) -> list[dict]:
    found = []
    for event in Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
        def instant(name: str, event=event):  # type: ignore[no-untyped-def]
            if name not in event:
                return None
            value = event.decoded(name)
            return int(value.timestamp()) if isinstance(value, dt.datetime) else value.strftime("%Y-%m-%d")
        # RFC 5545 3.6.1: a date-time event with no DTEND ends when it starts
        found.append({"uid": str(event["UID"]), "start": instant("DTSTART"), "end": instant("DTEND") or instant("DTSTART")})
    return found


EVENTS = {  # summer and winter, either side of both changes of the clocks, all-day, across years
    "content/events/summer.md": "---\ntitle: Summer\nstart: 2026-06-17 09:00\nend: 2026-06-17 15:30\n---\n",
    "content/events/winter.md": "---\ntitle: Winter\nstart: 2026-12-03 16:00\nend: 2026-12-03 17:30\n---\n",
    "content/events/spring-change.md": "---\ntitle: Spring change\nstart: 2027-03-28 00:30\nend: 2027-03-28 03:30\n---\n",
    "content/events/autumn-change.md": "---\ntitle: Autumn change\nstart: 2026-10-25 00:30\nend: 2026-10-25 03:30\n---\n",
    "content/events/next-summer.md": "---\ntitle: Next summer\nstart: 2027-07-01 09:00\n---\n",
    "content/events/day.md": "---\ntitle: Day\nstart: 2027-05-01\nend: 2027-05-02\n---\n",
}


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Tokyo"])
def test_ical_js_reads_the_same_instants_as_icalendar(hub, zone: str) -> None:  # type: ignore[no-untyped-def]
    site = hub(EVENTS, site_yaml=f"title: Hub\nbase_url: https://example.org/\ntimezone: {zone}\n")
    assert site.build().code == 0
    path = site.out / "events" / "calendar.ics"
    expected = icalendar_instants(path)
    assert len(expected) == 6
    assert [{k: e[k] for k in ("uid", "start", "end")} for e in ical_js(path)] == expected
    summer = next(e for e in expected if e["uid"].endswith("events/summer"))
    local = dt.datetime(2026, 6, 17, 9, 0, tzinfo=ZoneInfo(zone))
    assert summer["start"] == int(local.timestamp())


def test_ical_js_reads_the_example_hubs_calendars(example_site: Path) -> None:
    for path in [example_site / "events" / "calendar.ics", *sorted((example_site / "networks").glob("*/calendar.ics"))]:
        read = ical_js(path)
        assert [{k: e[k] for k in ("uid", "start", "end")} for e in read] == icalendar_instants(path), path
    cancelled = next(e for e in ical_js(example_site / "events" / "calendar.ics") if e["uid"].endswith("sendco-forum-spring"))
    assert cancelled["status"] == "CANCELLED" and cancelled["sequence"] > 0


def test_time_zone_rules_match_zoneinfo_every_hour() -> None:
    """The VTIMEZONE's rules, read back by icalendar, give zoneinfo's offset at every hour of the years."""
    from sitegen.outputs.vtimezone import vtimezone

    for zone in ("Europe/London", "America/New_York", "Australia/Sydney", "Africa/Casablanca", "Asia/Tokyo"):
        component = vtimezone(zone, 2026, 2027)
        assert "RDATE" not in component.to_ical().decode()
        tz, real = component.to_tz(), ZoneInfo(zone)
        moment = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        while moment.year < 2028:
            naive = moment.astimezone(real).replace(tzinfo=None)
            if moment.astimezone(real).fold == 0:  # an hour that happens twice is ambiguous in any wall-clock time
                assert naive.replace(tzinfo=tz).utcoffset() == moment.astimezone(real).utcoffset(), (zone, moment)
            moment += dt.timedelta(hours=1)


# host files -----------------------------------------------------------------------------------

def csp_hashes(policy: str) -> set[str]:
    return set(re.findall(r"'(sha256-[^']+)'", policy))


def test_host_files_and_a_policy_the_theme_satisfies(example_site: Path) -> None:
    assert (example_site / ".nojekyll").read_bytes() == b""
    assert not (example_site / "CNAME").exists()  # built for user.github.io: GitHub's own domain
    rules: dict[str, dict[str, str]] = {}  # path -> its headers
    for line in (example_site / "_headers").read_text().splitlines():
        if line.startswith("/"):
            rule = rules.setdefault(line, {})
        else:
            name, value = line.strip().split(": ", 1)
            rule[name] = value
    sent = rules["/vale/*"]
    assert sent["X-Content-Type-Options"] == "nosniff"
    assert sent["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in sent["Permissions-Policy"]
    policy = rules["/vale/news/*"]["Content-Security-Policy"]
    # every file (an SVG in static/ opened on its own) gets a policy with no inline script; the pages'
    # and the editor's scripts are all allowed by it, so with both policies each page keeps its own
    assert sent["Content-Security-Policy"] == "script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'"
    assert "'unsafe-inline'" not in policy and "frame-ancestors 'self'" in policy and "default-src 'self'" in policy
    assert rules["/vale/"]["Content-Security-Policy"] == policy

    def rule_for(rel: str) -> str:  # the policy the hosts send with a page: one rule, never two
        top = rel.split("/")[0]
        matching = [r for r in (f"/vale/{top}/*" if "/" in rel else f"/vale/{rel}", "/vale/" if rel == "index.html" else "") if r in rules]
        assert len(matching) == 1, rel
        return rules[matching[0]]["Content-Security-Policy"]

    editor = soup(example_site / "admin" / "index.html").find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert rule_for("admin/index.html") == editor + "; frame-ancestors 'none'" and "'unsafe-eval'" in editor and "'unsafe-eval'" not in policy
    assert rules["/vale/admin/*"]["X-Frame-Options"] == "DENY"
    pages = sorted(p for p in example_site.rglob("*.html") if p.parent.name != "admin")
    checked = 0
    for path in pages:
        page = soup(path)
        if page.find("meta", attrs={"http-equiv": "refresh"}):
            continue  # a redirect page: no styles or scripts at all
        meta = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None, path
        assert meta["content"] + "; frame-ancestors 'self'" == policy == rule_for(path.relative_to(example_site).as_posix()), path
        assert page.find("meta", attrs={"name": "referrer"})["content"] == sent["Referrer-Policy"]
        for el in page.find_all(["style", "script"]):
            if el.name == "script" and (el.get("src") or el.get("type") == "application/ld+json"):
                continue
            digest = "sha256-" + base64.b64encode(hashlib.sha256(el.string.encode()).digest()).decode()
            assert digest in csp_hashes(policy), (path, str(el)[:80])
        assert not page.select("[style]") and not [el for el in page.find_all(True) if any(a.startswith("on") for a in el.attrs)], path
        checked += 1
    assert checked > 90


def test_cname_only_for_a_domain_of_ones_own(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub(site_yaml="title: Hub\nbase_url: https://www.our-network.org.uk/\n")
    assert site.build().code == 0
    assert (site.out / "CNAME").read_text() == "www.our-network.org.uk\n"
    for base in ("https://user.github.io/hub/", "https://hub.netlify.app/", "https://hub.pages.dev/", "/hub/"):
        site.write({"site.yaml": f"title: Hub\nbase_url: {base}\n"})
        assert site.build().code == 0
        assert not (site.out / "CNAME").exists(), base


def test_redirects_for_every_alias(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/news/2026-01-05-a.md": "---\ntitle: A\ndate: 2026-01-05\naliases: [/old-news/a/, /blog/a.html]\n---\n"})
    assert site.build().code == 0
    assert (site.out / "_redirects").read_text().splitlines() == ["/hub/blog/a.html /hub/news/a/ 301", "/hub/old-news/a/ /hub/news/a/ 301"]
    assert site.html("old-news/a/index.html").find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=/hub/news/a/"


def test_the_policy_allows_what_the_content_embeds_and_the_privacy_notice_names_it(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({
        "content/about.md": "---\ntitle: About\n---\n<iframe src=\"https://www.youtube-nocookie.com/embed/x\" title=\"Video\"></iframe>\n",
        "content/news/2026-01-05-a.md": "---\ntitle: A\ndate: 2026-01-05\n---\n![A map](https://maps.example.org/tile.png)\n",
    })
    run = site.build()
    assert run.code == 0
    assert "1 page(s) load from https://www.youtube-nocookie.com: content/about.md" in run.err
    assert "1 page(s) load from https://maps.example.org: content/news/2026-01-05-a.md" in run.err
    policy = site.html("index.html").find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "frame-src https://www.youtube-nocookie.com" in policy and "img-src 'self' data: https://maps.example.org" in policy
    items = [li.get_text(" ", strip=True) for li in site.html("privacy/index.html").select("article li")]
    assert items == ["https://maps.example.org: A", "https://www.youtube-nocookie.com: About"]


def test_a_policy_of_the_hubs_own(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub(site_yaml="title: Hub\ncontent_security_policy: \"default-src 'self' https://stats.example; frame-ancestors 'none'\"\n")
    assert site.build().code == 0
    assert "Content-Security-Policy: default-src 'self' https://stats.example; frame-ancestors 'none'" in (site.out / "_headers").read_text()
    meta = site.html("index.html").find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta["content"] == "default-src 'self' https://stats.example"
    site.write({"site.yaml": "title: Hub\ncontent_security_policy: \"\"\n"})
    assert site.build().code == 0
    assert site.html("index.html").find("meta", attrs={"http-equiv": "Content-Security-Policy"}) is None
    headers = (site.out / "_headers").read_text()
    assert "Content-Security-Policy" not in headers.split("/admin/*")[0]  # only the editor keeps its own


def test_a_new_hub_has_a_favicon(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub()
    assert site.build().code == 0
    assert site.html("index.html").find("link", rel="icon")["href"] == "/hub/favicon.svg"
    assert (site.out / "favicon.svg").read_bytes().startswith(b"<svg")


# standard pages -------------------------------------------------------------------------------

def test_the_accessibility_statement_states_the_hubs_facts(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub(site_yaml="title: Hub\ncontact: {email: office@hub.example}\naccessibility:\n  status: partially\n  prepared: 2026-09-01\n"
               "  reviewed: 2026-10-01\n  tested: in September 2026, by our staff\n  issues: [Some PDFs are not tagged.]\n")
    assert site.build().code == 0
    text = site.html("accessibility/index.html").find("article").get_text(" ", strip=True)
    assert "This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard" in text
    assert "Some PDFs are not tagged." in text and "office@hub.example" in text
    assert "This statement was prepared on 1 September 2026. It was last reviewed on 1 October 2026." in text
    assert "This website was last tested in September 2026, by our staff." in text
    assert "Replace it" not in text and "content/accessibility.md" not in text
    assert "checked automatically for accessibility problems" not in text  # no claim of a check the build does not run
    run = site.run("check")
    assert "accessibility" not in run.err.split("(warning)")[0] or "lacks" not in run.err


def test_check_asks_for_the_accessibility_facts_instead_of_the_page(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub()
    assert site.build().code == 0
    text = site.html("accessibility/index.html").find("article").get_text(" ", strip=True)
    assert "has not yet been assessed" in text and "Replace" not in text
    run = site.run("check")
    assert "site.yaml: accessibility: the standard accessibility statement lacks your hub's status, prepared, reviewed" in run.err
    site.write({"site.yaml": MINIMAL_OLD_REVIEW})
    assert "site.yaml: accessibility: reviewed 2025-01-01 is over a year ago" in site.run("check").err


MINIMAL_OLD_REVIEW = "title: Hub\naccessibility: {status: fully, prepared: 2025-01-01, reviewed: 2025-01-01}\n"


@pytest.mark.parametrize("value, message", [
    ("{status: mostly}", 'accessibility: status: "mostly" must be fully, partially or not (compliant with WCAG 2.2 AA)'),
    ("{reviewed: last week}", 'accessibility: reviewed: "last week" is not a date (write it as 2026-09-01)'),
    ("{reveiwed: 2026-01-01}", "accessibility: unknown key 'reveiwed' (did you mean reviewed?); it takes status, prepared, reviewed, tested, issues"),
])
def test_bad_accessibility_facts(hub, value: str, message: str) -> None:  # type: ignore[no-untyped-def]
    run = hub(site_yaml=f"title: Hub\naccessibility: {value}\n").build()
    assert run.code == 1 and run.lines[0] == f"site.yaml:2: {message}"


# sitegen check follows the built site's links -------------------------------------------------

def test_check_follows_every_link_of_the_built_site(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({
        "templates/page.html": "{% extends 'base.html' %}{% block content %}<a href=\"{{ url('/nowhere/') }}\">x</a>"
                               "<img src=\"../../../up.png\" alt=\"\">{% endblock %}",
        "content/about.md": "---\ntitle: About\n---\n",
    })
    assert site.build().code == 0  # a build does not follow links; check does
    (site.out / "marker").write_text("untouched")
    run = site.run("check")
    assert run.code == 1
    assert "content/about.md: /about/index.html line" in run.err
    assert ": /hub/nowhere/ leads to nothing on the site" in run.err and ": ../../../up.png leads outside the site's base path /hub/" in run.err
    assert (site.out / "marker").read_text() == "untouched"
    site.write({"templates/page.html": "{% extends 'base.html' %}{% block content %}<p style=\"color: red\">x</p>{% endblock %}"})
    run = site.run("check")
    assert run.code == 0 and "an inline style attribute that the site's Content-Security-Policy blocks" in run.err
    assert re.search(r"checked 1 items, \d+ pages and \d+ links: no errors", run.err)


# sitegen init ---------------------------------------------------------------------------------

def test_init_makes_a_hub_that_builds_and_publishes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "our-network"
    assert main(["init", str(folder)]) == 0
    scaffold = [p for p in (REPO / "sitegen" / "cli" / "scaffold").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert f"wrote {len(scaffold) + 1} files" in capsys.readouterr().err  # and vendor/, sitegen's wheel
    for kind in ("news", "networks", "schools", "resources", "events"):
        assert len(list((folder / "content" / kind).glob("*.md"))) == 1, kind
    site_yaml = (folder / "site.yaml").read_text()
    assert 'title: "Our Network"' in site_yaml and "Only `title` is required" in site_yaml
    assert [line for line in site_yaml.splitlines() if line and not line.startswith((" ", "#"))][0] == 'title: "Our Network"'
    assert (folder / ".gitignore").read_text().splitlines()[1:3] == ["_site/", ".sitegen-cache/"]
    wheel = f"sitegen_hub-{sitegen.__version__}-py3-none-any.whl"  # sitegen itself, kept in the hub (tests/test_install.py installs it)
    assert (folder / "requirements.txt").read_text().splitlines()[-1] == f"./vendor/{wheel}" and (folder / "vendor" / wheel).is_file()

    workflow = yaml.safe_load((folder / ".github" / "workflows" / "publish.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"] and triggers["schedule"][0]["cron"] == "17 4 * * *"
    steps = workflow["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert "pip install -r requirements.txt" in runs
    assert 'sitegen build --base-url "${{ steps.pages.outputs.base_url }}/"' in runs
    build_step = next(s for s in steps if s.get("run", "").startswith("sitegen build"))
    assert build_step["env"]["SITEGEN_CACHE"] == ".sitegen-cache/downloads"  # the editor's Decap CMS, kept with the cache
    assert {"actions/configure-pages@v5", "actions/upload-pages-artifact@v3"} <= {s.get("uses") for s in steps}
    assert workflow["jobs"]["deploy"]["steps"][0]["uses"] == "actions/deploy-pages@v4"
    assert workflow["jobs"]["deploy"]["needs"] == "build" and workflow["permissions"]["pages"] == "write"
    daily = yaml.safe_load((folder / ".github" / "workflows" / "daily-rebuild.yml").read_text())
    assert daily.get("on", daily.get(True))["schedule"]
    netlify = tomllib.loads((folder / "netlify.toml").read_text())
    assert netlify["build"]["publish"] == "_site" and netlify["build"]["command"].startswith("pip install -r requirements.txt && SITEGEN_CACHE=.sitegen-cache/downloads sitegen build")

    assert main(["build", str(folder)]) == 0
    out = folder / "_site"
    for name in ("index.html", "news/welcome-to-our-new-website/index.html", "networks/example-network/index.html",
                 "schools/example-school/index.html", "resources/example-resource/index.html", "resources/lesson-plan-template.txt",
                 "events/first-network-meeting/index.html", "about/index.html", ".nojekyll", "_headers", "favicon.svg", "404.html"):
        assert (out / name).is_file(), name
    assert "First network meeting" in (out / "events" / "index.html").read_text()  # upcoming
    assert (out / "admin" / "index.html").is_file() and (out / "admin" / "config.yml").is_file()  # the browser editor
    assert "# admin:" in site_yaml and "Who needs what" in (folder / "README.md").read_text()
    capsys.readouterr()
    assert main(["check", str(folder)]) == 0
    assert "no errors" in capsys.readouterr().err


def test_a_new_hub_carries_the_guides_and_its_readme_links_only_to_them_and_the_web(tmp_path: Path) -> None:
    """The hub's README is read by people who never see sitegen's repository: the guides travel with it."""
    for guide in ("writing.md", "editor.md"):
        shipped = REPO / "sitegen" / "cli" / "scaffold" / "docs" / guide
        assert shipped.read_bytes() == (REPO / "docs" / guide).read_bytes(), f"run: cp docs/{guide} sitegen/cli/scaffold/docs/{guide}"
    folder = tmp_path / "hub"
    assert main(["init", str(folder)]) == 0
    assert (folder / "docs" / "writing.md").read_bytes() == (REPO / "docs" / "writing.md").read_bytes()
    readme = (folder / "README.md").read_text()
    links = re.findall(r"\]\(([^)\s]+)\)", re.sub(r"`[^`]*`", "", readme))  # not the examples written as code
    local = [t for t in links if not urlsplit(t).scheme]
    assert local and all((folder / t).is_file() for t in local), local  # every other link is to the web
    for guide in ("writing.md", "editor.md"):  # their links to each other (not the examples of links between pages)
        for target in re.findall(r"\]\(([\w-]+\.md)(?:#[^)]*)?\)", (folder / "docs" / guide).read_text()):
            assert (folder / "docs" / target).is_file(), (guide, target)
    assert "sitegen's repository" not in readme
    for words in ("Use this template", "Upload files", "Commit changes", "Edit this file", "GitHub Actions", "Actions"):
        assert words in readme, words


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "hub"
    folder.mkdir()
    (folder / "README.md").write_text("mine")
    assert main(["init", str(folder)]) == 2
    assert capsys.readouterr().err.startswith(f"sitegen: {folder} is not empty: give the name of a new folder, or add --force")
    assert sorted(p.name for p in folder.iterdir()) == ["README.md"]
    assert main(["init", str(folder), "--force", "--title", 'St Mary\'s "Trust"']) == 0
    assert "kept README.md (already there)" in capsys.readouterr().err
    assert (folder / "README.md").read_text() == "mine"
    assert main(["build", str(folder)]) == 0
    assert "St Mary&#39;s &#34;Trust&#34;" in (folder / "_site" / "index.html").read_text()
    (tmp_path / "cloned").mkdir()
    (tmp_path / "cloned" / ".git").mkdir()  # a fresh clone of an empty repository counts as empty
    assert main(["init", str(tmp_path / "cloned"), "--base-url", "https://www.our-network.org.uk/"]) == 0
    assert 'ids: "tag:www.our-network.org.uk,2026"' in (tmp_path / "cloned" / "site.yaml").read_text()
    assert main(["init", str(tmp_path / "x"), "--base-url", "nowhere"]) == 2
    assert not (tmp_path / "x").exists()


def test_nothing_tells_anyone_to_pip_install_sitegen() -> None:
    """'sitegen' on PyPI is someone else's package: the distribution is sitegen-hub."""
    assert tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["name"] == "sitegen-hub"
    texts = [REPO / "README.md", *(REPO / "docs").rglob("*.md"), *(REPO / "sitegen" / "cli" / "scaffold").rglob("*"), *(REPO / ".ci").glob("*")]
    for path in texts:
        if path.is_file():
            assert not re.search(r"pip install (-U )?sitegen(?![-\w])", path.read_text(encoding="utf-8")), path
