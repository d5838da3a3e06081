"""The repository's own example hub, built under a sub-path, checked as a visitor would."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from PIL import Image

from conftest import REPO, soup

BASE = "/vale/"


def internal_links(site: Path):
    """(page, href) for every link and asset reference in every built page."""
    for page in sorted(site.rglob("*.html")):
        doc = soup(page)
        for tag, attr in (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src")):
            for el in doc.find_all(tag):
                value = el.get(attr)
                if value and not urlsplit(value).scheme and not value.startswith("#"):
                    yield page, value


def test_every_internal_link_leads_to_a_file(example_site: Path) -> None:
    broken = []
    count = 0
    for page, href in internal_links(example_site):
        rel = "/" + page.relative_to(example_site).as_posix()
        target = urlsplit(urljoin(BASE + rel.lstrip("/"), href)).path
        count += 1
        if not target.startswith(BASE):
            broken.append((rel, href, "outside the base path"))
            continue
        path = example_site / target[len(BASE):]
        if target.endswith("/"):
            path = path / "index.html"
        if not path.is_file():
            broken.append((rel, href, "no file"))
    assert count > 500
    assert broken == []


def test_the_example_hub_has_what_the_issue_asks_for(example_site: Path) -> None:
    def items(kind: str) -> list[Path]:
        return [p for p in (example_site / kind).glob("*/index.html")]

    assert len(items("networks")) >= 3
    assert len(items("news")) >= 8
    assert len(items("resources")) >= 10
    assert len(items("events")) >= 5
    assert len(items("schools")) >= 10
    downloads = [a for p in items("resources") for a in soup(p).select("a[download]")]
    assert len(downloads) >= 5
    for index in ("news", "networks", "schools", "resources", "events"):
        assert (example_site / index / "index.html").is_file()


def test_schools_from_the_csv_have_pages_and_networks(example_site: Path) -> None:
    page = soup(example_site / "schools" / "fernley-green-primary-school" / "index.html")
    assert page.h1.get_text() == "Fernley Green Primary School"
    facts = {dt.get_text(): dt.find_next_sibling("dd").get_text() for dt in page.select(".facts dt")}
    assert facts["Phase"] == "Primary"
    assert facts["URN"].startswith("990202")
    assert page.select(".networks a"), "a CSV school named by URN in a network lists that network"


def test_a_resource_page_shows_format_and_size(example_site: Path) -> None:
    page = soup(example_site / "resources" / "phonics-catch-up-toolkit" / "index.html")
    link = page.select_one("a[download]")
    assert link["href"] == "/vale/resources/phonics-catch-up-toolkit.pdf"
    size = (example_site / "resources" / "phonics-catch-up-toolkit.pdf").stat().st_size
    assert f"(PDF, {size} bytes)" in link.get_text() or "(PDF, 1 KB)" in link.get_text()


def test_the_base_path_is_in_every_link(example_site: Path) -> None:
    page = soup(example_site / "index.html")
    assert page.select_one("link[rel=stylesheet]")["href"] == "/vale/assets/sitegen.css"
    assert page.select_one("link[rel=canonical]")["href"] == "https://user.github.io/vale/"
    assert {a["href"] for a in page.select("nav[aria-label=Main] a")} >= {"/vale/news/", "/vale/about/"}


def test_every_picture_has_alt_width_and_height_and_every_srcset_entry_exists(example_site: Path) -> None:
    count = sources = 0
    for page in sorted(example_site.rglob("*.html")):
        doc = soup(page)
        for img in doc.find_all("img"):
            count += 1
            where = f"{page.relative_to(example_site)}: {img}"
            assert img.has_attr("alt"), where
            assert img.get("width", "").isdigit() and img.get("height", "").isdigit(), where
        for tag in doc.find_all(["img", "source"]):
            for entry in filter(None, (part.strip() for part in tag.get("srcset", "").split(","))):
                url, width = entry.split()
                assert url.startswith(BASE) and width.endswith("w"), entry
                path = example_site / unquote(url[len(BASE):])
                assert path.is_file(), f"{page.relative_to(example_site)}: {url} does not exist"
                with Image.open(path) as picture:
                    assert f"{picture.width}w" == width, f"{url} is {picture.width} px wide, not {width}"
                sources += 1
    assert count >= 30 and sources >= 30


def test_the_example_photos_are_published_without_their_gps_position(example_site: Path) -> None:
    from sitegen.media.pictures import RASTER

    originals = [p for p in (REPO / "static").rglob("*") if p.suffix in RASTER] + [p for p in (REPO / "content").rglob("*") if p.suffix in RASTER]
    with Image.open(REPO / "static/img/photos/river-wendle.jpg") as original:
        assert original.getexif().get(0x8825) and original.getexif().get(0x0112) == 6, "the example hub has a phone photo with GPS, on its side"
        stored = original.size
    assert len(originals) >= 6
    for path in example_site.rglob("*"):
        if path.suffix in (".jpg", ".png", ".webp"):
            with Image.open(path) as img:
                assert not img.getexif() and "icc_profile" not in img.info and "comment" not in img.info, path
    with Image.open(example_site / "img/photos/river-wendle.jpg") as published:
        assert published.size == stored[::-1], "published upright"


def test_the_example_hub_in_welsh(example_site: Path) -> None:
    """The example hub's Welsh translations (home, a post, a network, an event, a resource) and its Welsh-only post."""
    for rel, counterpart in [("cy/index.html", "/vale/"), ("cy/news/river-wendle-study/index.html", "/vale/news/river-wendle-study/"),
                             ("cy/networks/reading-network/index.html", "/vale/networks/reading-network/"),
                             ("cy/events/kelsey-bridge-book-festival/index.html", "/vale/events/kelsey-bridge-book-festival/"),
                             ("cy/resources/river-wendle-fieldwork/index.html", "/vale/resources/river-wendle-fieldwork/"),
                             ("cy/news/diwrnod-shwmae/index.html", "/vale/news/")]:
        doc = soup(example_site / rel)
        assert doc.html["lang"] == "cy", rel
        assert doc.select_one("ul.languages a")["href"] == counterpart, rel
        english = soup(example_site / counterpart.removeprefix("/vale/") / "index.html")
        if not rel.startswith("cy/news/diwrnod"):
            assert english.select_one("ul.languages a")["href"] == "/vale/" + rel.removesuffix("index.html"), rel
    event = soup(example_site / "cy/events/kelsey-bridge-book-festival/index.html").get_text(" ")
    assert "11 Mawrth 2027" in " ".join(event.split())
    resource = soup(example_site / "cy/resources/river-wendle-fieldwork/index.html")
    assert resource.find("a", href="/vale/resources/river-fieldwork-recording-sheet.csv")  # the file, taken from the original
