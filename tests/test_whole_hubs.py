"""Whole hubs, as a new network writes them: every kind, naming each other, with several files broken
in the ways writers break them. `sitegen build`, `sitegen check` and the dev server must each report
every broken file in one run, blame no other file, exit 1 (0 when nothing is broken), never say
"internal error" and leave the previous site as it was.

The hubs are made from the schema (`sitegen/schema/kinds.py`): a kind or field added there is
generated here too, with a value of its type."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conftest import NOW, write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.builder.api import BuildOptions
from sitegen.cli.main import main
from sitegen.schema.kinds import BUILTIN, Field, Kind
from sitegen.schema.vocab import default_vocabularies
from sitegen.serve.server import DevServer

VOCABULARIES = default_vocabularies()
SITE_YAML = "title: Rhwydwaith Ysgolion y Fro\nbase_url: https://example.org/fro/\nsearch: false\n"
NAMES = ["bryn", "glan-ceri", "penrhyn", "y-garth", "bro-dewi", "llanfair"]  # file names (slugs), in any kind
TEXTS = ["Darllen gyda'n gilydd", "Reading together", "Cwm Rhondda", "Ysgol Gynradd Gymraeg", "Llŷn a'r Wyddfa"]
# Common fields whose values decide whether or where an item is published at all: a valid hub leaves them out.
LEFT_OUT = {"slug", "template", "aliases", "draft", "publish_date", "expires"}
# Field types that need other files (pictures, downloads) or a shape of their own: not generated.
NOT_GENERATED = {"image", "file", "menu", "mapping"}
NOT_TOGETHER = [("apply_url", "apply_email")]  # content/read.py, check_pairs: give one or the other
BAD_VALUES = {"date": "10th March", "boolean": "maybe", "number": "lots", "urn": "abc", "choice": "sometimes"}


@dataclass
class Item:
    kind_name: str
    slug: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> its value, as written in front matter
    body: str = "Text.\n"

    @property
    def kind(self) -> Kind:
        return BUILTIN.kind(self.kind_name)

    @property
    def path(self) -> str:
        folder = "content/" if self.kind.name == "pages" else f"content/{self.kind.name}/"
        return f"{folder}{self.slug}.md"

    def text(self) -> str:
        lines = "".join(f"{name}: {value}\n" for name, value in self.fields.items())
        return f"---\n{lines}---\n{self.body}"


def scalar(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML one: quotes and colons are safe in it


def flow(values: list[str]) -> str:
    return "[" + ", ".join(values) + "]"


def value_of(draw: Callable[..., Any], f: Field, kind: Kind, values: dict[str, str], slugs: dict[str, list[str]], urn: int) -> str | None:
    """A valid value of the field's type, as written; None when this hub cannot give it one."""
    def some(options: list[str]) -> list[str]:
        return draw(st.lists(st.sampled_from(options), min_size=1, max_size=3, unique=True))

    if f.type == "text":
        return flow([scalar(t) for t in some(TEXTS)]) if f.many else scalar(draw(st.sampled_from(TEXTS)))
    if f.type == "date":
        if f.same_day_as:
            return values.get(f.same_day_as)  # an end on the day it starts (all day)
        # before NOW (nothing waits), each later than the item's dates before it (`updated` after `date`)
        earlier = sum(1 for v in values.values() if v[:5] == "2026-")
        return (dt.date(2026, 1, 1) + dt.timedelta(days=60 * earlier + draw(st.integers(0, 50)))).isoformat()
    if f.type == "vocabulary":
        terms = list(VOCABULARIES[f.vocabulary].values)
        return flow([scalar(t) for t in some(terms)]) if f.many else scalar(draw(st.sampled_from(terms)))
    if f.type == "reference":
        targets = slugs.get(f.to, [])
        if not targets:
            return None
        return flow(some(targets)) if f.many else draw(st.sampled_from(targets))
    simple = {"number": str(draw(st.integers(0, 500))), "boolean": draw(st.sampled_from(["true", "false"])),
              "link": f"https://example.org/{kind.name}", "email": "swyddfa@example.org", "urn": str(urn),
              "choice": scalar(draw(st.sampled_from(f.choices))) if f.choices else "",
              "contacts": "[{name: Mrs Ll. Jones, role: Pennaeth, email: pennaeth@example.org}]"}
    return simple.get(f.type)


def breaks_for(item: Item) -> list[str]:
    """The ways this file can be broken."""
    kind = item.kind
    ways = ["missing required", "unknown reference", "yaml syntax", "unknown field", "empty file", "not UTF-8"]
    if any(f.type in BAD_VALUES for f in kind.fields if f.name not in LEFT_OUT):
        ways.append("bad value")
    if any(f.type == "date" and not f.same_day_as and f.name not in LEFT_OUT for f in kind.fields):
        ways.append("impossible date")
    if any(f.type == "vocabulary" for f in kind.fields):
        ways.append("unknown vocabulary value")
    return ways


def break_file(draw: Callable[..., Any], item: Item, way: str) -> str | bytes:
    """The file's text, broken in that way."""
    fields = dict(item.fields)

    def pick(ok: Callable[[Field], bool]) -> Field:
        return draw(st.sampled_from([f for f in item.kind.fields if f.name not in LEFT_OUT and ok(f)]))

    if way == "empty file":
        return ""
    if way == "missing required":
        del fields[pick(lambda f: f.required).name]
    elif way == "bad value":
        bad = pick(lambda f: f.type in BAD_VALUES)
        fields[bad.name] = BAD_VALUES[bad.type]
    elif way == "impossible date":
        fields[pick(lambda f: f.type == "date" and not f.same_day_as).name] = "2026-02-30"
    elif way == "unknown vocabulary value":
        fields[pick(lambda f: f.type == "vocabulary").name] = "mathz"
    elif way == "unknown reference":
        fields[pick(lambda f: f.type == "reference").name] = "dim-ysgol"  # no file has that name
    elif way == "unknown field":
        fields["authr"] = "Jo"
    elif way == "yaml syntax":
        fields["title"] = "Ymweliad: yr ail"  # ': ' in a value without quotes
    elif way == "not UTF-8":
        return Item(item.kind_name, item.slug, {**fields, "title": "Caf@"}, item.body).text().encode("utf-8").replace(b"@", b"\x81")
    return Item(item.kind_name, item.slug, fields, item.body).text()


@st.composite
def broken_hubs(draw: Callable[..., Any]) -> tuple[list[Item], dict[str, str | bytes]]:
    """A hub of 0 to 3 items of each kind, every field valid, naming each other; and some of its files
    (none, one or several) broken: path -> the broken file. Each item is drawn whole, its breaking
    included, so that Hypothesis shrinks a failing hub to the few items that matter."""
    slugs = {kind.name: draw(st.lists(st.sampled_from(NAMES), max_size=3, unique=True)) for kind in BUILTIN}
    items: list[Item] = []
    broken: dict[str, str | bytes] = {}
    for kind in BUILTIN:
        for slug in slugs[kind.name]:
            item = Item(kind.name, slug)
            for f in kind.fields:
                if f.type in NOT_GENERATED or f.name in LEFT_OUT or not (f.required or draw(st.booleans())):
                    continue
                if any(f.name in pair and set(pair) & set(item.fields) for pair in NOT_TOGETHER):
                    continue
                value = value_of(draw, f, kind, item.fields, slugs, 990100 + len(items))
                if value is not None:
                    item.fields[f.name] = value
            if draw(st.booleans()):  # a link to another item's file, as the docs show
                other = draw(st.sampled_from(items or [item]))
                item.body = f"See [{other.slug}]({'../' * item.path.count('/', len('content/'))}{other.path[len('content/'):]}).\n"
            if draw(st.integers(0, 4)) == 4:  # one file in five
                broken[item.path] = break_file(draw, item, draw(st.sampled_from(breaks_for(item))))
            items.append(item)
    return items, broken


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_cli(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue() + err.getvalue()


def blamed(errors: list[str]) -> set[str]:
    """The files the errors name (the text before the first ':')."""
    return {line.split(":", 1)[0] for line in errors}


def assert_reported(what: str, code: int, errors: list[str], broken: set[str], everything: str) -> None:
    assert "internal error" not in everything and "Traceback" not in everything, f"{what}:\n{everything}"
    assert code == (1 if broken else 0), f"{what}:\n{everything}"
    assert blamed(errors) == broken, f"{what}: every broken file, and only those, must be named:\n{everything}"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(broken_hubs())
def test_every_broken_file_of_a_whole_hub_is_reported_at_once(hub: tuple[list[Item], dict[str, str | bytes]]) -> None:
    items, broken_files = hub
    broken = set(broken_files)
    good = {item.path: item.text() for item in items}
    with tempfile.TemporaryDirectory() as tmp:
        root = write_files(Path(tmp), {"site.yaml": SITE_YAML, **good})
        code, output = run_cli("build", "-j", "1", str(root))
        assert code == 0, f"the hub before it was broken must build:\n{output}\n" + "\n".join(f"{p}:\n{t}" for p, t in good.items())
        before = snapshot(root / "_site")
        server = DevServer(root, BuildOptions(now=NOW), out=io.StringIO())
        assert not server.rebuild(None).errors
        write_files(root, broken_files)

        code, output = run_cli("build", "-j", "1", str(root))
        lines = output.strip().splitlines()
        assert_reported("sitegen build", code, lines[:-1] if broken else [], broken, output)
        if broken:
            assert lines[-1] == f"{len(lines) - 1} error(s): nothing was written", output
            assert snapshot(root / "_site") == before, "a failed build must leave the previous site as it was"

        code, output = run_cli("check", "-j", "1", str(root))
        lines = output.strip().splitlines()
        assert_reported("sitegen check", code, lines[:-1] if broken else [], broken, output)

        # the dev server, open since before the files were broken, as a writer has it
        errors = [str(e) for e in server.rebuild({root / path for path in broken}).errors]
        assert_reported("the dev server", 1 if errors else 0, errors, broken, "\n".join(errors))
        write_files(root, {path: good[path] for path in broken})
        errors = [str(e) for e in server.rebuild({root / path for path in broken}).errors]
        assert not errors, "put right again, the hub has no errors:\n" + "\n".join(errors)
