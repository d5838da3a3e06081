"""Whatever a writer puts in a file, reading it gives a page or errors that name the file; never a crash."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.config import DEFAULT_MARKDOWN_EXTENSIONS, Config
from sitegen.content import Settings, load_page
from sitegen.fields import FieldContext
from sitegen.model import Inputs, assemble
from sitegen.schema import BUILTIN
from sitegen.vocab import default_vocabularies

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
    from sitegen.cli import main

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
