"""`build()`: the public way to build a hub, as `sitegen build` does.

The stages are run by the build driver (driver.py), which reuses what the persistent cache
holds; then the search index is made, and the site is written into a staging folder and
swapped in whole, or, when the output folder holds the last build's site, only the files
that changed are put in place (writer.update_site).
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

from ..config.siteyaml import Config, load_config, overwrites_hub
from ..content.hubcheck import check_hub
from ..core.errors import SitegenError, UsageError
from ..core.files import hub_name
from ..core.urls import output_file
from ..media.pictures import Pictures
from ..media.process import materialise
from ..model.site import Site
from ..outputs.files import processed
from ..outputs.output import Copy
from ..search.pagefind import IndexReport, settle
from .driver import Driver, Run
from .lock import output_lock
from .profile import Profile
from .search_index import BuildIndex
from .spool import Rendered, spool_folder
from .writer import add_files, check_output_folder, index_folder, update_site, write_site


@dataclass(frozen=True)
class BuildOptions:
    output: Path | None = None  # default: output_dir from site.yaml
    base_url: str | None = None  # overrides site.yaml (e.g. for a preview deploy)
    drafts: bool = False
    future: bool = False
    now: dt.datetime | None = None  # the moment the site is built for; default: now
    write: bool = True  # False for `check`
    jobs: int | None = None  # processes that read and render; default: every core
    cache: bool = True  # use the persistent cache in cache_dir (.sitegen-cache/)


@dataclass
class BuildResult:
    site: Site
    output: Path
    pages: int
    files: int
    seconds: float
    warnings: list[SitegenError] = field(default_factory=list)
    # (file in the output folder, bytes): every file made when not writing (`check`); when writing, those rendered this time
    rendered: Sequence[tuple[str, bytes]] = field(default_factory=list)
    copied: dict[str, Path] = field(default_factory=dict)  # file in the output folder -> the file copied there
    links_followed: int = 0  # by `check`, in the built pages
    pictures: Pictures = field(default_factory=Pictures)
    search: IndexReport | None = None  # the search index written, if any
    held_back: dict[str, str] = field(default_factory=dict)  # site path of a file left out -> the unpublished item using it
    profile: Profile = field(default_factory=Profile)  # what each stage took, and what the cache saved (--profile)


Progress = Callable[[int, int], None]  # (done, total)


def build(root: Path, options: BuildOptions = BuildOptions(), progress: Progress | None = None) -> BuildResult:
    """Build the hub in `root`. Raises BuildFailed (listing every problem) and writes nothing then."""
    started = time.perf_counter()
    root = root.resolve()
    check_hub(root).raise_if_any()  # before site.yaml is read: it may itself be a link leading out of the hub
    overrides = {"base_url": options.base_url} if options.base_url else {}
    config, _ = settle(load_config(root, overrides))  # the driver reads it again, and warns when search is off
    output = (options.output or config.output_path).resolve()
    if options.output and overwrites_hub(root, output):
        raise UsageError(f"-o {options.output}: building there would overwrite the hub itself; use a folder of its own such as _site")
    driver = Driver(root, options, jobs=options.jobs, persistent=options.cache, save=options.write)
    driver.progress = progress
    with driver.quiet():  # as in Driver.run: the objects of a build are not collected until it ends
        if not options.write:
            return _check_only(driver, output, started)
        with output_lock(output):
            check_output_folder(output)
            return _write(root, config, output, driver, started)


def _check_only(driver: Driver, output: Path, started: float) -> BuildResult:
    """Everything but writing (`sitegen check`): every output's bytes, rendered or as the last build wrote them."""
    run = driver.run(None, output)
    rendered = [(f, run.rendered[f] if f in run.rendered else driver.bytes_of(f, output)) for f in (output_file(o.url) for o in run.outputs)]
    driver.save_cache()
    return _result(run, driver, output, 0, rendered, None, started)


def _write(root: Path, config: Config, output: Path, driver: Driver, started: float) -> BuildResult:
    driver.spool = spool_folder(output)  # each output written there as it is rendered, then moved into the site
    scratch = index_folder(output)  # removed below, or by the next build if this one is killed
    try:
        run = driver.run(None, output)
        pictures = run.pictures
        index = BuildIndex(config, driver.cache, driver.folder.tree, driver.jobs, run.warnings, scratch) if config.search else None
        graph = driver.tracker.graph
        with driver.profile.stage("write"):
            made, image_problems = materialise(pictures.rasters.values(), config.cache_path)
            image_problems.raise_if_any()
            run.warnings.extend(image_problems.warnings)  # a damaged cache entry, made again
            copies = processed(run.copies, pictures, made)
            if (not (run.rendered or run.gone) and driver.folder.up_to_date(output, copies, graph)
                    and (index is None or index.was_complete)):  # the site there is this one
                files = len(run.outputs) + len(copies)
            elif driver.folder.can_update(output, graph):  # only what changed
                files = _update(output, root, driver, run, copies, index)
            else:
                if index:
                    index.make(run.rendered, run.reused, output, _page_source(run.rendered, output))
                files = write_site(output, run.rendered.sources(), ((c.src, output_file(c.url)) for c in copies),
                                   (lambda staging: add_files(staging, index.files)) if index else None,
                                   name=lambda path: hub_name(path, root), reuse=[(output / f, f) for f in run.reused])
                driver.written(output, copies)
    finally:
        assert driver.spool is not None
        shutil.rmtree(driver.spool, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)
    if index:
        index.remember(output, run.rendered)
    driver.save_cache(outputs=True)
    return _result(run, driver, output, files, Written(output, list(run.rendered)), index, started)


class Written(Sequence[tuple[str, bytes]]):
    """(file, bytes) of outputs in the output folder, each read when asked for: the site is not held in memory."""

    def __init__(self, output: Path, files: list[str]):
        self.output, self.files = output, files

    @overload
    def __getitem__(self, n: int) -> tuple[str, bytes]: ...
    @overload
    def __getitem__(self, n: slice) -> list[tuple[str, bytes]]: ...

    def __getitem__(self, n: int | slice) -> tuple[str, bytes] | list[tuple[str, bytes]]:
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(len(self)))]
        return self.files[n], (self.output / self.files[n]).read_bytes()

    def __len__(self) -> int:
        return len(self.files)


def _page_source(rendered: Rendered, output: Path) -> Callable[[str], Path]:
    """Where Pagefind finds a page: a page rendered now in its spooled file, another in the output folder."""
    def source(file: str) -> Path:
        found = rendered.source(file) if file in rendered else None
        return found if isinstance(found, Path) else output / file
    return source


def _result(run: Run, driver: Driver, output: Path, files: int, rendered: Sequence[tuple[str, bytes]], index: BuildIndex | None,
            started: float) -> BuildResult:
    pages = sum(1 for o in run.outputs if o.template)
    copied = {output_file(c.url): c.src for c in run.copies}
    return BuildResult(run.site, output, pages, files, time.perf_counter() - started, run.warnings, rendered, copied,
                       pictures=run.pictures, search=index.report if index else None, held_back=run.held_back, profile=driver.profile)


def _same_bytes(path: Path | None, stored: Path) -> bool:
    """Whether the file at `path` holds the bytes of `stored` (the output has copies of the cache's files)."""
    try:
        return path is not None and path.stat().st_size == stored.stat().st_size and path.read_bytes() == stored.read_bytes()
    except OSError:
        return False


def _update(output: Path, root: Path, driver: Driver, run: Run, copies: list[Copy], index: BuildIndex | None) -> int:
    """Bring the site in `output` up to date in place (writer.update_site), its search index too."""
    own = {output_file(c.url) for c in copies}  # a hub's own file wins over the one sitegen makes there
    pages = {f: where for f, where in run.rendered.sources() if f not in own}
    tree = driver.folder.tree
    links: list[tuple[Path, str]] = []
    if index:
        index.make(run.rendered, run.reused, output, _page_source(run.rendered, output))
        for file, where in index.files.items():
            if isinstance(where, bytes):
                if file not in tree or (output / file).read_bytes() != where:
                    pages[file] = where
            elif not index.in_place(file, where) and not _same_bytes(output / file if file in tree else None, where):  # not a copy already
                links.append((where, file))
    to_put = driver.folder.copies_to_put(copies, driver.tracker.graph)
    changes = update_site(output, itertools.chain(run.reused, run.rendered, own, index.files if index else ()), tree,
                          driver.folder.folders, pages.items(), ((c.src, output_file(c.url)) for c in to_put),
                          name=lambda path: hub_name(path, root), links=links)
    driver.written(output, copies, changes)
    return len(run.outputs) + len(copies)
