"""Rebuilding after an edit, doing only the work the edit needs (for `sitegen serve`).

Reading a file and rendering an output are pure, so a rebuild re-reads only the files
that changed, assembles the site again (cheap), plans every output (cheap), and renders
only the outputs whose inputs changed:
- an output that is new, or whose description changed (its template, or the list of items
  it shows, e.g. a listing page after a post's date moved it);
- an output showing an item whose file changed (its own page, listings, feeds, pages that
  link to it as related or as a member);
- an output whose template, or a template it extends, includes or imports, changed;
- the home page and the sitemap, which summarise the whole site, after any edit.
Everything is rendered again when site.yaml or data/ changes, and on every edit when the
hub has templates of its own (sitegen cannot know what they show).
The result lives in memory: the dev server serves it from there and writes nothing.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from . import content, data, gias, images, search
from .config import Config, load_config
from .content import Page
from .errors import BuildFailed, ContentError, Problems, SitegenError
from .hubcheck import check_hub
from .model import Inputs, Site, assemble
from .outputs import Output, plan
from .outputs.admin import editor_files
from .outputs.files import processed
from .outputs.pages import shown_with
from .pipeline import (
    BuildOptions,
    add_csv_schools,
    build_moment,
    check_paths,
    check_root_links,
    check_unique,
    reading_settings,
    render_all,
    scan_pictures,
    static_files,
)
from .templates import make_environment
from .urls import output_file


@dataclass
class Rebuilt:
    seconds: float
    rendered: int  # outputs rendered this time
    changed: set[str]  # output files whose bytes changed (or that appeared or went)
    errors: list[SitegenError] = field(default_factory=list)
    warnings: list[SitegenError] = field(default_factory=list)


class Rebuilder:
    """Holds the last build in memory and brings it up to date after edits."""

    def __init__(self, root: Path, options: BuildOptions):
        self.root = root.resolve()
        self.options = options
        self.files: dict[str, bytes] = {}  # output file -> bytes
        self.copies: dict[str, Path] = {}  # output file -> source file, served as it is
        self.errors: list[SitegenError] = []
        self._hub_errors: list[SitegenError] = []
        self._config: Config | None = None
        self.search_off: str | None = None  # why search is off although site.yaml wants it (Pagefind cannot run)
        self._pages: dict[str, tuple[Page | None, Problems]] = {}  # hub-relative path -> what reading it gave
        self._revision: dict[str, int] = {}  # bumped each time a file is read again
        self._content_files: dict[str, int] = {}
        self._static: dict[str, Path] = {}
        self._static_sizes: dict[str, int] = {}
        self._changed_static: set[str] = set()  # site paths of static files edited since the last render
        self._data: tuple[dict[str, Any], dict[str, str], Problems] | None = None
        self._link_cache: dict[Any, str] = {}
        self._keys: dict[str, tuple[Any, frozenset[str]]] = {}  # output file -> (description, items it shows)
        self._seen: dict[str, tuple[int, str]] = {}  # item url -> (revision, content) at the last render
        self._template_deps: dict[str, set[str]] = {}
        self._menu: list[Any] | None = None
        self._relations: Any = None
        self._relation_memo: dict[str, tuple[Page, Any]] = {}
        self._env: jinja2.Environment | None = None
        self._env_urls: Any = None
        self._picture_memo: dict[tuple[str, int, int], object] = {}  # picture headers, by file, size and time
        self._pictures = images.Pictures()
        self._made: dict[images.Picture, dict[str, Path]] = {}  # each picture's processed files, in the cache

    def rebuild(self, changed: set[Path] | None = None) -> Rebuilt:
        """Bring the build up to date with the files in `changed` (None: everything)."""
        started = time.perf_counter()
        reloaded = False
        try:
            self._check_hub(changed)
            full, templates = self._reload(changed)
            reloaded = True
            return self._render(full, templates, started)
        except BuildFailed as exc:
            self.errors = exc.errors
        except SitegenError as exc:
            self.errors = [exc]
        except Exception as exc:  # noqa: BLE001 - a bug in sitegen: shown like an error; the server keeps going
            self.errors = [SitegenError(f"sitegen: internal error ({type(exc).__name__}: {exc}); a bug in sitegen, not in your files")]
        if not reloaded:  # what was read may be half updated: read everything again next time
            self._config = None
        return Rebuilt(time.perf_counter() - started, 0, set(), self.errors)

    def _check_hub(self, changed: set[Path] | None) -> None:
        """hubcheck's errors; the hub is walked again unless the edit only changed plain files."""
        if changed is None or self._config is None or self._hub_errors or not all(p.is_file() and not p.is_symlink() for p in changed):
            self._hub_errors = check_hub(self.root).errors
        if self._hub_errors:
            raise BuildFailed(self._hub_errors)

    def _reload(self, changed: set[Path] | None) -> tuple[bool, set[str]]:
        """Re-read what changed; returns (render everything?, names of the templates that changed)."""
        rels = None if changed is None else {rel for rel in map(self._relative, changed) if rel is not None}
        # site.yaml, or a whole folder (content/ renamed, templates/ replaced): read everything again
        full = rels is None or self._config is None or bool(rels & {"site.yaml", "content", "templates", "static", "data"})
        templates: set[str] = set()
        if full:
            overrides = {"base_url": self.options.base_url} if self.options.base_url else {}
            self._config, self.search_off = search.settle(load_config(self.root, overrides))
            pages, others = content.discover(self.root)
            self._pages = {}
            self._content_files = {rel: (self.root / rel).stat().st_size for rel in others}
            self._set_static()
            self._data = None
            self._template_deps.clear()
            rels = set(pages)
        assert rels is not None and self._config is not None
        for rel in sorted(rels):
            path = self.root / rel
            top = rel.split("/", 1)[0]
            if top == "content" and rel.endswith(".md") and not content.IGNORED.search(rel):
                self._read_page(rel, path)
            elif top == "content":
                self._track(self._content_files, rel, path)
            elif top == "static":
                self._set_static()
                self._changed_static.add("/" + rel.split("/", 1)[1])
            elif top == "templates":
                templates.add(rel.split("/", 1)[1])
                self._template_deps.clear()
            elif top == "data":
                self._data = None
                full = True
        return full or bool(templates & {"base.html", "macros.html"}), templates

    def _set_static(self) -> None:
        assert self._config is not None
        self._static = {**editor_files(self._config, False, None), **static_files(self.root)}
        self._static_sizes = {url: path.stat().st_size for url, path in self._static.items()}

    def _read_page(self, rel: str, path: Path) -> None:
        self._revision[rel] = self._revision.get(rel, 0) + 1
        if not path.is_file():
            self._pages.pop(rel, None)
            return
        assert self._config is not None
        settings = reading_settings(self._config)
        try:
            problems = Problems()
            page, page_problems = content.load_page(rel, content.read_text(path, rel, problems), settings)
            page_problems.extend(problems)
            self._pages[rel] = (page, page_problems)
        except ContentError as exc:
            problems = Problems()
            problems.errors.append(exc)
            self._pages[rel] = (None, problems)

    def _track(self, sizes: dict[str, int], rel: str, path: Path) -> None:
        if path.is_file():
            sizes[rel] = path.stat().st_size
        else:
            sizes.pop(rel, None)

    def _relative(self, path: Path) -> str | None:
        try:
            rel = path.resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError, RuntimeError):  # outside the hub, or a link loop (reported by check_hub)
            return None
        return None if content.IGNORED.search(rel) else rel

    def _render(self, full: bool, templates: set[str], started: float) -> Rebuilt:
        config = self._config
        assert config is not None
        problems = Problems()
        problems.warnings.extend(config.warnings)
        if self._data is None:
            self._data = data.load_data(self.root)
            self._revision[gias.SCHOOLS_CSV] = self._revision.get(gias.SCHOOLS_CSV, 0) + 1
        data_files, data_texts, data_problems = self._data
        problems.extend(data_problems)
        pages = []
        for page, page_problems in self._pages.values():
            problems.extend(page_problems)
            if page is not None:
                pages.append(page)
        unreadable = {rel for rel, (p, _) in self._pages.items() if p is None}
        unreadable |= add_csv_schools(pages, data_texts, reading_settings(config), problems)
        now = (self.options.now or build_moment(config)).astimezone(config.tz)
        site, site_problems = assemble(Inputs(
            config=config, pages=pages, content_files=self._content_files, static_files=self._static_sizes,
            data=data_files, now=now, unreadable=frozenset(unreadable),
            drafts=self.options.drafts, future=self.options.future, link_cache=self._link_cache,
        ))
        problems.extend(site_problems)
        outputs, copies = plan(site, self._static)
        pictures = scan_pictures(site, outputs, copies, problems, self._picture_memo)
        check_paths(site, outputs, copies, problems)
        check_unique(outputs, copies, problems)
        check_root_links(site, outputs, copies, problems)
        problems.raise_if_any()
        made, image_problems = images.materialise([p for p in pictures.rasters.values() if p not in self._made], self.root)
        image_problems.raise_if_any()
        self._made = {p: self._made.get(p) or {v.url: made[v.url] for v in p.variants} for p in pictures.rasters.values()}
        copies = processed(copies, pictures, {url: path for paths in self._made.values() for url, path in paths.items()})

        if self._env is None or full or templates or self._env_urls != site.urls:  # a new override hides a cached theme template
            self._env, self._env_urls = make_environment(self.root, site.urls, config, pictures), site.urls  # compiled templates are kept
        full = full or pictures.rasters != self._pictures.rasters or pictures.vectors != self._pictures.vectors  # sizes on every page
        self._pictures = pictures
        self._env.globals["images"] = pictures
        env = self._env
        own_templates = (self.root / "templates").is_dir() and any((self.root / "templates").glob("*.htm*"))
        full = full or own_templates or site.menu != self._menu
        self._menu = site.menu
        changed_items = self._changed_items(site)
        relations = relation_keys(site, self._relation_memo)
        # When no item changed how it relates to others (the usual edit: its title or its text),
        # every output shows the same items as before and describing them all again can be skipped.
        same_shapes = not full and not templates and relations == self._relations and set(self._keys) == {output_file(o.url) for o in outputs}
        self._relations = relations
        wanted: list[Output] = []
        keys: dict[str, tuple[Any, frozenset[str]]] = dict(self._keys) if same_shapes else {}
        memo: dict[int, tuple[Any, frozenset[str]]] = {}
        for output in outputs:
            file = output_file(output.url)
            before = self._keys.get(file)
            if same_shapes:
                assert before is not None
                if before[1] & changed_items or (output.shows_everything and changed_items):
                    wanted.append(output)
                    keys[file] = describe(output, site, memo)
                continue
            key = keys[file] = describe(output, site, memo)
            # the items it shows now, and those it showed before (a post that stops being a neighbour)
            if (full or before is None or before[0] != key[0] or (key[1] | before[1]) & changed_items
                    or (output.shows_everything and (changed_items or templates))
                    or (templates and output.template and self._uses(env, output.template) & templates)):
                wanted.append(output)
        rendered = render_all(wanted, site, env, problems)
        problems.raise_if_any()

        changed = set()
        for file, body in rendered:
            if self.files.get(file) != body:
                self.files[file] = body
                changed.add(file)
        for gone in set(self._keys) - set(keys):
            self.files.pop(gone, None)
            changed.add(gone)
        new_copies = {output_file(c.url): c.src for c in copies}
        changed |= {f for f in set(new_copies) | set(self.copies) if new_copies.get(f) != self.copies.get(f)}
        changed |= {output_file(url) for url in self._changed_static}
        self._changed_static.clear()
        self.copies = new_copies
        self._keys = keys
        self.errors = []
        return Rebuilt(time.perf_counter() - started, len(rendered), changed, [], problems.warnings)

    def _changed_items(self, site: Site) -> frozenset[str]:
        """Items whose file was read again or whose text (with its links) came out differently."""
        now: dict[str, tuple[int, str]] = {}
        for url, page in site.by_url.items():
            now[url] = (self._revision.get(page.source, 0), page.content)
        changed = {url for url, seen in now.items() if self._seen.get(url) != seen}
        changed |= set(self._seen) - set(now)
        self._seen = now
        return frozenset(changed)

    def _uses(self, env: jinja2.Environment, name: str) -> set[str]:
        """`name` and every template it extends, includes or imports, recursively."""
        if name not in self._template_deps:
            found, todo = set(), [name]
            while todo:
                current = todo.pop()
                if current in found:
                    continue
                found.add(current)
                try:
                    source = env.loader.get_source(env, current)[0]  # type: ignore[union-attr]
                    todo += [t for t in jinja2.meta.find_referenced_templates(env.parse(source)) if t]
                except jinja2.TemplateError:
                    continue
            self._template_deps[name] = found
        return self._template_deps[name]


def relation_keys(site: Site, memo: dict[str, tuple[Page, Any]]) -> tuple[Any, ...]:
    """Everything that decides which items each output shows, and in what order.

    `memo` keeps each page's part from the last rebuild: most pages are the same objects. The fields
    that place an item (its date, networks, subjects...) come from the schema; so does whether its
    title places others (items that name it, as their networks, are listed by its title)."""
    placing = site.schema.places()
    named = {f.to for kind in site.schema for f in kind.references}
    items = []
    for url, page in site.by_url.items():
        known = memo.get(url)
        if known is None or known[0] is not page:
            key = (page.kind, page.title if page.kind in named else None, tuple(page.fields.get(f) for f in placing))
            known = memo[url] = (page, key)
        items.append((url, known[1]))
    return tuple(items), tuple(e.url for e in site.upcoming_events()), tuple(site.downloads.items())


def describe(output: Output, site: Site, memo: dict[int, tuple[Any, frozenset[str]]] | None = None) -> tuple[Any, frozenset[str]]:
    """(a comparable description of what the output shows, the items whose content it shows).

    `memo` remembers the description of objects that many outputs share (the facets of the
    resource library appear on every facet page), so each is walked once per rebuild."""
    memo = {} if memo is None else memo
    items: set[str] = set()
    shape = (output.template, output.render.__qualname__ if output.render else None, _shape(output.context, items, memo))
    page = output.context.get("page")
    if isinstance(page, Page):
        items |= {p.url for p in shown_with(page, site)}
    return shape, frozenset(items)


def _shape(value: Any, items: set[str], memo: dict[int, tuple[Any, frozenset[str]]]) -> Any:
    if isinstance(value, Page):
        items.add(value.url)
        return ("page", value.url)
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    if id(value) in memo:
        shape, inner = memo[id(value)]
        items |= inner
        return shape
    found: set[str] = set()
    if isinstance(value, dict):
        shape = tuple((k, _shape(v, found, memo)) for k, v in sorted(value.items()))
    elif isinstance(value, (list, tuple)):
        shape = tuple(_shape(v, found, memo) for v in value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        shape = (type(value).__name__, tuple(_shape(getattr(value, f.name), found, memo) for f in dataclasses.fields(value)))
    else:
        shape = repr(value)
    if isinstance(value, (list, tuple)) or dataclasses.is_dataclass(value):
        memo[id(value)] = (shape, frozenset(found))  # the outputs, and so these objects, live until the rebuild ends
    items |= found
    return shape
