"""What a build reads: site.yaml, every content file (each kept by its bytes), static and data files.

The reader keeps what it read between runs (and, through the driver, in the persistent cache),
so that a run reads again only the files that changed. It also gives each item its fingerprints,
which tell the dependency graph (graph.py) whether anything read from it changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from ..config.siteyaml import Config, load_config
from ..content.data import load_data
from ..content.discover import IGNORED, discover
from ..content.gias import add_csv_schools
from ..content.hubcheck import unreadable
from ..content.page import Page
from ..content.read import reading_settings
from ..core.engine import ENGINE
from ..core.errors import Problems
from ..model.assemble import Inputs, assemble
from ..model.dates import bracket, build_moment, is_published, turning_points
from ..model.site import Site
from ..model.translations import by_language
from ..outputs.admin import editor_files
from ..outputs.files import static_files
from ..render.record import fingerprint
from ..search.pagefind import settle
from .cache import BuildCache
from .graph import PAGE_FIELDS, TEXT_FIELDS, Stat, digest, item_fingerprint, outline_fingerprint
from .parallel import in_parallel, read_chunk
from .profile import Profile

PageEntry = tuple[bytes, Page | None, Problems]  # (the file's key, the Page read from it, its problems)


class Reader:
    """The hub's files as last read. In memory (`in_memory`, the dev server) nothing is fetched for the editor."""

    def __init__(self, root: Path, options: Any, jobs: int, in_memory: bool):
        self.root, self.options, self.jobs, self.in_memory = root, options, jobs, in_memory
        self.config: Config | None = None  # None: site.yaml must be read again before anything else
        self.settings = b""  # fingerprint of everything the whole site depends on (site.yaml, options, engine)
        self.read_settings = b""  # ... and of what reading one content file depends on
        self.search_off: str | None = None  # why search is off although site.yaml wants it (Pagefind cannot run)
        self.pages: dict[str, PageEntry] = {}  # hub-relative path -> entry
        self.page_stats: dict[str, Stat] = {}  # hub-relative path -> its stat when last read
        self.read_outlines: dict[str, tuple[bytes, bytes]] = {}  # content file -> (its key, outline_fingerprint of its Page as read)
        self.pages_dirty = False  # whether the three above changed since the cache was saved
        self.content_files: dict[str, int] | None = None  # other files in content/ -> size
        self.static: dict[str, Path] | None = None
        self.static_sizes: dict[str, int] = {}
        self.data: tuple[dict[str, Any], dict[str, str], Problems] | None = None
        self.data_digest = b""
        self.csv_memo: dict[str, Any] = {}
        self.link_cache: dict[str, Any] | None = {} if in_memory else None
        self.link_caches: dict[str, dict[str, Any]] = {}  # the same, for each other language
        self.hidden: list[Page] = []  # items read but not published (drafts, future, expired)
        self.moment: tuple[dt.datetime | None, dt.datetime | None] = (None, None)  # the moment of the build, as items' dates see it
        self.print_memo: dict[int, tuple[Page, bytes, bytes]] = {}  # id(item) -> (item, its fingerprints), kept between runs
        self.points_memo: dict[int, tuple[Page, Any, frozenset[dt.datetime]]] = {}  # id(item) -> (item, time zone, its turning points)

    def read_settings_file(self, changed: set[str] | None) -> bool:
        """Read site.yaml when needed; returns whether everything must be looked at again."""
        full = changed is None or "site.yaml" in changed or self.config is None
        if not full:
            return False
        options = self.options
        overrides = {"base_url": options.base_url} if options.base_url else {}
        try:
            self.config, self.search_off = settle(load_config(self.root, overrides))
        except BaseException:
            self.config = None  # until site.yaml reads again, nothing is built with the old settings
            raise
        yaml = (self.root / "site.yaml").read_bytes()
        self.settings = hashlib.blake2b(b"\0".join([ENGINE.encode(), yaml, self._catalogs(), repr(sorted(overrides.items())).encode(),
                                                    repr((options.drafts, options.future)).encode()]), digest_size=16).digest()
        config = self.config  # what reading one file depends on (content.read.reading_settings)
        read_settings = fingerprint((ENGINE, config.timezone, config.vocabularies, config.markdown_extensions, config.schema))
        if read_settings != self.read_settings:
            self.pages, self.page_stats, self.read_outlines = {}, {}, {}  # read with other settings: read again
            self.csv_memo.clear()
            self.read_settings = read_settings
        return True

    def _catalogs(self) -> bytes:
        """The hub's own translations of the theme (locale/**/*.po): like site.yaml, they change every page."""
        found = []
        for path in sorted((self.root / "locale").rglob("*.po")):
            try:
                found.append(path.relative_to(self.root).as_posix().encode() + b"\0" + path.read_bytes())
            except OSError:
                found.append(path.relative_to(self.root).as_posix().encode())  # reported where the catalog is read
        return fingerprint(found)

    def page_key(self, raw: bytes) -> bytes:
        """What a content file's bytes are known by (with the settings they are read with)."""
        return hashlib.blake2b(raw, digest_size=16, person=self.read_settings[:16]).digest()

    def read(self, changed: set[str] | None, problems: Problems, profile: Profile) -> None:
        """Read the files in `changed` again (None: every file), but those whose bytes are as before."""
        assert self.config is not None
        root = self.root
        if changed is None:
            page_paths, others = discover(root)
            self.content_files = {rel: (root / rel).stat().st_size for rel in others}
            self._static(problems)
            self.data = None
            self.pages_dirty |= bool(set(self.pages) - set(page_paths))
            self.pages = {rel: self.pages[rel] for rel in page_paths if rel in self.pages}
            todo = page_paths
        else:
            todo = self._changed(changed, problems)
        missing: list[tuple[str, bytes]] = []
        keys: dict[str, bytes] = {}
        stats = self.page_stats
        for rel in todo:
            file_path = os.path.join(root, rel)
            known = self.pages.get(rel)
            try:
                st = os.stat(file_path)
                stat = (st.st_ino, st.st_size, st.st_mtime_ns)
                if changed is None and known is not None and stats.get(rel) == stat:
                    os.close(os.open(file_path, os.O_RDONLY))  # still readable (its permissions may have changed)
                    profile.pages_cached += 1  # the same file, untouched since it was read (as git and make judge)
                    continue
                with open(file_path, "rb") as file:
                    raw = file.read()
            except FileNotFoundError:
                self.pages.pop(rel, None)
                continue
            except OSError as exc:  # not readable: an error about the file, read again next time
                cannot = Problems()
                cannot.errors.append(unreadable(rel, exc))
                self.pages[rel] = (b"", None, cannot)
                self.page_stats.pop(rel, None)
                continue
            key = keys[rel] = self.page_key(raw)
            stats[rel] = stat
            self.pages_dirty = True
            if known is not None and known[0] == key:
                profile.pages_cached += 1
            else:
                missing.append((rel, raw))
        for rel, page, page_problems in in_parallel(reading_settings(self.config), read_chunk, missing, self.jobs):
            self.pages[rel] = (keys[rel], page, page_problems)
        profile.pages_read = len(missing)
        self.pages_dirty |= bool(missing)
        if self.data is None:
            self.data = load_data(root)
            self.data_digest = fingerprint((self.data[1], [str(e) for e in self.data[2].errors]))

    def _changed(self, changed: set[str], problems: Problems) -> list[str]:
        """Note the edited files that are not content pages; returns the content pages to read."""
        todo = []
        for rel in sorted(changed):
            top = rel.split("/", 1)[0]
            path = self.root / rel
            if top == "content" and rel.endswith(".md") and not IGNORED.search(rel):
                if path.is_file():
                    todo.append(rel)
                else:
                    self.pages.pop(rel, None)
            elif top == "content" and self.content_files is not None:
                if path.is_file():
                    self.content_files[rel] = path.stat().st_size
                else:
                    self.content_files.pop(rel, None)
            elif top == "static":
                self._static(problems)
            elif top == "data":
                self.data = None
        return todo

    def _static(self, problems: Problems) -> None:
        """Site path -> file copied as it is: the browser editor's, the theme's, the hub's static/ (which wins)."""
        assert self.config is not None
        writes = bool(getattr(self.options, "write", False)) and not self.in_memory
        self.static = {**editor_files(self.config, writes, problems if writes else None), **static_files(self.root)}
        self.static_sizes = {url: path.stat().st_size for url, path in self.static.items()}

    def assemble(self, problems: Problems) -> Site:
        """The Site, from every item read (and the schools of data/schools.csv)."""
        assert self.config is not None and self.data is not None and self.content_files is not None
        config, options = self.config, self.options
        data_files, data_texts, data_problems = self.data
        problems.extend(data_problems)
        pages = []
        unusable = set()
        for rel, (_, page, page_problems) in self.pages.items():
            problems.extend(page_problems)
            if page is None:
                unusable.add(rel)
            else:
                pages.append(page)
        unusable |= add_csv_schools(pages, data_texts, reading_settings(config), problems, self.csv_memo)
        now = (options.now or build_moment(config)).astimezone(config.tz)
        main, translations = by_language(pages, config.schema, problems)
        inputs = Inputs(config=config, pages=main, content_files=self.content_files, static_files=self.static_sizes,
                        data=data_files, now=now, unreadable=frozenset(unusable),
                        drafts=options.drafts, future=options.future, link_cache=self.link_cache)
        site, site_problems = assemble(inputs)
        problems.extend(site_problems)
        for language in config.languages:  # each other language: its own site under /<code>/, naming the main one's items
            link_cache = self.link_caches.setdefault(language.code, {}) if self.link_cache is not None else None
            other, other_problems = assemble(dataclasses.replace(
                inputs, config=config.in_language(language.code), pages=translations.get(language.code, []),
                main=site, root="/" + language.code, link_cache=link_cache))
            problems.extend(other_problems)
            site.languages[language.code] = other
        for other in site.languages.values():  # every item, whatever its language, by its address (for checks and the graph)
            site.by_url.update(other.by_url)
            site.aliases.update(other.aliases)
        schema = config.schema
        self.hidden = [p for p in pages if not p.broken and not is_published(p, schema.kind(p.kind), now, options.drafts, options.future)]
        # The moment matters only by which side of each item's dates it is on (see `outline`).
        items = [*pages, *site.by_url.values()]
        self.moment = bracket(now, [self._turning_points(page, config.tz) for page in items])
        live = {id(p) for p in site.by_url.values()}
        self.print_memo = {k: v for k, v in self.print_memo.items() if k in live}
        live.update(id(p) for p in pages)
        self.points_memo = {k: v for k, v in self.points_memo.items() if k in live}
        return site

    def outline(self, site: Site) -> bytes:
        """A fingerprint of everything but the items' text: the settings, the moment (as the items'
        dates see it: `bracket`), the other files' sizes, the data, and each item without its text.
        When it is as before, the plan and the site's lists and queries (sitegen's own code, which never
        reads an item's text, and compares the moment only with items' dates) are as before."""
        parts = [url.encode() + self.prints(page)[1] for url, page in site.by_url.items()]
        world = fingerprint((self.settings, self.data_digest, self.moment, self.static_sizes, self.content_files))
        return hashlib.blake2b(world + b"".join(parts), digest_size=16).digest()

    def _turning_points(self, page: Page, tz: dt.tzinfo | None) -> frozenset[dt.datetime]:
        """The item's turning points (`turning_points`), kept per item object between runs (as `prints`)."""
        known = self.points_memo.get(id(page))
        if known is not None and known[0] is page and known[1] == tz:
            return known[2]
        points = turning_points(page, tz)
        self.points_memo[id(page)] = (page, tz, points)
        return points

    def prints(self, page: Page) -> tuple[bytes, bytes]:
        """The item's fingerprints: of all of it (item_fingerprint), and of all but its text (outline_fingerprint).

        Not the same bytes as those functions give, but as telling, and cheaper: an item is the Page its file
        was read as (which the file's path and key determine, see `read`) with what assemble() changed in it
        (its text with links resolved, a mended field), so only what changed is pickled. Kept per item object
        between runs, and the outline of each file as read in the cache."""
        known = self.print_memo.get(id(page))
        if known is not None and known[0] is page:
            return known[1], known[2]
        entry = self.pages.get(page.source)
        read = entry[1] if entry is not None else None
        if entry is None or read is None:  # a school from data/schools.csv
            item, outline = item_fingerprint(page), outline_fingerprint(page)
        else:
            key = entry[0]
            base = self.read_outlines.get(page.source)
            if base is None or base[0] != key:
                base = self.read_outlines[page.source] = (key, outline_fingerprint(read))
                self.pages_dirty = True
            changed = tuple((name, value) for name in PAGE_FIELDS if (value := getattr(page, name)) is not getattr(read, name))
            item = digest(b"read\0" + key + page.source.encode() + b"\0" + pickle.dumps(changed, protocol=5))
            outline = digest(b"read\0" + base[1] + pickle.dumps(tuple(c for c in changed if c[0] not in TEXT_FIELDS), protocol=5))
        self.print_memo[id(page)] = (page, item, outline)
        return item, outline

    def load(self, cache: BuildCache) -> None:
        """What earlier builds read, from the persistent cache (when read with the same settings)."""
        saved = cache.load_split("pages")
        if saved is not None and saved[0] == self.read_settings and len(saved[1]) == 3:
            self.pages, self.page_stats, self.read_outlines = saved[1]

    def save(self, cache: BuildCache) -> None:
        if not self.pages_dirty:
            return
        pages = self.pages
        self.read_outlines = {rel: known for rel, known in self.read_outlines.items() if rel in pages and pages[rel][0] == known[0]}
        cache.save_split("pages", self.read_settings, [pages, self.page_stats, self.read_outlines])
        self.pages_dirty = False
