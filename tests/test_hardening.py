"""Nothing a hub contains may escape the output folder, read outside the hub, lose the
last good site, or reach a page unescaped."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import pytest

from test_errors import GOOD_NEWS, NEWS, snapshot


def test_links_leading_out_of_the_hub_are_refused(hub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.txt"
    secret.write_text("the head's passwords")
    site = hub({NEWS: GOOD_NEWS})
    (site.root / "static").mkdir()
    os.symlink(secret, site.root / "static/notes.txt")
    os.symlink(tmp_path, site.root / "content/elsewhere")
    run = site.build()
    assert run.code == 1
    assert run.lines[:2] == [
        "content/elsewhere: is a link to something outside the hub: sitegen only reads files inside the hub's own folders; copy the file in instead",
        "static/notes.txt: is a link to something outside the hub: sitegen only reads files inside the hub's own folders; copy the file in instead",
    ]
    assert not site.out.exists()


def test_a_link_inside_the_hub_is_fine(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({NEWS: GOOD_NEWS, "static/files/plan.pdf": "%PDF"})
    os.symlink(site.root / "static/files/plan.pdf", site.root / "static/files/latest.pdf")
    assert site.build().code == 0
    assert (site.out / "files/latest.pdf").read_text() == "%PDF"


@pytest.mark.parametrize(("files", "message"), [
    ({"content/resources/r.md": "---\ntitle: R\nfile: ../../../secret.txt\n---\n"},
     'content/resources/r.md:3: file: "../../../secret.txt" does not exist; put the file beside the .md or in static/'),
    ({"content/resources/r.md": "---\ntitle: R\nfile: /../../secret.txt\n---\n"},
     'content/resources/r.md:3: file: "/../../secret.txt" does not exist; put the file beside the .md or in static/'),
    ({"content/about.md": "---\ntitle: About\naliases: [/../../escape.html]\n---\n"},
     'content/about.md:3: aliases: "/../../escape.html" is not a path on this site (write it like /old/address/)'),
    ({"content/about.md": "---\ntitle: About\nslug: ../../escape\n---\n"},
     'content/about.md:3: slug: "../../escape" may hold only lowercase letters, digits and hyphens (e.g. "escape")'),
    ({"content/about.md": "---\ntitle: About\n---\n![a map](../../../../etc/hosts)\n"},
     "content/about.md:4: image to ../../../../etc/hosts: there is no file ../../../etc/hosts"),
])
def test_nothing_leads_outside_the_output_folder(hub, tmp_path: Path, files: dict, message: str) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "secret.txt").write_text("secret")
    site = hub(files)
    run = site.build()
    assert run.code == 1
    assert run.lines[0] == message
    assert not (tmp_path / "escape.html").exists()


def test_a_binary_file_is_not_content(hub) -> None:  # type: ignore[no-untyped-def]
    run = hub({NEWS: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}).build()
    assert run.lines[0] == f"{NEWS}: is not a text file (it looks binary): a content file must be Markdown text"


def test_an_interrupted_build_leaves_the_last_site(hub, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import shutil

    site = hub({NEWS: GOOD_NEWS, "static/a.txt": "a", "static/b.txt": "b"})
    assert site.build().code == 0
    before = snapshot(site.out)
    site.write({NEWS: GOOD_NEWS.replace("A visit", "A second visit")})
    shutil.rmtree(site.root / ".sitegen-cache/build")  # the site is then staged whole (test_update.py interrupts an update in place)
    copies = []

    def interrupted(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        copies.append(src)
        if len(copies) == 2:
            raise KeyboardInterrupt
        return shutil.copy2(src, dst)

    monkeypatch.setattr("sitegen.builder.writer.shutil.copyfile", interrupted)
    run = site.build()
    assert run.code == 130
    assert run.lines[-1] == "interrupted: the previous site is unchanged"
    assert snapshot(site.out) == before
    assert sorted(p.name for p in site.root.iterdir()) == [".sitegen-cache", "_site", "content", "site.yaml", "static"], "no half-written folder is left"


def test_a_build_killed_while_swapping_is_repaired(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({NEWS: GOOD_NEWS})
    assert site.build().code == 0
    before = snapshot(site.out)
    # As if killed between moving the old site aside and moving the new one in:
    site.out.rename(site.root / "._site.old-999")
    (site.root / "._site.staging-999").mkdir()
    site.write({NEWS: "---\ntitle: Broken\n---\n"})
    assert site.build().code == 1
    assert snapshot(site.out) == before, "the previous site is put back, even by a build that fails"
    assert sorted(p.name for p in site.root.iterdir()) == [".sitegen-cache", "_site", "content", "site.yaml"]


NASTY = '<script>alert("x")</script> & Co\'s "best" \\ ]]> \u202e'


def test_values_are_escaped_everywhere(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({
        "content/networks/n.md": f"---\ntitle: {json.dumps(NASTY)}\nfocus: {json.dumps(NASTY)}\n"
                                 f"contacts:\n  - {{name: {json.dumps(NASTY)}, email: a@b.example}}\n---\n",
        NEWS: f"---\ntitle: {json.dumps(NASTY)}\ndate: 2026-03-10\nauthor: {json.dumps(NASTY)}\ntags: [{json.dumps(NASTY)}]\n"
              f"networks: [n]\nsummary: {json.dumps(NASTY)}\n---\nText.\n",
        "content/events/2026-12-01-e.md": f'---\ntitle: {json.dumps(NASTY)}\nstart: "2026-12-01 16:00"\n'
                                          f"location: {json.dumps(NASTY + chr(10) + 'line two; a, b')}\nnetworks: [n]\n---\n",
    })
    run = site.build()
    assert run.code == 0, run.err
    for page in site.out.rglob("*.html"):
        doc = site.html(page.relative_to(site.out).as_posix())
        for script in doc.find_all("script"):
            assert "alert" not in (script.get_text() if script.get("type") != "application/ld+json" else ""), page
        if page.name == "index.html" and "/news/visit/" in page.as_posix():
            assert doc.h1.get_text() == NASTY
            assert json.loads(doc.find("script", type="application/ld+json").string)["headline"] == NASTY
    feed = ET.parse(site.out / "feed.xml").getroot()
    assert feed.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title").text == NASTY
    event = icalendar.Calendar.from_ical((site.out / "events/e/e.ics").read_bytes()).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == NASTY
    assert str(event["LOCATION"]) == NASTY + "\nline two; a, b"
