"""Rebuilding after an edit, in memory, for `sitegen serve`.

The build driver (builder/driver.py) does the work: it re-reads only the files that changed,
assembles and plans the site again (cheap), and renders only the outputs that read
something the edit changed, as recorded when they last rendered. This module turns the
watcher's paths into the driver's, and keeps what the dev server serves: the rendered
files in memory, and the files to send as they are (pictures processed into the cache).

The dev server rebuilds lazily: `rebuild(..., lazy=True)` stops once the site is planned (a
tenth of a second for 5,000 items, whatever the edit), the browser reloads, `get` renders a
page asked for if it read something that changed, and `step` does the rest a little at a time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..builder.api import BuildOptions
from ..builder.driver import Driver, Prepared, Run
from ..config.siteyaml import Config
from ..content.discover import IGNORED
from ..content.hubcheck import check_hub
from ..core.errors import BuildFailed, SitegenError
from ..core.urls import output_file
from ..media.pictures import Picture
from ..media.process import materialise
from ..outputs.files import processed


@dataclass
class Rebuilt:
    seconds: float
    rendered: int  # outputs rendered this time
    changed: set[str]  # output files whose bytes changed (or that appeared or went)
    errors: list[SitegenError] = field(default_factory=list)
    warnings: list[SitegenError] = field(default_factory=list)
    pending: bool = False  # lazy: read, assembled and planned; the rest is left to Rebuilder.get and step
    ready: float | None = None  # lazy: seconds until the pages could be asked for (`seconds`: until all was done)


def internal(exc: Exception) -> SitegenError:
    return SitegenError(f"sitegen: internal error ({type(exc).__name__}: {exc}); a bug in sitegen, not in your files")


class Rebuilder:
    """Holds the last build in memory and brings it up to date after edits."""

    def __init__(self, root: Path, options: BuildOptions):
        self.root = root.resolve()
        self.options = options
        # The persistent cache speeds up the first build; the dev server never writes it.
        self.driver = Driver(self.root, options, jobs=options.jobs, in_memory=True, persistent=options.cache, save=False)
        self.copies: dict[str, Path] = {}  # output file -> source file, served as it is
        self.errors: list[SitegenError] = []
        self._made: dict[Picture, dict[str, Path]] = {}  # each picture's processed files, in the cache
        self._hub_errors: list[SitegenError] = []
        self._lock = threading.Lock()
        self._waiting_lock = threading.Lock()
        self._waiting = 0  # callers other than background work waiting for the lock
        self.pending: Prepared | None = None  # a lazy rebuild, not finished
        self._steps: Generator[None, None, Run] | None = None  # what is left of it
        self._before: dict[str, bytes] = {}  # the output files as the last finished rebuild left them
        self._copies_changed: set[str] = set()  # copied files changed since then
        self._started = 0.0
        self._ready: float | None = None

    @property
    def files(self) -> dict[str, bytes]:
        """Output file -> bytes, as served."""
        return self.driver.files

    @property
    def _config(self) -> Config | None:
        return self.driver.reader.config

    @property
    def search_off(self) -> str | None:
        return self.driver.reader.search_off

    def rebuild(self, changed: set[Path] | None = None, lazy: bool = False) -> Rebuilt:
        """Bring the build up to date with the files in `changed` (None: everything). One rebuild at a
        time: the watcher's and any other caller's wait for each other.

        `lazy`: only read, assemble and plan now (Rebuilt.pending); `get` then renders a file asked
        for when it changed, and `step` (or `settle`) does the rest of the work, a little at a time."""
        with self._turn():
            return self._rebuild(changed, lazy)

    def get(self, file: str) -> bytes | None:
        """An output file's bytes as the site is now, rendered first if a lazy rebuild changed it. None: not made."""
        if self.pending is None:
            return self.files.get(file)
        with self._turn():
            prepared = self.pending
            if prepared is None:
                return self.files.get(file)
            try:
                with self.driver.quiet():
                    body = self.driver.render_one(prepared, file)
            except Exception as exc:  # noqa: BLE001 - a bug in sitegen: shown like an error; the server keeps going
                prepared.errors.append(internal(exc))
                body = self.files.get(file)
            if prepared.errors:
                self.errors = list(prepared.errors)
            return body

    def has(self, file: str) -> bool:
        """Whether the site now has this output file."""
        prepared = self.pending
        return file in self.driver.planned(prepared) if prepared is not None else file in self.files

    def step(self) -> Rebuilt | None:
        """Do a little of what a lazy rebuild left to do; the Rebuilt once it is all done, else None."""
        if self._steps is None:
            return None
        with self._turn(background=True):
            return self._step()

    def _step(self) -> Rebuilt | None:
        steps = self._steps
        if steps is None:
            return None
        try:
            with self.driver.quiet():
                next(steps)
            return None
        except StopIteration as done:
            return self._finished(done.value)
        except Exception as exc:  # noqa: BLE001 - see _failed_on
            return self._failed_on(exc)

    def warm(self) -> None:
        """Compile every template here, one at a time in turn with other work: the first build compiled
        them in its workers, and the first page asked for after an edit would wait for it."""
        env = self.driver.env
        names = env.list_templates(filter_func=lambda name: name.endswith((".html", ".xml"))) if env is not None else []
        for name in names:
            with self._turn(background=True):
                if self.driver.env is not env:  # made again meanwhile (a template edited): it compiles its own
                    return
                try:
                    env.get_template(name)  # type: ignore[union-attr]
                except Exception:  # noqa: BLE001 - a broken template is reported by the pages that use it
                    continue

    def settle(self) -> Rebuilt | None:
        """Finish what a lazy rebuild left to do; its Rebuilt (None if nothing was left)."""
        result = None
        while self._steps is not None:
            result = self.step() or result
        return result

    @contextmanager
    def _turn(self, background: bool = False) -> Iterator[None]:
        """The lock, taken in turn; `background` work waits while anyone else wants it."""
        if background:
            while self._waiting:
                time.sleep(0.001)
            self._lock.acquire()
        else:
            with self._waiting_lock:
                self._waiting += 1
            try:
                self._lock.acquire()
            finally:
                with self._waiting_lock:
                    self._waiting -= 1
        try:
            yield
        finally:
            self._lock.release()

    def _rebuild(self, changed: set[Path] | None, lazy: bool) -> Rebuilt:
        started = time.perf_counter()
        rels = None if changed is None else {rel for path in changed if (rel := self._relative(path)) is not None}
        if rels is not None and (rels & {"site.yaml", "content", "templates", "static", "data", "locale"} or any(r.startswith("locale/") for r in rels)):
            rels = None  # site.yaml, a translation of the theme, or a whole folder (content/ renamed...): look at everything again
        if changed and rels and len(rels) == len(changed) and self.driver.reader.config is not None and self._unchanged(rels):
            return Rebuilt(time.perf_counter() - started, 0, set())
        if self.pending is not None:  # a lazy rebuild not finished: this one takes over from it
            self.pending = self._steps = None
        else:
            self._before = dict(self.driver.files)
        self._started, self._ready = started, None
        try:
            with self.driver.quiet():
                self._check_hub(changed)
                prepared = self.driver.prepare(rels)
                if prepared.problems.errors:  # rendered all the same, for the templates' errors too; then reported
                    self.pending, self._steps = prepared, self.driver.finish(prepared)
                    return self._settle_here()
                pictures = prepared.pictures
                made, image_problems = materialise([p for p in pictures.rasters.values() if p not in self._made], prepared.site.config.cache_path)
                image_problems.raise_if_any()
        except Exception as exc:  # noqa: BLE001 - see _failed_on
            return self._failed_on(exc)
        self._made = {p: self._made.get(p) or {v.url: made[v.url] for v in p.variants} for p in pictures.rasters.values()}
        copies = {output_file(c.url): c.src for c in processed(prepared.copies, pictures, {u: p for paths in self._made.values() for u, p in paths.items()})}
        self._copies_changed |= {f for f in set(copies) | set(self.copies) if copies.get(f) != self.copies.get(f)}
        self._copies_changed |= {rel.split("/", 1)[1] for rel in rels or () if rel.startswith("static/")}
        self.copies = copies
        self.pending, self._steps = prepared, self.driver.finish(prepared, gentle=lazy)
        if lazy and changed is not None:
            self.errors = []
            self._ready = time.perf_counter() - started
            return Rebuilt(self._ready, 0, set(), pending=True, ready=self._ready)
        return self._settle_here()

    def _settle_here(self) -> Rebuilt:
        """Every step of the rebuild, the lock being held already."""
        while True:
            result = self._step()
            if result is not None:
                return result

    def _finished(self, run: Run) -> Rebuilt:
        before, files = self._before, self.driver.files
        changed_files = {f for f in run.rendered if before.get(f) != files.get(f)} | run.gone | self._copies_changed
        self.pending = self._steps = None
        self._before, self._copies_changed = {}, set()
        self.errors = []
        ready, self._ready = self._ready, None
        return Rebuilt(time.perf_counter() - self._started, len(run.rendered), changed_files, [], run.warnings, ready=ready)

    def _failed_on(self, exc: Exception) -> Rebuilt:
        """The rebuild raised: the hub's errors are shown; a bug in sitegen is shown like an error,
        and the server keeps going."""
        if isinstance(exc, BuildFailed):
            return self._failed(exc.errors)
        if isinstance(exc, SitegenError):
            return self._failed([exc])
        self.driver.reader.config = None  # what was read may be half updated: read everything again next time
        return self._failed([internal(exc)])

    def _failed(self, errors: list[SitegenError]) -> Rebuilt:
        """The rebuild met errors: the site is served as it was (but for pages rendered on request)."""
        self.pending = self._steps = None  # (what `get` rendered meanwhile is rendered again next time: Driver.forced)
        self.errors = errors
        return Rebuilt(time.perf_counter() - self._started, 0, set(), self.errors)

    def _unchanged(self, rels: set[str]) -> bool:
        """Whether every path is a content file read before whose bytes are the same (a second event of one save)."""
        for rel in rels:
            known = self.driver.reader.pages.get(rel)
            if known is None or not rel.endswith(".md") or not rel.startswith("content/") or self._hub_errors:
                return False
            try:
                if (self.root / rel).is_symlink():
                    return False
                raw = (self.root / rel).read_bytes()
            except OSError:
                return False
            if self.driver.reader.page_key(raw) != known[0]:
                return False
        return True

    def _check_hub(self, changed: set[Path] | None) -> None:
        """hubcheck's errors; the hub is walked again unless the edit only changed plain files."""
        if changed is None or self.driver.reader.config is None or self._hub_errors or not all(p.is_file() and not p.is_symlink() for p in changed):
            self._hub_errors = check_hub(self.root).errors
        if self._hub_errors:
            raise BuildFailed(self._hub_errors)

    def _relative(self, path: Path) -> str | None:
        try:
            rel = path.resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError, RuntimeError):  # outside the hub, or a link loop (reported by check_hub)
            return None
        return None if IGNORED.search(rel) else rel
