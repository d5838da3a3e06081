"""Values as people type them in front matter, data files and site.yaml: YAML 1.1's surprises are gone.

PyYAML's YAML 1.1 read `end: 17:30` as the number 1050, `country: NO` and `language: no` as false and
`012` as 10. sitegen loads YAML with YAML 1.2's core schema (only true/false, null/~ and numbers written
as numbers are anything but text; a number remembers how it was written), and each field's type decides
what a value means. Each row: what a writer types for a field of some type -> the value the Page holds,
or the exact error line."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from sitegen.config.siteyaml import DEFAULT_MARKDOWN_EXTENSIONS
from sitegen.content.page import Settings
from sitegen.content.read import load_page
from sitegen.core.yamltext import WrittenFloat, WrittenInt, load_yaml
from sitegen.render.record import fingerprint
from sitegen.schema.fields import FieldContext
from sitegen.schema.own_kinds import kinds_from_settings
from sitegen.schema.vocab import default_vocabularies

LONDON = ZoneInfo("Europe/London")
# A hub's own kind with a field of each settable type, beside the built-in kinds.
OWN = {"clubs": {"title": "Clubs", "fields": {"places": {"type": "number"}, "open": {"type": "boolean"}, "code": {"type": "text"}}}}
SCHEMA = kinds_from_settings(OWN, default_vocabularies(), lambda message: pytest.fail(message))
SETTINGS = Settings(FieldContext(LONDON, default_vocabularies()), DEFAULT_MARKDOWN_EXTENSIONS, SCHEMA)
FILES = {"news": "content/news/2026-10-02-a.md", "events": "content/events/2026-10-02-e.md", "clubs": "content/clubs/c.md",
         "pages": "content/about.md", "networks": "content/networks/n.md"}
BASE = {"news": "date: 2026-10-02\n", "events": "start: 2026-10-02 16:00\n", "clubs": "", "pages": "", "networks": ""}


def source(kind: str, lines: str) -> str:
    """A file of `kind` with `lines` in its front matter (they replace the base's)."""
    keys = {line.split(":")[0] for line in lines.splitlines()}
    base = "".join(b for b in BASE[kind].splitlines(keepends=True) if b.split(":")[0] not in keys)
    return f"---\ntitle: T\n{base}{lines}\n---\nText.\n"


def read(kind: str, lines: str):  # type: ignore[no-untyped-def]
    return load_page(FILES[kind], source(kind, lines), SETTINGS)


def at(hour: int, minute: int = 0, day: int = 2) -> dt.datetime:
    return dt.datetime(2026, 10, day, hour, minute, tzinfo=LONDON)


# (field type, kind, what the writer types, field, the value the Page holds)
ACCEPTED = [
    # text keeps what was typed, whatever YAML 1.1 would have made of it
    ("text", "events", "location: NO", "location", "NO"),  # Norway's code: false in YAML 1.1
    ("text", "events", "location: no", "location", "no"),
    ("text", "events", "location: No", "location", "No"),
    ("text", "events", "location: on", "location", "on"),
    ("text", "events", "location: off", "location", "off"),
    ("text", "events", "location: yes", "location", "yes"),
    ("text", "events", "location: Y", "location", "Y"),
    ("text", "events", "location: n", "location", "n"),
    ("text", "events", "location: 17:30", "location", "17:30"),  # 1050 in YAML 1.1 (base 60)
    ("text", "events", "location: 1:05:00", "location", "1:05:00"),  # 3900 in YAML 1.1
    ("text", "events", "location: 09:00", "location", "09:00"),
    ("text", "events", "location: 012", "location", "012"),  # 10 in YAML 1.1 (octal); 12 in YAML 1.2
    ("text", "events", "location: 0o17", "location", "0o17"),
    ("text", "events", "location: 0x1F", "location", "0x1F"),
    ("text", "events", "location: 0b101", "location", "0b101"),
    ("text", "events", "location: 1_000", "location", "1_000"),  # 1000 in YAML 1.1
    ("text", "events", "location: 1e3", "location", "1e3"),  # text in PyYAML's 1.1, 1000.0 in 1.2: as typed either way
    ("text", "events", "location: .inf", "location", ".inf"),
    ("text", "events", "location: .NaN", "location", ".NaN"),
    ("text", "events", "location: 2026-10-02", "location", "2026-10-02"),
    ("text", "events", "location: =", "location", "="),  # YAML 1.1's "value" key: PyYAML could not read it at all
    ("text", "events", "location: <<", "location", "<<"),
    ("text", "events", "cost: 5.50", "cost", "5.50"),  # the price keeps its pence
    ("text", "events", "cost: 10.00", "cost", "10.00"),
    ("text", "events", "cost: +5", "cost", "+5"),
    ("text", "events", "location: ~", "location", None),  # ~ and null are empty, as an empty value is
    ("text", "events", "location: null", "location", None),
    ("text", "clubs", "code: NO", "code", "NO"),
    ("text", "clubs", "code: 0123", "code", "0123"),
    ("text; several", "news", "tags: [yes, no, on, off, NO]", "tags", ("yes", "no", "on", "off", "NO")),
    ("text; several", "news", "tags: 1:05:00, 012", "tags", ("1:05:00", "012")),
    # true or false: yes/no words in any case
    *[("boolean", "news", f"draft: {word}", "draft", True) for word in ("true", "True", "TRUE", "yes", "Yes", "YES", "y", "Y", "on", "On", "ON", '"1"')],
    *[("boolean", "news", f"draft: {word}", "draft", False) for word in ("false", "False", "no", "No", "NO", "n", "N", "off", "Off", '"0"', "~")],
    ("boolean", "clubs", "open: yes", "open", True),
    ("boolean", "clubs", "open: off", "open", False),
    # a number: the number itself, however it was written
    ("number", "clubs", "places: 12", "places", 12),
    ("number", "clubs", "places: 012", "places", 12),
    ("number", "clubs", "places: 0o17", "places", 15),
    ("number", "clubs", "places: 0x1F", "places", 31),
    ("number", "clubs", "places: 1_000", "places", 1000),
    ("number", "clubs", "places: 1,000", "places", 1000),
    ("number", "clubs", "places: 1e3", "places", 1000.0),
    ("number", "clubs", "places: 2.50", "places", 2.5),
    ("number", "clubs", "places: -3", "places", -3),
    ("number", "clubs", 'places: "12"', "places", 12),
    # a date, a date and time, or (for an event's end) a time on its start's day
    ("date", "news", "date: 2026-10-02", "date", dt.date(2026, 10, 2)),
    ("date", "news", "date: 2026-10-02 17:30", "date", at(17, 30)),
    ("date", "news", "date: 2026-10-02 9:30", "date", at(9, 30)),
    ("date", "news", "date: 2026-10-02T09:00:00Z", "date", at(10)),
    ("date", "events", "end: 17:30", "end", at(17, 30)),  # 1050 in YAML 1.1: "1050" is not a date
    ("date", "events", "end: 9:30 pm", "end", at(21, 30)),
    ("date", "events", "end: 17.30", "end", at(17, 30)),  # a number to YAML, a time as written
    ("date", "events", "end: 2026-10-03 09:00", "end", at(9, day=3)),
    ("date", "events", "start: 2026-10-02\nend: 2026-10-03", "end", dt.date(2026, 10, 3)),
    # the menu: yes and no, or a title
    ("menu", "pages", "menu: yes", "menu", {"title": None, "order": 100}),
    ("menu", "pages", "menu: on", "menu", {"title": None, "order": 100}),
    ("menu", "pages", "menu: no", "menu", None),
    ("menu", "pages", "menu: NO", "menu", None),
    ("menu", "pages", "menu: Our schools", "menu", {"title": "Our schools", "order": 100}),
    # a contact's phone number keeps its leading 0
    ("contacts", "networks", "contacts: [{name: A. Head, phone: 01234567890}]", "contacts",
     ({"name": "A. Head", "role": "", "email": "", "phone": "01234567890"},)),
    ("contacts", "networks", "contacts: [{name: A. Head, phone: 0123456}]", "contacts",
     ({"name": "A. Head", "role": "", "email": "", "phone": "0123456"},)),
    # your own fields: text stays text, numbers are numbers that show as typed (checked below)
    ("mapping", "news", "extra: {country: NO, opens: 17:30, fee: 5.50, late: no, paid: true}", "extra",
     {"country": "NO", "opens": "17:30", "fee": 5.5, "late": "no", "paid": True}),
]


@pytest.mark.parametrize(("type_", "kind", "line", "field", "expected"), ACCEPTED, ids=[f"{a[0]}: {a[2]}" for a in ACCEPTED])
def test_what_a_writer_types_is_read_as_meant(type_: str, kind: str, line: str, field: str, expected: object) -> None:
    page, problems = read(kind, line)
    assert not problems.errors and not problems.warnings, [str(e) for e in problems.errors + problems.warnings]
    assert page is not None
    value = page.fields[field]
    assert value == expected and type(value) is type(expected), (value, expected)
    if isinstance(expected, (str, tuple)):  # text is plain text, not a number that prints as typed
        assert all(type(v) in (str, dict) for v in (value if isinstance(value, tuple) else (value,)))


# (field type, kind, what the writer types, the exact error)
REFUSED = [
    ("text", "events", "location: true", 'location: must be text, not the yes/no value true; put it in quotes if you meant the words'),
    ("text", "events", "location: False", 'location: must be text, not the yes/no value false; put it in quotes if you meant the words'),
    ("boolean", "news", "draft: maybe", 'draft: must be true or false, not "maybe"'),
    ("boolean", "news", "draft: 17:30", 'draft: must be true or false, not "17:30"'),
    ("boolean", "news", "draft: 1", 'draft: must be true or false, not "1"'),  # as the editor's JSON Schema says
    ("number", "clubs", "places: .inf", 'places: must be a number, not ".inf"'),
    ("number", "clubs", "places: -.Inf", 'places: must be a number, not "-.Inf"'),
    ("number", "clubs", "places: .nan", 'places: must be a number, not ".nan"'),
    ("number", "clubs", "places: 1e999", 'places: must be a number, not "1e999"'),
    ("number", "clubs", "places: 1:05:00", 'places: must be a number, not "1:05:00"'),
    ("number", "clubs", "places: yes", 'places: must be a number, not "yes"'),
    ("number", "clubs", "places: true", "places: must be a number, not the yes/no value true"),
    ("date", "news", "date: 1050", 'date: "1050" is not a date (write a date as YYYY-MM-DD, or a date and time as "YYYY-MM-DD HH:MM")'),
    ("date", "news", "publish_date: 09:00", 'publish_date: "09:00" is a time without a day: write the date too, e.g. "2026-10-02 09:00"'),
    ("date", "news", "date: 4pm", 'date: "4pm" is a time without a day: write the date too, e.g. "2026-10-02 4pm"'),
    ("date", "events", "end: 25:30", 'end: "25:30" is not a time of day (write it like 16:30)'),
    ("date", "events", "start: 2026-10-02\nend: 17:30", 'end: a time alone needs start to have a time too (write start like "2026-10-02 16:00")'),
    ("date", "news", "date: 2026-02-30", 'date: "2026-02-30" is not a real date (is the day or month wrong?)'),
    ("choice", "events", "status: no", 'status: "no" must be one of: scheduled, cancelled, postponed'),
]


@pytest.mark.parametrize(("type_", "kind", "line", "message"), REFUSED, ids=[f"{r[0]}: {r[2]}" for r in REFUSED])
def test_what_cannot_be_meant_gets_its_line(type_: str, kind: str, line: str, message: str) -> None:
    _, problems = read(kind, line)
    key = message.split(":")[0]
    number = 1 + next(i for i, text in enumerate(source(kind, line).splitlines()) if text.startswith(key + ":"))
    assert [(e.path, e.line, e.message) for e in problems.errors] == [(FILES[kind], number, message)]


def test_numbers_remember_how_they_were_written() -> None:
    data = load_yaml("fee: 5.50\ncode: 012\nplain: 12\nbig: 1e3\nhex: 0x1F\n", "data/x.yaml")
    assert data == {"fee": 5.5, "code": 12, "plain": 12, "big": 1000.0, "hex": 31}
    assert [str(v) for v in data.values()] == ["5.50", "012", "12", "1e3", "0x1F"]
    assert type(data["plain"]) is int and isinstance(data["code"], WrittenInt) and isinstance(data["fee"], WrittenFloat)
    assert data["code"] + 1 == 13 and f"{data['fee']}" == "5.50" and json.dumps(data["fee"]) == "5.5"  # arithmetic and JSON see the number
    assert fingerprint(data["fee"]) != fingerprint(5.5) and fingerprint(data["code"]) != fingerprint(12)  # an edit re-renders what shows it
    again = pickle.loads(pickle.dumps(data))  # the build cache keeps pages as pickles
    assert again == data and str(again["code"]) == "012" and isinstance(again["code"], WrittenInt)


def test_explicit_tags_still_use_yaml_1_1_forms() -> None:
    data = load_yaml("a: !!int 1:30\nb: !!bool yes\nc: !!str 17:30\nd: !!float 1_000.5\n", "data/x.yaml")
    assert data == {"a": 90, "b": True, "c": "17:30", "d": 1000.5}


EVENT = """\
---
title: Maths day
start: 2026-10-02 16:00
end: 17:30
location: Oslo NO
cost: 5.50
extra: {country: NO, fee: 2.50}
---
A day of maths.
"""


def test_the_built_pages_show_what_was_typed(hub) -> None:  # type: ignore[no-untyped-def]
    h = hub({
        "content/events/2026-10-02-maths-day.md": EVENT,
        "content/partners.md": "---\ntitle: Partners\ntemplate: partners.html\n---\n",
        "data/partners.yaml": "- {name: Oslo school, country: NO, opens: 9:30, fee: 5.50, year: 012}\n",
        "templates/partners.html": "<p id=p>{% for p in data.partners %}{{ p.country }} {{ p.opens }} {{ p.fee }} {{ p.year }}"
                                   "{% endfor %}</p>",
    })
    run = h.build()
    assert run.code == 0, run.err
    page = h.html("events/maths-day/index.html")
    details = {dt_.get_text(strip=True): " ".join(dt_.find_next_sibling("dd").get_text().split()) for dt_ in page.select("dt")}
    assert (details["When"], details["Where"], details["Cost"]) == ("Friday 2 October 2026, 4pm to 5:30pm", "Oslo NO", "5.50")
    event = next(c for c in Calendar.from_ical((h.out / "events/maths-day/maths-day.ics").read_bytes()).walk("VEVENT"))
    assert event.decoded("dtend") == dt.datetime(2026, 10, 2, 17, 30, tzinfo=LONDON)
    assert h.html("partners/index.html").select_one("#p").get_text() == "NO 9:30 5.50 012"


def test_the_docs_example_of_an_end_time_builds(hub) -> None:  # type: ignore[no-untyped-def]
    """docs/writing.md's own example, `end: 17:30`, was refused with 'end: "1050" is not a date'."""
    h = hub({"content/events/2027-02-04-e.md": "---\ntitle: E\nstart: 2027-02-04 16:00\nend: 17:30\n---\n"})
    run = h.build()
    assert (run.code, [line for line in run.lines if "warning" in line]) == (0, [])
    assert " ".join(h.html("events/e/index.html").select_one("dd").get_text().split()) == "Thursday 4 February 2027, 4pm to 5:30pm"


def test_rewriting_a_number_another_way_rebuilds_the_pages_that_show_it(hub) -> None:  # type: ignore[no-untyped-def]
    """5.50 and 5.5 are the same number but not the same text: a page showing another page's value must be
    made again when only the way it is written changes (what an output read is compared by its fingerprint)."""
    post = "---\ntitle: Tea\ndate: 2026-10-02\nextra: {{fee: {fee}, room: {room}}}\n---\n"
    h = hub({"content/news/2026-10-02-tea.md": post.format(fee="5.50", room="012"),
             "content/fees.md": "---\ntitle: Fees\ntemplate: fees.html\n---\n",
             "templates/fees.html": "<p id=f>{% for n in site.kind('news') %}{{ n.extra.fee }} {{ n.extra.room }}{% endfor %}</p>"})
    assert h.build().code == 0 and h.html("fees/index.html").select_one("#f").get_text() == "5.50 012"
    h.write({"content/news/2026-10-02-tea.md": post.format(fee="5.5", room="12")})
    assert h.build().code == 0 and h.html("fees/index.html").select_one("#f").get_text() == "5.5 12"
