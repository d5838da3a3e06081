"""Whatever a writer puts in a file, reading it gives a page or errors that name the file; never a crash."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.config.siteyaml import DEFAULT_MARKDOWN_EXTENSIONS, Config
from sitegen.content.page import Settings
from sitegen.content.read import load_page
from sitegen.schema.fields import FieldContext
from sitegen.model.assemble import Inputs, assemble
from sitegen.schema.kinds import BUILTIN
from sitegen.schema.vocab import default_vocabularies

SETTINGS = Settings(FieldContext(ZoneInfo("Europe/London"), default_vocabularies()), DEFAULT_MARKDOWN_EXTENSIONS)
KEYS = sorted({f.name for kind in BUILTIN for f in kind.fields} | {a for kind in BUILTIN for a in kind.aliases}) + ["zzz", "Title", ""]
SOURCES = ["content/about.md", "content/news/2026-01-01-a.md", "content/networks/n.md", "content/schools/s.md",
           "content/resources/r.md", "content/events/2026-01-01-e.md", "content/index.md"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
    st.dates(), st.datetimes(), st.sampled_from(["KS2", "primary", "mathematics", "2026-02-30", "10th March", "in person", "/x.pdf"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                      max_leaves=8)
front_matter = st.dictionaries(st.sampled_from(KEYS), values, max_size=8)
markdown = st.lists(st.sampled_from(list("ab #*_[]()!<>/.:-|`\n\t{}=\"'&;") + ["](../x.md)", "![", "[^1]", "\n\n", "```", "<img src=x>", "](/a b)"]),
                    max_size=80).map("".join)


def check(source: str, text: str) -> None:
    page, problems = load_page(source, text, SETTINGS)
    for error in problems.errors + problems.warnings:
        assert error.path == source
        assert error.message
    if page is not None:
        now = dt.datetime(2026, 11, 23, tzinfo=ZoneInfo("Europe/London"))
        config = Config(root=Path("."), title="T")
        site, site_problems = assemble(Inputs(config=config, pages=[page], content_files={}, static_files={}, data={}, now=now))
        for error in site_problems.errors:
            assert error.path is None or error.path == source


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SOURCES), front_matter, markdown)
def test_any_front_matter_and_markdown(source: str, meta: dict, body: str) -> None:
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body
    check(source, text)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SOURCES), st.text(max_size=300))
def test_any_text_at_all(source: str, text: str) -> None:
    check(source, text)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SOURCES), st.text(alphabet=st.sampled_from(list("-:{}[]'\"#&*!|>%@`\n ab1,?")), max_size=120))
def test_broken_yaml(source: str, yaml_text: str) -> None:
    check(source, "---\n" + yaml_text + "\n---\nBody\n")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from(SOURCES), front_matter, markdown)
def test_a_whole_build_never_crashes(capsys, source: str, meta: dict, body: str) -> None:  # type: ignore[no-untyped-def]
    import tempfile

    from conftest import write_files

    from sitegen.cli.main import main

    with tempfile.TemporaryDirectory() as tmp:
        root = write_files(Path(tmp), {"site.yaml": "title: T\n", source: "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body,
                                       "content/networks/n2.md": "---\ntitle: N\n---\n"})
        capsys.readouterr()
        code = main(["build", str(root)])
        err = capsys.readouterr().err
        assert code in (0, 1), err
        assert "internal error" not in err and "Traceback" not in err
        if code == 1:
            assert all(line.startswith(("content/", "site.yaml", "templates/", "sitegen/theme/")) for line in err.splitlines()[:-1]), err


# Issue 14: nesting depth, YAML tags, huge numbers; in front matter, site.yaml, data files; build and serve.

OPENERS = ["[", "{a: ", "- ", "\n  - ", "\n  a:", "? ", "[{b: ", "&x [", "!!seq [", "!!map {k: "]
nesting = st.tuples(st.lists(st.sampled_from(OPENERS), min_size=1, max_size=6), st.integers(0, 30_000), st.booleans()).map(
    lambda t: "".join(t[0]) * (t[1] // len(t[0]) + 1) + ("x" + "]" * t[1] if t[2] else ""))
TAGS = ["!!int", "!!float", "!!timestamp", "!!binary", "!!bool", "!!null", "!!str", "!!set", "!!omap", "!!pairs", "!!seq",
        "!!map", "!!merge", "!!value", "!!python/object:os.system", "!!python/name:os.system", "!local", "!<tag:x>", "!"]
tag_values = st.tuples(st.sampled_from(TAGS), st.one_of(
    st.sampled_from(["abc", "2026-02-30", "2026-13-01 25:61", "1e999", "0x", "-", ".nan", "!!", "{a: 1}", "[1, 2]", "''", "~",
                     "aGVsbG8=", "===", "1:2:3", "0o9", "1_", "[a, a]", "{a, b}"]),
    st.text(alphabet="0123456789abcdefx:.-_+eE ", max_size=20))).map(lambda t: f"{t[0]} {t[1]}")
huge_numbers = st.one_of(
    st.integers(1, 12_000).map(lambda n: "9" * n), st.integers(1, 12_000).map(lambda n: "0x" + "f" * n),
    st.integers(1, 12_000).map(lambda n: "0o" + "7" * n), st.integers(1, 12_000).map(lambda n: "-" + "1" * n),
    st.integers(1, 3000).map(lambda n: ":".join(["59"] * n)), st.integers(1, 3000).map(lambda n: "1_" * n + "0"),
    st.integers(1, 12_000).map(lambda n: "1e" + "9" * n), st.integers(1, 5000).map(lambda n: "0." + "9" * n + "e-99999"))
hostile_value = st.one_of(nesting, tag_values, huge_numbers)


def only_errors(call) -> None:  # type: ignore[no-untyped-def]
    """`call` returns or raises ContentError/BuildFailed naming a file and line: nothing else, and no crash."""
    from sitegen.core.errors import SitegenError

    try:
        call()
    except SitegenError as exc:
        assert str(exc) and "internal error" not in str(exc)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(KEYS[:20]), hostile_value)
def test_hostile_values_in_front_matter(key: str, value: str) -> None:
    check("content/news/2026-01-01-a.md", f"---\ntitle: T\ndate: 2026-01-01\n{key}: {value}\n---\nText\n")


@settings(max_examples=150, deadline=None)
@given(hostile_value)
def test_hostile_values_in_site_yaml_and_data(value: str) -> None:
    from sitegen.content.data import parse
    from sitegen.core.yamltext import load_mapping

    only_errors(lambda: load_mapping(f"title: T\nextra: {value}\n", "site.yaml", what="site.yaml"))
    only_errors(lambda: parse("data/x.yaml", value))
    only_errors(lambda: parse("data/x.yaml", f"a: {value}\n"))
    only_errors(lambda: parse("data/x.json", value))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["site.yaml", "content/news/2026-01-01-a.md", "data/x.yaml", "content/events/2026-01-01-e.md"]), hostile_value)
def test_a_whole_build_with_hostile_values(capsys, where: str, value: str) -> None:  # type: ignore[no-untyped-def]
    import tempfile

    from conftest import write_files

    from sitegen.cli.main import main

    files = {"site.yaml": "title: T\n", "content/news/2026-01-01-a.md": "---\ntitle: A\ndate: 2026-01-01\n---\n",
             "content/events/2026-01-01-e.md": "---\ntitle: E\nstart: 2026-01-01\n---\n"}
    files[where] = files.get(where, "").replace("title:", f"extra: {{v: {value}}}\ntitle:", 1) if where != "data/x.yaml" else value
    with tempfile.TemporaryDirectory() as tmp:
        root = write_files(Path(tmp), files)
        capsys.readouterr()
        code = main(["build", str(root)])
        err = capsys.readouterr().err
        assert code in (0, 1), err
        assert "internal error" not in err and "Traceback" not in err


# The dev server: any sequence of edits, then a good one, and it serves what a full build makes.

SERVE_FILES = ["content/news/2026-01-01-a.md", "content/about.md", "site.yaml", "data/x.yaml", "content/events/2026-01-01-e.md",
               "templates/page.html", "data/schools.csv"]
edit_text = st.one_of(
    hostile_value.map(lambda v: f"---\ntitle: {v}\ndate: 2026-01-01\nstart: 2026-01-01\n---\n"),
    hostile_value.map(lambda v: f"title: T\nextra: {v}\n"),
    hostile_value, markdown.map(lambda body: f"---\ntitle: T\n---\n{body}"), st.text(max_size=200),
    st.sampled_from(["{% if %}", "{{ page.nope }}", 'URN,EstablishmentName\n1,"a', "---\ntitle: \"A\\nB\"\nstart: 2026-01-01\n---\n"]))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(SERVE_FILES), edit_text), min_size=1, max_size=4))
def test_the_dev_server_survives_any_edits(edits: list[tuple[str, str]]) -> None:
    import tempfile

    from conftest import NOW, write_files

    from sitegen.serve.rebuild import Rebuilder
    from sitegen.builder.api import BuildOptions, build
    from sitegen.serve.server import DevServer

    good = {"site.yaml": "title: T\nbase_url: /hub/\n", "content/news/2026-01-01-a.md": "---\ntitle: A\ndate: 2026-01-01\n---\nText.\n",
            "content/about.md": "---\ntitle: About\n---\n", "content/events/2026-01-01-e.md": "---\ntitle: E\nstart: 2026-01-01\n---\n"}
    with tempfile.TemporaryDirectory() as tmp:
        root = write_files(Path(tmp), good)
        server = DevServer(root, BuildOptions(drafts=True, now=NOW), out=io.StringIO())
        server.rebuild(None)
        for rel, text in edits:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
            result = server.rebuild({root / rel})
            assert not any("internal error" in str(e) for e in result.errors), result.errors
            status, body, _kind, _ = server.lookup("/hub/")
            assert status in (200, 404)
            if result.errors:
                assert b"sitegen-errors" in server.decorate(body)
        for rel, _ in edits:  # put everything right again
            if rel in good:
                (root / rel).write_text(good[rel])
            else:
                (root / rel).unlink(missing_ok=True)
        result = server.rebuild({root / rel for rel, _ in edits})
        assert not result.errors, result.errors
        server.settle()  # the lazy rebuild finished (until then, a page asked for meanwhile may be as it was)
        assert not server.rebuilder.errors, server.rebuilder.errors
        assert server.rebuilder.files == dict(build(root, BuildOptions(drafts=True, now=NOW, write=False)).rendered)
        assert isinstance(server.rebuilder, Rebuilder)
