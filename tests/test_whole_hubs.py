"""Whole hubs, as a new network writes them: every kind, naming each other, with several files broken
in the ways writers break them. `sitegen build`, `sitegen check` and the dev server must each report
every broken file in one run, blame no other file, exit 1 (0 when nothing is broken), never say
"internal error" and leave the previous site as it was. The hubs have pictures too, of any name, with
a GPS position in them: none is published with it, and a picture broken in a hostile way (a HEIC
photo renamed, a decompression bomb, a damaged file, an SVG with a script or with a photo inside) is
reported like any broken file. Items may have old addresses (`aliases:`), each a rule of `_redirects`;
one that would add or widen a host rule (a line break, `*`, `:page`, `?`) is a broken file.

The hubs are made from the schema (`sitegen/schema/kinds.py`): a kind or field added there is
generated here too, with a value of its type. Each hub may declare kinds of its own in site.yaml
(`kinds:`), with fields of every type a hub may give them; their files are made and broken the same way."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import struct
import tempfile
import zlib
from urllib.parse import quote
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from conftest import NOW, write_files
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from PIL import Image

from sitegen.builder.api import BuildOptions
from sitegen.cli.main import main
from sitegen.schema.kinds import BUILTIN, Field, Kind, Schema
from sitegen.schema.own_kinds import SETTABLE_TYPES, kinds_from_settings
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
# Old addresses: what people copy from an old site's address bar (a space, a curly apostrophe, no leading slash), and what
# would add or widen a host rule if written raw into _redirects or _headers (each a path:line error).
OLD_ADDRESSES = ["/hen/{kind}/{slug}/", "/{kind}/{slug}.html", "hen dudalen/{kind}/{slug}/", "/ysgrifau’r-{kind}/{slug}/"]
HOSTILE_ADDRESSES = ["/hen\n/admin/* /x 200", "/*", "/:page", "/hen/#top", "/hen/?p=12", "https://old.example/a", "/hen/\t/"]
BAD_VALUES = {"date": "10th March", "boolean": "maybe", "number": "lots", "urn": "abc", "choice": "sometimes"}


# Pictures: site path under static/ -> the format its good version is saved in (None: an SVG).
PICTURES = {"img/ymweliad.jpg": "JPEG", "img/taith.jfif": "JPEG", "img/ffair.jpe": "JPEG", "img/sgan": "JPEG", "img/gardd.png": "PNG",
            "img/rhedeg.webp": "WEBP", "img/nofio.avif": "AVIF", "img/parti.gif": "GIF", "img/logo.svg": None}
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30">{}</svg>'


def photo(fmt: str) -> bytes:
    """A small picture with a GPS position in it (a GIF, which has no EXIF, with a comment)."""
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 36.0, 0.0)}
    out = io.BytesIO()
    image = Image.new("RGB", (40, 30), (20, 120, 90))
    image.save(out, fmt, comment=b"Llandeilo 51.88N") if fmt == "GIF" else image.save(out, fmt, exif=exif)
    return out.getvalue()


def has_metadata(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as img:
        return bool(len(img.getexif())) or any(k in img.info for k in ("exif", "xmp", "comment"))


def huge_png() -> bytes:
    """A PNG that says it is 10,000 x 10,000 pixels: refused from its header, before anything is decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 10000, 10000, 1, 0, 0, 0, 0)) + chunk(b"IEND", b"")


BROKEN_PICTURES = {
    "a HEIC photo under another name": lambda: b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64,
    "a decompression bomb": huge_png,
    "a damaged photo": lambda: b"\xff\xd8\xff\xe0 not really a photo",
}
BROKEN_SVGS = {
    "an SVG with a script": lambda: SVG.format("<script>alert(1)</script>").encode(),
    "an SVG with a photo inside": lambda: SVG.format(f'<image href="data:image/jpeg;base64,{base64.b64encode(photo("JPEG")).decode()}"/>').encode(),
}


@dataclass
class Item:
    kind_name: str
    slug: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> its value, as written in front matter
    body: str = "Text.\n"
    schema: Schema = BUILTIN  # with the hub's own kinds

    @property
    def kind(self) -> Kind:
        return self.schema.kind(self.kind_name)

    @property
    def path(self) -> str:
        folder = "content/" if self.kind.name == "pages" else f"content/{self.kind.name}/"
        return f"{folder}{self.slug}.md"

    def text(self) -> str:
        lines = "".join(f"{name}: {value}\n" for name, value in self.fields.items())
        return f"---\n{lines}---\n{self.body}"


def scalar(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML one: quotes and colons are safe in it


def some_of(draw: Callable[..., Any], options: list[str]) -> list[str]:
    return draw(st.lists(st.sampled_from(options), min_size=1, max_size=2, unique=True))  # type: ignore[no-any-return]


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
    ways = ["missing required", "unknown reference", "yaml syntax", "unknown field", "empty file", "not UTF-8", "hostile old address"]
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
    elif way == "hostile old address":
        fields["aliases"] = flow([scalar(draw(st.sampled_from(HOSTILE_ADDRESSES)))])
    elif way == "unknown field":
        fields["authr"] = "Jo"
    elif way == "yaml syntax":
        fields["title"] = "Ymweliad: yr ail"  # ': ' in a value without quotes
    elif way == "not UTF-8":
        return Item(item.kind_name, item.slug, {**fields, "title": "Caf@"}, item.body, item.schema).text().encode("utf-8").replace(b"@", b"\x81")
    return Item(item.kind_name, item.slug, fields, item.body, item.schema).text()


OWN_KIND_NAMES = ["prosiectau", "governor_meetings", "clybiau"]
OWN_FIELD_NAMES = ["arweinydd", "cost_y_pen", "ar_agor", "cychwyn", "gwefan", "cyswllt", "hyd", "pwnc", "ysgol", "cyfnod"]
OWN_CHOICES = ["tymor byr", "Long term", "blwyddyn gyfan", "ar-lein"]  # each its own address


@st.composite
def own_kinds(draw: Callable[..., Any]) -> tuple[str, Schema]:
    """`kinds:` for site.yaml, of 0 to 2 kinds of the hub's own with fields of every settable type, and the schema it makes."""
    spec: dict[str, Any] = {}
    for name in draw(st.lists(st.sampled_from(OWN_KIND_NAMES), max_size=2, unique=True)):
        fields: dict[str, Any] = {}
        for field_name in draw(st.lists(st.sampled_from(OWN_FIELD_NAMES), max_size=4, unique=True)):
            type_ = draw(st.sampled_from([t for t in SETTABLE_TYPES if t not in NOT_GENERATED]))
            one: dict[str, Any] = {"type": type_, "help": "Rhywbeth.\nAr ddwy linell.", "required": draw(st.booleans())}
            if type_ == "choice":
                one["choices"] = draw(st.lists(st.sampled_from(OWN_CHOICES), min_size=1, max_size=3, unique=True))
            if type_ == "vocabulary":
                one["vocabulary"] = draw(st.sampled_from(sorted(VOCABULARIES)))
            if type_ == "reference":
                one["to"] = draw(st.sampled_from(["schools", "networks"]))
            if type_ in ("choice", "vocabulary", "reference", "text") and draw(st.booleans()):
                one["facet"] = True
            if type_ in ("reference", "vocabulary", "text"):
                one["many"] = draw(st.booleans())
            fields[field_name] = one
        spec[name] = {"title": name.replace("_", " ").capitalize(), "fields": fields}
    if not spec:
        return "", BUILTIN
    problems: list[str] = []
    schema = kinds_from_settings(spec, VOCABULARIES, problems.append)
    assert not problems, problems
    return yaml.safe_dump({"kinds": spec}, allow_unicode=True, sort_keys=False), schema


@st.composite
def broken_hubs(draw: Callable[..., Any]) -> tuple[list[Item], dict[str, str | bytes], dict[str, str | bytes]]:
    """A hub of 0 to 3 items of each kind, every field valid, naming each other; and some of its files
    (none, one or several) broken: path -> the broken file. Each item is drawn whole, its breaking
    included, so that Hypothesis shrinks a failing hub to the few items that matter."""
    kinds_yaml, schema = draw(own_kinds())
    slugs = {kind.name: draw(st.lists(st.sampled_from(NAMES), max_size=3, unique=True)) for kind in schema}
    items: list[Item] = []
    broken: dict[str, str | bytes] = {}
    for kind in schema:
        for slug in slugs[kind.name]:
            item = Item(kind.name, slug, schema=schema)
            for f in kind.fields:
                if f.type in NOT_GENERATED or f.name in LEFT_OUT or not (f.required or draw(st.booleans())):
                    continue
                if any(f.name in pair and set(pair) & set(item.fields) for pair in NOT_TOGETHER):
                    continue
                value = value_of(draw, f, kind, item.fields, slugs, 990100 + len(items))
                assume(value is not None or not f.required)  # a required reference to a kind that has no item: no valid hub
                if value is not None:
                    item.fields[f.name] = value
            if draw(st.integers(0, 2)) == 2:  # old addresses, each the item's own
                item.fields["aliases"] = flow([scalar(a.format(kind=kind.name, slug=slug)) for a in some_of(draw, OLD_ADDRESSES)])
            if draw(st.booleans()):  # a link to another item's file, as the docs show
                other = draw(st.sampled_from(items or [item]))
                item.body = f"See [{other.slug}]({'../' * item.path.count('/', len('content/'))}{other.path[len('content/'):]}).\n"
            if draw(st.integers(0, 4)) == 4:  # one file in five
                broken[item.path] = break_file(draw, item, draw(st.sampled_from(breaks_for(item))))
            items.append(item)
    pictures: dict[str, str | bytes] = {"site.yaml": SITE_YAML + kinds_yaml} if kinds_yaml else {}  # the files beside the items
    for name in draw(st.lists(st.sampled_from(sorted(PICTURES)), max_size=3, unique=True)):
        fmt, path = PICTURES[name], f"static/{name}"
        pictures[path] = photo(fmt) if fmt else SVG.format('<rect width="5" height="5"/>')
        if draw(st.integers(0, 4)) == 4:
            broken[path] = draw(st.sampled_from(sorted((BROKEN_PICTURES if fmt else BROKEN_SVGS).items())))[1]()
    return items, pictures, broken


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
def test_every_broken_file_of_a_whole_hub_is_reported_at_once(hub: tuple[list[Item], dict[str, str | bytes], dict[str, str | bytes]]) -> None:
    items, pictures, broken_files = hub
    broken = set(broken_files)
    good: dict[str, str | bytes] = {**{item.path: item.text() for item in items}, **pictures}
    with tempfile.TemporaryDirectory() as tmp:
        root = write_files(Path(tmp), {"site.yaml": SITE_YAML, **good})
        code, output = run_cli("build", "-j", "1", str(root))
        assert code == 0, f"the hub before it was broken must build:\n{output}\n" + "\n".join(f"{p}:\n{t}" for p, t in good.items() if isinstance(t, str))
        before = snapshot(root / "_site")
        rules = [line.split() for line in before["_redirects"].decode().splitlines() if line.strip() and not line.startswith("#")]
        assert all(len(rule) == 3 and "*" not in rule[0] for rule in rules if rule[2] == "301"), rules
        for item in items:
            for alias in yaml.safe_load(item.fields.get("aliases", "[]")):
                assert any(rule[0] == quote("/fro/" + alias.lstrip("/")) for rule in rules), (alias, rules)
        for path, data in pictures.items():
            if not path.startswith("static/"):
                continue
            published = before[path.removeprefix("static/")]
            assert isinstance(data, str) or (has_metadata(data) and not has_metadata(published)), f"{path} published with its GPS position"
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
