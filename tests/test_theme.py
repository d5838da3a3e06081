"""The built-in theme's promises, checked on every page of the example hub without a browser:
one h1 and an orderly outline, landmarks and a skip link, nothing from other hosts, and light pages."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import soup
from sitegen.core.colours import WHITE, contrast, parse

BASE = "/vale/"


def pages(site: Path) -> list[Path]:
    """Every public page: not the editor at /admin/, which is Decap CMS's own (see tests/test_editor.py)."""
    return sorted(p for p in site.rglob("*.html") if not p.relative_to(site).as_posix().startswith("admin/"))


def real_pages(site: Path) -> list[Path]:
    """Every page but the redirects left for old addresses."""
    return [p for p in pages(site) if not soup(p).find("meta", attrs={"http-equiv": "refresh"})]


def test_one_h1_and_no_skipped_heading_levels(example_site: Path) -> None:
    for path in real_pages(example_site):
        doc = soup(path)
        levels = [int(h.name[1]) for h in doc.find_all(re.compile(r"^h[1-6]$"))]
        assert levels.count(1) == 1, path
        assert levels[0] == 1, path
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, f"{path}: h{before} is followed by h{after}"


def test_landmarks_language_and_skip_link(example_site: Path) -> None:
    for path in real_pages(example_site):
        doc = soup(path)
        welsh = path.relative_to(example_site).parts[0] == "cy"  # the example hub's pages in Welsh (site.yaml's languages:)
        assert doc.html["lang"] == ("cy" if welsh else "en-GB"), path
        first_link = doc.body.find(["a", "button", "input", "select"])
        assert first_link["href"] == "#main" and "skip-link" in first_link["class"], path
        assert doc.find("main", id="main") and doc.find("header") and doc.find("footer"), path
        assert doc.find("nav", attrs={"aria-label": "Prif lywio" if welsh else "Main"}), path


EMBEDDING = [("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("frame", "src"),
             ("source", "src"), ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data"), ("track", "src")]


def loaded_resources(doc) -> list[str]:  # type: ignore[no-untyped-def]
    """Addresses a page makes the browser fetch by itself (not links a person follows)."""
    found = []
    for tag, attr in EMBEDDING:
        for el in doc.find_all(tag):
            if tag == "link" and not set(el.get("rel", [])) & {"stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon"}:
                continue
            if el.get(attr):
                found.append(el[attr])
            if el.get("srcset"):
                found += [part.split()[0] for part in el["srcset"].split(",")]
    for style in doc.find_all("style"):
        found += re.findall(r"url\(\s*['\"]?([^'\")]+)", style.get_text())
    for el in doc.find_all(style=True):
        found += re.findall(r"url\(\s*['\"]?([^'\")]+)", el["style"])
    return found


def test_no_page_loads_anything_from_another_host(example_site: Path) -> None:
    css = [p for p in example_site.rglob("*.css")]
    for path in pages(example_site):
        for address in loaded_resources(soup(path)):
            assert not urlsplit(address).netloc and not address.startswith("//"), f"{path} loads {address}"
    for sheet in css:
        for address in re.findall(r"url\(\s*['\"]?([^'\")]+)", sheet.read_text()):
            assert not urlsplit(address).netloc, f"{sheet} loads {address}"
        assert "@import" not in sheet.read_text()


def test_the_check_would_catch_a_third_party_script(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text('<html><head><script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="//fonts.example/a.css">'
                    '</head><body><img srcset="/a.png 1x, https://img.example/b.png 2x"></body></html>')
    assert [a for a in loaded_resources(soup(page)) if urlsplit(a).netloc] == [
        "https://cdn.example/x.js", "//fonts.example/a.css", "https://img.example/b.png"]


def test_css_and_js_weigh_under_40_kb_per_page(example_site: Path) -> None:
    heaviest = 0
    for path in pages(example_site):
        doc = soup(path)
        url = BASE + path.relative_to(example_site).as_posix()
        total = sum(len(s.get_text().encode()) for s in doc.find_all(["style", "script"]) if not s.get("src"))
        for el in doc.find_all("link", rel="stylesheet") + doc.find_all("script", src=True):
            target = urlsplit(urljoin(url, el.get("href") or el.get("src"))).path
            total += (example_site / target[len(BASE):]).stat().st_size
        heaviest = max(heaviest, total)
    assert heaviest < 40_000, heaviest


@pytest.mark.parametrize(("colour", "used", "warned"), [("#1d5c4d", "#1d5c4d", False), ("#ffcc00", "#8f7200", True), ("#0af", "#007cba", True)])
def test_brand_colour_is_kept_readable(hub, colour: str, used: str, warned: bool) -> None:  # type: ignore[no-untyped-def]
    site = hub({"static/img/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"},
               site_yaml=f'title: Hub\ncolour: "{colour}"\nlogo: /img/logo.svg\n')
    run = site.build()
    assert run.code == 0
    page = site.html("index.html")
    assert f"--brand: {used};" in page.find("style").get_text()
    assert contrast(parse(used), WHITE) >= 4.5
    assert page.select_one(".site-title img")["src"] == "/img/logo.svg"
    warning = f"site.yaml:2: colour: white text on {colour if len(colour) == 7 else '#00aaff'} is too faint to read"
    assert (warning in run.err) == warned, run.err


def test_a_missing_logo_or_bad_colour_is_an_error(hub) -> None:  # type: ignore[no-untyped-def]
    run = hub({}, site_yaml='title: Hub\ncolour: teal\n').build()
    assert run.lines[0] == 'site.yaml:2: colour: "teal" is not a colour: write it as #rrggbb, e.g. "#1d5c4d" (in quotes)'
    run = hub({}, site_yaml="title: Hub\nlogo: /img/logo.png\n").build()
    assert run.lines[0] == 'site.yaml: logo: "/img/logo.png" does not exist; put the file in static/'


def test_labels_are_in_sentence_case(example_site: Path) -> None:
    facet = soup(example_site / "resources" / "phase" / "primary" / "index.html")
    assert facet.h1.get_text() == "Phase: Primary"
    resource = soup(example_site / "resources" / "fractions-bar-model-sequence" / "index.html")
    facts = {dt.get_text(): dt.find_next_sibling("dd").get_text() for dt in resource.select(".facts dt")}
    assert facts["Type"] == "Lesson plan" and facts["Subjects"] == "Mathematics"
    library = soup(example_site / "resources" / "index.html")
    options = [o.get_text() for o in library.select("#filter-type option")]
    assert "Lesson plan (1)" in options and all(o[:1].isupper() for o in options)


def test_the_menu_folds_behind_a_button_that_works_without_javascript(example_site: Path) -> None:
    page = soup(example_site / "index.html")
    nav = page.find("nav", attrs={"aria-label": "Main"})
    toggle = nav.find("details", class_="menu-toggle")
    assert toggle.summary.get_text() == "Menu" and not toggle.has_attr("open")
    assert toggle.find_next_sibling("ul")["class"] == ["menu"], "CSS shows the menu after the opened button"


def test_cards_show_pictures_logos_date_badges_and_downloads(example_site: Path) -> None:
    home = soup(example_site / "index.html")
    assert home.select_one(".hero h1").get_text() == "Vale Learning Partnership" and home.select_one(".hero a.button")
    assert len(home.select("#latest-news ~ .cards .card-image")) == 3
    assert len(home.select("#our-networks ~ .cards .card-logo")) == 4
    badges = home.select("#upcoming-events ~ .cards .date-badge")
    assert badges and all(b["aria-hidden"] == "true" for b in badges)
    assert any("PDF, " in p.get_text() for p in home.select("#resources ~ .cards .meta"))
