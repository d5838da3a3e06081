"""assemble(): from every Page to a Site, with all cross-references checked.

This stage sees the whole hub, so it is where the checks live that one file
cannot make alone: two items wanting one URL, a reference to an item that does
not exist, a link to a missing file. It is cheap (no I/O), so the dev server can
run it again after every edit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ..config.siteyaml import Config, MenuItem
from ..content.discover import kind_of
from ..content.gias import SCHOOLS_CSV
from ..content.page import Page
from ..core.downloads import Download, file_format
from ..core.errors import Problems, nearest
from ..core.urls import Urls, content_file_url, is_external, output_file, section_url, slug_from_filename, slugify
from ..schema.kinds import Field, Kind, Schema
from .dates import as_moment, is_published
from .links import FileIndex, LinkWorld, resolve_links
from .site import References, Site

__all__ = ["Inputs", "SCHOOLS_CSV", "Site", "assemble"]


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
    main: Site | None = None  # for one of the hub's other languages: the main language's site, which its pages may name
    root: str = ""  # for one of the hub's other languages: its folder, "/cy"


def assemble(inputs: Inputs) -> tuple[Site, Problems]:
    config, schema = inputs.config, inputs.config.schema
    problems = Problems()
    urls = Urls(config.base_path, config.origin)
    readable = [p for p in inputs.pages if not p.broken]
    published = [p for p in readable if is_published(p, schema.kind(p.kind), inputs.now, inputs.drafts, inputs.future)]
    aliases = _aliases(published, problems)
    _check_collisions(_claims(published, inputs, aliases, schema), problems)

    files = FileIndex(inputs.content_files, inputs.static_files)
    source_urls = {p.source: p.url for p in published}
    if inputs.main is not None:  # a link to an original leads to its translation, else to the original
        source_urls = {**{p.source: p.url for p in inputs.main.by_url.values()}, **{p.original: p.url for p in published if p.original}, **source_urls}
    source_urls.update({f"content/{kind.name}": inputs.root + section_url(kind.name) for kind in schema.sections})
    world = LinkWorld(source_urls, files, {p.source for p in readable} - set(source_urls),
                      inputs.unreadable | {p.source for p in inputs.pages if p.broken}, urls)
    cache = inputs.link_cache
    if cache is not None:  # when what links resolve against is as before, so are unchanged pages' links
        if cache.get("urls") != urls:
            cache.clear()
            cache["urls"] = urls
        key = (source_urls, set(inputs.content_files), world.hidden)
        if cache.get("world") != key:  # an item or file came or went: each page's links are looked up again (resolve_links)
            cache["world"] = key
            cache["generation"] = cache.get("generation", 0) + 1
            for gone in [k for k in cache if k.startswith("content/") and k not in source_urls]:
                del cache[gone]
    pages = [resolve_links(p, world, problems, cache) for p in published]
    for broken in (p for p in inputs.pages if p.broken):
        resolve_links(broken, world, problems)  # only to report the links in its text in this run too

    pages, downloads = _files(pages, schema, files, problems)
    by_kind: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        by_kind[page.kind].append(page)
    keys = _keys(schema, by_kind, problems)
    for kind, index in (inputs.main._keys if inputs.main is not None else {}).items():
        for slug, item in index.items():  # what is not translated is named in the main language
            keys[kind].setdefault(slug, item)
    ordered = [p for kind in schema for p in sort_items(by_kind[kind.name], kind, inputs.now.tzinfo)] + by_kind["home"]
    schools_complete = SCHOOLS_CSV not in inputs.unreadable
    unpublishable = _unpublishable(inputs, schema)
    pages, named = _check_references(ordered, schema, keys, problems, schools_complete, unpublishable)
    references = _index_references(pages, named, schema, inputs.main.by_url if inputs.main is not None else {})
    # a file too broken to publish names items too: its mistakes there are reported in this run as well,
    # but it is in no index (what it names does not list it)
    _check_references([p for p in inputs.pages if p.broken], schema, keys, problems, schools_complete, unpublishable)
    by_kind.clear()
    for page in pages:
        by_kind[page.kind].append(page)
    collections = {kind.name: by_kind[kind.name] for kind in schema}
    site = Site(
        config=config, urls=urls, home=by_kind["home"][0] if by_kind["home"] else None,
        collections=collections, data=inputs.data, now=inputs.now,
        menu=_menu(config, collections["pages"], inputs.root, inputs.main),
        content_files=sorted(inputs.content_files),
        by_url={p.url: p for p in pages},
        downloads=downloads,
        aliases={old: page.url for old, page in aliases.items()},
        references=references,
        _keys=keys,
        root=inputs.root,
        main=inputs.main,
    )
    if config.logo and files.find(config.logo, "") is None:
        problems.error("site.yaml", None, f'logo: "{config.logo}" does not exist{files.nearest(config.logo, "")}; put the file in static/')
    return site, problems


def sort_items(items: list[Page], kind: Kind, tz: dt.tzinfo | None) -> list[Page]:
    """In the kind's order: by title, or by a date field (soonest first, or with '-' newest first)."""
    if kind.order == "title":
        return sorted(items, key=title_key)
    name = kind.order.lstrip("-")
    newest_first = kind.order.startswith("-")
    undated = dt.datetime.max.replace(tzinfo=dt.UTC) if not newest_first else dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(items, key=lambda p: (as_moment(p.fields[name], tz) if p.fields.get(name) else undated, p.slug), reverse=newest_first)


def title_key(page: Page) -> tuple[str, str]:
    return (page.title.lower(), page.slug)


def _keys(schema: Schema, by_kind: dict[str, list[Page]], problems: Problems) -> dict[str, dict[str, Page]]:
    """Every item by its slug, and by its URN where its kind has one (a URN belongs to one school)."""
    keys: dict[str, dict[str, Page]] = {}
    for kind in schema:
        index = keys[kind.name] = {}
        for item in by_kind.get(kind.name, []):
            index.setdefault(item.slug, item)
        for field in (f for f in kind.fields if f.type == "urn"):
            for item in by_kind.get(kind.name, []):
                value = item.fields.get(field.name)
                if not value:
                    continue
                other = index.get(str(value))
                if other is not None and other is not item:
                    problems.error(item.source, item.line_of(field.name), f"{field.name}: {value} is also the URN of {other.title} "
                                   f"({other.source}:{other.line_of(field.name)}); a URN belongs to one school")
                else:
                    index[str(value)] = item
    return keys


def _unpublishable(inputs: Inputs, schema: Schema) -> dict[str, set[str]]:
    """kind -> the names (slugs, from the file name or the front matter, and titles) of its files too broken
    to publish, whose errors are reported already: naming one is not reported again as naming nothing."""
    names: dict[str, set[str]] = defaultdict(set)
    for page in inputs.pages:
        if page.broken:
            names[page.kind].update(n for n in (page.slug, slugify(page.title)) if n)
    for source in inputs.unreadable | {p.source for p in inputs.pages if p.broken}:
        rel = source.removeprefix("content/")
        kind = schema.get(kind_of(rel, schema)) if source.startswith("content/") and rel.endswith(".md") else None
        if kind is not None:
            names[kind.name].add(slug_from_filename(rel.rsplit("/", 1)[-1][: -len(".md")], bool(kind.date_field)))
    return names


Named = dict[tuple[str, str], list[str]]  # (item url, field) -> urls of the items it names, in the order written


def _check_references(pages: list[Page], schema: Schema, keys: dict[str, dict[str, Page]], problems: Problems,
                      schools_complete: bool, unpublishable: dict[str, set[str]]) -> tuple[list[Page], Named]:
    """Check every reference field of every item, in one loop, and note who names whom.

    A reference may name an item by slug, URN or title; a slug or title is stored as the item's slug.
    When the schools CSV could not be read, a school missing from it is not reported again; nor is
    an item whose own file is too broken to publish."""
    titles: dict[str, dict[str, Page]] = {}  # kind -> items by the slug of their title, made when first needed

    def by_title(kind: str, ref: str) -> Page | None:
        if kind not in titles:
            titles[kind] = {slugify(item.title): item for item in keys.get(kind, {}).values()}
        return titles[kind].get(slugify(ref))

    reference_fields = _reference_fields(schema)
    named: Named = {}
    out = []
    for page in pages:
        mended: dict[str, Any] = {}
        for field in reference_fields[page.kind]:
            value = page.fields.get(field.name)
            if not value:  # the usual case for many fields: quickly
                continue
            written = tuple(value) if field.many else (value,)
            index = keys.get(field.to, {})
            stored, found = [], []
            for ref in map(str, written):
                target = index.get(ref) or index.get(slugify(ref)) or by_title(field.to, ref)
                if target is None:
                    reported_already = (field.to == "schools" and not schools_complete) or slugify(ref) in unpublishable.get(field.to, ())
                    if not reported_already:
                        problems.error(page.source, page.line_of(field.name), _no_such(field.name, ref, schema.kind(field.to), index))
                    stored.append(ref)
                    continue
                stored.append(ref if index.get(ref) is target else target.slug)
                if target.url not in found:
                    found.append(target.url)
            named[(page.url, field.name)] = found
            if tuple(stored) != tuple(map(str, written)):
                mended[field.name] = tuple(dict.fromkeys(stored)) if field.many else stored[0]
        out.append(dataclasses.replace(page, fields={**page.fields, **mended}) if mended else page)
    return out, named


def _index_references(pages: list[Page], named: Named, schema: Schema, others: dict[str, Page]) -> References:
    """Who names whom, among `pages` (in their collections' order, and so are the lists of who names an item).
    Every url in `named` is one of theirs (or, in another language, of the main language's `others`):
    `_check_references` found it in the keys made from them."""
    by_url = {**others, **{p.url: p for p in pages}}
    targets: dict[tuple[str, str], tuple[Page, ...]] = {}
    sources: dict[tuple[str, str, str], list[Page]] = defaultdict(list)
    all_sources: dict[str, list[Page]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()  # (target url, source url) already in all_sources
    reference_fields = _reference_fields(schema)
    for page in pages:
        for field in reference_fields[page.kind]:
            found_pages = tuple(by_url[url] for url in named.get((page.url, field.name), ()))
            if found_pages:
                targets[(page.url, field.name)] = found_pages
            for target in found_pages:
                sources[(target.url, page.kind, field.name)].append(page)
                if (target.url, page.url) not in seen:
                    seen.add((target.url, page.url))
                    all_sources[target.url].append(page)
    return References(targets, {k: tuple(v) for k, v in sources.items()}, {k: tuple(v) for k, v in all_sources.items()})


def _reference_fields(schema: Schema) -> dict[str, tuple[Field, ...]]:
    """Every kind's reference fields, worked out once (the schema works them out on every call)."""
    fields = {kind.name: kind.references for kind in schema}
    fields["home"] = schema.kind("home").references
    return fields


def _no_such(field: str, ref: str, kind: Kind, index: dict[str, Page]) -> str:
    """'there is no network "x" (did you mean reading-network, "Vale Reading Network"?)': the nearest by title, or by slug."""
    by_title = {p.title: p for p in index.values()}
    near = nearest(ref, by_title) or nearest(ref, [s for s in index if not s.isdigit()])
    target = by_title.get(near) or index.get(near) if near else None
    hint = f' (did you mean {target.slug}, "{target.title}"?)' if target else ""
    if kind.field("urn"):
        return f'{field}: there is no {kind.singular} "{ref}"{hint}; name {kind.one} by its file name (slug) or URN'
    return f'{field}: there is no {kind.singular} "{ref}"{hint}; {kind.title.lower()} are the files in content/{kind.name}/'


def _claims(pages: list[Page], inputs: Inputs, aliases: dict[str, Page], schema: Schema) -> dict[str, list[str]]:
    """Who wants which URL: every page, section index, copied file and alias."""
    claims: dict[str, list[str]] = defaultdict(list)
    claims["/"].append("the home page")
    for kind in schema.sections:
        claims[section_url(kind.name)].append(f"the {kind.title.lower()} index")
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
    by_file: dict[str, list[tuple[str, str]]] = defaultdict(list)  # '/about' and '/about.html' differ, but not '/a/' and '/a/index.html'
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


def _files(pages: list[Page], schema: Schema, files: FileIndex, problems: Problems) -> tuple[list[Page], dict[str, Download]]:
    """Every file and image a field names must exist. A name relative to the content file becomes the
    file's site path (so templates can link it); a `file` field's file is offered as a download."""
    downloads: dict[str, Download] = {}
    out = []
    file_fields: dict[str, list[Any]] = {}  # kind -> its fields naming files
    for page in pages:
        mended: dict[str, Any] = {}
        if page.kind not in file_fields:
            file_fields[page.kind] = [f for f in schema.kind(page.kind).fields if f.type in ("file", "image")]
        for field in file_fields[page.kind]:
            if not page.fields.get(field.name):
                continue
            name = page.fields[field.name]
            if is_external(name):
                continue
            found = files.find(name, page.source)
            if found is None:
                where = "; put the file beside the .md or in static/" if field.type == "file" else ""
                problems.error(page.source, page.line_of(field.name), f'{field.name}: "{name}" does not exist{files.nearest(name, page.source)}{where}')
                continue
            if found[0] != name:
                mended[field.name] = found[0]
            if field.type == "file":
                downloads[page.source if field.name == "file" else f"{page.source}#{field.name}"] = Download(found[0], file_format(found[0]), found[1])
        out.append(dataclasses.replace(page, fields={**page.fields, **mended}) if mended else page)
    return out, downloads


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
            unsafe = _unsafe_alias(old)
            if unsafe:
                problems.error(page.source, page.line_of("aliases"), f"aliases: {json.dumps(alias, ensure_ascii=False)} {unsafe}")
                continue
            if old in aliases and aliases[old] is not page:
                problems.error(page.source, page.line_of("aliases"),
                               f"aliases: {old} is also an alias of {aliases[old].source}; an old address can lead to one page only")
                continue
            aliases[old] = page
    return aliases


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _unsafe_alias(old: str) -> str | None:
    """Why an alias cannot be one line of a host's `_redirects` (it is written there and into a
    redirect page's folder name): the rule that would change the meaning, and what to write instead."""
    if _CONTROL.search(old):
        return "holds a line break or other control character; write one old address per list item"
    if "*" in old:
        return "holds '*', which the hosts read as \"every address\"; list each old address in full"
    if any(segment.startswith(":") for segment in old.split("/")):
        return "has a part starting with ':', which the hosts read as \"any name\"; list each old address in full"
    if "#" in old or "?" in old:
        return "holds '#' or '?'; write only the path, like /old/address/"
    return None


def _menu(config: Config, pages: list[Page], root: str = "", main: Site | None = None) -> list[MenuItem]:
    """site.yaml's menu (or, when it has none, every section), then pages that ask to be in it; one entry per page.
    In another language (`root` "/cy") with no menu of its own, the main language's, where an entry for a translated
    page leads to the translation, under its own title."""
    items = list(config.menu) or [MenuItem(k.title, section_url(k.name), i * 10) for i, k in enumerate(config.schema.sections, 1)]
    if main is not None and config.menu is main.config.menu:
        items = list(main.menu)
    if root:
        translated = {p.url: p for p in pages}
        items = [MenuItem(page.title, page.url, item.order) if (page := translated.get(root + item.url)) else item for item in items]
    taken = {item.url for item in items}
    for page in pages:
        entry = page.fields.get("menu")
        if entry and page.url not in taken:
            items.append(MenuItem(entry["title"] or page.title, page.url, entry["order"]))
            taken.add(page.url)
    return sorted(items, key=lambda m: m.order)
