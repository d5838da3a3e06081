"""Aliases are written into Netlify's and Cloudflare's `_redirects` and `_headers` and name redirect
pages' folders: a value that would add a rule, match every address or break a line is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

ABOUT = "content/about.md"


def about(aliases: str) -> str:
    return f"---\ntitle: About\naliases: [{aliases}]\n---\n"


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


LINES = "line break or other control character; write one old address per list item"
STAR = "holds '*', which the hosts read as \"every address\"; list each old address in full"
COLON = "has a part starting with ':', which the hosts read as \"any name\"; list each old address in full"
PARTS = "holds '#' or '?'; write only the path, like /old/address/"


@pytest.mark.parametrize(("alias", "message"), [
    (r'"/old\n/admin/* /evil/ 200"', rf'aliases: "/old\n/admin/* /evil/ 200" holds a {LINES}'),
    (r'"/old\r\n/x /y 200"', rf'aliases: "/old\r\n/x /y 200" holds a {LINES}'),
    (r'"/old\tpage/"', rf'aliases: "/old\tpage/" holds a {LINES}'),
    (r'"/old\u0085page/"', rf'aliases: "/old\x85page/" holds a {LINES}'),
    ("/*", f'aliases: "/*" {STAR}'),
    ("/news/*", f'aliases: "/news/*" {STAR}'),
    ("/:page", f'aliases: "/:page" {COLON}'),
    ("/news/:slug/", f'aliases: "/news/:slug/" {COLON}'),
    ("'/old/#top'", f'aliases: "/old/#top" {PARTS}'),
    ("/old.php?id=3", f'aliases: "/old.php?id=3" {PARTS}'),
])
def test_a_hostile_alias_is_refused_and_nothing_is_written(hub, alias: str, message: str) -> None:  # type: ignore[no-untyped-def]
    site = hub({ABOUT: about("/old/")})
    assert site.build().code == 0
    before = snapshot(site.out)
    site.write({ABOUT: about(alias)})
    run = site.build()
    assert run.code == 1
    assert run.lines[0] == f"{ABOUT}:3: {message}"
    assert "Traceback" not in run.err
    assert snapshot(site.out) == before


def test_a_good_alias_gives_a_redirect_page_and_one_rule(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({ABOUT: about("old-about.html")})  # written without its '/', as people do
    assert site.build().code == 0
    assert site.html("old-about.html").find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=/hub/about/"
    assert (site.out / "_redirects").read_text(encoding="utf-8") == "/hub/old-about.html /hub/about/ 301\n"


def test_a_space_is_percent_encoded_in_the_host_files(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({ABOUT: about("'/old page/'")})
    assert site.build().code == 0
    assert site.html("old page/index.html").find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=/hub/about/"
    assert (site.out / "_redirects").read_text(encoding="utf-8") == "/hub/old%20page/ /hub/about/ 301\n"
    headers = (site.out / "_headers").read_text(encoding="utf-8").splitlines()
    assert "/hub/old%20page/*" in headers
    paths = [line for line in headers if not line.startswith("  ")]
    assert all(line.isprintable() and " " not in line for line in paths)


def test_the_example_hubs_host_files_are_unchanged(example_site: Path) -> None:
    assert (example_site / "_redirects").read_bytes() == b"/vale/cy/* /vale/cy/404.html 404\n"  # the Welsh pages' own 404 page
    headers = (example_site / "_headers").read_text(encoding="utf-8").splitlines()
    assert [line for line in headers if not line.startswith("  ")] == [
        "/vale/*", "/vale/", "/vale/404.html", "/vale/about/*", "/vale/accessibility/*", "/vale/admin/*", "/vale/contact/*", "/vale/cy/*",
        "/vale/events/*", "/vale/networks/*", "/vale/news/*", "/vale/privacy/*", "/vale/resources/*", "/vale/schools/*",
        "/vale/search/*", "/vale/vacancies/*"]
    assert len(headers) == 5 + 2 * 14 + 3  # every file's rules, then each folder's policy (the editor's with X-Frame-Options too)
