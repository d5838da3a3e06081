"""The build driver: every stage of a build in order, and what each kept from the last run.

    settings  site.yaml -> Config                                   inputs.Reader
    read      content/**.md -> Page     kept by file content + settings + engine; parallel
    assemble  [Page] -> Site            cheap: every run
    plan      Site -> [Output], [Copy]  cheap: every run (outputs/)
    check     which outputs read something that changed              staleness.Tracker, graph.py
    render    Output -> bytes           pure: only those outputs; parallel (render/, parallel.py)
    record    what each rendered output read, for the next run
    write     staged whole and swapped in, or only what changed      api.build, writer.py, folder.py

`sitegen build` and `check` run a driver once, with the persistent cache (cache.py);
`sitegen serve` keeps one alive in memory and runs it after every save (serve/rebuild.py),
in two parts: `prepare` (settings to plan), after which a page asked for is brought up to
date alone (`render_one`), and `finish` (check, render, record), done a step at a time.
"""

from __future__ import annotations

import gc
import shutil
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from ..core.engine import ENGINE
from ..core.errors import Problems, SitegenError
from ..core.urls import output_file
from ..media.pictures import Pictures
from ..model.site import Site
from ..outputs.checks import check_paths, check_root_links, check_unique
from ..outputs.files import scan_pictures
from ..outputs.output import Copy, Output
from ..outputs.plan import plan
from ..outputs.unpublished import withheld
from ..render.environment import Environment, make_environment
from ..render.render import check_templates
from .cache import BuildCache
from .folder import OutputFolder, files_of
from .graph import Resolver, pictures_fingerprint
from .inputs import Reader
from .parallel import PARALLEL_FROM, available_cores, in_parallel, render_chunk
from .profile import Profile
from .spool import Rendered
from .staleness import Tracker

RENDER_STEP = 2  # `finish` gives way after rendering this many outputs in this process


@dataclass
class Prepared:
    """A run up to its plan (Driver.prepare), and what `render_one` rendered of it so far."""

    site: Site
    outputs: list[Output]
    copies: list[Copy]
    pictures: Pictures
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
    rendered: Rendered  # output file -> bytes (spooled by `build`), for the outputs rendered this run
    reused: list[str]  # output files taken from the last run as they were
    gone: set[str]  # output files of the last run that are no longer made
    warnings: list[SitegenError]
    pictures: Pictures  # the sizes of the hub's pictures, as templates saw them
    held_back: dict[str, str]  # site path of a file left out -> the unpublished item using it


class Driver:
    """Runs the stages of a build, keeping what each made so the next run can reuse it.

    In memory (`sitegen serve`) the rendered bytes are kept in `files`; otherwise (`build`, `check`)
    they are in the output folder, and what the driver knows is kept in the persistent cache."""

    def __init__(self, root: Path, options: Any, jobs: int | None = None, in_memory: bool = False,
                 persistent: bool = True, save: bool = True):
        self.root = root.resolve()
        self.jobs = jobs or available_cores()
        self.in_memory = in_memory
        self.persistent = persistent
        self.save = save  # False for `check`, which writes nothing
        self.reader = Reader(self.root, options, self.jobs, in_memory)
        self.tracker = Tracker()
        self.folder = OutputFolder(self.root)
        self.profile = Profile()
        self.files: dict[str, bytes] = {}  # in memory: output file -> bytes
        self.spool: Path | None = None  # not in memory: where outputs are written as they are rendered (spool.py)
        self.cache: BuildCache | None = None
        self.env: Environment | None = None
        self.env_key: Any = None
        self.picture_memo: dict[tuple[str, int, int], object] = {}  # picture headers, by file, size and time
        self.addresses_checked: Any = None  # the plan's addresses when last found clean by check_paths and check_unique
        self.root_links_memo: dict[int, tuple[Any, tuple[str, ...]]] = {}  # id(item) -> (item, the site paths it links to)
        self.progress: Callable[[int, int], None] | None = None

    def run(self, changed: set[str] | None = None, output: Path | None = None) -> Run:
        """Bring the build up to date. `changed`: hub-relative paths edited since the last run (None: look at everything).

        `output` is the folder whose files earlier runs wrote (not in memory). Raises BuildFailed;
        what the driver knows is then as before the run."""
        with self.quiet():
            steps = self.finish(self.prepare(changed, output))
            while True:
                try:
                    next(steps)
                except StopIteration as done:
                    return done.value  # type: ignore[no-any-return]

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """The garbage collector off: a build makes millions of objects and few cycles, which it would walk again and again."""
        collecting = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            if collecting:
                gc.enable()

    def prepare(self, changed: set[str] | None, output: Path | None = None) -> Prepared:
        """The first stages of a run: settings, read, assemble, plan. Nothing rendered yet; what the driver
        kept from the last run is as it was, but for the pages read (which are the files' as they are now)."""
        self.profile = profile = Profile()
        problems = Problems()
        reader = self.reader
        with profile.stage("settings"):
            full = reader.read_settings_file(changed)
            assert reader.config is not None
            problems.warnings.extend(reader.config.warnings)
            if reader.search_off and not self.in_memory:  # the dev server says it once, at the start
                problems.warn(None, None, reader.search_off)
            if self.persistent and self.cache is None:
                self.cache = BuildCache(reader.config.cache_path, problems)
                reader.load(self.cache)
                self.tracker.load(self.cache, reader.settings, self.folder.key(output))
            self.tracker.settle(reader.settings)
        with profile.stage("read"):
            reader.read(None if full else changed, problems, profile)
        with profile.stage("assemble"):
            site = reader.assemble(problems)
        with profile.stage("plan"):
            outputs, copies = plan(site, reader.static or {})
            copies, pictures, held = self._check_plan(site, outputs, copies, problems)
        with profile.stage("check"):
            pictures_digest = pictures_fingerprint(pictures)
            env = self._environment(site, changed, pictures, pictures_digest)
            resolver = Resolver(site, env, reader.settings, reader.data_digest, pictures_digest, self.tracker.graph.calls, reader.prints)
        return Prepared(site, outputs, copies, pictures, held, env, problems, output, resolver)

    def _check_plan(self, site: Site, outputs: list[Output], copies: list[Copy], problems: Problems) -> tuple[list[Copy], Pictures, dict[str, str]]:
        """The checks of the plan's addresses (found clean for these same addresses last time: clean again),
        the files only unpublished items use (left off the site), and the pictures' sizes."""
        addresses = (tuple([(o.url, o.source) for o in outputs]), tuple([(c.url, c.src) for c in copies]),
                     tuple(site.aliases.items()), site.config.root)
        checks, more_checks = Problems(), Problems()
        if addresses != self.addresses_checked:
            check_paths(site, outputs, copies, checks)
        problems.extend(checks)
        held = withheld(self.root, site, self.reader.hidden, copies)
        copies = [c for c in copies if c.url not in held]
        pictures = scan_pictures(site, outputs, copies, problems, self.picture_memo)
        if addresses != self.addresses_checked or held:
            check_unique(outputs, copies, more_checks)
        if self._root_links_found(site, outputs, copies):
            check_root_links(site, outputs, copies, more_checks)
        problems.extend(more_checks)
        clean = not (checks.errors or checks.warnings or more_checks.errors or more_checks.warnings or held)
        self.addresses_checked = addresses if clean else None
        return copies, pictures, held

    def finish(self, prepared: Prepared, gentle: bool = False) -> Generator[None, None, Run]:
        """The rest of a run, in small steps (a generator; its return value is the Run): find the outputs
        to render, render them (but those `render_one` rendered already), keep what they read.
        `gentle`: the outputs are rendered in this process a few at a time, never all at once on every core.

        Left unfinished, it has changed nothing the driver keeps: the next run finds the same
        changes again (and renders again what `render_one` rendered: `forced`)."""
        site, outputs, env, problems = prepared.site, prepared.outputs, prepared.env, prepared.problems
        with self.profile.stage("check"):
            on_disk = prepared.output is not None and not self.in_memory and bool(self.tracker.graph.records)
            self.folder.look(prepared.output if on_disk else None)
            kept = self.folder.kept if not self.in_memory else (lambda file, record: file in self.files)
            outline = self.reader.outline(site)
            wanted, shapes = yield from self.tracker.stale(outputs, outline, prepared.resolver, kept, files_of(prepared.copies))
        wanted = [i for i in wanted if output_file(outputs[i].url) not in prepared.rendered]
        rendered, records = Rendered(None if self.in_memory else self.spool), dict(prepared.records)
        for file, body in prepared.rendered.items():
            rendered.add(file, body)
        with self.profile.stage("render"):
            at_once = len(wanted) >= PARALLEL_FROM and not gentle  # on every core
            # else in this process, a few at a time (starting workers would hold everything up for a while)
            for step in [wanted] if at_once else [wanted[n:n + RENDER_STEP] for n in range(0, len(wanted), RENDER_STEP)]:
                if not at_once:
                    yield
                records.update(self._render(site, outputs, step, env, problems, rendered))
        problems.raise_if_any()
        yield
        with self.profile.stage("record"):
            gone = self.tracker.commit(shapes, rendered.digests, records, prepared.resolver, set(self.files))
            for file in gone:
                self.files.pop(file, None)
            if self.in_memory:
                self.files.update(rendered)
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
        record = self.tracker.graph.records.get(file)
        if file in self.files and file not in self.tracker.forced and self.tracker.up_to_date(record, output, prepared.resolver, prepared.shape_memo):
            return self.files[file]
        problems = Problems()
        rendered = Rendered()
        records = self._render(prepared.site, prepared.outputs, [index], prepared.env, problems, rendered)
        if file not in rendered:
            prepared.errors.extend(problems.errors)
            return self.files.get(file)
        prepared.rendered[file] = self.files[file] = rendered[file]
        prepared.records[file] = records[file]
        self.tracker.forced.add(file)  # its bytes are the new site's, its record the old one's: until `finish` keeps it
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

    def _environment(self, site: Site, changed: set[str] | None, pictures: Pictures, pictures_digest: bytes) -> Environment:
        """The Jinja environment: made again when a template, the site's addresses or its pictures change
        (compiled templates are kept otherwise)."""
        config = self.reader.config
        assert config is not None
        key = (site.urls, self.reader.settings, pictures_digest)
        if self.env is None or changed is None or key != self.env_key or any(rel.startswith("templates/") for rel in changed):
            self.env, self.env_key = make_environment(self.root, site.urls, config, pictures, self._compiled()), key
        return self.env

    def _compiled(self) -> Path | None:
        """The folder of the build cache that keeps compiled templates, for this version of sitegen and
        Jinja (the compiled code depends on both); None for a run that saves no cache."""
        if not (self.persistent and self.save and self.cache is not None):
            return None
        folder = self.cache.folder / "templates" / f"{ENGINE[:16]}-{jinja2.__version__}"
        try:  # a folder that cannot be read or written: templates compiled afresh
            if not folder.is_dir():
                if folder.parent.is_dir():
                    for old in folder.parent.iterdir():  # made by another version
                        shutil.rmtree(old, ignore_errors=True)
                folder.mkdir(parents=True)
            probe = folder / ".probe"  # Jinja must be able to write there
            probe.touch()
            probe.unlink()
        except OSError:
            return None
        return folder

    def _render(self, site: Site, outputs: list[Output], wanted: list[int], env: Environment,
                problems: Problems, rendered: Rendered) -> dict[str, tuple[Any, Any]]:
        """Render the wanted outputs into `rendered`; returns what each read. A broken template is reported once, not once per page."""
        missing = check_templates([outputs[i] for i in wanted], env, problems)
        todo = [i for i in wanted if outputs[i].template not in missing]
        records: dict[str, tuple[Any, Any]] = {}
        seen: set[str] = set()
        one: dict[Any, Any] = {}  # each key (and each item's address) as one object, however many outputs read it
        work = (outputs, site, env, rendered.folder)
        for done, (i, body, body_digest, marked, error, keys, calls, seconds) in enumerate(in_parallel(work, render_chunk, todo, self.jobs), 1):
            if self.progress and done % 100 == 0:
                self.progress(done, len(todo))
            output = outputs[i]
            if error is not None:
                if str(error) not in seen:
                    seen.add(str(error))
                    problems.errors.append(error)
                continue
            file = output_file(output.url)
            if isinstance(body, bytes):
                rendered.add(file, body)
            else:
                assert isinstance(body, str)
                rendered.add_spooled(file, body, body_digest, marked)
            records[file] = (tuple([_shared(key, one) for key in keys]), calls)
            self.profile.rendered(output.template or getattr(output.render, "__name__", "?"), seconds)
        return records

    def written(self, output: Path, copies: list[Copy], changes: tuple[list[str], list[str]] | None = None) -> None:
        """The output folder now holds every output (see folder.OutputFolder.written)."""
        self.tracker.dirty |= self.folder.written(output, copies, self.tracker.graph, changes)

    def save_cache(self, outputs: bool = False) -> None:
        """Keep what was read (and, with `outputs`, the dependency graph) in the persistent cache."""
        if not (self.persistent and self.save and self.cache is not None):
            return
        with self.profile.stage("cache"):
            self.reader.save(self.cache)
            if outputs:
                self.tracker.save(self.cache)

    def bytes_of(self, file: str, output: Path | None) -> bytes:
        """An output's bytes from the last run (memory or output folder)."""
        if self.in_memory:
            return self.files[file]
        assert output is not None
        return (output / file).read_bytes()


def _shared(key: Any, one: dict[Any, Any]) -> Any:
    """`key` as the one object of its value in `one`, and an item's address in it too: each output's keys come from
    a worker as objects of their own, which thousands of outputs' records would otherwise hold copies of."""
    found = one.get(key)
    if found is None:
        found = one[key] = (key[0], one.setdefault(key[1], key[1]), *key[2:]) if key[0] in ("i", "f") else key
    return found
