"""Issue 24, class 9: values that ended in "internal error" or were read wrongly: impossible time-zone
offsets, local times the clocks skip, a UTF-8 file with one stray Windows-1252 byte, impossible ports."""

from __future__ import annotations

import pytest
from conftest import MINIMAL_SITE
from test_errors import GOOD_NEWS, NEWS, snapshot

EVENT = "content/events/night-walk.md"
OFFSET = ("is not a time-zone offset (they run from -12:00 to +14:00; write +01:00 for British Summer Time, "
          "or leave it off for the site's time zone)")
PORT = 'is not a web address: its port (the number after ":") must be from 1 to 65535; write the address without it'


def refused(hub, files: dict[str, str | bytes], expected: list[str], site_yaml: str = MINIMAL_SITE) -> None:  # type: ignore[no-untyped-def]
    site = hub({NEWS: GOOD_NEWS})
    assert site.build().code == 0
    before = snapshot(site.out)
    site.write({"site.yaml": site_yaml, **files})
    run = site.build()
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    assert (run.code, run.lines) == (1, [*expected, f"{len(expected)} error(s): nothing was written"]), run.err
    assert snapshot(site.out) == before, "a failed build must leave the previous site as it was"


@pytest.mark.parametrize("written", ['"2026-12-01 10:00+25:00"', '"2026-12-01 10:00+99:99"', '"2026-12-01 10:00+9999"',
                                     "2026-12-01T10:00:00-13:00", "2026-12-01 10:00+14:60"])
def test_an_impossible_time_zone_offset_is_an_error(hub, written: str) -> None:  # type: ignore[no-untyped-def]
    zone = written.strip('"')[16:] if "T" not in written else written[19:]
    refused(hub, {EVENT: f"---\ntitle: Twilight CPD\nstart: {written}\n---\n"},
            [f'{EVENT}:3: start: "{written.strip(chr(34))}": {zone} {OFFSET}'])


def test_real_offsets_still_read(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({EVENT: "---\ntitle: Twilight CPD\nstart: 2026-12-01 10:00+14:00\nend: 2026-12-01T23:00-12:00\n---\n"})
    run = site.build()
    assert run.code == 0 and run.err.count("(warning)") == 0, run.err


@pytest.mark.parametrize("written", ["2027-03-28 01:30", '"2027-03-28 01:30"', "2027-03-28T01:30:00"])
def test_a_local_time_the_clocks_skip_is_a_warning(hub, written: str) -> None:  # type: ignore[no-untyped-def]
    site = hub({EVENT: f"---\ntitle: Night walk\nstart: {written}\n---\n"})
    run = site.build()
    assert run.code == 0, run.err
    assert (f"{EVENT}:3: start: 2027-03-28 01:30 does not happen in Europe/London: the clocks go forward that night, "
            "so it is read as 02:30; check the time (warning)") in run.lines
    assert "T02:30:00+01:00" in (site.out / "events/night-walk/index.html").read_text()


def test_the_hour_the_clocks_go_back_is_no_warning(hub) -> None:  # type: ignore[no-untyped-def]
    run = hub({EVENT: "---\ntitle: Night walk\nstart: 2027-10-31 01:30\n---\n"}).build()
    assert run.code == 0 and "clocks go" not in run.err, run.err


def test_one_stray_windows_1252_byte_in_a_utf8_file(hub) -> None:  # type: ignore[no-untyped-def]
    text = "---\ntitle: Caf\u00e9 visit\n---\nPupils\u2019 work.\n\nWe\x92re proud.\n".encode("utf-8").replace(b"\xc2\x92", b"\x92")
    site = hub({"content/about.md": text})
    run = site.build()
    assert run.code == 0, run.err
    assert run.lines[:-1] == ['content/about.md:6: byte 0x92 is not UTF-8, as the rest of the file is: it was read as the Windows-1252 '
                              '"\u2019"; type it again and save the file as UTF-8 to silence this (warning)']
    html = (site.out / "about/index.html").read_text(encoding="utf-8")
    assert "Caf\u00e9 visit" in html and "Pupils\u2019 work." in html and "We\u2019re proud." in html, "read as UTF-8, not re-read as Windows-1252"


def test_a_whole_windows_1252_file_is_still_read_as_one(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/about.md": "---\ntitle: Caf\u00e9\n---\nWe\u2019re here.\n".encode("cp1252")})
    run = site.build()
    assert run.code == 0
    assert "content/about.md:2: is saved as Windows-1252, not UTF-8" in run.err
    assert "We\u2019re here." in (site.out / "about/index.html").read_text(encoding="utf-8")


def test_an_impossible_port_is_refused(hub) -> None:  # type: ignore[no-untyped-def]
    refused(hub, {"content/schools/kelsey.md": "---\ntitle: Kelsey Bridge\nwebsite: www.school.org:99999\n---\n",
                  EVENT: "---\ntitle: CPD\nstart: 2026-12-01\nbooking_url: https://book.example:70000/cpd\n---\n",
                  NEWS: GOOD_NEWS.replace("date: 2026-03-10\n", "date: 2026-03-10\nimage: https://cdn.example:99999/a.jpg\nimage_alt: A\n")},
            [f'{EVENT}:4: booking_url: "https://book.example:70000/cpd" {PORT}',
             f'{NEWS}:4: image: "https://cdn.example:99999/a.jpg" {PORT}',
             f'content/schools/kelsey.md:3: website: "www.school.org:99999" {PORT}'])


@pytest.mark.parametrize("base_url", ["www.school.org:99999", "https://www.school.org:99999/"])
def test_an_impossible_port_in_base_url_is_refused(hub, base_url: str) -> None:  # type: ignore[no-untyped-def]
    refused(hub, {}, [f'site.yaml:2: base_url: "{base_url}" must be a full address such as https://user.github.io/our-network/ '
                      "or a path such as /our-network/"], site_yaml=f"title: T\nbase_url: '{base_url}'\n")


def test_a_stray_byte_that_is_not_windows_1252_either_is_an_error(hub) -> None:  # type: ignore[no-untyped-def]
    refused(hub, {"content/about.md": "---\ntitle: Llŷn\n---\nCaf@\n".encode().replace(b"@", b"\x81")},
            ["content/about.md:4: is not UTF-8 text: open it and save it again as UTF-8"])
