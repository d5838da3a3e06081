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
from conftest import NOW, REPO

SUB = "/vale/"
# One page of every kind the example hub has.
PAGES = [
    "", "news/", "news/2026/", "news/tags/", "news/tags/cpd/",
    "news/first-lesson-study-cycle/", "networks/", "networks/reading-network/", "networks/reading-network/news/",
    "schools/", "schools/millbrook-primary/", "schools/fernley-green-primary-school/", "resources/",
    "resources/subject/english/", "resources/phonics-catch-up-toolkit/", "events/", "events/past/",
    "events/maths-lesson-study-open-afternoon/", "events/sendco-forum-spring/", "about/", "accessibility/",
    "privacy/", "contact/", "404.html",
]


@pytest.fixture(scope="session")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example hub, built for and served under /vale/ on a free local port."""
    import sitegen
    from sitegen.pipeline import BuildOptions

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
        "templates/page.html": "{% extends 'base.html' %}{% block content %}<h1>{{ page.title }}</h1>"
                               "<img src=\"{{ url('/img/x.png') }}\"><p style=\"color:#ddd\">faint</p>{% endblock %}",
        "static/img/x.png": b"\x89PNG",
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
