"""What a person sees in a browser: the example hub under a sub-path, in headless Chromium."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from browser import axe_violations, describe, serve

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the playwright_api fixture
    expect = None
from conftest import NOW, PNG, REPO

SUB = "/vale/"
# One page of every kind the example hub has.
PAGES = [
    "", "news/", "news/2026/", "news/tags/", "news/tags/cpd/",
    "news/first-lesson-study-cycle/", "news/river-wendle-study/", "events/kelsey-bridge-book-festival/", "networks/", "networks/reading-network/", "networks/reading-network/news/",
    "schools/", "schools/millbrook-primary/", "schools/fernley-green-primary-school/", "resources/",
    "resources/subject/english/", "resources/phonics-catch-up-toolkit/", "events/", "events/past/",
    "events/maths-lesson-study-open-afternoon/", "events/sendco-forum-spring/", "about/", "accessibility/",
    "privacy/", "contact/", "search/", "search/?q=reading", "404.html",
    # the example hub's Welsh pages (languages: in site.yaml), and one that only Welsh has
    "cy/", "cy/news/", "cy/news/river-wendle-study/", "cy/news/diwrnod-shwmae/", "cy/events/kelsey-bridge-book-festival/",
    "cy/networks/reading-network/", "cy/resources/river-wendle-fieldwork/", "cy/resources/", "cy/search/", "cy/404.html",
]


@pytest.fixture(scope="session")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example hub, built for and served under /vale/ on a free local port."""
    import sitegen
    from sitegen.builder.api import BuildOptions

    root = tmp_path_factory.mktemp("served")
    with serve(root) as origin:
        sitegen.build(REPO, BuildOptions(output=root / "vale", base_url=origin + SUB, now=NOW))
        yield origin + SUB


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violations(page, site_url: str, path: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + path)
    violations = axe_violations(page)
    assert not violations, describe(violations)


@pytest.mark.parametrize("path", ["", "resources/", "networks/reading-network/", "events/maths-lesson-study-open-afternoon/", "news/first-lesson-study-cycle/"])
def test_no_axe_violations_in_the_dark_scheme(page, site_url: str, path: str) -> None:  # type: ignore[no-untyped-def]
    page.emulate_media(color_scheme="dark")
    page.goto(site_url + path)
    violations = axe_violations(page)
    assert not violations, describe(violations)


@pytest.mark.parametrize("path", PAGES)
def test_no_sideways_scrolling_at_320px(browser, site_url: str, path: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(site_url + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    context.close()
    assert overflow <= 0, f"{path} is {overflow}px wider than a 320px screen"


def test_the_language_switcher_works_by_keyboard(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "news/river-wendle-study/")
    for _ in range(40):  # Tab through the header until the link to the Welsh page has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('hreflang')") == "cy":
            break
    assert page.evaluate("[document.activeElement.textContent, getComputedStyle(document.activeElement).outlineStyle]") == ["Cymraeg", "solid"]
    page.keyboard.press("Enter")
    page.wait_for_url("**/cy/news/river-wendle-study/")
    assert page.evaluate("document.documentElement.lang") == "cy"
    assert page.locator("h1").inner_text().startswith("Dilyn yr afon")
    page.locator("ul.languages a").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/vale/news/river-wendle-study/")
    assert page.evaluate("document.documentElement.lang") == "en-GB"


def test_skip_link_comes_first_and_focus_is_visible(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "resources/")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.textContent, getComputedStyle(document.activeElement).outlineStyle]")
    assert focused[:2] == ["skip-link", "Skip to main content"]
    assert focused[2] == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_menu_works_on_a_phone_without_javascript(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url)
    links = page.locator("nav[aria-label=Main] a")
    assert links.count() >= 5
    button = page.locator("nav[aria-label=Main] summary")
    assert button.inner_text().startswith("Menu") and not links.first.is_visible(), "on a phone the menu starts folded"
    title, menu = page.locator(".site-title").bounding_box(), page.locator(".menu-toggle").bounding_box()
    assert menu["y"] < title["y"] + title["height"] and title["y"] < menu["y"] + menu["height"], "closed, the menu is one button beside the title"
    header = page.locator(".site-header").bounding_box()
    languages = page.locator("ul.languages").bounding_box()  # the example hub is also in Welsh: a short row above the title
    assert languages["height"] < 32 and languages["y"] + languages["height"] <= title["y"]
    assert header["height"] < 125 + languages["height"], "the languages' row, the title's row, and one line saying that search needs JavaScript"
    button.click()
    for i in range(links.count()):
        assert links.nth(i).is_visible()
        box = links.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    links.filter(has_text="Resources").click()
    assert page.url == site_url + "resources/"
    context.close()


def test_resource_filters_combine_and_live_in_the_address(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "resources/")
    cards = page.locator("[data-resources] > li")
    total = cards.count()
    assert page.locator("[data-count]").inner_text() == f"{total} resources"
    page.select_option("#filter-key-stage", "ks2")
    ks2 = page.locator("[data-resources] > li:visible").count()
    assert 0 < ks2 < total
    page.select_option("#filter-subject", "english")
    both = page.locator("[data-resources] > li:visible")
    assert 0 < both.count() < ks2
    for i in range(both.count()):
        item = both.nth(i)
        assert "ks2" in item.get_attribute("data-key-stage").split()
        assert "english" in item.get_attribute("data-subject").split()
    assert page.url.endswith("resources/?subject=english&key-stage=ks2")
    assert page.locator("[data-count]").inner_text() == f"{both.count()} resource{'s' if both.count() != 1 else ''}"
    page.reload()
    assert page.locator("#filter-subject").input_value() == "english"
    assert page.locator("[data-resources] > li:visible").count() == both.count()
    page.click("button[type=reset]")
    expect(page.locator("[data-resources] > li:visible")).to_have_count(total)  # the filter runs just after the reset


def test_filter_counts_follow_the_other_filters(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "resources/")
    english = page.locator("#filter-subject option[value=english]")
    before = int(english.inner_text().rsplit("(", 1)[1].rstrip(")"))
    page.select_option("#filter-key-stage", "ks3")
    ks3 = page.locator("[data-resources] > li:visible")
    with_english = sum(1 for i in range(ks3.count()) if "english" in ks3.nth(i).get_attribute("data-subject").split())
    assert english.inner_text() == f"English ({with_english})" and with_english < before, "the count is of KS3 resources only"
    page.select_option("#filter-subject", "english")
    assert page.locator("#filter-key-stage option[value=ks3]").inner_text() == f"KS3 ({with_english})"


def test_resource_browsing_without_javascript(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "resources/")
    assert not page.locator("form[data-filters]").is_visible()
    page.locator(".facets summary", has_text="Key stage").click()
    page.locator(".facets a", has_text="KS2").first.click()
    assert page.url == site_url + "resources/key-stage/ks2/"
    assert page.locator("h1").inner_text() == "Key stage: KS2"
    context.close()


def test_upcoming_events_hide_themselves_once_over(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    page.clock.set_fixed_time(dt.datetime(2027, 2, 10, tzinfo=dt.timezone.utc))
    page.goto(site_url + "events/")
    visible = page.locator("[data-upcoming] > li:visible h2").all_inner_texts()
    assert visible == ["Kelsey Bridge book festival"]
    page.clock.set_fixed_time(dt.datetime(2027, 6, 1, tzinfo=dt.timezone.utc))
    page.reload()
    assert page.locator("[data-upcoming] > li:visible").count() == 0
    assert page.locator(".empty-message").is_visible()
    context.close()


def test_axe_catches_a_broken_page(browser, hub) -> None:  # type: ignore[no-untyped-def]
    """The accessibility tests can fail: a template that forgets alt text and contrast is caught."""
    site = hub({
        # (the faint colour comes from a stylesheet: the site's Content-Security-Policy blocks style="...")
        "templates/page.html": "{% extends 'base.html' %}{% block head %}<link rel=\"stylesheet\" href=\"{{ url('/faint.css') }}\">"
                               "{% endblock %}{% block content %}<h1>{{ page.title }}</h1>"
                               "<img src=\"{{ url('/img/x.png') }}\"><p class=\"faint\">faint</p>{% endblock %}",
        "static/faint.css": ".faint { color: #ddd; }\n",
        "static/img/x.png": PNG,
        "content/about.md": "---\ntitle: About\n---\n",
    })
    assert site.build("--base-url", "/").code == 0
    context = browser.new_context()
    page = context.new_page()
    with serve(site.out) as origin:
        page.goto(origin + "/about/")
        found = {v["id"] for v in axe_violations(page)}
    context.close()
    assert {"image-alt", "color-contrast"} <= found


def test_the_content_security_policy_blocks_nothing_the_theme_needs(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    """Every kind of page, with the policy of its <meta> tag in force: no violation is reported, and the
    brand colour (the theme's one inline style, allowed by its hash) is applied."""
    page.add_init_script("window.__violations = []; document.addEventListener('securitypolicyviolation',"
                         " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")
    for path in PAGES:
        page.goto(site_url + path)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__violations") == [], path
    brand = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()")
    assert brand == "#1d5c4d"
    page.goto(site_url + "resources/")
    expect(page.locator("[data-filters]")).to_be_visible()  # sitegen.js ran: script-src 'self' allows it


# --- search ----------------------------------------------------------------------------------------

FRACTIONS = {"Fractions with the bar model: a bridging sequence", "Our first lesson study cycle in maths", "Year 6 maths challenge day"}


@pytest.fixture
def pagefind() -> None:
    from sitegen.search.pagefind import unavailable

    why = unavailable()
    if why:
        missing(f"search needs Pagefind: {why}")


def test_search_finds_a_resource_a_post_and_an_event_then_narrows_by_subject(page, site_url: str, pagefind) -> None:  # type: ignore[no-untyped-def]
    origin = site_url.removesuffix(SUB)
    elsewhere: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(origin + "/") else elsewhere.append(request.url))
    page.goto(site_url + "networks/")
    page.get_by_label("Search", exact=True).fill("fractions")
    page.keyboard.press("Enter")  # the header's box opens the search page with the results
    status = page.locator("[data-search-status]")
    expect(status).to_have_text("3 results for \u201cfractions\u201d.")
    assert page.url == site_url + "search/?q=fractions"
    assert page.get_attribute("[data-search-status]", "role") == "status"  # announced to screen readers
    links = page.locator("[data-search-results] h2 a")
    assert set(links.all_inner_texts()) == FRACTIONS
    assert all(href.startswith(SUB) for href in [links.nth(i).get_attribute("href") for i in range(links.count())])
    assert "Event \u00b7 4 February 2027" in page.locator("[data-search-results]").inner_text()

    page.get_by_text("Narrow the results").click()
    page.get_by_label("Subject").select_option("Mathematics")
    expect(status).to_have_text("1 result for \u201cfractions\u201d (Subject: Mathematics).")
    assert links.all_inner_texts() == ["Fractions with the bar model: a bridging sequence"]
    assert page.url == site_url + "search/?q=fractions&subject=Mathematics"
    page.reload()  # the search lives in the address
    expect(status).to_have_text("1 result for \u201cfractions\u201d (Subject: Mathematics).")
    links.first.click()
    assert page.url == site_url + "resources/fractions-bar-model-sequence/"
    assert not elsewhere, elsewhere


def test_search_filters_alone_and_the_hubs_own_kind(page, site_url: str, pagefind) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "search/?kind=Vacancies")
    expect(page.locator("[data-search-status]")).to_have_text("3 results (Kind: Vacancies).")
    page.get_by_label("Contract").select_option("Permanent")
    expect(page.locator("[data-search-results] h2 a")).to_have_text(["Year 3 class teacher"])
    page.get_by_role("button", name="Clear the search and filters").click()
    expect(page.locator("[data-search-status]")).to_have_text("")
    assert page.url == site_url + "search/"


def test_search_is_keyboard_usable(page, site_url: str, pagefind) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "search/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Enter")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "search-query":
            break
    assert page.evaluate("document.activeElement.id") == "search-query"
    page.keyboard.type("reading")
    page.keyboard.press("Enter")
    expect(page.locator("[data-search-status]")).to_contain_text("for \u201creading\u201d")
    assert page.evaluate("document.activeElement.id") == "search-query"  # typing can go on
    count = page.locator("[data-search-results] li").count()
    assert count > 0
    if page.locator("[data-search-more]").is_visible():
        page.locator("[data-search-more]").focus()
        page.keyboard.press("Enter")
        expect(page.locator("[data-search-results] li")).not_to_have_count(count)
        assert page.evaluate("document.activeElement.tagName") == "A"  # on the first of the new results


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_on_the_search_page_with_results(page, site_url: str, pagefind, scheme: str) -> None:  # type: ignore[no-untyped-def]
    page.emulate_media(color_scheme=scheme)
    page.goto(site_url + "search/?q=fractions&kind=Resources")
    expect(page.locator("[data-search-results] li")).to_have_count(1)
    page.get_by_text("Narrow the results").click()
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_without_javascript_the_header_says_search_needs_it_and_offers_browsing(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "news/")
    assert not page.locator("form[data-search-box]").is_visible()
    note = page.locator(".search-needs-js")
    assert note.is_visible() and note.inner_text().startswith("Search needs JavaScript.")
    note.get_by_role("link", name="key stage").click()
    assert page.url == site_url + "resources/#browse-key-stage"
    assert page.locator("#browse-key-stage summary").is_visible()
    page.goto(site_url + "search/")
    assert "Search needs JavaScript, which is switched off" in page.locator("main").inner_text()
    assert page.locator("main .facets").is_visible()  # with the resource library's browse pages
    context.close()


@pytest.fixture(scope="module")
def parted_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example hub with its search index split into many parts, as a large hub's is."""
    import sitegen
    from sitegen.search import parts as searchparts
    from sitegen.builder.api import BuildOptions

    root = tmp_path_factory.mktemp("parted")
    with pytest.MonkeyPatch.context() as patch, serve(root) as origin:
        patch.setattr(searchparts, "PART_PAGES", 4)
        sitegen.build(REPO, BuildOptions(output=root / "vale", base_url=origin + SUB, now=NOW, cache=False))
        yield origin + SUB


def test_search_over_an_index_in_parts_finds_and_filters_as_over_one(page, parted_site_url: str, pagefind) -> None:  # type: ignore[no-untyped-def]
    parts: list[str] = []
    page.on("request", lambda request: parts.append(request.url) if "/pagefind/part-" in request.url else None)
    page.goto(parted_site_url + "search/?q=fractions")
    status = page.locator("[data-search-status]")
    expect(status).to_have_text("3 results for \u201cfractions\u201d.")
    assert set(page.locator("[data-search-results] h2 a").all_inner_texts()) == FRACTIONS
    assert len({url.split("/pagefind/")[1].split("/")[0] for url in parts}) > 4  # the results came from several parts
    page.get_by_text("Narrow the results").click()
    page.get_by_label("Subject").select_option("Mathematics")
    expect(status).to_have_text("1 result for \u201cfractions\u201d (Subject: Mathematics).")
    page.goto(parted_site_url + "search/?kind=Vacancies")
    expect(status).to_have_text("3 results (Kind: Vacancies).")
