"""The pure pieces, without a file system."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sitegen.schema import fields
from sitegen.core.errors import ContentError, did_you_mean
from sitegen.content.frontmatter import split
from sitegen.core.urls import Urls, output_file, page_url, slug_from_filename, slugify
from sitegen.schema.kinds import BUILTIN
from sitegen.schema.vocab import default_vocabularies

CTX = fields.FieldContext(ZoneInfo("Europe/London"), default_vocabularies())


def test_slugs() -> None:
    assert slugify("Reading for Pleasure!") == "reading-for-pleasure"
    assert slugify("Ysgol Gymraeg Brynâ") == "ysgol-gymraeg-bryna"
    assert slug_from_filename("2026-03-10-a-visit", dated=True) == "a-visit"
    assert slug_from_filename("2026-03-10-a-visit", dated=False) == "2026-03-10-a-visit"


def test_urls_and_output_files() -> None:
    assert page_url("about.md") == "/about/"
    assert page_url("policies/index.md") == "/policies/"
    assert output_file("/news/") == "news/index.html"
    assert output_file("/") == "index.html"
    assert output_file("/404.html") == "404.html"
    for bad in ("/../etc/passwd", "/a/./b", "relative", "/a\\b"):
        with pytest.raises(ValueError):
            output_file(bad)


def test_links_carry_the_base_path() -> None:
    urls = Urls("/our-network/", "https://user.github.io")
    assert urls.href("/news/") == "/our-network/news/"
    assert urls.href("https://example.org/") == "https://example.org/"
    assert urls.absolute("/news/") == "https://user.github.io/our-network/news/"


def test_front_matter_keeps_line_numbers() -> None:
    fm = split("---\ntitle: Hello\n\ndate: 2026-01-02\n---\nBody\n", "x.md")
    assert fm.meta == {"title": "Hello", "date": "2026-01-02"}  # dates stay text: fields.date reads them
    assert fm.key_lines == {"title": 2, "date": 4}
    assert fm.body == "Body\n"
    assert fm.body_line == 6


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("title: x\n---\n", 1, "the file must start with front matter"),
        ("---\ntitle: x\n", 1, "never ends"),
        ("---\ntitle: a: b\n---\n", 2, "put the whole value in quotes"),
        ("---\n- a\n- b\n---\n", 2, "must be a list of 'key: value' lines"),
        ("---\ntitle: a\ntitle: b\n---\n", 3, "'title' is given twice (first on line 2)"),
    ],
)
def test_front_matter_errors(text: str, line: int, message: str) -> None:
    with pytest.raises(ContentError) as caught:
        split(text, "x.md")
    assert caught.value.line == line
    assert message in caught.value.message


NEWS, EVENTS, RESOURCES = (BUILTIN.kind(k) for k in ("news", "events", "resources"))


def read(kind, name, value):  # type: ignore[no-untyped-def]
    return fields.read(value, kind.field(name), CTX)


def test_dates_and_times() -> None:
    assert read(NEWS, "date", "2026-03-10") == dt.date(2026, 3, 10)
    moment = read(EVENTS, "start", "2026-07-01 16:00")
    assert moment.utcoffset() == dt.timedelta(hours=1)  # British Summer Time
    with pytest.raises(fields.FieldError, match=r'"10th March 2022" is not a date \(write 2022-03-10'):
        read(NEWS, "date", "10th March 2022")
    with pytest.raises(fields.FieldError, match=r"write 2026-03-04"):
        read(NEWS, "date", "04/03/2026")


def test_vocabularies_match_without_case_and_suggest() -> None:
    assert read(RESOURCES, "key_stages", ["ks2", "KS3"]) == ("KS2", "KS3")
    with pytest.raises(fields.FieldError, match=r'"mathz" is not one of the subjects \(did you mean mathematics\?\)'):
        read(RESOURCES, "subjects", ["mathz"])


def test_did_you_mean() -> None:
    assert did_you_mean("base_ulr", ["base_url", "title"]) == " (did you mean base_url?)"
    assert did_you_mean("zzz", ["base_url"]) == ""


def test_the_writer_refuses_paths_that_leave_the_output(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sitegen.builder.writer import write_site

    for bad in ("../escape.html", "/etc/passwd", "a/../../escape.html"):
        with pytest.raises(ValueError):
            write_site(tmp_path / "out", [(bad, b"x")], [])
        assert not (tmp_path / "escape.html").exists()
        assert not (tmp_path / "out").exists(), "a refused write leaves no half-built site"


def test_an_error_is_always_one_line() -> None:
    assert str(ContentError('title: "a\nb\tc" is odd', "content/a.md", 2)) == 'content/a.md:2: title: "a\\nb\\tc" is odd'


def test_date_or_time_messages() -> None:
    with pytest.raises(fields.FieldError, match=r'write 2026-03-10, or "2026-03-10 16:00" with a time'):
        read(EVENTS, "start", "10 March 2026")
    with pytest.raises(fields.FieldError, match=r'write a date as YYYY-MM-DD, or a date and time as "YYYY-MM-DD HH:MM"'):
        read(EVENTS, "start", "soon")


def test_a_pager_shows_a_window_of_pages_not_all_of_them() -> None:
    from sitegen.outputs.output import Pagination

    assert Pagination(1, 3, "/news/").window() == [1, 2, 3]
    assert Pagination(1, 300, "/news/").window() == [1, 2, 3, None, 300]
    assert Pagination(150, 300, "/news/").window() == [1, None, 148, 149, 150, 151, 152, None, 300]
    assert Pagination(299, 300, "/news/").window() == [1, None, 297, 298, 299, 300]
    assert Pagination(4, 7, "/news/").window() == [1, 2, 3, 4, 5, 6, 7]
