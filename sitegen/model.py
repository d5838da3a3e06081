"""assemble(): from every Page to a Site, with all cross-references checked.

This stage sees the whole hub, so it is where the checks live that one file
cannot make alone: two items wanting one URL, a network that names a school
which does not exist, a link to a missing file. It is cheap (no I/O), so the
dev server can run it again after every edit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .config import Config, MenuItem
from .content import Page
from .errors import Problems, did_you_mean
from .markup import MARKER

SCHOOLS_CSV = "data/schools.csv"
from .urls import KINDS, SECTION_TITLES, Urls, content_file_url, is_external, output_file, section_url, tag_slug

FORMATS = {
    "pdf": "PDF", "doc": "Word", "docx": "Word", "odt": "OpenDocument text", "ppt": "PowerPoint",
    "pptx": "PowerPoint", "odp": "OpenDocument slides", "xls": "Excel", "xlsx": "Excel", "ods": "OpenDocument spreadsheet",
    "csv": "CSV", "txt": "Text", "zip": "ZIP", "jpg": "JPEG image", "jpeg": "JPEG image", "png": "PNG image",
    "svg": "SVG image", "mp3": "MP3 audio", "mp4": "MP4 video", "rtf": "Rich text", "epub": "EPUB",
}


RELATED_POOL = 30  # how many of the newest posts of each network and tag may be "related"


@dataclass(frozen=True)
class Download:
    url: str  # site path
    format: str  # "PDF"
    size: int  # bytes

    @property
    def label(self) -> str:
        return f"{self.format}, {human_size(self.size)}"


@dataclass(frozen=True)
class Inputs:
    """Everything assemble() reads: pages, the other files and their sizes, settings and the moment of the build."""

    config: Config
    pages: list[Page]
    content_files: dict[str, int]  # hub-relative path under content/ -> size in bytes
    static_files: dict[str, int]  # site path ("/img/visit.jpg") -> size in bytes
    data: dict[str, Any]
    now: dt.datetime  # in the site's time zone
    unreadable: frozenset[str] = frozenset()  # content files too broken to load (their errors are reported already)
    drafts: bool = False
    future: bool = False
    link_cache: dict[str, Any] | None = None  # kept between rebuilds by the dev server: pages with their links resolved


@dataclass
class Site:
    """The whole hub, ready to plan and render. Templates see it as `site`."""

    config: Config
    urls: Urls
    home: Page | None
    pages: list[Page]
    news: list[Page]  # newest first
    networks: list[Page]  # by title
    schools: list[Page]  # by title
    resources: list[Page]  # by title
    events: list[Page]  # soonest first
    data: dict[str, Any]
    now: dt.datetime
    menu: list[MenuItem] = field(default_factory=list)
    content_files: list[str] = field(default_factory=list)  # hub-relative, copied beside the pages
    by_url: dict[str, Page] = field(default_factory=dict)
    downloads: dict[str, Download] = field(default_factory=dict)  # resource source -> its file
    aliases: dict[str, str] = field(default_factory=dict)  # old site path -> new site path
    _schools: dict[str, Page] = field(default_factory=dict)  # by slug and by URN
    _members: dict[str, list[Page]] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict)  # indexes built on first use
    _networks_of: dict[str, list[Page]] = field(default_factory=dict)
    _in_network: dict[tuple[str, str], list[Page]] = field(default_factory=dict)

    def kind(self, kind: str) -> list[Page]:
        return {"news": self.news, "networks": self.networks, "schools": self.schools,
                "resources": self.resources, "events": self.events, "pages": self.pages}[kind]

    def members(self, network: Page) -> list[Page]:
        """The member schools of a network."""
        return self._members.get(network.slug, [])

    def networks_of(self, item: Page) -> list[Page]:
        """The networks an item belongs to (for a school, also those that list it as a member)."""
        return self._networks_of.get(item.url, [])

    def in_network(self, network: Page, kind: str) -> list[Page]:
        """The news, events or resources that name this network."""
        return self._in_network.get((network.slug, kind), [])

    def school(self, ref: str | int) -> Page | None:
        """A school by slug or URN."""
        return self._schools.get(str(ref))

    def download(self, resource: Page) -> Download | None:
        return self.downloads.get(resource.source)

    def upcoming_events(self) -> list[Page]:
        """Events that have not ended, soonest first."""
        return [e for e in self.events if event_end(e, self.now.tzinfo) > self.now]

    def upcoming_in(self, network: Page) -> list[Page]:
        """A network's events that have not ended."""
        return [e for e in self.in_network(network, "events") if event_end(e, self.now.tzinfo) > self.now]

    def past_events(self) -> list[Page]:
        """Events that have ended, most recent first."""
        return [e for e in reversed(self.events) if event_end(e, self.now.tzinfo) <= self.now]

    def event_end(self, event: Page) -> dt.datetime:
        """When an event is over (an all-day event: midnight after its last day)."""
        return event_end(event, self.now.tzinfo)

    def featured_resources(self, count: int = 4) -> list[Page]:
        """Resources marked `featured: true`, or else the newest."""
        featured = [r for r in self.resources if r.fields.get("featured")]
        return featured or sorted(self.resources, key=lambda r: (r.fields.get("date") or dt.date.min, r.title), reverse=True)[:count]

    def newer_post(self, post: Page) -> Page | None:
        i = self._news_position().get(post.url)
        return self.news[i - 1] if i else None

    def older_post(self, post: Page) -> Page | None:
        i = self._news_position().get(post.url)
        return self.news[i + 1] if i is not None and i + 1 < len(self.news) else None

    def related(self, post: Page, count: int = 3) -> list[Page]:
        """Other recent posts sharing the most networks and tags with this one, newest first among equals.

        Candidates are the RELATED_POOL newest posts of each of its networks and tags, so that
        the cost stays small however large the hub grows."""
        if post.url in self._cache.setdefault("related", {}):
            return self._cache["related"][post.url]
        shared: dict[str, int] = defaultdict(int)
        for key in [("network", n) for n in post.fields["networks"]] + [("tag", t) for t in post.fields["tags"]]:
            for other in self._posts_by(key)[:RELATED_POOL + 1]:
                if other.url != post.url:
                    shared[other.url] += 1
        position = self._news_position()
        best = sorted(shared, key=lambda url: (-shared[url], position[url]))[:count]
        result = [self.news[position[url]] for url in best]
        self._cache["related"][post.url] = result
        return result

    def tags(self) -> list[tuple[str, str, list[Page]]]:
        """(tag, slug, posts) for every tag on the news, by tag."""
        by_slug: dict[str, tuple[str, list[Page]]] = {}
        for post in self.news:
            for tag in post.fields["tags"]:
                by_slug.setdefault(tag_slug(tag), (tag, []))[1].append(post)
        return [(tag, slug, posts) for slug, (tag, posts) in sorted(by_slug.items())]

    def _news_position(self) -> dict[str, int]:
        if "news_position" not in self._cache:
            self._cache["news_position"] = {p.url: i for i, p in enumerate(self.news)}
        return self._cache["news_position"]

    def _posts_by(self, key: tuple[str, str]) -> list[Page]:
        if "posts_by" not in self._cache:
            index: dict[tuple[str, str], list[Page]] = defaultdict(list)
            for post in self.news:
                for n in post.fields["networks"]:
                    index[("network", n)].append(post)
                for t in post.fields["tags"]:
                    index[("tag", t)].append(post)
            self._cache["posts_by"] = index
        return self._cache["posts_by"].get(key, [])


def assemble(inputs: Inputs) -> tuple[Site, Problems]:
    config = inputs.config
    problems = Problems()
    urls = Urls(config.base_path, config.origin)
    published = [p for p in inputs.pages if is_published(p, inputs)]
    aliases = _aliases(published, problems)
    claims = _claims(published, inputs, aliases)
    _check_collisions(claims, problems)
    files = _FileIndex(inputs.content_files, inputs.static_files)
    hidden = {p.source for p in inputs.pages} - {p.source for p in published}
    source_urls = {p.source: p.url for p in published}
    source_urls.update({f"content/{kind}": section_url(kind) for kind in KINDS})
    cache = inputs.link_cache
    if cache is not None:  # what every link resolves against; when it is as before, so are unchanged pages' links
        world = (urls.base_path, source_urls, set(inputs.content_files), hidden)
        if cache.get("world") != world:
            cache.clear()
            cache["world"] = world
    pages = [_with_links_resolved(p, source_urls, files, hidden, inputs.unreadable, urls, problems, cache)
             for p in published]

    by_kind: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        by_kind[page.kind].append(page)
    tz = inputs.now.tzinfo
    site = Site(
        config=config, urls=urls, home=by_kind["home"][0] if by_kind["home"] else None,
        pages=sorted(by_kind["pages"], key=lambda p: p.url),
        news=sorted(by_kind["news"], key=lambda p: (p.sort_date, p.slug), reverse=True),
        networks=sorted(by_kind["networks"], key=title_key),
        schools=sorted(by_kind["schools"], key=title_key),
        resources=sorted(by_kind["resources"], key=title_key),
        events=sorted(by_kind["events"], key=lambda p: (event_start(p, tz), p.slug)),
        data=inputs.data, now=inputs.now,
        aliases={old: page.url for old, page in aliases.items()},
        menu=_menu(config, by_kind["pages"]),
        by_url={p.url: p for p in pages},
        content_files=sorted(inputs.content_files),
    )
    _link_networks(site, pages, problems, schools_complete=SCHOOLS_CSV not in inputs.unreadable)
    _check_files(site, files, problems)
    if config.logo and files.find(config.logo, "") is None:
        problems.error("site.yaml", None, f'logo: "{config.logo}" does not exist{files.nearest(config.logo, "")}; put the file in static/')
    return site, problems


def _claims(pages: list[Page], inputs: Inputs, aliases: dict[str, Page]) -> dict[str, list[str]]:
    """Who wants which URL: every page, section index, copied file and alias."""
    claims: dict[str, list[str]] = defaultdict(list)
    claims["/"].append("the home page")
    for kind in KINDS:
        claims[section_url(kind)].append(f"the {SECTION_TITLES[kind].lower()} index")
    for page in pages:
        if page.kind != "home":
            claims[page.url].append(page.source if page.line == 1 else f"{page.source}:{page.line}")
    for rel in inputs.content_files:
        claims[content_file_url(rel.split("/", 1)[1])].append(rel)
    for path in inputs.static_files:
        claims[path].append(f"static{path}")
    for old, page in aliases.items():
        claims[old].append(f"{page.source} (alias)")
    return claims


def _check_collisions(claims: dict[str, list[str]], problems: Problems) -> None:
    by_file: dict[str, list[str]] = defaultdict(list)  # '/about' and '/about.html' differ, but not '/a/' and '/a/index.html'
    for url, sources in claims.items():
        try:
            by_file[output_file(url)].extend((url, s) for s in sources)
        except ValueError:
            continue  # an alias that is not a path: reported by _aliases
    for entries in by_file.values():
        if len(entries) > 1:
            sources = sorted({s for _, s in entries})
            path, _, line = sources[0].partition(":")
            problems.error(path if "/" in path and " " not in path else None, int(line) if line.isdigit() else None,
                           f"{entries[0][0]} is wanted by more than one file: {', '.join(sources)}; give one of them another 'slug:'")


def _with_links_resolved(page: Page, source_urls: dict[str, str], files: _FileIndex, hidden: set[str], unreadable: frozenset[str], urls: Urls, problems: Problems,
                         cache: dict[str, Any] | None = None) -> Page:
    """The page with every internal link in its text turned into a URL under the base path."""
    if not page.links:
        return page  # its content is its body_html already
    if cache is not None:  # the same page, and links that resolve as before: the same resolved page, not a copy
        known = cache.get(page.source)
        if known is not None and known[0] is page:
            return known[1]
    targets = tuple(_resolve(link.target, source_urls, files) for link in page.links)
    resolved: dict[str, str] = {}
    for link, target in zip(page.links, targets):
        if target is not None:
            resolved[link.target] = urls.href(target)
            continue
        path = link.target.split("#")[0]
        written = link.written.split("#")[0] or path
        what = "image" if link.image else "link"
        if path in unreadable:
            continue
        if path in hidden:
            problems.error(page.source, link.line, f"{what} to {written}, which is a draft or not yet published")
        else:
            folder = posixpath.dirname(page.source)
            choices = [posixpath.relpath(p, folder) for p in sorted(set(source_urls) | set(files.content_files)) if "." in p.rsplit("/", 1)[-1]]
            problems.error(page.source, link.line, f"{what} to {written}: there is no file {path}{did_you_mean(posixpath.relpath(path, folder), choices)}")
    resolved_page = dataclasses.replace(page, content=_MARKERS.sub(lambda m: resolved.get(m.group(1), "#"), page.body_html))
    if cache is not None and None not in targets:
        cache[page.source] = (page, resolved_page)
    return resolved_page


def _link_networks(site: Site, pages: list[Page], problems: Problems, schools_complete: bool = True) -> None:
    """Networks named by items, members named by networks, and the school a resource comes from.

    When the schools CSV could not be read, a school missing from it is not reported again."""
    network_by_slug = {n.slug: n for n in site.networks}
    school_by_key = site._schools
    for school in site.schools:
        school_by_key[school.slug] = school
        urn = school.fields.get("urn")
        if urn and str(urn) in school_by_key:
            other = school_by_key[str(urn)]
            problems.error(school.source, school.line_of("urn"), f"urn: {urn} is also the URN of {other.title} ({other.source}:{other.line_of('urn')}); a URN belongs to one school")
        elif urn:
            school_by_key[str(urn)] = school
    networks_of: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        for slug in page.fields.get("networks") or ():
            network = network_by_slug.get(slug)
            if network is None:
                problems.error(page.source, page.line_of("networks"),
                               f'networks: there is no network "{slug}"{did_you_mean(slug, network_by_slug)}; networks are the files in content/networks/')
                continue
            networks_of[page.url].append(network)
            site._in_network.setdefault((network.slug, page.kind), []).append(page)
    for network in site.networks:
        members: list[Page] = []
        for ref in network.fields["members"]:
            school = school_by_key.get(ref)
            if school is None and schools_complete:
                problems.error(network.source, network.line_of("members"),
                               f'members: there is no school "{ref}"{did_you_mean(ref, school_by_key)}; name a school by its file name (slug) or URN')
            elif school is not None and school not in members:
                members.append(school)
                if network not in networks_of[school.url]:
                    networks_of[school.url].append(network)
        site._members[network.slug] = members
    site._networks_of = {url: sorted(nets, key=title_key) if len(nets) > 1 else nets for url, nets in networks_of.items()}
    orders: dict[str, dict[str, int]] = {}
    for (_, kind), items in site._in_network.items():
        if kind not in orders:
            orders[kind] = {p.url: i for i, p in enumerate(site.kind(kind))}
        items.sort(key=lambda p, order=orders[kind]: order[p.url])
    for resource in site.resources:
        ref = resource.fields["school"]
        if ref and ref not in school_by_key and schools_complete:
            problems.error(resource.source, resource.line_of("school"), f'school: there is no school "{ref}"{did_you_mean(ref, school_by_key)}')


def _check_files(site: Site, files: _FileIndex, problems: Problems) -> None:
    """Resource downloads, news images and network logos must exist."""
    for resource in site.resources:
        name = resource.fields["file"]
        if not name:
            continue
        found = files.find(name, resource.source)
        if found is None:
            problems.error(resource.source, resource.line_of("file"), f'file: "{name}" does not exist{files.nearest(name, resource.source)}; put the file beside the .md or in static/')
        else:
            site.downloads[resource.source] = Download(found[0], file_format(found[0]), found[1])
    for page, key in [(p, "image") for p in site.news] + [(n, "logo") for n in site.networks]:
        image = page.fields[key]
        if image and not is_external(image) and files.find(image, page.source) is None:
            problems.error(page.source, page.line_of(key), f'{key}: "{image}" does not exist{files.nearest(image, page.source)}')


_MARKERS = re.compile(re.escape(MARKER) + r'([^"]*)')


class _FileIndex:
    """Finds a file named by a content file: relative to it, or from the site root (static/)."""

    def __init__(self, content_files: dict[str, int], static_files: dict[str, int]):
        self.content_files = content_files
        self.static_files = static_files

    def find(self, name: str, source: str) -> tuple[str, int] | None:
        if name.startswith("/"):
            path = name.split("#")[0].split("?")[0]
            if path in self.static_files:
                return path, self.static_files[path]
            rel = "content" + path
            return (path, self.content_files[rel]) if rel in self.content_files else None
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(source), name))
        if rel in self.content_files:
            return content_file_url(rel.split("/", 1)[1]), self.content_files[rel]
        return None

    def nearest(self, name: str, source: str) -> str:
        if name.startswith("/"):
            return did_you_mean(name, self.static_files)
        folder = posixpath.dirname(source)
        beside = [posixpath.relpath(p, folder) for p in self.content_files if posixpath.dirname(p) == folder]
        return did_you_mean(name, beside)


def _resolve(target: str, source_urls: dict[str, str], files: _FileIndex) -> str | None:
    path, sep, frag = target.partition("#")
    if path in source_urls:
        return source_urls[path] + sep + frag
    if path.startswith("/"):
        return target  # checked once every output is planned: it may be a page sitegen makes (check_root_links)
    if path.startswith("content/"):
        rel = path.rstrip("/")
        if rel + "/index.md" in source_urls:
            return source_urls[rel + "/index.md"] + sep + frag
        if path in files.content_files:
            return content_file_url(path.split("/", 1)[1]) + sep + frag
    return None


def _aliases(pages: list[Page], problems: Problems) -> dict[str, Page]:
    aliases: dict[str, Page] = {}
    for page in pages:
        for alias in page.fields.get("aliases") or ():
            old = alias if alias.startswith("/") else "/" + alias
            try:
                if is_external(alias):
                    raise ValueError(alias)
                output_file(old)
            except ValueError:
                problems.error(page.source, page.line_of("aliases"), f'aliases: "{alias}" is not a path on this site (write it like /old/address/)')
                continue
            if old in aliases and aliases[old] is not page:
                problems.error(page.source, page.line_of("aliases"), f"aliases: {old} is also an alias of {aliases[old].source}; an old address can lead to one page only")
                continue
            aliases[old] = page
    return aliases


def _menu(config: Config, pages: list[Page]) -> list[MenuItem]:
    """site.yaml's menu (or, when it has none, the five sections), then pages that ask to be in it."""
    items = list(config.menu) or [MenuItem(SECTION_TITLES[k], section_url(k), i * 10) for i, k in enumerate(KINDS, 1)]
    for page in pages:
        entry = page.fields.get("menu")
        if entry:
            items.append(MenuItem(entry["title"] or page.title, page.url, entry["order"]))
    return sorted(items, key=lambda m: m.order)


def is_published(page: Page, inputs: Inputs) -> bool:
    fields = page.fields
    if fields.get("draft") and not inputs.drafts:
        return False
    if not inputs.future:
        if page.kind == "news" and fields.get("date") and fields["date"] > inputs.now.date():
            return False
        if fields.get("publish_date") and not _before(fields["publish_date"], inputs.now):
            return False
    if fields.get("expires") and _before(fields["expires"], inputs.now):
        return False
    return True


def _before(when: dt.date | dt.datetime, now: dt.datetime) -> bool:
    """Has `when` arrived by `now`? A bare date arrives at the start of that day."""
    if isinstance(when, dt.datetime):
        return when <= now
    return when <= now.date()


def event_start(page: Page, tz: dt.tzinfo | None) -> dt.datetime:
    return as_moment(page.fields["start"], tz, end=False)


def event_end(page: Page, tz: dt.tzinfo | None) -> dt.datetime:
    return as_moment(page.fields.get("end") or page.fields["start"], tz, end=True)


def as_moment(value: dt.date | dt.datetime, tz: dt.tzinfo | None, end: bool) -> dt.datetime:
    """A moment for sorting and comparing: an all-day date starts at midnight and ends at the next."""
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value + dt.timedelta(days=1) if end else value, dt.time(), tzinfo=tz)


def title_key(page: Page) -> tuple[str, str]:
    return (page.title.lower(), page.slug)


def file_format(url: str) -> str:
    ext = url.rsplit(".", 1)[-1].lower() if "." in url.rsplit("/", 1)[-1] else ""
    return FORMATS.get(ext, ext.upper() or "File")


def human_size(size: int) -> str:
    if size < 1000:
        return f"{size} bytes"
    if size < 1000 * 1000:
        return f"{round(size / 1000)} KB"
    return f"{size / 1000 / 1000:.1f} MB"
