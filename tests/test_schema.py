"""The content schema: what writers may type and what it becomes, a hub's own kinds, `sitegen schema`,
and the docs' field tables."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import pytest

from sitegen.config.siteyaml import DEFAULT_MARKDOWN_EXTENSIONS, load_config
from sitegen.content.page import Settings
from sitegen.content.read import load_page
from sitegen.editor.json_schema import json_schema
from sitegen.editor.fieldtables import BLOCK, tables
from sitegen.schema.fields import FieldContext
from sitegen.content.frontmatter import split
from sitegen.schema.kinds import BUILTIN
from sitegen.schema.vocab import default_vocabularies

from conftest import REPO

LONDON = ZoneInfo("Europe/London")
SETTINGS = Settings(FieldContext(LONDON, default_vocabularies()), DEFAULT_MARKDOWN_EXTENSIONS)
FILES = {"news": "content/news/2026-10-02-a.md", "events": "content/events/2026-10-02-e.md",
         "resources": "content/resources/r.md", "networks": "content/networks/n.md", "schools": "content/schools/s.md"}
BASE = {"news": "date: 2026-10-02\n", "events": 'start: "2026-10-02 16:00"\n', "resources": "", "networks": "", "schools": ""}


def read(kind: str, line: str):  # type: ignore[no-untyped-def]
    """The page and problems from a file of `kind` whose front matter has `line` added."""
    base = "".join(b for b in BASE[kind].splitlines(keepends=True) if b.split(":")[0] != line.split(":")[0])
    return load_page(FILES[kind], f"---\ntitle: T\n{base}{line}\n---\nText.\n", SETTINGS)


def at(hour: int, minute: int = 0, day: int = 2) -> dt.datetime:
    return dt.datetime(2026, 10, day, hour, minute, tzinfo=LONDON)


# What people write -> what sitegen stores.
ACCEPTED = [
    ("news", "date: 2026-10-02 16:30", "date", at(16, 30)),
    ("news", "date: 2026-10-02T16:30:00+01:00", "date", at(16, 30)),
    ("news", "date: 2026-10-02 16:30:00 +0100", "date", at(16, 30)),
    ("news", "date: 2026-10-02T15:30:00Z", "date", at(16, 30)),
    ("news", "date: 2026-10-02", "date", dt.date(2026, 10, 2)),
    ("events", 'start: "2026-10-02 4pm"', "start", at(16)),
    ("events", 'start: 2026-10-02 16.30', "start", at(16, 30)),
    ("events", 'end: "17:00"', "end", at(17)),
    ("events", "end: 5.30pm", "end", at(17, 30)),
    ("resources", "subjects: Maths, PE, RE, D&T", "subjects", ("mathematics", "physical education", "religious education", "design and technology")),
    ("resources", "subjects: [PSHE, RSE, ICT, MFL, Art, DT]", "subjects", ("PSHE and RSE", "computing", "languages", "art and design", "design and technology")),
    ("resources", "subjects: P.E.", "subjects", ("physical education",)),
    ("resources", "key_stages: Key Stage 3", "key_stages", ("KS3",)),
    ("resources", "key_stages: KS 3, ks4", "key_stages", ("KS3", "KS4")),
    ("resources", "key_stages: [Reception, Sixth form]", "key_stages", ("EYFS", "KS5")),
    ("resources", "phases: Sixth Form", "phases", ("post-16",)),
    ("resources", "type: slides", "type", "presentation"),
    ("resources", "type: PowerPoint", "type", "presentation"),
    ("resources", "type: guide", "type", "guidance"),
    ("resources", "type: CPD", "type", "CPD material"),
    ("resources", "type: training", "type", "CPD material"),
    ("resources", "type: Worksheets", "type", "worksheet"),
    ("resources", "type: Lesson Plan", "type", "lesson plan"),
    ("events", "attendance: hybrid", "attendance", "mixed"),
    ("events", "attendance: Blended", "attendance", "mixed"),
    ("events", "attendance: face to face", "attendance", "in person"),
    ("events", "attendance: In-Person", "attendance", "in person"),
    ("events", "attendance: virtual", "attendance", "online"),
    ("events", "attendance: remote", "attendance", "online"),
    ("events", "status: canceled", "status", "cancelled"),
    ("news", "tags: ITT, NPQ", "tags", ("ITT", "NPQ")),
    ("news", "tags: reading", "tags", ("reading",)),
    ("news", "tags: [reading, reading]", "tags", ("reading",)),
    ("news", "networks: reading", "networks", ("reading",)),
    ("networks", "focus: Reading, phonics and writing", "focus", ("Reading, phonics and writing",)),
    ("networks", "focus: [Reading, Writing]", "focus", ("Reading", "Writing")),
    ("networks", "website: www.example.org", "website", "https://www.example.org"),
    ("schools", 'urn: "123456"', "urn", 123456),
    ("schools", "phase: Primary", "phase", "primary"),
    ("news", "draft: yes", "draft", True),
    ("news", "image: my photo.jpg", "image", "my photo.jpg"),
]


@pytest.mark.parametrize(("kind", "line", "field", "expected"), ACCEPTED, ids=[a[1] for a in ACCEPTED])
def test_natural_inputs_are_accepted(kind: str, line: str, field: str, expected: object) -> None:
    page, problems = read(kind, line + ("\nimage_alt: A photo" if field == "image" else ""))
    assert not problems.errors, [str(e) for e in problems.errors]
    assert page is not None and page.fields[field] == expected


# What is still refused, on purpose, and the message that says why.
REFUSED = [
    ("resources", "subjects: [Maths, PE, Drama, Astronomy]", [
        'subjects: "Drama" is not one of the subjects', 'subjects: "Astronomy" is not one of the subjects']),
    ("resources", "subjects: mathz", ['subjects: "mathz" is not one of the subjects (did you mean mathematics?)']),
    ("news", "date: 10th March 2026", ['date: "10th March 2026" is not a date (write 2026-03-10, or "2026-03-10 16:00" with a time)']),
    ("news", "date: next Tuesday", ['date: "next Tuesday" is not a date (write a date as YYYY-MM-DD']),
    ("news", "date: 2026-02-30", ['date: "2026-02-30" is not a real date (is the day or month wrong?)']),
    ("news", "date: 2026-10-02 25:00", ['date: "2026-10-02 25:00" is not a time of day (write it like 16:30)']),
    ("events", 'start: 2026-10-02\nend: "17:00"', ['end: a time alone needs start to have a time too (write start like "2026-10-02 16:00")']),
    ("events", "attendance: by carrier pigeon", ['attendance: "by carrier pigeon" must be one of: in person, online, mixed']),
    ("networks", "website: our school site", ['website: "our school site" is not a web address: write it in full, starting https://']),
    ("news", "draft: maybe", ['draft: must be true or false, not "maybe"']),
    ("schools", "urn: 12", ['urn: "12" is not a URN']),
    ("news", "layout: post", ["unknown field 'layout'"]),
]


@pytest.mark.parametrize(("kind", "line", "messages"), REFUSED, ids=[r[1] for r in REFUSED])
def test_what_is_still_refused_says_why(kind: str, line: str, messages: list[str]) -> None:
    page, problems = read(kind, line)
    got = [e.message for e in problems.errors]
    assert len(got) == len(messages), got
    for message, error in zip(messages, got):
        assert error.startswith(message), (error, message)


def test_names_from_other_tools_are_read_with_a_warning() -> None:
    page, problems = read("news", "description: A short one.\ncategories: ITT, NPQ\nlastmod: 2026-10-03\nfeatured_image: /a.jpg\nimage_alt: A")
    assert not problems.errors
    assert page is not None and page.fields["summary"] == "A short one." and page.fields["tags"] == ("ITT", "NPQ")
    assert page.fields["updated"] == dt.date(2026, 10, 3) and page.fields["image"] == "/a.jpg"
    assert [w.message for w in problems.warnings] == [
        "'description' is read as 'summary', sitegen's name for it: rename it to silence this",
        "'categories' is read as 'tags', sitegen's name for it: rename it to silence this",
        "'lastmod' is read as 'updated', sitegen's name for it: rename it to silence this",
        "'featured_image' is read as 'image', sitegen's name for it: rename it to silence this",
    ]
    _, both = read("news", "summary: A.\ndescription: B.")
    assert [e.message for e in both.errors] == ["'description' and 'summary' say the same thing: keep 'summary' only"]


def test_a_bare_web_address_is_mended_with_a_warning() -> None:
    _, problems = read("schools", "website: www.millbrook.sch.uk")
    assert [w.message for w in problems.warnings] == ['website: "www.millbrook.sch.uk" is taken as https://www.millbrook.sch.uk; write the address in full to silence this']


@pytest.mark.parametrize(("text", "line", "message"), [
    ("---\ntitle: T\ntags:\n\t- x\n---\n", 4, "a tab is used for indenting: use spaces, not tabs"),
    ("---\ntitle: “Reading: a guide”\n---\n", 2, "this line has curly quotes (“ ” or ‘ ’), as Word makes them: YAML needs straight quotes"),
])
def test_yaml_mistakes_in_plain_words(text: str, line: int, message: str) -> None:
    page, problems = load_page("content/about.md", text, SETTINGS)
    assert [(e.line, e.message.split(": ", 1)[1][: len(message)]) for e in problems.errors] == [(line, message)]


def test_a_hash_that_yaml_reads_as_a_comment(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/about.md": "---\ntitle: #1 in the county\n---\nHi.\n"}, site_yaml='title: T\ncolour: #7a1f5c\n')
    assert site.build().lines[:-1] == ['site.yaml:2: colour: is empty, because in YAML "#" starts a comment: put the value in quotes, colour: "#7a1f5c"']
    site.write({"site.yaml": 'title: T\ncolour: "#7a1f5c"\n'})
    assert site.build().lines[:-1] == ['content/about.md:2: title: is empty, because in YAML "#" starts a comment: put the value in quotes, title: "#1 in the county"']


def test_a_windows_1252_file_is_read_with_a_warning(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/about.md": "---\ntitle: Caf\xe9 \u2013 \u201cmenu\u201d\n---\nHi.\n".encode("cp1252")})
    run = site.build()
    assert run.code == 0, run.err
    assert "content/about.md:2: is saved as Windows-1252, not UTF-8: it was read as Windows-1252; save it as UTF-8 to silence this (warning)" in run.lines
    assert site.html("about/index.html").h1.get_text() == "Café – “menu”"


def test_every_problem_in_one_run(hub) -> None:  # type: ignore[no-untyped-def]
    """A file whose front matter is broken still has its links checked; references suggest by slug and title."""
    site = hub({
        "content/networks/reading-network.md": "---\ntitle: Vale Reading Network\n---\n",
        "content/news/2026-10-02-a.md": "---\ntitle: A\ndate: 2026-10-02\ntags: [a\n---\nSee [this](../nowhere.md).\n",
        "content/news/2026-10-02-b.md": "---\ntitle: B\ndate: 2026-10-02\nnetworks: [Vale Reading Netwrk]\n---\n",
        "content/news/2026-10-02-c.md": "---\ntitle: C\n---\n![a map](missing.png)\n",
    })
    run = site.build()
    assert run.code == 1
    assert run.lines[:-1] == [
        "content/news/2026-10-02-a.md:4: front matter is not valid YAML: a list in [brackets] is not closed, or a value in it needs quotes",
        "content/news/2026-10-02-a.md:6: link to ../nowhere.md: there is no file content/nowhere.md",
        'content/news/2026-10-02-b.md:4: networks: there is no network "Vale Reading Netwrk" (did you mean reading-network, '
        '"Vale Reading Network"?); networks are the files in content/networks/',
        "content/news/2026-10-02-c.md:1: date: missing; a news post needs one, e.g. 'date: 2026-11-23'",
        "content/news/2026-10-02-c.md:4: image to missing.png: there is no file content/news/missing.png",
    ]


def test_references_by_title_are_stored_as_slugs(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({
        "content/networks/reading-network.md": "---\ntitle: Vale Reading Network\nmembers: Millbrook Primary\n"
                                               "contacts:\n  - {name: A. Head, phone: 01234 567890}\n---\n",
        "content/schools/millbrook.md": "---\ntitle: Millbrook Primary\n---\n",
        "content/resources/r.md": "---\ntitle: R\nnetworks: Vale Reading Network\n---\n",
    })
    assert site.build().code == 0
    network = site.html("networks/reading-network/index.html")
    assert [a.get_text() for a in network.select("main ul a[href$='/schools/millbrook/']")] == ["Millbrook Primary"]
    assert network.select_one("a[href='tel:01234567890']").get_text() == "01234 567890"
    assert (site.out / "resources/network/reading-network/index.html").exists()


def test_closed_schools_from_gias_are_left_out_with_a_warning(hub) -> None:  # type: ignore[no-untyped-def]
    csv = ("URN,EstablishmentName,EstablishmentStatus (name),SchoolWebsite\n"
           "100001,Open School,Open,www.open.example\n100002,Shut School,Closed,\n")
    run = hub({"data/schools.csv": csv}).build()
    assert run.code == 0
    assert "data/schools.csv:3: Shut School is closed (EstablishmentStatus: Closed): it is left out of the site (warning)" in run.lines
    assert "data/schools.csv:2: SchoolWebsite: 1 address(es) without https:// are taken as https://... (warning)" in run.lines
    assert "Shut School" not in (hub().out / "schools/index.html").read_text()


def test_the_menu_shows_a_page_once(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/about.md": "---\ntitle: About\nmenu: true\n---\n"},
               site_yaml="title: T\nmenu:\n  - {title: About us, url: /about/}\n")
    assert site.build().code == 0
    assert [a.get_text() for a in site.html("index.html").select("nav[aria-label=Main] a")] == ["About us"]


VACANCIES = """\
title: T
base_url: https://example.org/hub/
kinds:
  vacancies:
    singular: vacancy
    order: closing_date
    fields:
      closing_date: {type: date, required: true, label: Closing date, example: 2027-01-15}
      school: {type: reference, to: schools}
      contract: {type: choice, choices: [permanent, fixed term], facet: true}
      salary: text
  news:
    fields:
      sponsor: {type: text, label: Sponsor}
"""


def test_a_hubs_own_kind(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({
        "content/schools/millbrook.md": "---\ntitle: Millbrook Primary\n---\n",
        "content/vacancies/teacher.md": "---\ntitle: Year 3 teacher\nclosing_date: 2027-01-15\nschool: millbrook\ncontract: Permanent\nsalary: MPS\n---\nJoin us.\n",
        "content/vacancies/head.md": "---\ntitle: Headteacher\nclosing_date: 2026-12-10\ncontract: fixed term\n---\nLead us.\n",
        "content/news/2026-10-02-a.md": "---\ntitle: A\ndate: 2026-10-02\nsponsor: Vale Trust\n---\n",
        "templates/news.html": "{% extends 'base.html' %}{% block content %}<p id=s>{{ page.sponsor }}</p>{% endblock %}",
    }, site_yaml=VACANCIES)
    run = site.build()
    assert run.code == 0, run.err
    index = site.html("vacancies/index.html")
    assert index.h1.get_text() == "Vacancies"
    assert [h.get_text() for h in index.select(".cards h2")] == ["Headteacher", "Year 3 teacher"]  # soonest closing first
    assert "/hub/vacancies/" in [a["href"] for a in site.html("index.html").select("nav[aria-label=Main] a")]
    page = site.html("vacancies/teacher/index.html")
    facts = {d.get_text(): d.find_next_sibling("dd").get_text(" ", strip=True) for d in page.select(".facts dt")}
    assert facts == {"Closing date": "Friday 15 January 2027", "School": "Millbrook Primary", "Contract": "Permanent", "Salary": "MPS"}
    assert page.select_one(".facts a")["href"] == "/hub/schools/millbrook/"
    facet = site.html("vacancies/contract/fixed-term/index.html")
    assert [h.get_text() for h in facet.select(".cards h2")] == ["Headteacher"]
    sitemap = (site.out / "sitemap.xml").read_text()
    assert "https://example.org/hub/vacancies/teacher/" in sitemap and "https://example.org/hub/vacancies/" in sitemap
    assert site.html("news/a/index.html").select_one("#s").get_text() == "Vale Trust"

    new = site.run("new", "Vacancy", "Deputy head", "--dir")
    assert new.code == 0 and new.out.strip().endswith("/content/vacancies/deputy-head.md")
    written = (site.root / "content/vacancies/deputy-head.md").read_text()
    assert "closing_date: 2026-11-23  # The last day to apply" in written and "contract: permanent" in written  # sitegen's help
    (site.root / "content/vacancies/deputy-head.md").write_text(written.replace("draft: true", "draft: false"))
    assert site.build().code == 0


def test_a_bad_value_in_a_hubs_own_kind(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({
        "content/schools/millbrook.md": "---\ntitle: Millbrook Primary\n---\n",
        "content/vacancies/teacher.md": "---\ntitle: Teacher\nclosing_date: soon\nschool: milbrook\ncontract: zero hours\n---\n",
        "content/vacancies/head.md": "---\ntitle: Head\n---\n",
    }, site_yaml=VACANCIES)
    (site.root / "_site").mkdir()
    (site.root / "_site/.sitegen-output").write_text("")
    (site.root / "_site/index.html").write_text("previous")
    run = site.build()
    assert run.code == 1 and "Traceback" not in run.err
    assert run.lines[:-1] == [
        "content/vacancies/head.md:1: closing_date: missing; a vacancy needs one, e.g. 'closing_date: 2027-01-15'",
        'content/vacancies/teacher.md:3: closing_date: "soon" is not a date (write a date as YYYY-MM-DD, or a date and time as "YYYY-MM-DD HH:MM")',
        'content/vacancies/teacher.md:4: school: there is no school "milbrook" (did you mean millbrook, "Millbrook Primary"?); name a school by its file name (slug) or URN',
        'content/vacancies/teacher.md:5: contract: "zero hours" must be one of: permanent, fixed term',
    ]
    assert (site.root / "_site/index.html").read_text() == "previous"


@pytest.mark.parametrize(("kinds", "message"), [
    ("kinds: vacancies", "site.yaml:2: kinds: must be a mapping of kinds"),
    ("kinds:\n  vacancies:\n    fields:\n      pay: {type: money}", "site.yaml:2: kinds: vacancies: field 'pay': unknown type 'money'"),
    ("kinds:\n  vacancies:\n    fields:\n      school: {type: reference}", "site.yaml:2: kinds: vacancies: field 'school': say what it refers to with 'to:'"),
    ("kinds:\n  vacancies:\n    fields:\n      contract: {type: choice}", "site.yaml:2: kinds: vacancies: field 'contract': a choice needs its choices"),
    ("kinds:\n  projects:\n    order: closing\n    fields:\n      closing: text", "site.yaml:2: kinds: projects: order must be 'title', or the name of one of its date fields"),
    ("kinds:\n  news:\n    fields:\n      date: text", "site.yaml:2: kinds: news: field 'date' is already a field of every news item"),
    ("kinds:\n  Vacancies!: {}", "site.yaml:2: kinds: 'Vacancies!' cannot name a kind"),
    ("kinds:\n  vacancies:\n    feilds: {}", "site.yaml:2: kinds: vacancies: unknown key 'feilds' (did you mean fields?)"),
])
def test_bad_kinds_in_site_yaml(hub, kinds: str, message: str) -> None:  # type: ignore[no-untyped-def]
    run = hub(site_yaml=f"title: T\n{kinds}\n").build()
    assert run.code == 1 and "Traceback" not in run.err
    assert run.lines[0].startswith(message), run.lines


def example_front_matter() -> list[tuple[str, str, dict[str, object]]]:
    """(file, kind, front matter) of every content file of the example hub, read as sitegen reads YAML."""
    config = load_config(REPO)
    found = []
    for path in sorted((REPO / "content").rglob("*.md")):
        rel = path.relative_to(REPO / "content").as_posix()
        top = rel.split("/")[0]
        kind = top if "/" in rel and config.schema.get(top) else "pages"
        found.append((rel, kind, split(path.read_text(encoding="utf-8"), rel).meta))
    return found


def test_sitegen_schema_validates_the_example_hub(capsys) -> None:  # type: ignore[no-untyped-def]
    from sitegen.cli.main import main

    assert main(["schema", str(REPO)]) == 0
    document = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(document)
    files = example_front_matter()
    assert {kind for _, kind, _ in files} == {"news", "networks", "schools", "resources", "events", "vacancies", "pages"}
    for rel, kind, meta in files:
        validator = jsonschema.Draft202012Validator({**document, "$ref": f"#/$defs/{kind}"})
        errors = [e.message for e in validator.iter_errors(meta)]
        if rel.endswith(".cy.md"):  # a translation takes what it leaves out (the required dates too) from its original
            errors = [e for e in errors if not e.endswith("is a required property")]
        assert not errors, (rel, errors)
    news = jsonschema.Draft202012Validator({**document, "$ref": "#/$defs/news"})
    for broken in ({"date": "2026-01-01"}, {"title": "T"}, {"title": "T", "date": "10th March"},
                   {"title": "T", "date": "2026-01-01", "authr": "Jo"}, {"title": ["T"], "date": "2026-01-01"}):
        assert list(news.iter_errors(broken)), broken
    resource = jsonschema.Draft202012Validator({**document, "$ref": "#/$defs/resources"})
    assert not list(resource.iter_errors({"title": "T", "subjects": "Maths, P.E.", "key_stages": ["Key Stage 2"], "type": "slides"}))
    assert list(resource.iter_errors({"title": "T", "subjects": "Maths, Astronomy"}))


def test_sitegen_schema_writes_a_file_per_kind(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub(site_yaml=VACANCIES)
    run = site.run("schema", "-o", str(site.root / ".schemas"))
    assert run.code == 0, run.err
    names = sorted(p.name for p in (site.root / ".schemas").iterdir())
    assert names == sorted(f"{k}.schema.json" for k in ("news", "networks", "schools", "resources", "events", "vacancies", "pages"))
    vacancy = json.loads((site.root / ".schemas/vacancies.schema.json").read_text())
    assert vacancy["required"] == ["title", "closing_date"]
    assert site.run("schema", "--kind", "blog").lines == ["sitegen: unknown kind 'blog': use one of news, network, school, resource, event, vacancy, page"]


def test_the_docs_field_tables_match_the_schema() -> None:
    docs = (REPO / "docs" / "writing.md").read_text(encoding="utf-8")
    blocks = {m.group(2): m.group(3) for m in BLOCK.finditer(docs)}
    assert blocks == tables(BUILTIN), "run: python -m sitegen.editor.fieldtables docs/writing.md"
    for kind in BUILTIN:  # and every field of every kind is in them
        for field in kind.own_fields:
            assert re.search(rf"\| `{field.name}`", blocks[kind.name])


def test_one_place_declares_the_kinds() -> None:
    """No module but the schema names the kinds' folders as a list."""
    names = {k.name for k in BUILTIN}
    for path in (REPO / "sitegen").rglob("*.py"):
        if path.name == "schema.py":
            continue
        for match in re.finditer(r"\(([^()]*)\)", path.read_text(encoding="utf-8")):
            quoted = set(re.findall(r'"(\w+)"', match.group(1)))
            assert len(quoted & names) < 4, (path, match.group(0)[:80])


def test_the_example_hubs_own_kind_is_built(example_site: Path) -> None:
    assert (example_site / "vacancies" / "index.html").is_file()
    assert (example_site / "vacancies" / "year-3-class-teacher-millbrook" / "index.html").is_file()
