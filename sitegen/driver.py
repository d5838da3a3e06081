"""The build driver: every stage of a build in order, and what each kept from the last run.

    settings  site.yaml -> Config
    read      content/**.md -> Page      pure: kept by file content + settings + engine; parallel
    assemble  [Page] -> Site              cheap: every run
    plan      Site -> [Output], [Copy]    cheap: every run
    render    Output -> bytes             pure: only outputs whose recorded inputs changed; parallel
    write     staging folder -> post-process hooks -> atomic swap, or only what changed (pipeline.build, writer.py)

While an output renders, everything it reads is recorded (record.py): the items and which of
their fields, site-wide lists and queries, templates, data. The next run renders it again only
when one of those has a different fingerprint, or when what the plan gave it changed.

`sitegen build` and `check` run a driver once, with the persistent cache (cache.py);
`sitegen serve` keeps one alive in memory and runs it after every save (incremental.py),
in two parts: `prepare` (settings to plan), after which a page asked for is brought up to
date alone (`render_one`), and `finish` (check, render, record), done a step at a time.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import multiprocessing
import os
import pickle
import shutil
import time
from collections import defaultdict
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from . import content, data, images, search
from .cache import ENGINE, BuildCache
from .config import Config, load_config
from .content import Page
from .dates import is_published
from .errors import ContentError, Problems, SitegenError, TemplateError
from .model import Inputs, Site, assemble
from .outputs import Copy, Output, plan
from .outputs.host import body_loads
from .record import Key, PageRef, Recorder, SiteView, fingerprint, from_ref, wrap
from .templates import Environment, make_environment
from .urls import output_file
from .writer import MARKER

PARALLEL_FROM = 64  # fewer pages to read or outputs to render than this: not worth starting workers
CHECK_STEP = 250  # `finish` gives way (yields) after fingerprinting this many outputs or keys
RENDER_STEP = 2  # ... and after rendering this many outputs in this process


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# what a run measured (`--profile`) ------------------------------------------------------------

@dataclass
class Profile:
    stages: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    templates: dict[str, list[float]] = field(default_factory=dict)  # template (or render function) -> [renders, seconds]
    pages_cached: int = 0
    pages_read: int = 0
    outputs_reused: int = 0
    outputs_rendered: int = 0

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - started

    def report(self, slowest: int = 8) -> str:
        lines = ["time per stage:"]
        lines += [f"  {name:<10} {seconds * 1000:8.0f} ms" for name, seconds in self.stages.items()]
        lines.append(f"  {'total':<10} {sum(self.stages.values()) * 1000:8.0f} ms")
        lines.append(f"cache: {self.pages_cached} content files reused, {self.pages_read} read; "
                     f"{self.outputs_reused} outputs reused, {self.outputs_rendered} rendered")
        if self.templates:
            lines.append("slowest templates (renders, total time, time per render):")
            ranked = sorted(self.templates.items(), key=lambda kv: -kv[1][1])[:slowest]
            lines += [f"  {name:<28} {int(n):6d} {s * 1000:8.0f} ms {s / n * 1000:7.2f} ms" for name, (n, s) in ranked]
        return "\n".join(lines)


# what each output read -------------------------------------------------------------------------

@dataclass(frozen=True)
class Record:  # frozen: the cache saves only the records that are not equal to those it saved before
    shape: bytes  # fingerprint of what the plan gave the output (its template, items, pagination...)
    keys: frozenset[Key]  # what it read while it rendered
    stat: tuple[int, int, int] | None = None  # (inode, size, mtime) of its file in the output folder


@dataclass
class Graph:
    """Every output's record, and the fingerprint of every key as it was when read."""

    settings: bytes = b""  # the settings the records were made with: other settings, other site
    output: str = ""  # the output folder holding the records' files ("" in memory)
    records: dict[str, Record] = field(default_factory=dict)  # output file -> record
    digests: dict[Key, bytes] = field(default_factory=dict)
    calls: dict[Key, tuple[str, Any]] = field(default_factory=dict)  # ("c", ...) key -> (query, arguments)
    items: dict[str, bytes] = field(default_factory=dict)  # item url -> fingerprint of the whole item
    outline: bytes = b""  # Driver._outline of the site the records were made from
    tree: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # every file in the output folder after the last build
    copied: dict[str, tuple[str, tuple[int, int, int] | None]] = field(default_factory=dict)  # copied file -> (its source, its stat)

    def reading(self, keys: dict[Key, bytes]) -> set[str]:
        """The output files that read any of `keys`."""
        return {file for file, record in self.records.items() if not record.keys.isdisjoint(keys)} if keys else set()


PAGE_FIELDS = tuple(f.name for f in dataclasses.fields(Page))
TEXT_FIELDS = ("content", "body_html", "links", "key_lines")  # an item's text, and what only messages about it use


OUTLINE_FIELDS = tuple(name for name in PAGE_FIELDS if name not in TEXT_FIELDS)


def item_fingerprint(page: Page) -> bytes:
    """Everything about an item, at once: when it is as before, nothing read from it has changed.

    Pickled rather than walked (much faster); pickling the same values gives the same bytes."""
    return _hash(pickle.dumps(tuple(getattr(page, name) for name in PAGE_FIELDS), protocol=5))


def outline_fingerprint(page: Page) -> bytes:
    """Everything about an item but its text (see Driver._outline)."""
    return _hash(pickle.dumps(tuple(getattr(page, name) for name in OUTLINE_FIELDS), protocol=5))


def _hash(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class Resolver:
    """Fingerprints of keys in the current site (each worked out once per run)."""

    def __init__(self, site: Site, env: jinja2.Environment, settings: bytes, data_digest: bytes, pictures_digest: bytes,
                 calls: dict[Key, tuple[str, Any]], prints: Callable[[Page], tuple[bytes, bytes]]):
        self.site, self.env, self.settings, self.data_digest, self.calls = site, env, settings, data_digest, calls
        self.pictures_digest = pictures_digest
        self.prints = prints  # an item's fingerprints (Driver._prints)
        self.memo: dict[Key, bytes] = {}
        self.values: dict[int, tuple[Any, bytes]] = {}

    def item(self, url: str) -> bytes | None:
        page = self.site.by_url.get(url)
        if page is None:
            return None
        return self.prints(page)[0]

    def digest(self, key: Key) -> bytes:
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self._digest(key)
        return found

    def _digest(self, key: Key) -> bytes:
        kind = key[0]
        if kind in ("i", "f"):
            page = self.site.by_url.get(key[1])
            if page is None:
                return b"-"
            if kind == "f":
                return fingerprint(("f", page.fields[key[2]]) if key[2] in page.fields else "missing", self.values)
            if key[2] == "*":
                return self.item(key[1]) or b"-"
            return fingerprint(getattr(page, key[2], None), self.values)
        if kind == "c":
            name, (args, kwargs) = self.calls[key]
            values = tuple(from_ref(a, self.site) for a in args)
            named = {k: from_ref(v, self.site) for k, v in kwargs}
            if any(v is None and isinstance(a, PageRef) for a, v in zip(args, values, strict=True)):
                return b"-"  # an item it was asked about is gone
            try:
                return fingerprint(getattr(self.site, name)(*values, **named), self.values)
            except Exception as exc:  # the render will meet the same error and report it
                return b"!" + repr(exc).encode()
        if kind == "a":
            if key[1] in ("config", "urls", "schema"):
                return self.settings
            try:
                return fingerprint(getattr(self.site, key[1]), self.values)
            except AttributeError:
                return b"-"
        if kind == "t":
            try:
                source, filename, _ = self.env.loader.get_source(self.env, key[1])  # type: ignore[union-attr]
            except jinja2.TemplateNotFound:
                return b"-"
            except (OSError, UnicodeDecodeError):
                return b"!"
            return fingerprint((filename, source))
        if kind == "d":
            return self.data_digest
        if kind == "g":
            return self.pictures_digest
        return b"?"


def _stat(path: str | Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _tree(folder: Path, folders: set[str] | None = None) -> dict[str, tuple[int, int, int]]:
    """Every file under `folder` (relative path -> inode, size, mtime): any entry but a real folder
    (a link to a folder too). The relative paths of the real folders are added to `folders`."""
    found: dict[str, tuple[int, int, int]] = {}
    todo = [("", str(folder))]
    while todo:
        prefix, path = todo.pop()
        try:
            entries = list(os.scandir(path))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                todo.append((prefix + entry.name + "/", entry.path))
                if folders is not None:
                    folders.add(prefix + entry.name)
            else:
                st = entry.stat(follow_symlinks=False)
                found[prefix + entry.name] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return found


def _files_of(copies: list[Copy]) -> set[str]:
    """The output files of `copies` (those with an impossible address are reported by pipeline.check_paths)."""
    files = set()
    for copy in copies:
        try:
            files.add(output_file(copy.url))
        except ValueError:
            pass
    return files


# rendering, in this process or in workers -------------------------------------------------------

def render_recorded(output: Output, site: Site, env: Environment) -> tuple[bytes, Recorder, float]:
    """Render one output, recording what it reads. Pure: the same inputs give the same bytes."""
    from .pipeline import render_output

    rec = Recorder()
    if output.template is not None:
        rec.keys.add(("g",))  # the pictures' sizes, which every page's <img> and file links are given
    started = time.perf_counter()
    env.recorder = rec
    try:
        body = render_output(dataclasses.replace(output, context=wrap(output.context, rec)), SiteView(site, rec), env)  # type: ignore[arg-type]
    finally:
        env.recorder = None
    rec.memo.clear()
    return body, rec, time.perf_counter() - started


_WORK: Any = None  # what forked workers work on: set just before the pool starts, cleared after


def _render_chunk(indices: list[int]) -> list[tuple[int, bytes | None, SitegenError | None, Any, Any, float]]:
    outputs, site, env = _WORK
    done: list[tuple[int, bytes | None, SitegenError | None, Any, Any, float]] = []
    for i in indices:
        try:
            body, rec, seconds = render_recorded(outputs[i], site, env)
            done.append((i, body, None, rec.keys, rec.calls, seconds))
        except TemplateError as exc:
            done.append((i, None, exc, None, None, 0.0))
    return done


def _read_chunk(items: list[tuple[str, bytes]]) -> list[tuple[str, Page | None, Problems]]:
    settings = _WORK
    return [read_page(rel, raw, settings) for rel, raw in items]


def read_page(rel: str, raw: bytes, settings: content.Settings) -> tuple[str, Page | None, Problems]:
    problems = Problems()
    try:
        text = content.decode_text(raw, rel, problems)
    except ContentError as exc:
        problems.errors.append(exc)
        return rel, None, problems
    page, page_problems = content.load_page(rel, text, settings)
    page_problems.extend(problems)
    if page is not None:  # parsed here, in parallel and once per file content, not on every build
        page = dataclasses.replace(page, loads=body_loads(page.body_html))
    return rel, page, page_problems


def in_parallel(work: Any, function: Callable[[list[Any]], list[Any]], items: list[Any], jobs: int) -> Iterator[Any]:
    """function(chunk) over chunks of `items` on `jobs` forked workers, results in the order of `items`."""
    global _WORK
    if jobs <= 1 or len(items) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        _WORK = work
        try:
            yield from function(items)
        finally:
            _WORK = None
        return
    size = max(8, len(items) // (jobs * 6))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    _WORK = work
    kept = gc.get_freeze_count() > 0  # frozen for good already (the dev server): left frozen, and what is new with it
    gc.freeze()  # the workers share the parent's objects: keep their collectors from touching (and copying) them
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            for done in pool.map(function, chunks):
                yield from done
    finally:
        _WORK = None
        if not kept:
            gc.unfreeze()


# the driver ------------------------------------------------------------------------------------

@dataclass
class Prepared:
    """A run up to its plan (Driver.prepare), and what `render_one` rendered of it so far."""

    site: Site
    outputs: list[Output]
    copies: list[Copy]
    pictures: images.Pictures
    held: dict[str, str]
    env: Environment
    problems: Problems
    output: Path | None
    resolver: Resolver
    planned: dict[str, int] | None = None  # output file -> index in outputs, made on first use
    rendered: dict[str, bytes] = field(default_factory=dict)
    records: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    shape_memo: dict[int, tuple[Any, bytes]] = field(default_factory=dict)
    errors: list[SitegenError] = field(default_factory=list)  # met by render_one


@dataclass
class Run:
    """What one run of the driver made."""

    site: Site
    outputs: list[Output]
    copies: list[Copy]
    rendered: dict[str, bytes]  # output file -> bytes, for the outputs rendered this run
    reused: list[str]  # output files taken from the last run as they were
    gone: set[str]  # output files of the last run that are no longer made
    warnings: list[SitegenError]
    pictures: images.Pictures  # the sizes of the hub's pictures, as templates saw them
    held_back: dict[str, str]  # site path of a file left out -> the unpublished item using it


class Driver:
    """Runs the stages of a build, keeping what each made so the next run can reuse it.

    In memory (`sitegen serve`) the rendered bytes are kept in `files`; otherwise (`build`, `check`)
    they are in the output folder, and what the driver knows is kept in the persistent cache."""

    def __init__(self, root: Path, options: Any, jobs: int | None = None, in_memory: bool = False,
                 persistent: bool = True, save: bool = True):
        self.root = root.resolve()
        self.options = options
        self.jobs = jobs or available_cores()
        self.in_memory = in_memory
        self.persistent = persistent
        self.save = save  # False for `check`, which writes nothing
        self.profile = Profile()
        self.files: dict[str, bytes] = {}  # in memory: output file -> bytes
        self.config: Config | None = None
        self.settings = b""
        self.read_settings = b""
        self.pages: dict[str, tuple[bytes, Page | None, Problems]] = {}  # hub-relative path -> (key, page, problems)
        self.page_stats: dict[str, tuple[int, int, int]] = {}  # hub-relative path -> (inode, size, mtime) when last read
        self.content_files: dict[str, int] | None = None
        self.static: dict[str, Path] | None = None
        self.static_sizes: dict[str, int] = {}
        self.data: tuple[dict[str, Any], dict[str, str], Problems] | None = None
        self.data_digest = b""
        self.csv_memo: dict[str, Any] = {}
        self.link_cache: dict[str, Any] | None = {} if in_memory else None
        self.search_off: str | None = None  # why search is off although site.yaml wants it (Pagefind cannot run)
        self.picture_memo: dict[tuple[str, int, int], object] = {}  # picture headers, by file, size and time
        self.pictures_digest = b""
        self.hidden: list[Page] = []  # items read but not published (drafts, future, expired)
        self.env: Environment | None = None
        self.env_key: Any = None
        self.graph = Graph()
        self.print_memo: dict[int, tuple[Page, bytes, bytes]] = {}  # id(item) -> (item, its fingerprints), kept between runs
        self.read_outlines: dict[str, tuple[bytes, bytes]] = {}  # content file -> (its key, outline_fingerprint of its Page as read)
        self.outline = b""
        self.cache: BuildCache | None = None
        self._loaded = False
        self._pages_dirty = False
        self._graph_dirty = False
        self.progress: Callable[[int, int], None] | None = None
        self.changed_keys: dict[Key, bytes] = {}
        self.addresses_checked: Any = None  # the plan's addresses when last found clean by check_paths and check_unique
        self.root_links_memo: dict[int, tuple[Page, tuple[str, ...]]] = {}  # id(page) -> (page, the site paths it links to)
        self.forced: set[str] = set()  # in memory: outputs rendered by `render_one` in a run not finished: render again
        self.tree: dict[str, tuple[int, int, int]] = {}  # the output folder's files when this run began
        self.folders: set[str] = set()  # and its real folders
        self._copied_memo: tuple[list[Copy], dict[str, tuple[str, tuple[int, int, int] | None]]] | None = None

    # stages -----------------------------------------------------------------------------------
    def run(self, changed: set[str] | None = None, output: Path | None = None) -> Run:
        """Bring the build up to date. `changed`: hub-relative paths edited since the last run (None: look at everything).

        `output` is the folder whose files earlier runs wrote (not in memory). Raises BuildFailed;
        what the driver knows is then as before the run."""
        collecting = gc.isenabled()
        gc.disable()  # a build makes millions of objects and few cycles: the collector would walk them again and again
        try:
            return self._run(changed, output)
        finally:
            if collecting:
                gc.enable()

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """The garbage collector off (as in `run`), for a part of a run done on its own."""
        collecting = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            if collecting:
                gc.enable()

    def page_key(self, raw: bytes) -> bytes:
        """What a content file's bytes are known by (with the settings they are read with)."""
        return hashlib.blake2b(raw, digest_size=16, person=self.read_settings[:16]).digest()

    def _run(self, changed: set[str] | None, output: Path | None) -> Run:
        prepared = self.prepare(changed, output)
        steps = self.finish(prepared)
        while True:
            try:
                next(steps)
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]

    def prepare(self, changed: set[str] | None, output: Path | None = None) -> Prepared:
        """The first stages of a run: settings, read, assemble, plan. Nothing rendered yet; what the driver
        kept from the last run is as it was, but for the pages read (which are the files' as they are now)."""
        self.profile = Profile()
        problems = Problems()
        with self.profile.stage("settings"):
            full = self._settings(changed, problems, output)
        with self.profile.stage("read"):
            self._read(None if full else changed, problems)
        with self.profile.stage("assemble"):
            site = self._assemble(problems)
        with self.profile.stage("plan"):
            from .pipeline import check_paths, check_root_links, check_unique, scan_pictures, withheld

            outputs, copies = plan(site, self.static or {})
            # The checks of the plan's addresses: found clean for these same addresses last time, clean again.
            addresses = (tuple([(o.url, o.source) for o in outputs]), tuple([(c.url, c.src) for c in copies]),
                         tuple(site.aliases.items()), site.config.root)
            checks, more_checks = Problems(), Problems()
            if addresses != self.addresses_checked:
                check_paths(site, outputs, copies, checks)
            problems.extend(checks)
            held = withheld(self.root, site, self.hidden, copies)  # files only unpublished items use stay off the site
            copies = [c for c in copies if c.url not in held]
            pictures = scan_pictures(site, outputs, copies, problems, self.picture_memo)
            self.pictures_digest = fingerprint(pictures)
            if addresses != self.addresses_checked or held:
                check_unique(outputs, copies, more_checks)
            if self._root_links_found(site, outputs, copies):
                check_root_links(site, outputs, copies, more_checks)
            problems.extend(more_checks)
            clean = not (checks.errors or checks.warnings or more_checks.errors or more_checks.warnings or held)
            self.addresses_checked = addresses if clean else None
        with self.profile.stage("check"):
            env = self._environment(site, changed, pictures)
            resolver = Resolver(site, env, self.settings, self.data_digest, self.pictures_digest, self.graph.calls, self._prints)
        return Prepared(site, outputs, copies, pictures, held, env, problems, output, resolver)

    def finish(self, prepared: Prepared, gentle: bool = False) -> Generator[None, None, Run]:
        """The rest of a run, in small steps (a generator; its return value is the Run): find the outputs
        to render, render them (but those `render_one` rendered already), keep what they read.
        `gentle`: the outputs are rendered in this process a few at a time, never all at once on every core.

        Left unfinished, it has changed nothing the driver keeps: the next run finds the same
        changes again (and renders again what `render_one` rendered: `forced`)."""
        site, outputs, env, problems = prepared.site, prepared.outputs, prepared.env, prepared.problems
        with self.profile.stage("check"):
            wanted, shapes = yield from self._stale(site, outputs, env, prepared.output, prepared.resolver, _files_of(prepared.copies))
        wanted = [i for i in wanted if output_file(outputs[i].url) not in prepared.rendered]
        rendered, records = dict(prepared.rendered), dict(prepared.records)
        with self.profile.stage("render"):
            if len(wanted) >= PARALLEL_FROM and not gentle:  # at once, on every core
                done, done_records = self._render(site, outputs, wanted, env, problems)
                rendered.update(done)
                records.update(done_records)
            else:  # in this process, a few at a time (starting workers would hold everything up for a while)
                for start in range(0, len(wanted), RENDER_STEP):
                    yield
                    done, done_records = self._render(site, outputs, wanted[start:start + RENDER_STEP], env, problems)
                    rendered.update(done)
                    records.update(done_records)
        problems.raise_if_any()
        yield
        with self.profile.stage("record"):
            gone = self._commit(outputs, shapes, rendered, records, prepared.resolver)
        self.forced.clear()  # every one planned was rendered again this run; the others are gone
        self.profile.outputs_rendered = len(rendered)
        self.profile.outputs_reused = len(outputs) - len(rendered)
        reused = [f for f in shapes if f not in rendered]
        return Run(site, outputs, prepared.copies, rendered, reused, gone, problems.warnings, prepared.pictures, prepared.held)

    def planned(self, prepared: Prepared) -> dict[str, int]:
        """Output file -> its index in the plan."""
        if prepared.planned is None:
            prepared.planned = {output_file(o.url): i for i, o in enumerate(prepared.outputs)}
        return prepared.planned

    def render_one(self, prepared: Prepared, file: str) -> bytes | None:
        """One output of a prepared run, up to date, before `finish` has looked at the others: rendered now
        when it is new or read something that changed, else as the last run left it. None: not made
        (or its template is broken: the error is noted in `prepared.errors`, and `finish` meets it again)."""
        index = self.planned(prepared).get(file)
        if index is None:
            return None
        if file in prepared.rendered:
            return prepared.rendered[file]
        output = prepared.outputs[index]
        record = self.graph.records.get(file)
        resolver = prepared.resolver
        if (record is not None and file in self.files and file not in self.forced
                and record.shape == fingerprint((output.url, output.template, output.render, output.context), prepared.shape_memo)
                and all(resolver.digest(key) == self.graph.digests.get(key) for key in record.keys)):
            return self.files[file]
        problems = Problems()
        rendered, records = self._render(prepared.site, prepared.outputs, [index], prepared.env, problems)
        if file not in rendered:
            prepared.errors.extend(problems.errors)
            return self.files.get(file)
        prepared.rendered[file] = self.files[file] = rendered[file]
        prepared.records[file] = records[file]
        self.forced.add(file)  # its bytes are the new site's, its record the old one's: until `finish` keeps it
        return rendered[file]

    def _root_links_found(self, site: Site, outputs: list[Output], copies: list[Copy]) -> bool:
        """Whether check_root_links would find a link from the site root (/files/plan.pdf) to nothing:
        each item's such links are kept between runs, and each address is looked up once."""
        memo = self.root_links_memo
        paths: set[str] = set()
        for page in site.by_url.values():
            known = memo.get(id(page))
            if known is None or known[0] is not page:
                known = memo[id(page)] = (page, tuple({link.target.split("#")[0].split("?")[0] for link in page.links if link.target.startswith("/")}))
            paths.update(known[1])
        if len(memo) > 2 * len(site.by_url):
            live = {id(p) for p in site.by_url.values()}
            self.root_links_memo = {k: v for k, v in memo.items() if k in live}
        if not paths:
            return False
        made = {o.url for o in outputs} | {c.url for c in copies}
        return any(path not in made and path.rstrip("/") + "/" not in made for path in paths)

    def _settings(self, changed: set[str] | None, problems: Problems, output: Path | None) -> bool:
        """Read site.yaml when needed; returns whether everything must be looked at again."""
        full = changed is None or "site.yaml" in changed or self.config is None
        if full:
            overrides = {"base_url": self.options.base_url} if self.options.base_url else {}
            try:
                self.config, self.search_off = search.settle(load_config(self.root, overrides))
            except BaseException:
                self.config = None  # until site.yaml reads again, nothing is built with the old settings
                raise
            yaml = (self.root / "site.yaml").read_bytes()
            self.settings = hashlib.blake2b(b"\0".join([ENGINE.encode(), yaml, repr(sorted(overrides.items())).encode(),
                                                        repr((self.options.drafts, self.options.future)).encode()]), digest_size=16).digest()
            config = self.config  # what reading one file depends on (pipeline.reading_settings)
            read_settings = fingerprint((ENGINE, config.timezone, config.vocabularies, config.markdown_extensions, config.schema))
            if read_settings != self.read_settings:
                self.pages, self.page_stats, self.read_outlines = {}, {}, {}  # read with other settings: read again
                self.csv_memo.clear()
                self.read_settings = read_settings
        assert self.config is not None
        problems.warnings.extend(self.config.warnings)
        if self.search_off and not self.in_memory:  # the dev server says it once, at the start
            problems.warn(None, None, self.search_off)
        if self.persistent and not self._loaded:
            self._loaded = True
            self.cache = BuildCache(self.config.cache_path, problems)
            self._load_cache(output)
        if self.graph.settings != self.settings:
            self.graph = Graph(settings=self.settings)
            self._graph_dirty = True
        return full

    def _load_cache(self, output: Path | None) -> None:
        assert self.cache is not None
        pages = self.cache.load_split("pages")
        if pages is not None and pages[0] == self.read_settings and len(pages[1]) == 3:
            self.pages, self.page_stats, self.read_outlines = pages[1]
        saved = self.cache.load_split("outputs")
        if saved is not None and isinstance(saved[0], dict) and len(saved[1]) == 3:
            graph = Graph(**saved[0])  # the same code saved it (cache.ENGINE)
            graph.records, graph.digests, graph.calls = saved[1]
            if graph.settings == self.settings and graph.output == str(output or ""):
                self.graph = graph
                self._graph_dirty = False

    def _read(self, changed: set[str] | None, problems: Problems) -> None:
        from .pipeline import reading_settings

        assert self.config is not None
        root = self.root
        if changed is None:
            page_paths, others = content.discover(root)
            self.content_files = {rel: (root / rel).stat().st_size for rel in others}
            self._static(problems)
            self.data = None
            self._pages_dirty |= bool(set(self.pages) - set(page_paths))
            self.pages = {rel: self.pages[rel] for rel in page_paths if rel in self.pages}
            todo = page_paths
        else:
            todo = []
            for rel in sorted(changed):
                top = rel.split("/", 1)[0]
                path = root / rel
                if top == "content" and rel.endswith(".md") and not content.IGNORED.search(rel):
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
        settings = reading_settings(self.config)
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
                    self.profile.pages_cached += 1  # the same file, untouched since it was read (as git and make judge)
                    continue
                with open(file_path, "rb") as file:
                    raw = file.read()
            except FileNotFoundError:
                self.pages.pop(rel, None)
                continue
            except OSError as exc:  # not readable: an error about the file, read again next time
                unreadable = Problems()
                unreadable.errors.append(content.unreadable(rel, exc))
                self.pages[rel] = (b"", None, unreadable)
                self.page_stats.pop(rel, None)
                continue
            key = keys[rel] = self.page_key(raw)
            stats[rel] = stat
            self._pages_dirty = True
            if known is not None and known[0] == key:
                self.profile.pages_cached += 1
            else:
                missing.append((rel, raw))
        for rel, page, page_problems in in_parallel(settings, _read_chunk, missing, self.jobs):
            self.pages[rel] = (keys[rel], page, page_problems)
        self.profile.pages_read = len(missing)
        self._pages_dirty |= bool(missing)
        if self.data is None:
            self.data = data.load_data(root)
            self.data_digest = fingerprint((self.data[1], [str(e) for e in self.data[2].errors]))

    def _static(self, problems: Problems) -> None:
        """Site path -> file copied as it is: the browser editor's, the theme's, the hub's static/ (which wins)."""
        from .outputs.admin import editor_files
        from .pipeline import static_files

        assert self.config is not None
        writes = bool(getattr(self.options, "write", False)) and not self.in_memory
        self.static = {**editor_files(self.config, writes, problems if writes else None), **static_files(self.root)}
        self.static_sizes = {url: path.stat().st_size for url, path in self.static.items()}

    def _assemble(self, problems: Problems) -> Site:
        from .pipeline import add_csv_schools, build_moment, reading_settings

        assert self.config is not None and self.data is not None and self.content_files is not None
        config = self.config
        data_files, data_texts, data_problems = self.data
        problems.extend(data_problems)
        pages = []
        unreadable = set()
        for rel, (_, page, page_problems) in self.pages.items():
            problems.extend(page_problems)
            if page is None:
                unreadable.add(rel)
            else:
                pages.append(page)
        unreadable |= add_csv_schools(pages, data_texts, reading_settings(config), problems, self.csv_memo)
        now = (self.options.now or build_moment(config)).astimezone(config.tz)
        site, site_problems = assemble(Inputs(
            config=config, pages=pages, content_files=self.content_files, static_files=self.static_sizes,
            data=data_files, now=now, unreadable=frozenset(unreadable),
            drafts=self.options.drafts, future=self.options.future, link_cache=self.link_cache,
        ))
        problems.extend(site_problems)
        schema = config.schema
        self.hidden = [p for p in pages if not p.broken and not is_published(p, schema.kind(p.kind), now, self.options.drafts, self.options.future)]
        return site

    def _environment(self, site: Site, changed: set[str] | None, pictures: images.Pictures) -> Environment:
        """The Jinja environment: made again when a template, the site's addresses or its pictures change
        (compiled templates are kept otherwise)."""
        assert self.config is not None
        key = (site.urls, self.settings, self.pictures_digest)
        if self.env is None or changed is None or key != self.env_key or any(rel.startswith("templates/") for rel in changed):
            self.env, self.env_key = make_environment(self.root, site.urls, self.config, pictures, self._compiled()), key
        return self.env

    def _compiled(self) -> Path | None:
        """The folder of the build cache that keeps compiled templates, for this version of sitegen and
        Jinja (the compiled code depends on both); None for a run that saves no cache."""
        if not (self.persistent and self.save and self.cache is not None):
            return None
        folder = self.cache.folder / "templates" / f"{ENGINE[:16]}-{jinja2.__version__}"
        if not folder.is_dir():
            try:
                if folder.parent.is_dir():
                    for old in folder.parent.iterdir():  # made by another version
                        shutil.rmtree(old, ignore_errors=True)
                folder.mkdir(parents=True)
            except OSError:
                return None
        return folder

    def _stale(self, site: Site, outputs: list[Output], env: Environment, output: Path | None,
               resolver: Resolver, copied: set[str]) -> Generator[None, None, tuple[list[int], dict[str, bytes]]]:
        """The outputs to render: new ones, those whose plan changed, those that read something that changed,
        and those whose file from the last run is not there as it was written (or was a hub's own file,
        copied over it then but not now: `copied` are the files copied now), or that `render_one` made
        in a run that was not finished."""
        graph = self.graph
        live = {id(p) for p in site.by_url.values()}
        self.print_memo = {k: v for k, v in self.print_memo.items() if k in live}
        outline = self._outline(site)
        files = [output_file(o.url) for o in outputs]
        if outline == graph.outline and len(files) == len(graph.records) and all(f in graph.records for f in files):
            # Only the text of items changed (or nothing did). The plan and the site's lists and queries
            # are sitegen's own code, which never reads an item's text: they are as before.
            shapes = {f: graph.records[f].shape for f in files}
            changed_keys = yield from self._changed_keys(resolver, queries=False)
        else:
            memo: dict[int, tuple[Any, bytes]] = {}
            shapes = {}
            for n, (f, o) in enumerate(zip(files, outputs, strict=True)):
                if n % CHECK_STEP == CHECK_STEP - 1:
                    yield
                shapes[f] = fingerprint((o.url, o.template, o.render, o.context), memo)
            changed_keys = yield from self._changed_keys(resolver)
        self.changed_keys = changed_keys
        self.outline = outline
        dirty = graph.reading(changed_keys)
        self.folders = set()
        self.tree = _tree(output, self.folders) if output is not None and not self.in_memory and graph.records else {}
        wanted = []
        for i, o in enumerate(outputs):
            if i % (CHECK_STEP * 4) == CHECK_STEP * 4 - 1:
                yield
            file = output_file(o.url)
            record = graph.records.get(file)
            if (record is None or record.shape != shapes[file] or file in dirty or file in self.forced or not self._kept(file, record)
                    or (file in graph.copied and file not in copied)):
                wanted.append(i)
        return wanted, shapes

    def _outline(self, site: Site) -> bytes:
        """A fingerprint of everything but the items' text: the settings, the moment, the other files'
        sizes, the data, and each item without its text."""
        parts = [url.encode() + self._prints(page)[1] for url, page in site.by_url.items()]
        world = fingerprint((self.settings, self.data_digest, site.now, self.static_sizes, self.content_files))
        return hashlib.blake2b(world + b"".join(parts), digest_size=16).digest()

    def _prints(self, page: Page) -> tuple[bytes, bytes]:
        """The item's fingerprints: of all of it (item_fingerprint), and of all but its text (outline_fingerprint).

        Not the same bytes as those functions give, but as telling, and cheaper: an item is the Page its file
        was read as (which the file's path and key determine, see _read) with what assemble() changed in it
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
                self._pages_dirty = True
            changed = tuple((name, value) for name in PAGE_FIELDS if (value := getattr(page, name)) is not getattr(read, name))
            item = _hash(b"read\0" + key + page.source.encode() + b"\0" + pickle.dumps(changed, protocol=5))
            outline = _hash(b"read\0" + base[1] + pickle.dumps(tuple(c for c in changed if c[0] not in TEXT_FIELDS), protocol=5))
        self.print_memo[id(page)] = (page, item, outline)
        return item, outline

    def _changed_keys(self, resolver: Resolver, queries: bool = True) -> Generator[None, None, dict[Key, bytes]]:
        """Keys whose fingerprint is not what it was: checked item by item, and a whole item is
        skipped when nothing about it changed. Without `queries`, the site's lists and queries are
        known to be as before."""
        graph = self.graph
        by_item: dict[str, list[Key]] = defaultdict(list)
        others = []
        for n, key in enumerate(graph.digests):
            if n % (CHECK_STEP * 20) == CHECK_STEP * 20 - 1:
                yield
            if key[0] in ("i", "f"):
                by_item[key[1]].append(key)
            else:
                others.append(key)
        changed: dict[Key, bytes] = {}
        for n, (url, keys) in enumerate(by_item.items()):
            if n % CHECK_STEP == CHECK_STEP - 1:
                yield
            now = resolver.item(url)
            if now is not None and now == graph.items.get(url):
                continue
            for key in keys:
                digest = resolver.digest(key)
                if digest != graph.digests[key]:
                    changed[key] = digest
        for n, key in enumerate(others):
            if not queries and key[0] in ("c", "a"):
                continue
            if n % CHECK_STEP == CHECK_STEP - 1:
                yield
            digest = resolver.digest(key)
            if digest != graph.digests[key]:
                changed[key] = digest
        return changed

    def _kept(self, file: str, record: Record) -> bool:
        """Whether the output's file from the last run is still there as it was written."""
        if self.in_memory:
            return file in self.files
        return record.stat is not None and self.tree.get(file) == record.stat

    def _render(self, site: Site, outputs: list[Output], wanted: list[int], env: Environment,
                problems: Problems) -> tuple[dict[str, bytes], dict[str, tuple[Any, Any]]]:
        """Render the wanted outputs; a broken template is reported once, not once per page."""
        from .pipeline import _check_templates

        missing = _check_templates([outputs[i] for i in wanted], env, problems)
        todo = [i for i in wanted if outputs[i].template not in missing]
        rendered: dict[str, bytes] = {}
        records: dict[str, tuple[Any, Any]] = {}
        seen: set[str] = set()
        timings = self.profile.templates
        for done, (i, body, error, keys, calls, seconds) in enumerate(in_parallel((outputs, site, env), _render_chunk, todo, self.jobs), 1):
            if self.progress and done % 100 == 0:
                self.progress(done, len(todo))
            output = outputs[i]
            if error is not None:
                if str(error) not in seen:
                    seen.add(str(error))
                    problems.errors.append(error)
                continue
            file = output_file(output.url)
            rendered[file] = body
            records[file] = (keys, calls)
            name = output.template or getattr(output.render, "__name__", "?")
            timing = timings.setdefault(name, [0, 0.0])
            timing[0] += 1
            timing[1] += seconds
        return rendered, records

    def _commit(self, outputs: list[Output], shapes: dict[str, bytes], rendered: dict[str, bytes],
                records: dict[str, tuple[Any, Any]], resolver: Resolver) -> set[str]:
        """The run succeeded: keep what it found out. Returns the output files no longer made."""
        graph = self.graph
        self._graph_dirty |= bool(records or self.changed_keys) or graph.outline != self.outline
        graph.outline = self.outline
        graph.digests.update(self.changed_keys)
        interned: dict[Key, Key] = {}
        unread: set[Key] = set()  # keys that outputs rendered again or gone read before: some may be read by no output now
        for file, (keys, calls) in records.items():
            old = graph.records.get(file)
            if old is not None:
                unread |= old.keys
            graph.calls.update(calls)
            keys = frozenset(interned.setdefault(k, k) for k in keys)
            for key in keys:
                if key not in graph.digests:
                    graph.digests[key] = resolver.digest(key)
            graph.records[file] = Record(shapes[file], keys)
        gone = (set(graph.records) | set(self.files)) - set(shapes)
        self._graph_dirty |= bool(gone)
        for file in gone:
            if file in graph.records:
                unread |= graph.records.pop(file).keys
            self.files.pop(file, None)
        for file, record in graph.records.items():
            if file not in rendered and record.shape != shapes[file]:
                graph.records[file] = dataclasses.replace(record, shape=shapes[file])
                self._graph_dirty = True
        if unread:
            read: set[Key] = set()
            for record in graph.records.values():
                read |= record.keys & unread
            for key in unread - read:  # read by no output any more
                graph.digests.pop(key, None)
                graph.calls.pop(key, None)
        urls = {key[1] for key in graph.digests if key[0] in ("i", "f")}
        items = {url: d for url in urls if (d := resolver.item(url)) is not None}
        self._graph_dirty |= items != graph.items
        graph.items = items
        if self.in_memory:
            self.files.update(rendered)
        return gone

    # the persistent cache ---------------------------------------------------------------------
    def up_to_date(self, output: Path, run: Run, copies: list[Copy]) -> bool:
        """Whether the output folder is already exactly what this run would write: nothing rendered or
        gone, every file in it as the last build left it, and every copied file's source untouched.
        Then there is nothing to write (and nothing to get half-written)."""
        graph = self.graph
        if run.rendered or run.gone or not graph.tree or graph.output != str(output):
            return False
        if self._copied(copies) != graph.copied or self.tree != graph.tree:  # the folder as found before rendering
            return False
        try:
            for copy in copies:  # still readable (their permissions may have changed): else writing says which is not
                os.close(os.open(copy.src, os.O_RDONLY))
        except OSError:
            return False
        return True

    def can_update(self, output: Path) -> bool:
        """Whether the output folder holds a site this driver's records describe, which can be
        brought up to date in place (writer.update_site) rather than written whole."""
        graph = self.graph
        return bool(graph.tree) and bool(self.tree) and graph.output == str(output) and MARKER in self.tree

    def copies_to_put(self, copies: list[Copy]) -> list[Copy]:
        """The copied files that are not in the output folder as the last build copied them (from the
        same source, untouched since), or whose source cannot be read now (writing then says so)."""
        graph, tree, copied = self.graph, self.tree, self._copied(copies)
        todo = []
        for copy in copies:
            file = output_file(copy.url)
            if copied[file] != graph.copied.get(file) or file not in tree or tree[file] != graph.tree.get(file):
                todo.append(copy)
                continue
            try:
                os.close(os.open(copy.src, os.O_RDONLY))
            except OSError:
                todo.append(copy)
        return todo

    def _copied(self, copies: list[Copy]) -> dict[str, tuple[str, tuple[int, int, int] | None]]:
        """Copied file -> (its source, the source's stat), worked out once per run."""
        if self._copied_memo is None or self._copied_memo[0] is not copies:
            self._copied_memo = (copies, {output_file(c.url): (str(c.src), _stat(c.src)) for c in copies})
        return self._copied_memo[1]

    def written(self, output: Path, copies: list[Copy], changes: tuple[list[str], list[str]] | None = None) -> None:
        """The output folder now holds every output: note each file as written. `changes` are the
        files (put in place, removed) when only those changed since the folder was looked at."""
        graph = self.graph
        if changes is None:
            tree = _tree(output)
        else:
            tree = dict(self.tree)
            put, removed = changes
            for file in removed:
                tree.pop(file, None)
            for file in put:
                st = os.lstat(os.path.join(output, file))
                tree[file] = (st.st_ino, st.st_size, st.st_mtime_ns)
        copied = self._copied(copies)
        self._graph_dirty |= tree != graph.tree or copied != graph.copied
        graph.tree, graph.copied = tree, copied
        self._graph_dirty |= graph.output != str(output)
        graph.output = str(output)
        for file, record in graph.records.items():
            if record.stat != tree.get(file):
                graph.records[file] = dataclasses.replace(record, stat=tree.get(file))

    def save_cache(self, outputs: bool = False) -> None:
        if not (self.persistent and self.save and self.cache is not None):
            return
        with self.profile.stage("cache"):
            if self._pages_dirty:
                pages = self.pages
                self.read_outlines = {rel: known for rel, known in self.read_outlines.items() if rel in pages and pages[rel][0] == known[0]}
                self.cache.save_split("pages", self.read_settings, [pages, self.page_stats, self.read_outlines])
                self._pages_dirty = False
            if outputs and self._graph_dirty:
                graph = self.graph
                header = {name: getattr(graph, name) for name in ("settings", "output", "items", "outline", "tree", "copied")}
                self.cache.save_split("outputs", header, [graph.records, graph.digests, graph.calls])
                self._graph_dirty = False

    def bytes_of(self, file: str, output: Path | None) -> bytes:
        """An output's bytes from the last run (memory or output folder)."""
        if self.in_memory:
            return self.files[file]
        assert output is not None
        return (output / file).read_bytes()
