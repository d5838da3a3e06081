"""Hostile and unlucky hubs (issue 14): each gets a plain `path:line: message` and exit status 1
(or 2 for a wrong command), never a traceback or "internal error", never a crash, and the
previous site stays exactly as it was."""

from __future__ import annotations

import builtins
import errno
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MINIMAL_SITE
from test_errors import GOOD_NEWS, NEWS, snapshot

EVENT = "content/events/2026-12-01-e.md"
DEEP = 50_000  # tens of thousands of levels crashed PyYAML's C composer (a segmentation fault)


# Unreadable files ------------------------------------------------------------------
# Running as root, chmod 000 denies nothing; then the operating system's refusal is simulated
# at the calls sitegen reads through (open, os.open, os.scandir), and the test checks it was hit.

class Denied:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[Path] = []
        self.hits = 0
        self.monkeypatch = monkeypatch
        self.chmodded: list[tuple[Path, int]] = []
        self.simulated = os.geteuid() == 0
        if self.simulated:
            self._patch()

    def __call__(self, path: Path) -> None:
        if self.simulated:
            self.paths.append(path.absolute())
        else:
            self.chmodded.append((path, path.stat().st_mode))
            path.chmod(0)

    def denies(self, name: object) -> bool:
        if not isinstance(name, (str, bytes, os.PathLike)):
            return False
        path = Path(os.fsdecode(name)).absolute()
        if any(path == p or p in path.parents for p in self.paths):
            self.hits += 1
            return True
        return False

    def _refuse(self, name: object) -> PermissionError:
        return PermissionError(errno.EACCES, "Permission denied", os.fsdecode(name))  # type: ignore[arg-type]

    def _patch(self) -> None:
        real_open, real_os_open, real_scandir = builtins.open, os.open, os.scandir

        def fake_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
            if self.denies(file):
                raise self._refuse(file)
            return real_open(file, *args, **kwargs)

        def fake_os_open(path, *args, **kwargs):  # type: ignore[no-untyped-def]
            if self.denies(path):
                raise self._refuse(path)
            return real_os_open(path, *args, **kwargs)

        def fake_scandir(path="."):  # type: ignore[no-untyped-def]
            if self.denies(path):
                raise self._refuse(path)
            return real_scandir(path)

        for target, fake in ((builtins, fake_open), (io, fake_open)):
            self.monkeypatch.setattr(target, "open", fake)
        self.monkeypatch.setattr(os, "open", fake_os_open)
        self.monkeypatch.setattr(os, "scandir", fake_scandir)

    def restore(self) -> None:
        for path, mode in self.chmodded:
            path.chmod(mode)

    def exercised(self) -> bool:
        """Was a read actually refused (so the test went through the error path)?"""
        return self.hits > 0 if self.simulated else bool(self.chmodded)


@pytest.fixture
def deny(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    denied = Denied(monkeypatch)
    yield denied
    denied.restore()


def symlink(target: str | Path) -> Callable[[Path], None]:
    return lambda path: os.symlink(target, path)


def loop(path: Path) -> None:
    os.symlink(path.name, path)


def move_out(name: str) -> Callable[[Path], None]:
    """Replace the hub's `name` by a link to a copy of it outside the hub."""
    def setup(root: Path) -> None:
        outside = root.parent / f"elsewhere-{name}"
        if (root / name).exists():
            (root / name).rename(outside)
        else:
            outside.mkdir()
            (outside / "page.html").write_text("{{ 'from outside the hub' }}")
        os.symlink(outside, root / name)
    return setup


MENU_BAD = ["java\tscript:alert(1)", " javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x",
            "//evil.example/", "/\\evil.example/", "https:evil.example", "ftp://files.example/", "mailto:", "about/"]


def menu_error(line: int, entry: int, url: str) -> str:
    shown = url.replace("\t", "\\t")  # as the message shows it
    return (f'site.yaml:{line}: menu: entry {entry}: url "{shown}" must be a site path such as /about/, a full address starting with https://, '
            "or a mailto: address (the menu is on every page: nothing else may run or be fetched from it)")


# The catalogue: (files to write, or a function of the hub's root), then the exact lines. -------

CASES: dict[str, tuple[dict | Callable[[Path], None], list[str]]] = {
    # 3. nesting deep enough to crash
    "front matter nested tens of thousands deep": (
        {NEWS: "---\ntitle: A visit\ndate: 2026-03-10\nextra: " + "[" * DEEP + "]" * DEEP + "\n---\n"},
        [f"{NEWS}:4: front matter nests lists or mappings more than 100 deep; sitegen reads at most 100 levels"]),
    "front matter nested as block lists": (
        {NEWS: "---\ntitle: A visit\ndate: 2026-03-10\nextra:\n  x:\n" + "".join("  " + " " * i + "-\n" for i in range(DEEP // 10)) + "---\n"},
        [f"{NEWS}:104: front matter nests lists or mappings more than 100 deep; sitegen reads at most 100 levels"]),
    "site.yaml nested tens of thousands deep": (
        {"site.yaml": MINIMAL_SITE + "extra: " + "{a: " * DEEP + "1" + "}" * DEEP + "\n"},
        ["site.yaml:3: site.yaml nests lists or mappings more than 100 deep; sitegen reads at most 100 levels"]),
    "data file nested tens of thousands deep": (
        {"data/partners.yaml": "- " * DEEP + "x\n"},
        ["data/partners.yaml:1: nests lists or mappings more than 100 deep; sitegen reads at most 100 levels"]),
    "JSON data nested tens of thousands deep": (
        {"data/partners.json": "[" * DEEP + "]" * DEEP},
        ["data/partners.json: nests lists or objects too deeply for sitegen to read"]),
    "Markdown nested thousands deep": (
        {NEWS: "---\ntitle: A visit\ndate: 2026-03-10\n---\n" + "".join("  " * i + "- x\n" for i in range(2000))},
        [f"{NEWS}:105: a list item or quote is indented 200 or more spaces (lists nested that deep are more than sitegen can read); flatten it"]),
    # 4. what ended in "internal error"
    "a time zone folder": (
        {"site.yaml": MINIMAL_SITE + "timezone: Europe\n"},
        ['site.yaml:3: timezone: "Europe" is not a time zone (write one such as Europe/London)']),
    "a line break in the site title": (
        {"site.yaml": 'title: "Test\\nHub"\n', EVENT: "---\ntitle: E\nstart: 2026-12-01\n---\n"}, []),
    "a line break in an event title": ({EVENT: '---\ntitle: "Twilight\\nCPD"\nstart: 2026-12-01\n---\n'}, []),
    "a line break in a network title and an event provider": (
        {"content/networks/n.md": '---\ntitle: "Reading\\nnetwork"\n---\n',
         EVENT: '---\ntitle: E\nstart: 2026-12-01\nnetworks: [n]\nprovider: "Vale\\nTrust"\n---\n'}, []),
    "schools.csv with an unclosed quote": (
        {"data/schools.csv": 'URN,EstablishmentName\n990201,"Kelsey Bridge\n' + "x" * 200_000 + "\n"},
        ['data/schools.csv:2: the row starting on this line never ends: a quote (") is probably never closed']),
    "a data CSV with an unclosed quote": (
        {"data/people.csv": 'name,role\nJo,head\nSam,"teacher\n' + "x" * 200_000 + "\n"},
        ['data/people.csv:3: the row starting on this line never ends: a quote (") is probably never closed']),
    "a file content/about beside about.md": (
        {"content/about.md": "---\ntitle: About\n---\n", "content/about": "notes"},
        ["content/about.md: /about is both a file (content/about) and a folder holding /about/ (content/about.md); rename one of them"]),
    "a folder named like a generated file": (
        {"content/sitemap.xml/plan.pdf": "%PDF"},
        [("content/sitemap.xml/plan.pdf: /sitemap.xml is both a file (made by sitegen) and a folder holding /sitemap.xml/plan.pdf "
         "(content/sitemap.xml/plan.pdf); rename one of them")]),
    "an over-long alias": (
        {"content/about.md": "---\ntitle: About\naliases: [/" + "a" * 300 + "/]\n---\n"},
        [f"content/about.md:3: /{'a' * 300}/: a part of this address is 300 bytes long; file systems allow at most 255"]),
    "a backslash in a static file's name": (
        {"static/files\\plan.pdf": "%PDF"},
        ["static/files\\plan.pdf: /files\\plan.pdf: a backslash (\\) cannot be part of a web address; rename the file"]),
    "a backslash in a file beside content": (
        {"content/resources/a\\b.pdf": "%PDF"},
        ["content/resources/a\\b.pdf: /resources/a\\b.pdf: a backslash (\\) cannot be part of a web address; rename the file"]),
    "a symlink loop in content": (
        {"content/loop.md": loop},
        ["content/loop.md: is a link that leads round in a circle (to itself, or to a link back to it): delete it or point it at a real file"]),
    "a symlink loop in static": (
        {"static/img/loop.png": loop},
        ["static/img/loop.png: is a link that leads round in a circle (to itself, or to a link back to it): delete it or point it at a real file"]),
    "a symlink loop in data": (
        {"data/loop.yaml": loop},
        ["data/loop.yaml: is a link that leads round in a circle (to itself, or to a link back to it): delete it or point it at a real file"]),
    "a symlink loop in templates": (
        {"templates/page.html": loop},
        ["templates/page.html: is a link that leads round in a circle (to itself, or to a link back to it): delete it or point it at a real file"]),
    "a bad !!int": (
        {NEWS: "---\ntitle: !!int first\ndate: 2026-03-10\n---\n"},
        [(f'{NEWS}:2: front matter is not valid YAML: "first" is not a valid !!int (invalid literal for int() with base 10: \'first\'); '
         "remove the !!int or correct the value")]),
    "a bad !!float": (
        {"site.yaml": MINIMAL_SITE + "extra:\n  ratio: !!float half\n"},
        [('site.yaml:4: site.yaml is not valid YAML: "half" is not a valid !!float (could not convert string to float: \'half\'); '
         "remove the !!float or correct the value")]),
    "an impossible !!timestamp": (
        {NEWS: "---\ntitle: A visit\ndate: !!timestamp 2026-02-30\n---\n"},
        [(f'{NEWS}:3: front matter is not valid YAML: "2026-02-30" is not a valid !!timestamp (day is out of range for month); '
         "remove the !!timestamp or correct the value")]),
    "a 5,000-digit number in front matter": (
        {NEWS: "---\ntitle: A visit\ndate: 2026-03-10\nsummary: " + "9" * 5000 + "\n---\n"},
        [f"{NEWS}:4: front matter is not valid YAML: a number with 5000 digits is too long; put it in quotes if it is text"]),
    "a 5,000-digit number in site.yaml": (
        {"site.yaml": MINIMAL_SITE + "news_per_page: " + "9" * 5000 + "\n"},
        ["site.yaml:3: site.yaml is not valid YAML: a number with 5000 digits is too long; put it in quotes if it is text"]),
    "a 5,000-digit number in a data file": (
        {"data/figures.yaml": "pupils: 1\nbudget: " + "9" * 5000 + "\n"},
        ["data/figures.yaml:2: is not valid YAML: a number with 5000 digits is too long; put it in quotes if it is text"]),
    "a 5,000-digit number in JSON": (
        {"data/figures.json": '{"budget": ' + "9" * 5000 + "}"},
        ["data/figures.json: has a number too long to read (thousands of digits); put it in quotes if it is text"]),
    "base_url that is not a URL": (
        {"site.yaml": "title: T\nbase_url: 'https://[example.org/hub/'\n"},
        [('site.yaml:2: base_url: "https://[example.org/hub/" must be a full address such as https://user.github.io/our-network/ '
         "or a path such as /our-network/")]),
    "base_url with an impossible port": (
        {"site.yaml": "title: T\nbase_url: 'https://example.org:99999/hub/'\n"},
        [('site.yaml:2: base_url: "https://example.org:99999/hub/" must be a full address such as https://user.github.io/our-network/ '
         "or a path such as /our-network/")]),
    "Python-Markdown extensions sitegen has no more (issue 21: Markdown is CommonMark now)": (
        {"site.yaml": MINIMAL_SITE + "markdown_extensions: ['markdown.extensions.toc:NoSuchClass', nl2br, json]\n"},
        [f'site.yaml:3: markdown_extensions: "{name}" is not an extension sitegen has: it reads Markdown as CommonMark '
         "with GitHub's extensions, as the editor and github.com do, and needs only admonition or smarty named here; "
         f"remove it: {instead}" for name, instead in (
             ("json", "docs/writing.md ('Markdown') says what to write instead"),
             ("markdown.extensions.toc:NoSuchClass", "docs/writing.md ('Markdown') says what to write instead"),
             ("nl2br", "end a line with a backslash (\\) where it should break (what the editor's Shift+Enter writes)"))]),
    # 10. aliases onto generated addresses were silently dropped
    "aliases onto addresses sitegen makes": (
        {"content/about.md": "---\ntitle: About\naliases: [/feed.xml, /old/, /sitemap.xml, /robots.txt]\n---\n"},
        [f"content/about.md:3: aliases: {url} is an address sitegen makes itself; an alias must be an old address that nothing else uses"
         for url in ("/feed.xml", "/robots.txt", "/sitemap.xml")]),
    "!!set and !!binary where text belongs": (
        {"content/about.md": "---\ntitle: !!set {b, a}\nsummary: !!binary aGVsbG8=\n---\n",
         EVENT: "---\ntitle: E\nstart: 2026-12-01\nprovider: !!set {x}\n---\n"},
        ["content/about.md:2: title: must be text, not a set (!!set); put it in quotes if you meant the words",
         "content/about.md:3: summary: must be text, not binary data (!!binary); put it in quotes if you meant the words",
         f"{EVENT}:4: provider: must be text, not a set (!!set); put it in quotes if you meant the words"]),
    # 5. and 6. content that would silently disappear, or come from outside the hub
    "content/ a link out of the hub": (move_out("content"),
        ["content: is a link to something outside the hub: sitegen only reads files inside the hub's own folders; copy the file in instead"]),
    "templates/ a link out of the hub": (move_out("templates"),
        ["templates: is a link to something outside the hub: sitegen only reads files inside the hub's own folders; copy the file in instead"]),
    "site.yaml a link out of the hub": (move_out("site.yaml"),
        ["site.yaml: is a link to something outside the hub: sitegen only reads files inside the hub's own folders; copy the file in instead"]),
    # 9. menu addresses reach every page
    "a javascript: menu address": (
        {"site.yaml": MINIMAL_SITE + "menu:\n  - {title: About, url: /about/}\n  - {title: Win, url: 'JavaScript:alert(document.cookie)'}\n"},
        [menu_error(3, 2, "JavaScript:alert(document.cookie)")]),
    "menu addresses browsers would read as scripts, data or other hosts": (
        {"site.yaml": MINIMAL_SITE + "menu:\n" + "".join(f"  - {{title: T, url: {json.dumps(u)}}}\n" for u in MENU_BAD)},
        sorted(menu_error(3, i, u) for i, u in enumerate(MENU_BAD, 1))),
    "content/ a file": (lambda root: (root / "content/news" / NEWS.rsplit("/", 1)[1]).unlink() or (root / "content/news").rmdir()
                        or (root / "content").rmdir() or (root / "content").write_text("notes"),
        ["content: is a file, but content/ must be a folder"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_hub(case: str, hub) -> None:  # type: ignore[no-untyped-def]
    change, expected = CASES[case]
    site = hub({NEWS: GOOD_NEWS})
    assert site.build().code == 0
    before = snapshot(site.out)
    if callable(change):
        change(site.root)
    else:
        for rel, value in change.items():
            (site.root / rel).parent.mkdir(parents=True, exist_ok=True)
            value(site.root / rel) if callable(value) else (site.root / rel).write_text(value)
    run = site.build()
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    if not expected:  # a hub that is fine after all: it builds
        assert run.code == 0, run.err
        return
    assert run.code == 1, run.err
    assert run.lines[:-1] == expected
    assert run.lines[-1] == f"{len(expected)} error(s): nothing was written"
    assert snapshot(site.out) == before, "a failed build must leave the previous site as it was"


# Unreadable files and folders (4, 5) --------------------------------------------------

UNREADABLE = {
    "site.yaml": ("site.yaml", "site.yaml: cannot be read (Permission denied): check the file's permissions"),
    "a content file": (NEWS, f"{NEWS}: cannot be read (Permission denied): check the file's permissions"),
    "a data file": ("data/partners.yaml", "data/partners.yaml: cannot be read (Permission denied): check the file's permissions"),
    "a template": ("templates/news.html", "templates/news.html: cannot be read (Permission denied): check the file's permissions"),
    "a static file": ("static/files/plan.pdf", "static/files/plan.pdf: cannot be read (Permission denied): check the file's permissions"),
    "the content/news folder": ("content/news", "content/news: this folder cannot be read (Permission denied): the files in it would be missing from the site"),
    "the templates folder": ("templates", "templates: this folder cannot be read (Permission denied): the files in it would be missing from the site"),
    "a static folder": ("static/files", "static/files: this folder cannot be read (Permission denied): the files in it would be missing from the site"),
}


@pytest.mark.parametrize("case", list(UNREADABLE))
def test_unreadable(case: str, hub, deny) -> None:  # type: ignore[no-untyped-def]
    rel, message = UNREADABLE[case]
    site = hub({NEWS: GOOD_NEWS, "data/partners.yaml": "- Vale Trust\n", "static/files/plan.pdf": "%PDF",
                "templates/news.html": "{% extends 'base.html' %}{% block content %}{{ page.title }}{% endblock %}"})
    assert site.build().code == 0
    before = snapshot(site.out)
    deny(site.root / rel)
    run = site.build()
    assert deny.exercised(), "the refusal must actually be met"
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    assert (run.code, run.lines) == (1, [message, "1 error(s): nothing was written"])
    deny.restore()
    assert snapshot(site.out) == before


# Writing the output (4) -------------------------------------------------------------------

def test_a_full_disk_leaves_the_previous_site(hub, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path as P

    site = hub({NEWS: GOOD_NEWS, "static/files/plan.pdf": "%PDF"})
    assert site.build().code == 0
    before = snapshot(site.out)
    site.write({NEWS: GOOD_NEWS.replace("A visit", "A second visit")})
    written = []
    real = P.write_bytes

    def full(self: P, data: bytes) -> int:
        written.append(self)
        if len(written) > 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(P, "write_bytes", full)
    run = site.build()
    assert len(written) >= 4  # the disk filled up while the index or the site was written
    assert (run.code, run.lines) == (1, [f"cannot write the site into {site.out}: No space left on device; the previous site is unchanged"])
    assert snapshot(site.out) == before
    assert sorted(p.name for p in site.root.iterdir()) == [".sitegen-cache", "_site", "content", "site.yaml", "static"]


@pytest.mark.parametrize(("output", "reason"), [("/dev/null/site", "/dev/null is not a folder"), ("/proc/sitegen-site", "No such file or directory")])
def test_an_unwritable_output_is_a_usage_error(hub, output: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    run = hub({NEWS: GOOD_NEWS}).build("-o", output)
    assert (run.code, run.lines) == (2, [f"sitegen: cannot build into {output}: {reason}"])


@pytest.mark.parametrize(("value", "message"), [
    ("yesterday", 'sitegen: SOURCE_DATE_EPOCH: "yesterday" is not a whole number of seconds since 1970 (e.g. 1767225600); set it right or unset it'),
    ("1.5e9", 'sitegen: SOURCE_DATE_EPOCH: "1.5e9" is not a whole number of seconds since 1970 (e.g. 1767225600); set it right or unset it'),
    ("9" * 30, f'sitegen: SOURCE_DATE_EPOCH: "{"9" * 30}" is too far from today to be a date'),
])
def test_a_malformed_source_date_epoch(hub, monkeypatch, value: str, message: str) -> None:  # type: ignore[no-untyped-def]
    site = hub({NEWS: GOOD_NEWS})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    run = site.build()
    assert (run.code, run.lines) == (2, [message])
    assert not site.out.exists()


def test_a_port_out_of_range(hub) -> None:  # type: ignore[no-untyped-def]
    from sitegen.cli.main import main

    site = hub({NEWS: GOOD_NEWS})
    for port in ("99999", "-1", "http"):
        with pytest.raises(SystemExit) as caught:
            main(["serve", "--port", port, str(site.root)])
        assert caught.value.code == 2
        assert f'argument --port: "{port}" is not a port number (0 to 65535)' in site.capsys.readouterr().err


# 7. Drafts and unpublished items keep their files to themselves ---------------------------

def jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def test_files_of_unpublished_items_stay_out(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({
        NEWS: GOOD_NEWS,
        "content/resources/plan.md": "---\ntitle: Plan\nfile: plan.pdf\ndraft: true\n---\n",
        "content/resources/plan.pdf": "%PDF draft",
        "content/news/2026-12-25-later.md": "---\ntitle: Later\ndate: 2026-12-25\nimage: /img/later.jpg\nimage_alt: A tree\n---\n"
                                            "![the hall](hall.jpg)\n",
        "content/news/hall.jpg": jpeg(),
        "static/img/later.jpg": jpeg(),
        "content/events/2026-01-01-e.md": "---\ntitle: E\nstart: 2026-01-01\npublish_date: 2027-01-01\n---\n[notes](notes.pdf)\n",
        "content/events/notes.pdf": "%PDF notes",
        # used by a draft and by a published page as well: published
        "content/resources/shared.md": "---\ntitle: Shared\nfile: shared.pdf\ndraft: true\n---\n",
        "content/resources/shared.pdf": "%PDF shared",
        "content/about.md": "---\ntitle: About\n---\n[shared](resources/shared.pdf)\n",
        # not used by anything: copied as always
        "static/files/leaflet.pdf": "%PDF leaflet",
    })
    run = site.build()
    assert run.code == 0, run.err
    published = {p.relative_to(site.out).as_posix() for p in site.out.rglob("*") if p.is_file()}
    for gone in ("resources/plan.pdf", "img/later.jpg", "news/hall.jpg", "events/notes.pdf"):
        assert gone not in published
    assert {"resources/shared.pdf", "files/leaflet.pdf"} <= published
    assert not [p for p in published if "hall" in p or "later." in p], "no copy or variant of a held-back picture either"
    check = site.run("check")
    assert check.code == 0
    assert [line for line in check.lines if "left out" in line] == [
        "/events/notes.pdf is left out of the site until it is published: the only item using it is "
        "content/events/2026-01-01-e.md, not published yet (warning)",
        "/img/later.jpg is left out of the site until it is published: the only item using it is content/news/2026-12-25-later.md, not published yet (warning)",
        "/news/hall.jpg is left out of the site until it is published: the only item using it is content/news/2026-12-25-later.md, not published yet (warning)",
        "/resources/plan.pdf is left out of the site until it is published: the only item using it is content/resources/plan.md, a draft (warning)",
    ]
    assert site.build("--drafts", "--future").code == 0
    published = {p.relative_to(site.out).as_posix() for p in site.out.rglob("*") if p.is_file()}
    assert {"resources/plan.pdf", "img/later.jpg", "news/hall.jpg", "events/notes.pdf"} <= published


def test_a_file_a_template_names_is_kept(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({
        "content/resources/plan.md": "---\ntitle: Plan\nfile: /files/plan.pdf\ndraft: true\n---\n",
        "static/files/plan.pdf": "%PDF",
        "templates/404.html": "{% extends 'base.html' %}{% block content %}<a href=\"{{ url('/files/plan.pdf') }}\">plan</a>{% endblock %}",
    })
    assert site.build().code == 0, site.build().err
    assert (site.out / "files/plan.pdf").exists()


# 1. Two builds into one output -------------------------------------------------------------

BUILD = [sys.executable, "-c", "import sys; from sitegen.cli.main import run_console; sys.argv[0] = 'sitegen'; run_console()", "build"]


def busy(pid: int, out: Path) -> str:
    return f"sitegen: another build (process {pid}) is writing into {out}: wait for it to finish, or build elsewhere with -o"


def test_two_builds_at_once_never_mix(tmp_path: Path) -> None:
    from conftest import write_files

    from sitegen.builder.api import BuildOptions, build

    posts = {f"content/news/2026-01-{d:02d}-post-{d}.md": f"---\ntitle: Post {d}\ndate: 2026-01-{d:02d}\ntags: [t{d % 7}]\n---\nText {d}.\n"
             for d in range(1, 29)}
    resources = {f"content/resources/r{i}.md": f"---\ntitle: Resource {i}\nkey_stages: [KS{i % 4 + 1}]\n---\n" for i in range(60)}
    root = write_files(tmp_path / "hub", {"site.yaml": MINIMAL_SITE, **posts, **resources})
    out = root / "_site"
    refused = 0
    for round_ in range(6):
        write_files(root, {"content/about.md": f"---\ntitle: About, round {round_}\n---\n"})
        reference = tmp_path / f"reference-{round_}"
        build(root, BuildOptions(output=reference))
        first = subprocess.Popen([*BUILD, str(root)], stderr=subprocess.PIPE, text=True)
        second = subprocess.Popen([*BUILD, str(root)], stderr=subprocess.PIPE, text=True)
        results = [(p, *p.communicate(timeout=300)) for p in (first, second)]
        codes = sorted(p.returncode for p, _, _ in results)
        assert codes in ([0, 0], [0, 2]), results
        for process, _, err in results:
            if process.returncode == 2:
                other = second if process is first else first
                assert err.strip().splitlines() == [busy(other.pid, out)]
                refused += 1
        assert snapshot(out) == snapshot(reference), f"round {round_}: the output is one complete site"
        assert sorted(p.name for p in root.iterdir()) == [".sitegen-cache", "_site", "content", "site.yaml"], "no staging folder or lock is left"
    assert refused >= 1, "the builds never overlapped, so the lock was not tested"


def test_a_killed_build_does_not_block_the_next(hub) -> None:  # type: ignore[no-untyped-def]
    from sitegen.builder.lock import lock_path

    site = hub({NEWS: GOOD_NEWS})
    holder = subprocess.Popen([sys.executable, "-c", ("import sys, time\nfrom pathlib import Path\nfrom sitegen.builder.lock import output_lock\n"
                               "with output_lock(Path(sys.argv[1])):\n    print('locked', flush=True)\n    time.sleep(120)\n"), str(site.out)],
                              stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
        run = site.build()
        assert (run.code, run.lines) == (2, [busy(holder.pid, site.out)])
    finally:
        holder.kill()  # SIGKILL: no clean-up runs
        holder.wait()
    assert lock_path(site.out).read_text() == f"{holder.pid}\n", "the killed build left its lock file behind"
    run = site.build()
    assert run.code == 0, run.err
    assert not lock_path(site.out).exists()


# 2. The dev server never gives up ----------------------------------------------------------

SERVE_HUB = {
    "site.yaml": MINIMAL_SITE,
    NEWS: GOOD_NEWS,
    "content/about.md": "---\ntitle: About\n---\nAbout us.\n",
    EVENT: "---\ntitle: Twilight\nstart: 2026-12-01\n---\n",
    "templates/page.html": "{% extends 'base.html' %}{% block content %}<h1>{{ page.title }}</h1>{% endblock %}",
}


def edit(files: dict[str, str | Callable[[Path], None]]) -> Callable[[Path], list[str]]:
    def apply(root: Path) -> list[str]:
        for rel, value in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if callable(value):
                value(path)
            else:
                path.write_text(value)
        return list(files)
    return apply


def swap_out(name: str) -> Callable[[Path], list[str]]:
    def apply(root: Path) -> list[str]:
        (root / name).rename(root.parent / "moved-out")
        os.symlink(root.parent / "moved-out", root / name)
        return [name]
    return apply


# (what, the edit, text the overlay must show); each edit is undone as the next is made
BAD_EDITS: list[tuple[str, Callable[[Path], list[str]], str]] = [
    ("an impossible !!timestamp", edit({NEWS: "---\ntitle: A visit\ndate: !!timestamp 2026-02-30\n---\n"}), "is not a valid !!timestamp"),
    ("a 5,000-digit number", edit({NEWS: "---\ntitle: " + "9" * 5000 + "\ndate: 2026-03-10\n---\n"}), "a number with 5000 digits"),
    ("a bad !!int", edit({"content/about.md": "---\ntitle: !!int about\n---\n"}), "is not a valid !!int"),
    ("front matter nested 50,000 deep", edit({NEWS: "---\ntitle: A\ndate: 2026-03-10\nextra: " + "[" * DEEP + "]" * DEEP + "\n---\n"}),
     "nests lists or mappings more than 100 deep"),
    ("site.yaml nested 50,000 deep", edit({"site.yaml": MINIMAL_SITE + "extra: " + "{a: " * DEEP + "}" * DEEP + "\n"}),
     "site.yaml:3: site.yaml nests lists"),
    ("a data file nested 50,000 deep", edit({"data/x.yaml": "[" * DEEP + "]" * DEEP}), "data/x.yaml:1: nests lists"),
    ("JSON nested 50,000 deep", edit({"data/y.json": "[" * DEEP + "]" * DEEP}), "data/y.json: nests lists or objects"),
    ("Markdown nested 2,000 deep", edit({"content/about.md": "---\ntitle: About\n---\n" + "".join("  " * i + "- x\n" for i in range(2000))}),
     "a list item or quote is indented"),
    ("a multi-line event title", edit({EVENT: '---\ntitle: "Twilight\\nCPD"\nstart: 2026-12-01\n---\n',
                                       "content/broken.md": "---\ntitle: [unclosed\n---\n"}), "content/broken.md:2: front matter is not valid YAML"),
    ("a symlink loop", edit({"content/loop.md": loop}), "content/loop.md: is a link that leads round in a circle"),
    ("a backslash in a static file name", edit({"static/a\\b.txt": "x"}), "a backslash (\\) cannot be part of a web address"),
    ("a link out of the hub", edit({"content/secret.md": symlink("/etc/hostname")}), "content/secret.md: is a link to something outside the hub"),
    ("content/ a link out of the hub", swap_out("content"), "content: is a link to something outside the hub"),
    ("templates/ a link out of the hub", swap_out("templates"), "templates: is a link to something outside the hub"),
    ("a time zone folder", edit({"site.yaml": MINIMAL_SITE + "timezone: Europe\n"}), 'timezone: "Europe" is not a time zone'),
    ("base_url not a URL", edit({"site.yaml": "title: T\nbase_url: 'https://[x/hub/'\n"}), 'base_url: "https://[x/hub/" must be'),
    ("an extension sitegen has not", edit({"site.yaml": MINIMAL_SITE + "markdown_extensions: ['.x']\n"}), "is not an extension sitegen has"),
    ("content/about beside about.md", edit({"content/about": "notes"}), "/about is both a file"),
    ("schools.csv with an unclosed quote", edit({"data/schools.csv": 'URN,EstablishmentName\n1,"a\n' + "x" * 200_000}),
     "the row starting on this line never ends"),
    ("an over-long alias", edit({"content/about.md": "---\ntitle: About\naliases: [/" + "a" * 300 + "/]\n---\n"}), "file systems allow at most 255"),
    ("a template syntax error", edit({"templates/page.html": "{% if %}"}), "templates/page.html:1: template syntax error"),
    ("a file that is not text", edit({NEWS: "\x00\x01binary"}), "is not a text file"),
]


def undo(root: Path, touched: list[str], saved: dict[str, bytes | None]) -> None:
    for rel in touched:
        path = root / rel
        if path.is_symlink() and rel in ("content", "templates"):
            path.unlink()
            (root.parent / "moved-out").rename(path)
        elif saved.get(rel) is None:
            if path.is_symlink() or path.is_file():
                path.unlink()
        else:
            path.write_bytes(saved[rel])  # type: ignore[arg-type]


def saved_of(root: Path) -> dict[str, bytes | None]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.is_symlink()}


def test_the_rebuilder_recovers_from_every_bad_edit(tmp_path: Path) -> None:
    from conftest import NOW, write_files

    from sitegen.serve.rebuild import Rebuilder
    from sitegen.builder.api import BuildOptions, build

    root = write_files(tmp_path / "hub", SERVE_HUB)
    rebuilder = Rebuilder(root, BuildOptions(drafts=True, now=NOW))
    assert not rebuilder.rebuild(None).errors
    saved = saved_of(root)
    touched: list[str] = []
    for what, bad, shown in BAD_EDITS:
        undo(root, touched, saved)
        before = touched
        touched = bad(root)
        result = rebuilder.rebuild({root / rel for rel in before + touched})
        messages = [str(e) for e in result.errors]
        assert any(shown in m for m in messages), (what, messages)
        assert not any("internal error" in m for m in messages), (what, messages)
    undo(root, touched, saved)
    (root / NEWS).write_text(GOOD_NEWS.replace("A visit", "A visit, at last"))
    result = rebuilder.rebuild({root / rel for rel in [*touched, NEWS]})
    assert not result.errors, result.errors
    assert b"A visit, at last" in rebuilder.files["news/visit/index.html"]
    assert rebuilder.files == dict(build(root, BuildOptions(drafts=True, now=NOW, write=False)).rendered)


@pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning")  # watchdog, when content/ is replaced by a link and back
def test_serve_keeps_serving_through_every_bad_edit(tmp_path: Path) -> None:
    import html
    import io as io_

    from conftest import NOW, write_files
    from test_authoring import get, wait_for

    from sitegen.serve.server import shutdown, start

    root = write_files(tmp_path / "hub", SERVE_HUB)
    log = io_.StringIO()
    server = start(root, serve_options(now=NOW), "127.0.0.1", 0, out=log)
    url = f"http://127.0.0.1:{server.http.server_address[1]}/hub/news/visit/"  # type: ignore[union-attr]
    try:
        assert get(url)[0] == 200
        saved = saved_of(root)
        touched: list[str] = []
        for what, bad, shown in BAD_EDITS:
            undo(root, touched, saved)
            touched = bad(root)
            body = wait_for(url, html.escape(shown), seconds=30)
            assert html.escape(shown) in body, (what, [line for line in log.getvalue().splitlines() if "internal" in line], log.getvalue()[-3000:])
            assert "sitegen-errors" in body
        undo(root, touched, saved)
        (root / NEWS).write_text(GOOD_NEWS.replace("A visit", "A visit, at last"))
        body = wait_for(url, "sitegen-errors", present=False, seconds=30)
        assert "sitegen-errors" not in body, log.getvalue()[-2000:]
        assert "A visit, at last" in wait_for(url, "A visit, at last", seconds=30)
        assert "internal error" not in log.getvalue() and "Traceback" not in log.getvalue()
    finally:
        shutdown(server)


def serve_options(**kwargs):  # type: ignore[no-untyped-def]
    from sitegen.builder.api import BuildOptions

    return BuildOptions(**kwargs)


# 8. The dev server answers only at its own address, and only with files of the hub ------------

def request(port: int, path: str, host: str | None = None, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest(method, path, skip_host=True)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@pytest.fixture
def dev(tmp_path: Path):  # type: ignore[no-untyped-def]
    from conftest import NOW, write_files

    from sitegen.serve.server import shutdown, start

    root = write_files(tmp_path / "hub", {**SERVE_HUB, "site.yaml": "title: Test Hub\n", "static/files/plan.txt": "the plan",
                                          "content/zh.md": "---\ntitle: News in Chinese\naliases: [/新闻/]\n---\n"})
    server = start(root, serve_options(now=NOW), "127.0.0.1", 0, out=io.StringIO())
    server.port = server.http.server_address[1]  # type: ignore[attr-defined, union-attr]
    yield server
    shutdown(server)


def test_serve_refuses_other_host_names(dev) -> None:  # type: ignore[no-untyped-def]
    port = dev.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        status, _, body = request(port, "/news/visit/", host)
        assert status == 200 and b"A visit" in body, host
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1:{port + 1}", f"127.0.0.1.evil.example:{port}", f"localhost:{port}@evil", "", None):
        for path in ("/news/visit/", "/__sitegen/events", "/__sitegen/live.js", "/"):
            status, headers, body = request(port, path, host)
            assert status == 421, (host, path)
            assert body.decode() == (f"sitegen serve answers only at its own address (such as http://127.0.0.1:{port}/), "
                                     f"not at {host or 'an address with no Host'}\n")
            assert "Location" not in headers


def test_serve_with_host_given_answers_to_it(tmp_path: Path) -> None:
    from conftest import NOW, write_files

    from sitegen.serve.server import shutdown, start

    root = write_files(tmp_path / "hub", {"site.yaml": "title: Test Hub\n", NEWS: GOOD_NEWS})
    server = start(root, serve_options(now=NOW), "localhost", 0, out=io.StringIO())
    port = server.http.server_address[1]  # type: ignore[union-attr]
    try:
        assert request(port, "/news/visit/", f"localhost:{port}")[0] == 200
        assert request(port, "/news/visit/", f"192.168.1.20:{port}")[0] == 200, "an address written as numbers cannot be rebound"
        assert request(port, "/news/visit/", f"school.example:{port}")[0] == 421
    finally:
        shutdown(server)


def test_serve_does_not_follow_a_static_file_swapped_for_a_link_out(dev, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    host = f"127.0.0.1:{dev.port}"
    assert request(dev.port, "/files/plan.txt", host)[2] == b"the plan"
    secret = tmp_path / "secret.txt"
    secret.write_text("outside the hub")
    plan = dev.root / "static/files/plan.txt"
    dev._stop.set()  # no rebuild in between: the server must check by itself when it serves
    time.sleep(0.6)
    plan.unlink()
    os.symlink(secret, plan)
    status, _, body = request(dev.port, "/files/plan.txt", host)
    assert status == 404 and b"outside the hub" not in body
    plan.unlink()
    os.symlink(dev.root / "content/about.md", plan)  # a link inside the hub is still fine
    assert request(dev.port, "/files/plan.txt", host)[:1] == (200,)


def test_serve_redirects_stay_on_the_site(dev) -> None:  # type: ignore[no-untyped-def]
    host = f"127.0.0.1:{dev.port}"
    status, headers, _ = request(dev.port, "/%2Fnews", host)
    assert (status, headers["Location"]) == (301, "/news/")
    status, headers, _ = request(dev.port, "//news", host)
    assert (status, headers["Location"]) == (301, "/news/")
    status, headers, _ = request(dev.port, "/%E6%96%B0%E9%97%BB", host)
    assert (status, headers["Location"]) == (301, "/%E6%96%B0%E9%97%BB/")
    assert b"/zh/" in request(dev.port, headers["Location"], host)[2], "the alias page, which sends the browser on"


def test_serve_a_get_after_a_head_on_one_connection_has_its_body(dev) -> None:  # type: ignore[no-untyped-def]
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", dev.port, timeout=10)
    try:
        conn.request("HEAD", "/news/visit/")
        head = conn.getresponse()
        assert head.status == 200 and head.read() == b""
        conn.request("GET", "/news/visit/")
        got = conn.getresponse()
        body = got.read()
        assert got.status == 200 and b"A visit" in body and len(body) == int(got.getheader("Content-Length"))
    finally:
        conn.close()


# 9. check finds active content and loads from other hosts however they are written ------------

ACTIVE = """---
title: About
---
![logo](/img/logo.png){onerror="alert(1)"}

[Click](javascript:alert(1)) and <a href="JAVASCRIPT:alert(2)">again</a> and [ok](https://example.net/)

[Pinged](/news/){ping="https://tracker.example/p"}

<a href=" javascript:alert(3)" onmouseover="steal()">hover</a>
<base href="https://evil.example/">
<meta http-equiv="refresh" content="0; url=https://evil.example/">
<svg><image href="https://images.example/a.png"/><use xlink:href="https://sprites.example/s.svg#i"/></svg>
<img src="https:pixels.example/p.gif" alt="">
<p style="background: url(\\\\share.example\\p.gif)">x</p>
<link rel="preconnect" href="https://fonts.example">
<link rel="dns-prefetch" href="//dns.example">
<div style="background-image: image-set('https://set.example/a.png' 1x, 'https://set.example/b.png' 2x)">x</div>
<img src="/img/logo.png" alt="our own, not a warning">
"""

ACTIVE_WARNINGS = [
    "the text contains an onerror= attribute (on a <img>): it runs code in visitors' browsers; make sure it is meant to be there",
    ('the text contains a javascript: address (href="javascript:alert(1)" on a <a>): it runs code in visitors\' browsers; '
     "make sure it is meant to be there"),
    ('the text contains a javascript: address (href="JAVASCRIPT:alert(2)" on a <a>): it runs code in visitors\' browsers; '
     "make sure it is meant to be there"),
    ('the text contains a javascript: address (href=" javascript:alert(3)" on a <a>): it runs code in visitors\' browsers; '
     "make sure it is meant to be there"),
    "the text contains an onmouseover= attribute (on a <a>): it runs code in visitors' browsers; make sure it is meant to be there",
    "the text contains a <base>: it changes where every link on the page leads; remove it",
    ('the text contains a <meta http-equiv="refresh">: it sends visitors to another address by itself; '
     "write a link instead (or 'aliases:' on the page that moved)"),
]
ACTIVE_LOADS = ["//dns.example", "\\\\share.example\\p.gif", "https://fonts.example", "https://images.example/a.png", "https://set.example/a.png",
                "https://set.example/b.png", "https://sprites.example/s.svg#i", "https://tracker.example/p", "https:pixels.example/p.gif"]


def test_check_finds_active_content(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/about.md": ACTIVE, "static/img/logo.png": jpeg(), NEWS: GOOD_NEWS})
    assert site.build().code == 0
    before = snapshot(site.out)
    run = site.run("check")
    assert run.code == 0 and "Traceback" not in run.err
    mine = [line.removesuffix(" (warning)") for line in run.lines if line.startswith("content/about.md: ")]
    assert [line for line in mine if "from another site" not in line and "line " not in line] == [f"content/about.md: {w}" for w in ACTIVE_WARNINGS]
    assert [line for line in mine if "from another site" in line] == [
        f"content/about.md: /about/index.html loads {address} from another site (a request that visitors' browsers make to a third party)"
        for address in ACTIVE_LOADS]
    assert site.run("check", "--strict").code == 1
    assert snapshot(site.out) == before, "check writes nothing"


def test_check_is_quiet_about_ordinary_text(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/about.md": "---\ntitle: About\n---\n[Mail](mailto:office@example.org), [news](/news/), "
                                     "[a site](https://example.net/), <a href=\"#top\" title=\"javascript: the basics\">top</a>\n"})
    run = site.run("check")
    assert run.code == 0
    assert [line for line in run.lines if line.startswith("content/about.md: ")] == []


# 10. Smaller -------------------------------------------------------------------------------

def test_control_characters_in_a_title_keep_the_feed_readable(hub) -> None:  # type: ignore[no-untyped-def]
    import xml.etree.ElementTree as ET

    site = hub({NEWS: '---\ntitle: "A\\x01 visit\\x1f"\ndate: 2026-03-10\nsummary: "Bell\\x07 rang"\ntags: ["cpd\\x0b"]\n---\nText\x0c here.\n'})
    run = site.build()
    assert run.code == 0, run.err
    atom = "{http://www.w3.org/2005/Atom}"
    entry = ET.fromstring((site.out / "feed.xml").read_bytes()).find(f"{atom}entry")
    assert entry is not None
    assert entry.findtext(f"{atom}title") == "A visit"
    assert entry.findtext(f"{atom}summary") == "Bell rang"
    assert [c.get("term") for c in entry.findall(f"{atom}category")] == ["cpd"]


def test_the_text_sitegen_colon_is_kept_beside_links(hub) -> None:  # type: ignore[no-untyped-def]
    from html.parser import HTMLParser

    site = hub({"content/about.md": "---\ntitle: About\n---\nRun sitegen: build, then `sitegen: check`. See [the visit](news/2026-03-10-visit.md) "
                                     'and <a href="news/2026-03-10-visit.md" title="sitegen: notes">this</a>.\n', NEWS: GOOD_NEWS})
    run = site.build()
    assert run.code == 0, run.err
    html = (site.out / "about/index.html").read_text()
    assert "Run sitegen: build, then <code>sitegen: check</code>. See <a href=\"/hub/news/visit/\">the visit</a>" in html
    assert '<a href="/hub/news/visit/" title="sitegen: notes">this</a>' in html
    assert "\ue000" not in html

    class Hrefs(HTMLParser):
        found: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.found += [v or "" for k, v in attrs if k == "href" and "visit" in (v or "")]

    parser = Hrefs()
    parser.feed(html)
    assert parser.found == ["/hub/news/visit/", "/hub/news/visit/"]


@pytest.mark.parametrize(("linked", "message"), [
    ("content/news", "content/news is a link to somewhere outside the hub"),
    ("content", "content is a link to somewhere outside the hub"),
    ("templates/archetypes", "templates/archetypes is a link to somewhere outside the hub"),
])
def test_new_does_not_follow_a_link_out_of_the_hub(hub, tmp_path: Path, linked: str, message: str) -> None:  # type: ignore[no-untyped-def]
    site = hub({NEWS: GOOD_NEWS, "templates/archetypes/news.md": "---\ntitle: {{ title }}\ndate: {{ today }}\n---\n"})
    outside = tmp_path / "outside"
    (site.root / linked).rename(outside)
    os.symlink(outside, site.root / linked)
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    run = site.run("new", "news", "Sports day", "--dir")
    assert (run.code, run.lines) == (2, [f"sitegen: {message}: sitegen only reads and writes inside the hub's own folders; "
                                         "make it a real folder or file of the hub"])
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before, "nothing written anywhere"


@pytest.mark.parametrize(("title", "shown"), [("Sports\udcffday", "\\udcff"), ("Bell\x07", "\\x07")])
def test_new_refuses_a_title_that_is_not_text(hub, title: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    site = hub({NEWS: GOOD_NEWS})
    before = snapshot(site.root)
    run = site.run("new", "news", title, "--dir")
    assert (run.code, run.lines) == (2, [f"sitegen: the title has a character that is not text ({shown}); type the title again"])
    assert snapshot(site.root) == before
