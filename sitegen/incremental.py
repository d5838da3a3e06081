"""Rebuilding after an edit, in memory, for `sitegen serve`.

The build driver (driver.py) does the work: it re-reads only the files that changed,
assembles and plans the site again (cheap), and renders only the outputs that read
something the edit changed, as recorded when they last rendered. This module turns the
watcher's paths into the driver's, and keeps what the dev server serves: the rendered
files in memory, and the files to send as they are (pictures processed into the cache).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import content, images
from .config import Config
from .driver import Driver
from .errors import BuildFailed, SitegenError
from .hubcheck import check_hub
from .outputs.files import processed
from .pipeline import BuildOptions
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
        # The persistent cache speeds up the first build; the dev server never writes it.
        self.driver = Driver(self.root, options, jobs=options.jobs, in_memory=True, persistent=options.cache, save=False)
        self.copies: dict[str, Path] = {}  # output file -> source file, served as it is
        self.errors: list[SitegenError] = []
        self._made: dict[images.Picture, dict[str, Path]] = {}  # each picture's processed files, in the cache
        self._hub_errors: list[SitegenError] = []
        self._lock = threading.Lock()

    @property
    def files(self) -> dict[str, bytes]:
        """Output file -> bytes, as served."""
        return self.driver.files

    @property
    def _config(self) -> Config | None:
        return self.driver.config

    @property
    def search_off(self) -> str | None:
        return self.driver.search_off

    def rebuild(self, changed: set[Path] | None = None) -> Rebuilt:
        """Bring the build up to date with the files in `changed` (None: everything). One rebuild at a
        time: the watcher's and any other caller's wait for each other."""
        with self._lock:
            return self._rebuild(changed)

    def _rebuild(self, changed: set[Path] | None) -> Rebuilt:
        started = time.perf_counter()
        rels = None if changed is None else {rel for path in changed if (rel := self._relative(path)) is not None}
        if rels is not None and rels & {"site.yaml", "content", "templates", "static", "data"}:
            rels = None  # site.yaml, or a whole folder (content/ renamed, templates/ replaced): look at everything again
        before = dict(self.driver.files)
        try:
            self._check_hub(changed)
            run = self.driver.run(rels)
            pictures = run.pictures
            made, image_problems = images.materialise([p for p in pictures.rasters.values() if p not in self._made], run.site.config.cache_path)
            image_problems.raise_if_any()
        except BuildFailed as exc:
            self.errors = exc.errors
            return Rebuilt(time.perf_counter() - started, 0, set(), self.errors)
        except SitegenError as exc:
            self.errors = [exc]
            return Rebuilt(time.perf_counter() - started, 0, set(), self.errors)
        except Exception as exc:  # noqa: BLE001 - a bug in sitegen: shown like an error; the server keeps going
            self.errors = [SitegenError(f"sitegen: internal error ({type(exc).__name__}: {exc}); a bug in sitegen, not in your files")]
            self.driver.config = None  # what was read may be half updated: read everything again next time
            return Rebuilt(time.perf_counter() - started, 0, set(), self.errors)
        self._made = {p: self._made.get(p) or {v.url: made[v.url] for v in p.variants} for p in pictures.rasters.values()}
        files = self.driver.files
        changed_files = {f for f in run.rendered if before.get(f) != files.get(f)} | run.gone
        copies = {output_file(c.url): c.src for c in processed(run.copies, pictures, {u: p for paths in self._made.values() for u, p in paths.items()})}
        changed_files |= {f for f in set(copies) | set(self.copies) if copies.get(f) != self.copies.get(f)}
        changed_files |= {rel.split("/", 1)[1] for rel in rels or () if rel.startswith("static/")}
        self.copies = copies
        self.errors = []
        return Rebuilt(time.perf_counter() - started, len(run.rendered), changed_files, [], run.warnings)

    def _check_hub(self, changed: set[Path] | None) -> None:
        """hubcheck's errors; the hub is walked again unless the edit only changed plain files."""
        if changed is None or self.driver.config is None or self._hub_errors or not all(p.is_file() and not p.is_symlink() for p in changed):
            self._hub_errors = check_hub(self.root).errors
        if self._hub_errors:
            raise BuildFailed(self._hub_errors)

    def _relative(self, path: Path) -> str | None:
        try:
            rel = path.resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError, RuntimeError):  # outside the hub, or a link loop (reported by check_hub)
            return None
        return None if content.IGNORED.search(rel) else rel
