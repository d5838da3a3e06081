"""Checks of the plan: every file it makes can exist on disk, no two outputs share a file, and every link from the site root leads to one."""

from __future__ import annotations

from ..core.errors import Problems, did_you_mean
from ..core.files import hub_name
from ..core.urls import output_file
from ..model.site import Site
from .output import Copy, Output


def check_root_links(site: Site, outputs: list[Output], copies: list[Copy], problems: Problems) -> None:
    """Links written from the site root (/files/plan.pdf, /feed.xml, /news/2026/) must lead to a file the build makes."""
    made = {o.url for o in outputs} | {c.url for c in copies}
    for page in site.by_url.values():
        for link in page.links:
            if not link.target.startswith("/"):
                continue
            path = link.target.split("#")[0].split("?")[0]
            if path not in made and path.rstrip("/") + "/" not in made:
                what = "image" if link.image else "link"
                problems.error(page.source, link.line, f"{what} to {path}: nothing on the site has that address{did_you_mean(path, sorted(made))}")


def check_paths(site: Site, outputs: list[Output], copies: list[Copy], problems: Problems) -> None:
    """Every file the build makes must be one a file system can hold: no backslash in a name, no part
    longer than 255 bytes, and no file where another needs a folder (content/about beside about.md)."""
    root = site.config.root
    made: dict[str, tuple[str, str | None, int | None]] = {}  # output file -> (site path, source, line)
    redirects = [o for o in outputs if o.source is None and o.url in site.aliases]
    redirected = {id(o) for o in redirects}
    for output in [o for o in outputs if id(o) not in redirected] + redirects:  # sitegen's own files first: an alias may not replace one
        source, line = output.source, None
        if id(output) in redirected:  # named by the page that asks for it
            page = site.by_url.get(site.aliases[output.url])
            source, line = (page.source, page.line_of("aliases")) if page else (None, None)
            taken = _file_of(output.url)
            if taken in made:
                problems.error(source, line, f"aliases: {output.url} is an address sitegen makes itself; "
                                             "an alias must be an old address that nothing else uses")
                continue
        _add_path(made, output.url, source, line, problems)
    for copy in copies:
        _add_path(made, copy.url, hub_name(copy.src, root), None, problems)
    for file, (url, source, line) in made.items():
        folder = file
        while "/" in folder:
            folder = folder.rsplit("/", 1)[0]
            if folder in made:
                other_url, other, other_line = made[folder]
                where, at = (source, line) if source else (other, other_line)
                problems.error(where, at, f"{other_url} is both a file ({other or 'made by sitegen'}) and a folder holding {url} "
                                          f"({source or 'made by sitegen'}); rename one of them")
                break


def _file_of(url: str) -> str | None:
    try:
        return output_file(url)
    except ValueError:
        return None


def _add_path(made: dict[str, tuple[str, str | None, int | None]], url: str, source: str | None, line: int | None, problems: Problems) -> None:
    try:
        file = output_file(url)
    except ValueError:
        if "\\" in url:
            problems.error(source, line, f"{url}: a backslash (\\) cannot be part of a web address; rename the file")
        return  # any other impossible path is refused where it is written (model.assemble)
    if len(file) * 4 <= MAX_NAME:  # no part can be too long (4 bytes at most a character): the usual case, quickly
        made.setdefault(file, (url, source, line))
        return
    longest = max(file.split("/"), key=lambda part: len(part.encode()))
    if len(longest.encode()) > MAX_NAME:
        problems.error(source, line, f"{url}: a part of this address is {len(longest.encode())} bytes long; file systems allow at most {MAX_NAME}")
        return
    made.setdefault(file, (url, source, line))


MAX_NAME = 255  # bytes in one file or folder name, on every common file system


def check_unique(outputs: list[Output], copies: list[Copy], problems: Problems) -> None:
    """Two outputs for one file (say a post with slug 'tags' and the tag index) is an error naming the file."""
    seen: dict[str, str] = {}
    for url, source in [(o.url, o.source) for o in outputs]:
        key = _file_or_none(url)
        if key is None:
            continue
        if key in seen and bool(source) != bool(seen[key]):  # two content files: reported by assemble already
            culprit = source or seen[key]
            problems.error(culprit, 1, f"{url} is also a page that sitegen makes itself; give this file another 'slug:'")
        seen.setdefault(key, source or "")
    for copy in copies:  # a file of the hub's own, copied over what sitegen makes: allowed, but said
        key = _file_or_none(copy.url)
        if key in seen and not seen[key]:
            problems.warn(None, None, f"{copy.url}: the hub's own file replaces the one sitegen makes at that address")


def _file_or_none(url: str) -> str | None:
    try:
        return output_file(url)
    except ValueError:  # reported by check_paths
        return None
