"""How the built-in theme looks in a real browser with real writers' content: long addresses and
words never widen the page (WCAG 1.4.10), nothing moves once shown (layout shift), the header fits
one row beside the title at 1280px, a portrait photo is not a screen and a half tall, and the
footer gives the hub's contact details. Headless Chromium; see tests/browser.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import missing, serve
from conftest import NOW, REPO, image_bytes, soup, write_files

from sitegen.builder.api import BuildOptions
from sitegen.schema.kinds import BUILTIN_KINDS

LONG_URL = "https://www.example-local-authority.gov.uk/education/recruitment/teaching-vacancies/apply-online/application-pack-2027-year-3-class-teacher-millbrook-primary-school.pdf"
LONG_EMAIL = "headteacher.office.administration@millbrook-primary-school.example.sch.uk"
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosisawarenessweek"
BODY = f"""Apply at {LONG_URL} or write to [{LONG_EMAIL}](mailto:{LONG_EMAIL}). A word: {LONG_WORD}.

See <{LONG_URL}>.

| Column | {LONG_WORD} |
|---|---|
| {LONG_URL} | {LONG_EMAIL} |

```
{LONG_URL}?and=a&very=long&line=of&code=that&must=scroll&inside=itself&not=the&page=at&all=ever
```
"""
PORTRAIT = image_bytes("JPEG", (600, 1200))

SITE = f"""\
title: {LONG_WORD} Partnership
base_url: /hub/
contact:
  email: {LONG_EMAIL}
  phone: 01234 567890
  address: "Millbrook Primary School\\nOrchard Street\\nMillbrook AV3 1DN"
"""

FILES: dict[str, str | bytes] = {
    "site.yaml": SITE,
    "content/index.md": f"---\ntitle: Home\n---\n{BODY}",
    "content/about.md": f"---\ntitle: About {LONG_WORD}\nmenu: true\nsummary: {LONG_WORD}\n---\n{BODY}",
    "content/news/2026-10-01-long.md": f"---\ntitle: News about {LONG_WORD}\ndate: 2026-10-01\nsummary: {LONG_URL}\nimage: portrait.jpg\n"
                                       f"image_alt: A tall photo.\ntags: [{LONG_WORD}]\nnetworks: [long-network]\n---\n{BODY}",
    "content/news/portrait.jpg": PORTRAIT,
    "content/news/2026-10-02-plain.md": "---\ntitle: A post without a picture\ndate: 2026-10-02\nsummary: Short.\n---\nText.\n",
    "content/events/2026-12-03-long.md": f"---\ntitle: Event {LONG_WORD}\nstart: 2026-12-03 16:00\nlocation: {LONG_WORD} Hall, {LONG_URL}\n"
                                         f"booking_url: {LONG_URL}\nonline_url: {LONG_URL}\nnetworks: [long-network]\n---\n{BODY}",
    "content/resources/long.md": f"---\ntitle: Resource {LONG_WORD}\nsummary: {LONG_URL}\ntype: guidance\nsubjects: [English]\n"
                                 f"key_stages: [KS2]\nnetworks: [long-network]\n---\n{BODY}",
    "content/schools/long-school.md": f"---\ntitle: {LONG_WORD} Primary School\nwebsite: {LONG_URL}\naddress: {LONG_WORD} Road\n"
                                      f"networks: [long-network]\n---\n{BODY}",
    "content/networks/long-network.md": f"---\ntitle: {LONG_WORD} Network\nwebsite: {LONG_URL}\n"
                                        f"contacts: [{{name: {LONG_WORD}, email: {LONG_EMAIL}}}]\n---\n{BODY}",
}
if any(kind.name == "vacancies" for kind in BUILTIN_KINDS):
    FILES["content/vacancies/long.md"] = (f"---\ntitle: Vacancy {LONG_WORD}\nclosing_date: 2027-01-15\nschool: long-school\n"
                                          f"salary: {LONG_WORD}\napply_url: {LONG_URL}\n---\n{BODY}")


@pytest.fixture(scope="module")
def long_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A hub whose every kind has long addresses, emails and words, built under /hub/ and served; (origin, site)."""
    import sitegen

    root = write_files(tmp_path_factory.mktemp("long") / "hub", FILES)
    served = tmp_path_factory.mktemp("served")
    with serve(served) as origin:
        sitegen.build(root, BuildOptions(output=served / "hub", base_url=origin + "/hub/", now=NOW))
        yield origin, served / "hub"


def html_pages(site: Path) -> list[str]:
    """Every built page, as its path under the site (redirect stubs left out)."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(("admin/", "pagefind/")) or 'http-equiv="refresh"' in path.read_text(encoding="utf-8"):
            continue
        pages.append(rel.removesuffix("index.html"))
    return pages


def test_the_long_hub_has_every_kind(long_hub) -> None:  # type: ignore[no-untyped-def]
    pages = html_pages(long_hub[1])
    for kind in BUILTIN_KINDS:
        if kind.name != "pages":
            assert any(p.startswith(f"{kind.name}/") and p.count("/") >= 2 for p in pages), f"no {kind.name} item page"
    assert len(pages) > 20


def test_no_page_scrolls_sideways_at_320px_whatever_its_content(browser, long_hub) -> None:  # type: ignore[no-untyped-def]
    origin, site = long_hub
    wide = {}
    with browser.new_context(viewport={"width": 320, "height": 640}) as context:
        page = context.new_page()
        for path in html_pages(site):
            page.goto(f"{origin}/hub/{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                wide[path] = width
    assert not wide, f"wider than a 320px screen: {wide}"


def test_tables_and_code_scroll_inside_themselves(browser, long_hub) -> None:  # type: ignore[no-untyped-def]
    origin, _ = long_hub
    with browser.new_context(viewport={"width": 320, "height": 640}) as context:
        page = context.new_page()
        page.goto(f"{origin}/hub/news/long/")
        for selector in ("main table", "main pre"):
            inner, outer = page.evaluate(f"[document.querySelector('{selector}').scrollWidth, document.querySelector('{selector}').clientWidth]")
            assert outer <= 320 - 32 and inner > outer, f"{selector}: {inner} in {outer}"


CLS_OBSERVER = """
window.__shifts = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shifts.push(entry.value);
}).observe({type: 'layout-shift', buffered: true});
"""


def layout_shift(page) -> float:  # type: ignore[no-untyped-def]
    page.wait_for_timeout(300)  # the last frames' entries
    return float(page.evaluate("window.__shifts.reduce((a, b) => a + b, 0)"))


def slow(route) -> None:  # type: ignore[no-untyped-def]
    """A slow connection: the scripts and the search index come after the first paint, as they do on a phone."""
    import time

    time.sleep(0.4)
    route.continue_()


@pytest.fixture(scope="module")
def example_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import sitegen

    root = tmp_path_factory.mktemp("example")
    with serve(root) as origin:
        sitegen.build(REPO, BuildOptions(output=root / "vale", base_url=origin + "/vale/", now=NOW))
        yield origin + "/vale/"


@pytest.mark.parametrize("path", ["", "news/summer-conference-round-up/", "resources/", "schools/millbrook-primary/"])
def test_desktop_pages_do_not_move_once_shown(browser, example_url: str, path: str) -> None:  # type: ignore[no-untyped-def]
    with browser.new_context(viewport={"width": 1280, "height": 900}) as context:
        page = context.new_page()
        page.add_init_script(CLS_OBSERVER)
        page.route("**/*.js", slow)
        page.goto(example_url + path, wait_until="load")
        assert page.locator("form[data-search-box]").is_visible()
        shift = layout_shift(page)
    assert shift < 0.02, f"cumulative layout shift {shift:.3f}"


@pytest.mark.parametrize("viewport", [(1280, 900), (360, 740)])
def test_the_search_page_does_not_move_while_results_load(browser, example_url: str, viewport: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    from sitegen.search.pagefind import unavailable

    why = unavailable()
    if why:
        missing(f"search needs Pagefind: {why}")
    with browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}) as context:
        page = context.new_page()
        page.add_init_script(CLS_OBSERVER)
        page.route("**/*.js", slow)
        page.route("**/pagefind/**", slow)
        page.goto(example_url + "search/?q=reading", wait_until="load")
        page.locator("[data-search-results] li").first.wait_for()
        shift = layout_shift(page)
    assert shift < 0.02, f"cumulative layout shift {shift:.3f}"


def test_the_search_page_is_not_indexed_and_other_pages_are(long_hub) -> None:  # type: ignore[no-untyped-def]
    site = long_hub[1]
    assert soup(site / "search" / "index.html").find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert not soup(site / "about" / "index.html").find("meta", attrs={"name": "robots"})


def test_the_header_is_two_tidy_rows_at_1280px(browser, example_url: str) -> None:  # type: ignore[no-untyped-def]
    """The title and the search box on the first row, every menu link on the second."""
    with browser.new_context(viewport={"width": 1280, "height": 900}) as context:
        page = context.new_page()
        page.goto(example_url + "news/")
        title, search = page.locator(".site-title").bounding_box(), page.locator("form[data-search-box]").bounding_box()
        assert abs((title["y"] + title["height"] / 2) - (search["y"] + search["height"] / 2)) < 4, (title, search)
        links = page.locator(".menu a")
        tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
        assert len(tops) == 1 and min(tops) > search["y"] + search["height"] - 4, tops
        assert page.locator(".site-header").bounding_box()["height"] < 110


def test_a_portrait_photo_is_at_most_about_a_screen_high_and_does_not_move(browser, long_hub) -> None:  # type: ignore[no-untyped-def]
    origin, _ = long_hub
    held: list = []

    def hold(route) -> None:  # type: ignore[no-untyped-def]
        held.append(route)  # the photo has not come yet

    for width, height in ((1280, 900), (360, 740)):
        with browser.new_context(viewport={"width": width, "height": height}) as context:
            page = context.new_page()
            held.clear()
            page.route("**/portrait*", hold)
            page.goto(f"{origin}/hub/news/long/", wait_until="domcontentloaded")
            image = page.locator("main .lead-image")
            before = image.bounding_box()
            assert held, "the photo was asked for"
            for route in held:
                route.continue_()
            for _ in range(100):  # (wait_for_function would need eval, which the site's security policy forbids)
                if page.evaluate("document.querySelector('main .lead-image').naturalWidth > 0"):
                    break
                page.wait_for_timeout(50)
            after = image.bounding_box()
            assert after["height"] <= 0.85 * height + 1 and after["height"] <= 512 + 1, after
            shown = page.evaluate("(i => { const r = i.getBoundingClientRect(); const f = getComputedStyle(i).objectFit;"
                                  " return f === 'contain' ? i.naturalWidth / i.naturalHeight : r.width / r.height; })"
                                  "(document.querySelector('main .lead-image'))")
            assert abs(shown - 0.5) < 0.01, "the photo keeps its proportions (fitted inside its box, not stretched)"
            assert (round(before["width"]), round(before["height"])) == (round(after["width"]), round(after["height"])), (before, after)


def test_a_card_without_a_picture_has_no_empty_picture_box(browser, long_hub) -> None:  # type: ignore[no-untyped-def]
    origin, site = long_hub
    plain = soup(site / "news" / "index.html").find("a", string="A post without a picture").find_parent("li")
    assert not plain.find("img") and "card-with-image" not in plain["class"]
    with browser.new_context(viewport={"width": 1280, "height": 900}) as context:
        page = context.new_page()
        page.goto(f"{origin}/hub/news/")
        card = page.locator(".card", has_text="A post without a picture")
        body = card.locator(".card-body")
        assert card.bounding_box()["height"] - body.bounding_box()["height"] < 4, "the card is as tall as its words"


def test_the_footer_gives_the_hubs_contact_details(long_hub) -> None:  # type: ignore[no-untyped-def]
    footer = soup(long_hub[1] / "news" / "index.html").find("footer")
    address = footer.find("address")
    assert address.find("a", href=f"mailto:{LONG_EMAIL}").get_text() == LONG_EMAIL
    assert address.find("a", href="tel:01234567890").get_text() == "01234 567890"
    assert "Millbrook Primary School" in address.get_text() and len(address.find_all("br")) == 2


def test_a_hub_without_contact_details_has_no_empty_address(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/about.md": "---\ntitle: About\n---\nHi.\n"})
    assert site.build().code == 0
    assert not site.html("about/index.html").find("address")
