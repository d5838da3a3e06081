"""Broken hubs: each mistake gets its exact `path:line: message`, exit status 1, no traceback,
and the previous build stays exactly as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL_SITE, PNG, REPO

NEWS = "content/news/2026-03-10-visit.md"
GOOD_NEWS = """\
---
title: A visit
date: 2026-03-10
---
Hello.
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


CASES = {
    "misspelt setting": (
        {"site.yaml": "title: T\nbase_ulr: /hub/\n"},
        ["site.yaml:2: unknown setting 'base_ulr' (did you mean base_url?)"],
    ),
    "mistyped setting": (
        {"site.yaml": "title: T\nnews_per_page: lots\n"},
        ["site.yaml:2: news_per_page: must be a whole number of 1 or more"],
    ),
    "site.yaml not valid YAML": (
        {"site.yaml": "title: T\nmenu: [unclosed\n"},
        ["site.yaml:2: site.yaml is not valid YAML: a list in [brackets] is not closed, or a value in it needs quotes"],
    ),
    "front matter YAML error": (
        {NEWS: "---\ntitle: Visit: the sequel\ndate: 2026-03-10\n---\n"},
        [f"{NEWS}:2: front matter is not valid YAML: a value contains ': '; put the whole value in quotes"],
    ),
    "front matter never closes": (
        {NEWS: "---\ntitle: A visit\ndate: 2026-03-10\n"},
        [f"{NEWS}:1: the front matter starts on line 1 but never ends: add a line '---' after it"],
    ),
    "front matter not a mapping": (
        {NEWS: "---\n- title\n---\n"},
        [f"{NEWS}:2: front matter must be a list of 'key: value' lines, not a single value or a list"],
    ),
    "missing title": (
        {"content/about.md": "---\nsummary: About us\n---\n"},
        ["content/about.md:1: title: missing; every file needs one, e.g. 'title: Our autumn conference'"],
    ),
    "missing required date": (
        {NEWS: "---\ntitle: A visit\n---\n"},
        [f"{NEWS}:1: date: missing; a news post needs one, e.g. 'date: 2026-11-23'"],
    ),
    "date that is not a date": (
        {NEWS: "---\ntitle: A visit\ndate: 10th March 2022\n---\n"},
        [f'{NEWS}:3: date: "10th March 2022" is not a date (write 2022-03-10, or "2022-03-10 16:00" with a time)'],
    ),
    "impossible date": (
        {NEWS: "---\ntitle: A visit\ndate: 2026-02-30\n---\n"},
        [f'{NEWS}:3: date: "2026-02-30" is not a real date (is the day or month wrong?)'],
    ),
    "wrong type": (
        {NEWS: "---\ntitle: A visit\ndate: 2026-03-10\ndraft: maybe\n---\n"},
        [f'{NEWS}:4: draft: must be true or false, not "maybe"'],
    ),
    "unknown field": (
        {NEWS: "---\ntitle: A visit\ndate: 2026-03-10\nauthr: Jo\n---\n"},
        [f"{NEWS}:4: unknown field 'authr' (did you mean author?); put your own fields under 'extra:'"],
    ),
    "value outside a vocabulary": (
        {"content/resources/fractions.md": "---\ntitle: Fractions\nkey_stages: [KS2]\nsubjects: [mathz]\n---\n"},
        ['content/resources/fractions.md:4: subjects: "mathz" is not one of the subjects (did you mean mathematics?); allowed: '
         "English, mathematics, science, art and design, citizenship, computing, design and technology, languages, geography, "
         "history, music, physical education, religious education, PSHE and RSE, leadership, SEND, wellbeing, CPD"],
    ),
    "network that does not exist": (
        {"content/networks/reading.md": "---\ntitle: Reading\n---\n",
         NEWS: "---\ntitle: A visit\ndate: 2026-03-10\nnetworks: [readng]\n---\n"},
        [f'{NEWS}:4: networks: there is no network "readng" (did you mean reading, "Reading"?); networks are the files in content/networks/'],
    ),
    "member school that does not exist": (
        {"content/networks/reading.md": "---\ntitle: Reading\nmembers: [millbrok, 990101]\n---\n",
         "content/schools/millbrook.md": "---\ntitle: Millbrook\nurn: 990101\n---\n"},
        ['content/networks/reading.md:3: members: there is no school "millbrok" (did you mean millbrook, "Millbrook"?); name a school by its file name (slug) or URN'],
    ),
    "link to a missing file": (
        {"content/resources/toolkit.md": "---\ntitle: Toolkit\n---\n",
         NEWS: "---\ntitle: A visit\ndate: 2026-03-10\n---\nSee\n[the toolkit](../resources/tolkit.md).\n"},
        [f"{NEWS}:6: link to ../resources/tolkit.md: there is no file content/resources/tolkit.md (did you mean ../resources/toolkit.md?)"],
    ),
    "link to a missing file whose name has spaces": (
        {"content/news/Year 6 plan.pdf": b"%PDF", NEWS: "---\ntitle: A visit\ndate: 2026-03-10\n---\nSee\n[the plan](Year 6 plam.pdf).\n"},
        [f"{NEWS}:6: link to Year 6 plam.pdf: there is no file content/news/Year 6 plam.pdf (did you mean Year 6 plan.pdf?)"],
    ),
    "image without alt text": (
        {"static/img/visit.png": PNG, NEWS: "---\ntitle: A visit\ndate: 2026-03-10\n---\n![](/img/visit.png)\n"},
        [f"{NEWS}:5: image /img/visit.png has no alt text: write ![what it shows](/img/visit.png), or add {{.decorative}} after it if it only decorates"],
    ),
    "news image without image_alt": (
        {"static/img/visit.png": PNG, NEWS: "---\ntitle: A visit\ndate: 2026-03-10\nimage: /img/visit.png\n---\n"},
        [f"{NEWS}:4: image: needs image_alt, a few words saying what the picture shows"],
    ),
    "two files want one URL": (
        {"content/news/2026-03-10-visit.md": GOOD_NEWS, "content/news/2025-01-01-visit.md": GOOD_NEWS.replace("2026-03-10", "2025-01-01")},
        ["content/news/2025-01-01-visit.md: /news/visit/ is wanted by more than one file: "
         "content/news/2025-01-01-visit.md, content/news/2026-03-10-visit.md; give one of them another 'slug:'"],
    ),
    "file that is not UTF-8": (
        {NEWS: b"---\ntitle: Caf\x81\ndate: 2026-03-10\n---\n"},  # 0x81 is not a letter in Windows-1252 either
        [f"{NEWS}:2: is not UTF-8 text: open it and save it again as UTF-8"],
    ),
    "empty file": (
        {NEWS: ""},
        [f"{NEWS}:1: the file is empty: it needs front matter with at least a title"],
    ),
    "event that ends before it starts": (
        {"content/events/2026-12-01-cpd.md": '---\ntitle: CPD\nstart: "2026-12-01 16:00"\nend: "2026-12-01 15:00"\n---\n'},
        ["content/events/2026-12-01-cpd.md:4: end: the event ends (2026-12-01 15:00) before it starts (2026-12-01 16:00)"],
    ),
    "missing resource file": (
        {"content/resources/plan.md": "---\ntitle: Plan\nfile: plan.pdf\n---\n", "content/resources/plans.pdf": b"%PDF"},
        ['content/resources/plan.md:3: file: "plan.pdf" does not exist (did you mean plans.pdf?); put the file beside the .md or in static/'],
    ),
    "broken template": (
        {"templates/page.html": "{% extends 'base.html' %}\n{% block content %}\n{% if %}\n{% endblock %}\n",
         "content/about.md": "---\ntitle: About\n---\n"},
        ["templates/page.html:3: template syntax error: Expected an expression, got 'end of statement block'"],
    ),
    "undefined variable in a template": (
        {"templates/page.html": "{% extends 'base.html' %}\n{% block content %}\n{{ page.subtitle }}\n{% endblock %}\n",
         "content/about.md": "---\ntitle: About\n---\n"},
        ["templates/page.html:3: page has no attribute 'subtitle' (a template may only use what exists; test it first with 'is defined')"],
    ),
    "missing template": (
        {"content/about.md": "---\ntitle: About\ntemplate: wide.html\n---\n"},
        ["content/about.md:3: template 'wide.html' does not exist in templates/ or the built-in theme"],
    ),
    "bad row in the schools CSV": (
        {"data/schools.csv": "URN,EstablishmentName\n990201,Kelsey Bridge Academy\nabc,Fernley Green\n"},
        ["data/schools.csv:3: URN: \"abc\" is not a URN (a school's 6-digit Unique Reference Number)"],
    ),
    "empty required date": ({NEWS: "---\ntitle: A visit\ndate:\n---\n"}, [f"{NEWS}:3: date: missing; a news post needs one, e.g. 'date: 2026-11-23'"]),
    "blank title": ({NEWS: "---\ntitle: '   '\ndate: 2026-03-10\n---\n"}, [f"{NEWS}:2: title: missing; every file needs one, e.g. 'title: Our autumn conference'"]),
    "year out of range": ({"content/events/2026-01-01-e.md": "---\ntitle: E\nstart: 9999-12-31\n---\n"},
                          ["content/events/2026-01-01-e.md:3: start: 9999-12-31 has an unlikely year; check it (sitegen takes years from 1900 to 2199)"]),
    "very long slug": ({NEWS: "---\ntitle: A visit\ndate: 2026-03-10\nslug: " + "a" * 300 + "\n---\n"},
                       [f"{NEWS}:4: slug: is 300 characters long; keep it under 80"]),
    "raw HTML image without alt": ({"static/img/a.png": PNG, NEWS: '---\ntitle: A visit\ndate: 2026-03-10\n---\nText\n<img src="/img/a.png">\n'},
                                   [f'{NEWS}:6: <img src="/img/a.png"> has no alt text: add alt="what it shows", or alt="" if it only decorates']),
    "link to a generated page that does not exist": ({NEWS: "---\ntitle: A visit\ndate: 2026-03-10\n---\n[feed](/feed.xml) [2025](/news/2025/)\n"},
                                                     [f"{NEWS}:5: link to /news/2025/: nothing on the site has that address (did you mean /news/2026/?)"]),
    "two schools with one URN": ({"content/schools/a.md": "---\ntitle: A\nurn: 990101\n---\n", "content/schools/b.md": "---\ntitle: B\nurn: 990101\n---\n"},
                                 ["content/schools/b.md:3: urn: 990101 is also the URN of A (content/schools/a.md:3); a URN belongs to one school"]),
    "missing network logo": ({"content/networks/n.md": "---\ntitle: N\nlogo: /img/crest.png\n---\n"},
                             ['content/networks/n.md:3: logo: "/img/crest.png" does not exist']),
    "one alias for two pages": ({"content/a.md": "---\ntitle: A\naliases: [/old/]\n---\n", "content/b.md": "---\ntitle: B\naliases: [/old/]\n---\n"},
                                ["content/b.md:3: aliases: /old/ is also an alias of content/a.md; an old address can lead to one page only"]),
    "semicolon CSV": ({"data/schools.csv": "URN;EstablishmentName\n990201;Kelsey\n",
                       "content/networks/n.md": "---\ntitle: N\nmembers: [990201]\n---\n"},
                      ["data/schools.csv:1: the columns are separated by ';': save the file as CSV with commas (in Excel: 'CSV UTF-8 (Comma delimited)')"]),
    # Issue 20: a file too broken to publish that names an item that exists was "internal error".
    "event without a start names a network that exists": (
        {"content/networks/reading.md": "---\ntitle: Reading\n---\n",
         "content/events/2026-12-01-cpd.md": "---\ntitle: CPD\nnetworks: [reading]\n---\n"},
        ["content/events/2026-12-01-cpd.md:1: start: missing; an event needs one, e.g. 'start: 2027-02-04 16:00'"],
    ),
    "network without a title lists schools that exist": (
        {"content/schools/ysgol-y-bryn.md": "---\ntitle: Ysgol y Bryn\nurn: 990101\n---\n",
         "content/networks/darllen.md": "---\nmembers: [ysgol-y-bryn, 990101, Ysgol y Bryn]\n---\n"},
        ["content/networks/darllen.md:1: title: missing; every file needs one, e.g. 'title: Our autumn conference'"],
    ),
    "broken resource names a school and networks, one of them missing": (
        {"content/networks/reading.md": "---\ntitle: Reading\n---\n", "content/schools/millbrook.md": "---\ntitle: Millbrook\n---\n",
         "content/resources/plan.md": "---\nnetworks: [reading, raeding]\nschool: millbrook\n---\n"},
        ["content/resources/plan.md:1: title: missing; every file needs one, e.g. 'title: Our autumn conference'",
         'content/resources/plan.md:2: networks: there is no network "raeding" (did you mean reading, "Reading"?); '
         "networks are the files in content/networks/"],
    ),
    "member school whose own file is broken": (
        {"content/networks/reading.md": "---\ntitle: Reading\nmembers: [millbrook, oakfield]\n---\n",
         "content/schools/millbrook.md": "---\ntitle: Millbrook\n---\n", "content/schools/oakfield.md": "---\nurn: 990102\n---\n"},
        ["content/schools/oakfield.md:1: title: missing; every file needs one, e.g. 'title: Our autumn conference'"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_broken_hub(case: str, hub) -> None:  # type: ignore[no-untyped-def]
    files, expected = CASES[case]
    site = hub({NEWS: GOOD_NEWS})
    assert site.build().code == 0
    before = snapshot(site.out)
    site.write(files)
    run = site.build()
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    assert run.lines[:-1] == expected
    assert run.lines[-1] == f"{len(expected)} error(s): nothing was written"
    assert snapshot(site.out) == before, "a failed build must leave the previous site as it was"


def test_every_error_of_a_run_is_reported_at_once(hub) -> None:  # type: ignore[no-untyped-def]
    run = hub({
        "content/a.md": "---\ntitle: A\nsumary: x\n---\n",
        "content/b.md": "---\ndraft: yes please\n---\n",
        "content/news/2026-01-01-c.md": "---\ntitle: C\ndate: soon\n---\n",
    }).build()
    assert run.code == 1
    assert len(run.lines) == 5, run.err


def test_check_writes_nothing(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({NEWS: GOOD_NEWS})
    run = site.run("check")
    assert run.code == 0, run.err
    assert not site.out.exists()
    site.write({NEWS: "---\ntitle: A visit\n---\n"})
    assert site.run("check").code == 1


def test_usage_errors_exit_2(hub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sitegen.cli.main import main

    with pytest.raises(SystemExit) as caught:
        main(["build", "--no-such-option"])
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        main(["build", str(tmp_path / "nowhere")])
    assert caught.value.code == 2


def test_a_folder_without_site_yaml(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from sitegen.cli.main import main

    assert main(["build", str(tmp_path)]) == 1
    assert capsys.readouterr().err.startswith("site.yaml: no site.yaml in ")


def test_never_replaces_a_folder_it_did_not_make(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({NEWS: GOOD_NEWS})
    (site.out).mkdir()
    (site.out / "thesis.docx").write_text("years of work")
    run = site.build()
    assert run.code == 2
    assert "was not made by sitegen" in run.err
    assert (site.out / "thesis.docx").read_text() == "years of work"


def test_output_dir_may_not_be_the_hub(hub) -> None:  # type: ignore[no-untyped-def]
    run = hub({NEWS: GOOD_NEWS}, site_yaml=MINIMAL_SITE + "output_dir: content\n").build()
    assert run.lines[0] == 'site.yaml:3: output_dir: "content" would overwrite the hub itself; use a folder of its own such as _site'


def test_links_to_pages_sitegen_makes(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({NEWS: "---\ntitle: A visit\ndate: 2026-03-10\ntags: [cpd]\n---\n[feed](/feed.xml) [cal](/events/calendar.ics) "
                      "[year](/news/2026/) [tags](/news/tags/cpd/) [contact](/contact/)\n"})
    assert site.build().code == 0
    hrefs = [a["href"] for a in site.html("news/visit/index.html").select(".prose a")]
    assert hrefs == ["/hub/feed.xml", "/hub/events/calendar.ics", "/hub/news/2026/", "/hub/news/tags/cpd/", "/hub/contact/"]


def test_a_windows_csv_and_tags_in_any_script(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"data/schools.csv": "URN,EstablishmentName\n990201,Ysgol Caf\xe9\n".encode("cp1252"),
                NEWS: "---\ntitle: A visit\ndate: 2026-03-10\ntags: ['🎉', 'cpd']\n---\n"})
    run = site.build()
    assert run.code == 0, run.err
    assert site.html("schools/ysgol-cafe/index.html").h1.get_text() == "Ysgol Café"
    tags = {a.get_text(): a["href"] for a in site.html("news/tags/index.html").select(".tag-list a")}
    assert tags["cpd"] == "/hub/news/tags/cpd/" and tags["🎉"].startswith("/hub/news/tags/tag-")


def test_command_line_mistakes_exit_2(hub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = hub({NEWS: GOOD_NEWS})
    run = site.build("--base-url", "foo")
    assert (run.code, run.lines) == (2, ['sitegen: --base-url: "foo" must be a full address such as https://user.github.io/our-network/ or a path such as /our-network/'])
    run = site.build("-o", str(site.root / "static" / "x"))
    assert run.code == 2 and "would overwrite the hub itself" in run.err
    assert not (site.root / "static").exists()


def test_build_py_without_sitegens_libraries_says_what_to_install(tmp_path: Path) -> None:
    """`python build.py` in a Python where the Markdown engine (pyromark) is missing: one clear message, no traceback."""
    missing = tmp_path / "pyromark"
    missing.mkdir()
    (missing / "__init__.py").write_text('raise ModuleNotFoundError("No module named \'pyromark\'", name="pyromark")\n')
    done = subprocess.run([sys.executable, "build.py", "--help"], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{REPO}"})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "the library 'pyromark' that sitegen needs is not installed" in done.stderr and "pip install -e ." in done.stderr
