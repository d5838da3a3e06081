"""Screenshots of the example hub for the README: python scripts/screenshots.py

Builds the hub into a temporary folder, serves it on 127.0.0.1 under /vale/, and saves the home
page, a news post, the resource library, a network page, an event
page, a school page, a vacancy and the search page with a query's results at 360px and 1280px wide
into docs/screenshots/ (or the folder given: python scripts/screenshots.py /tmp/shots-before).
The build's clock is the tests' fixed moment, so the upcoming events shown do not drift.
Needs the test extras (pip install -e ".[test]") and Debian's chromium.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from browser import launch, serve  # noqa: E402
from conftest import NOW  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from sitegen.builder.api import BuildOptions, build  # noqa: E402

PAGES = {
    "home": "",
    "news": "news/summer-conference-round-up/",
    "resources": "resources/",
    "network": "networks/reading-network/",
    "event": "events/maths-lesson-study-open-afternoon/",
    "school": "schools/millbrook-primary/",
    "vacancy": "vacancies/year-3-class-teacher-millbrook/",
    "search": "search/?q=reading",
}
WIDTHS = {"phone": (360, 800), "desktop": (1280, 900)}


def main() -> None:
    out_dir = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else REPO / "docs" / "screenshots"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, serve(Path(tmp)) as origin, sync_playwright() as api:
        build(REPO, BuildOptions(output=Path(tmp) / "vale", base_url=origin + "/vale/", now=NOW))
        browser = launch(api)
        for device, (width, height) in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            for name, path in PAGES.items():
                page.goto(f"{origin}/vale/{path}")
                if name == "search":  # wait for the results, which load after the page
                    page.wait_for_selector("[data-search-results] li")
                target = out_dir / f"{name}-{device}.png"
                page.screenshot(path=str(target))
                print(target)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
