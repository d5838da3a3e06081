"""A hub in two languages (issue 22): `languages:` in site.yaml, translations beside their originals (about.cy.md),
each language under its own folder with its own words, dates, lists, feed and search index, the pages linked to
their counterparts (switcher, hreflang, sitemap), and `check` saying how level the languages are."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from sitegen.search.pagefind import unavailable

SITE = """\
title: Fylde Coast Learning Partnership
description: Schools learning together.
base_url: https://example.org/hub/
language: en-GB
languages:
  cy:
    title: Partneriaeth Dysgu Arfordir Fylde
    description: Ysgolion yn dysgu gyda'i gilydd.
"""

FILES = {
    "content/index.md": "---\ntitle: Welcome\n---\nWelcome to the partnership.\n",
    "content/index.cy.md": "---\ntitle: Croeso\n---\nCroeso i'r bartneriaeth.\n",
    "content/about.md": "---\ntitle: About us\nmenu: {title: About}\n---\nWho we are.\n",
    "content/news/2026-10-02-linking.md": ("---\ntitle: Linking schools\ndate: 2026-10-02\nauthor: Sian Evans\ntags: [linking]\n"
                                           "networks: [coast]\naliases: [/2026/10/linking/]\n---\nGood news about [the choir](../events/2026-12-18-choir.md).\n"),
    "content/news/2026-10-02-linking.cy.md": ("---\ntitle: Cysylltu ysgolion\ntags: [cysylltu]\n---\nNewyddion da am [y côr](../events/2026-12-18-choir.md) "
                                              "a [ni](../about.md).\n"),
    "content/news/2026-11-20-shwmae.cy.md": "---\ntitle: Diwrnod Shwmae\ndate: 2026-11-20\n---\nNewyddion yn Gymraeg yn unig.\n",
    "content/news/2026-09-01-english-only.md": "---\ntitle: English only\ndate: 2026-09-01\n---\nOnly in English.\n",
    "content/networks/coast.md": "---\ntitle: Coast Network\nsummary: Schools by the sea.\n---\nThe coast.\n",
    "content/events/2026-12-18-choir.md": ('---\ntitle: Choir concert\nstart: "2026-12-18 16:30"\nend: "2026-12-18 18:00"\n'
                                           "location: Hall\nnetworks: [coast]\n---\nCome along.\n"),
    "content/events/2026-12-18-choir.cy.md": "---\ntitle: Cyngerdd y côr\nlocation: Neuadd\n---\nDewch draw.\n",
}


@pytest.fixture
def bilingual(hub):  # type: ignore[no-untyped-def]
    site = hub(FILES, site_yaml=SITE)
    run = site.build()
    assert run.code == 0, run.err
    return site


def page(site, rel: str) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return site.html(rel)


def words(doc: BeautifulSoup) -> str:
    return " ".join(doc.get_text(" ").split())


def switcher(doc: BeautifulSoup) -> dict[str, str]:
    return {a["hreflang"]: a["href"] for a in doc.select("ul.languages a")}


def hreflang(doc: BeautifulSoup) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in doc.find_all("link", rel="alternate", hreflang=True)}


def test_each_language_in_its_folder_with_its_words_and_dates(bilingual) -> None:  # type: ignore[no-untyped-def]
    english, welsh = page(bilingual, "news/linking/index.html"), page(bilingual, "cy/news/linking/index.html")
    assert english.html["lang"] == "en-GB" and welsh.html["lang"] == "cy"
    assert welsh.h1.get_text(strip=True) == "Cysylltu ysgolion"
    assert welsh.find("time").get_text() == "2 Hydref 2026" and english.find("time").get_text() == "2 October 2026"
    assert welsh.find("a", class_="skip-link").get_text() == "Neidio i'r prif gynnwys"
    assert "Partneriaeth Dysgu Arfordir Fylde" in welsh.title.get_text()
    assert "Sian Evans" in words(welsh)  # the author, taken from the original
    # links in the text lead to the translation where there is one, else to the original
    body_links = [a["href"] for a in welsh.select("main a")]
    assert "/hub/cy/events/choir/" in body_links and "/hub/about/" in body_links
    # the lists of the Welsh site are Welsh: its sections, its tags
    menu = [a["href"] for a in welsh.select("nav.site-nav a")]
    assert "/hub/cy/news/" in menu and "/hub/about/" in menu  # the page only English has: linked as it is
    assert welsh.find("a", href="/hub/cy/news/tags/cysylltu/")
    event = page(bilingual, "cy/events/choir/index.html")
    assert "16:30" in words(event) and "18 Rhagfyr 2026" in words(event) and "Neuadd" in words(event)


def test_the_switcher_and_hreflang_link_both_ways(bilingual) -> None:  # type: ignore[no-untyped-def]
    english, welsh = page(bilingual, "news/linking/index.html"), page(bilingual, "cy/news/linking/index.html")
    assert switcher(english) == {"cy": "/hub/cy/news/linking/"}
    assert switcher(welsh) == {"en-GB": "/hub/news/linking/"}
    assert english.select_one("ul.languages a").get_text() == "Cymraeg" and welsh.select_one("ul.languages a").get_text() == "English"
    expected = {"en-GB": "https://example.org/hub/news/linking/", "cy": "https://example.org/hub/cy/news/linking/",
                "x-default": "https://example.org/hub/news/linking/"}
    assert hreflang(english) == expected == hreflang(welsh)
    assert switcher(page(bilingual, "index.html")) == {"cy": "/hub/cy/"}
    assert switcher(page(bilingual, "cy/news/index.html")) == {"en-GB": "/hub/news/"}


def test_a_page_with_no_counterpart_links_the_nearest_page_never_a_404(bilingual) -> None:  # type: ignore[no-untyped-def]
    only_english, only_welsh = page(bilingual, "news/english-only/index.html"), page(bilingual, "cy/news/shwmae/index.html")
    assert switcher(only_english) == {"cy": "/hub/cy/news/"}
    assert switcher(only_welsh) == {"en-GB": "/hub/news/"}
    assert set(hreflang(only_english)) == {"en-GB", "x-default"} and set(hreflang(only_welsh)) == {"cy"}
    # the link's title says so in the page's language, naming the other language in it too
    assert only_english.select_one("ul.languages a")["title"] == "This page is not in Welsh yet: its nearest page"
    assert only_welsh.select_one("ul.languages a")["title"] == "Nid yw'r dudalen hon ar gael yn Saesneg eto: dyma'r dudalen agosaf"
    assert switcher(page(bilingual, "about/index.html")) == {"cy": "/hub/cy/"}
    assert switcher(page(bilingual, "cy/news/tags/cysylltu/index.html")) == {"en-GB": "/hub/news/tags/"}
    for doc in (page(bilingual, rel) for rel in ("index.html", "news/index.html", "cy/index.html", "cy/news/index.html")):
        for href in switcher(doc).values():
            assert (bilingual.out / href.removeprefix("/hub/") / "index.html").is_file(), href


def test_listings_feeds_and_calendars_per_language(bilingual) -> None:  # type: ignore[no-untyped-def]
    titles = [h.get_text(strip=True) for h in page(bilingual, "cy/news/index.html").select("main h2, main h3")]
    assert "Cysylltu ysgolion" in titles and "Diwrnod Shwmae" in titles and "English only" not in titles
    english_titles = words(page(bilingual, "news/index.html"))
    assert "Linking schools" in english_titles and "Diwrnod Shwmae" not in english_titles
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(bilingual.out / "cy/feed.xml").getroot()
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "cy"
    assert [e.findtext(f"{atom}title") for e in feed.iter(f"{atom}entry")] == ["Diwrnod Shwmae", "Cysylltu ysgolion"]
    assert feed.find(f"{atom}link[@rel='alternate']").get("href") == "https://example.org/hub/cy/news/"
    calendar = (bilingual.out / "cy/events/calendar.ics").read_text(encoding="utf-8")
    assert "Cyngerdd y côr" in calendar and "Choir concert" not in calendar
    assert "Choir concert" in (bilingual.out / "events/calendar.ics").read_text(encoding="utf-8")
    assert page(bilingual, "cy/404.html").html["lang"] == "cy"
    assert "/hub/cy/* /hub/cy/404.html 404" in (bilingual.out / "_redirects").read_text().splitlines()  # Netlify's own 404 for /cy/
    assert "Preifatrwydd" in words(page(bilingual, "cy/privacy/index.html"))  # the theme's notice, in Welsh


def test_the_sitemap_carries_each_pages_alternates(bilingual) -> None:  # type: ignore[no-untyped-def]
    root = ET.parse(bilingual.out / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    entries = {u.findtext("s:loc", namespaces=ns): {x.get("hreflang"): x.get("href") for x in u.findall("x:link", ns)}
               for u in root.findall("s:url", ns)}
    both = {"en-GB": "https://example.org/hub/news/linking/", "cy": "https://example.org/hub/cy/news/linking/"}
    assert entries["https://example.org/hub/news/linking/"] == both == entries["https://example.org/hub/cy/news/linking/"]
    assert entries["https://example.org/hub/cy/news/shwmae/"] == {}


def test_redirects_of_old_addresses_stay_with_the_original(bilingual) -> None:  # type: ignore[no-untyped-def]
    redirect = page(bilingual, "2026/10/linking/index.html")
    assert redirect.find("link", rel="canonical")["href"] == "https://example.org/hub/news/linking/"


@pytest.mark.skipif(unavailable() is not None, reason="Pagefind cannot run here")
def test_one_search_index_per_language(bilingual) -> None:  # type: ignore[no-untyped-def]
    english = json.loads((bilingual.out / "pagefind/pagefind-entry.json").read_text())
    welsh = json.loads((bilingual.out / "cy/pagefind/pagefind-entry.json").read_text())
    assert list(english["languages"]) == ["en-GB"] and list(welsh["languages"]) == ["cy"]
    assert welsh["languages"]["cy"]["page_count"] == 3  # linking, shwmae, the choir (a home page is not indexed)
    assert page(bilingual, "cy/search/index.html").select_one("[data-bundle]")["data-bundle"] == "/hub/cy/pagefind/"


def test_the_editor_edits_both_languages_side_by_side(bilingual) -> None:  # type: ignore[no-untyped-def]
    config = yaml.safe_load((bilingual.out / "admin/config.yml").read_text(encoding="utf-8"))
    assert config["i18n"] == {"structure": "multiple_files", "locales": ["en", "cy"], "default_locale": "en"}
    news = next(c for c in config["collections"] if c["name"] == "news")
    translated = {f["name"] for f in news["fields"] if f.get("i18n")}
    assert {"title", "summary", "body", "tags"} <= translated and not {"date", "networks", "image"} & translated


def test_a_file_named_as_the_editor_names_the_main_language_is_the_original(hub) -> None:  # type: ignore[no-untyped-def]
    files = {"content/about.en.md": "---\ntitle: About\n---\nHi.\n", "content/about.cy.md": "---\ntitle: Amdanom\n---\nHelo.\n"}
    site = hub(files, site_yaml=SITE)
    assert site.build().code == 0
    assert switcher(site.html("about/index.html")) == {"cy": "/hub/cy/about/"}


def test_check_reports_how_level_the_languages_are(bilingual) -> None:  # type: ignore[no-untyped-def]
    run = bilingual.run("check")
    assert run.code == 0, run.err
    welsh = next(line for line in run.lines if "languages: cy:" in line)
    assert "content/about.md" in welsh and "content/news/2026-09-01-english-only.md" in welsh and "content/networks/coast.md" in welsh
    assert "content/news/2026-10-02-linking.md" not in welsh
    english = next(line for line in run.lines if "languages: en-GB:" in line)
    assert "content/news/2026-11-20-shwmae.cy.md" in english


def test_a_hub_with_one_language_is_as_before(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/about.cy.md": "---\ntitle: Amdanom\n---\nHelo.\n"})
    assert site.build().code == 0
    doc = site.html("about-cy/index.html")  # without languages:, a dot is part of the name
    assert not doc.select("ul.languages") and not hreflang(doc)


@pytest.mark.parametrize(("languages", "message"), [
    ("languages: [cy]", "site.yaml:5: languages: must be a mapping of language codes"),
    ("languages:\n  Welsh: {title: X}", 'site.yaml:5: languages: "Welsh" is not a language code for a folder'),
    ("languages:\n  en: {title: X}", 'site.yaml:5: languages: "en" is the main language (en-GB)'),
    ("languages:\n  cy: {timezone: Europe/London}", "site.yaml:5: languages: cy: 'timezone' cannot be set per language"),
    ("languages:\n  cy: {menu: [{title: X}]}", "site.yaml:5: languages: cy: menu: entry 1 needs a title and a url"),
])
def test_wrong_language_settings(hub, languages: str, message: str) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/about.md": "---\ntitle: About\n---\nHi.\n"},
               site_yaml=f"title: T\nbase_url: https://example.org/\nlanguage: en-GB\n# languages\n{languages}\n")
    run = site.build()
    assert run.code == 1 and "Traceback" not in run.err
    assert any(line.startswith(message) for line in run.lines), run.err


def test_a_page_in_one_language_only_must_be_complete(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/events/2026-12-18-choir.cy.md": "---\ntitle: Côr\n---\nDewch.\n"}, site_yaml=SITE)
    site.build()  # the first build writes the site; the second must leave it as it was
    before = sorted(p.relative_to(site.out) for p in site.out.rglob("*")) if site.out.exists() else None
    site.write({"content/news/2026-11-20-shwmae.cy.md": "---\ntitle: Diwrnod Shwmae\n---\nDim dyddiad.\n"})
    run = site.build()
    assert run.code == 1 and "Traceback" not in run.err
    assert any(line.startswith("content/events/2026-12-18-choir.cy.md:1: start: missing; a page in cy only") for line in run.lines), run.err
    assert any(line.startswith("content/news/2026-11-20-shwmae.cy.md:1: date: missing; a page in cy only") for line in run.lines), run.err
    assert (sorted(p.relative_to(site.out) for p in site.out.rglob("*")) if site.out.exists() else None) == before


def test_an_edited_translation_builds_as_a_cold_build_would(bilingual, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bilingual.write({"content/news/2026-10-02-linking.cy.md": "---\ntitle: Cysylltu ysgolion eto\ntags: [cysylltu]\n---\nNewydd.\n",
                     "content/networks/coast.cy.md": "---\ntitle: Rhwydwaith yr Arfordir\n---\nYr arfordir.\n"})
    assert bilingual.build().code == 0
    cold = tmp_path / "cold"
    shutil.copytree(bilingual.root, cold, ignore=shutil.ignore_patterns("_site", ".sitegen-cache"))
    from sitegen.cli.main import main
    assert main(["build", "--output", str(cold / "_site"), str(cold)]) == 0
    made = {p.relative_to(bilingual.out): p.read_bytes() for p in bilingual.out.rglob("*") if p.is_file() and "pagefind" not in p.parts}
    fresh = {p.relative_to(cold / "_site"): p.read_bytes() for p in (cold / "_site").rglob("*") if p.is_file() and "pagefind" not in p.parts}
    assert made.keys() == fresh.keys()
    assert [f for f in made if made[f] != fresh[f]] == []
    welsh_post = page(bilingual, "cy/news/linking/index.html")
    assert welsh_post.find("a", href="/hub/cy/networks/coast/")  # the network, now translated, is named in Welsh
    assert switcher(page(bilingual, "networks/coast/index.html")) == {"cy": "/hub/cy/networks/coast/"}


def test_vocabulary_values_in_the_pages_language(hub) -> None:  # type: ignore[no-untyped-def]
    files = {"content/resources/rivers.md": "---\ntitle: Rivers\nsubjects: [geography]\ntype: worksheet\n---\nA sheet.\n",
             "content/resources/rivers.cy.md": "---\ntitle: Afonydd\nsubjects: [Hanes, Daearyddiaeth]\ntype: Taflen waith\n---\nTaflen.\n"}
    site = hub(files, site_yaml=SITE)
    run = site.build()
    assert run.code == 0, run.err
    text = words(site.html("cy/resources/rivers/index.html"))
    assert "Hanes" in text and "Daearyddiaeth" in text and "Taflen waith" in text
    assert (site.out / "cy/resources/subject/history/index.html").is_file()
    assert "Afonydd" in words(site.html("cy/resources/subject/history/index.html"))
    assert not (site.out / "resources/subject/history/index.html").exists()  # the English one names only geography
