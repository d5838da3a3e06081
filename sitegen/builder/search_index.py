"""The search index of a build: which built pages go in it, and making it before the site is
put in place, whether the site is staged whole or updated in place (writer.py).

A page kept from the previous site is not read again to know whether it is indexed and what
it holds: the build cache remembers, for every page of the last site, its file (inode, size,
time) and the digest of its bytes (None when it is not indexed). The index itself is made in
parts, of which only those whose pages changed are given to Pagefind (search/parts.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from ..config.siteyaml import Config
from ..core.errors import SitegenError, SitegenWarning
from ..search import pagefind as search
from ..search.parts import index_site
from .cache import BuildCache
from .spool import Rendered

KNOWN = "indexed"  # the build cache's record of the last site's pages, and whether its index was made
Identity = tuple[int, int, int]  # a file's inode, size and modification time, as folder.tree gives them


class BuildIndex:
    def __init__(self, config: Config, cache: BuildCache | None, tree: dict[str, Identity], jobs: int,
                 warnings: list[SitegenError], scratch: Path):
        self.config, self.cache, self.tree, self.jobs, self.warnings = config, cache, tree, jobs, warnings
        saved: tuple[bool, dict[str, tuple[Identity, bytes | None]], dict[str, tuple[str, Identity, Identity]]] = (
            (cache.load(KNOWN) if cache else None) or (True, {}, {}))
        # whether the last build made its index (if Pagefind failed, the site there has none), its pages, and its index's files
        self.was_complete: bool = saved[0]
        self.known: dict[str, tuple[Identity, bytes | None]] = saved[1]
        self.placed: dict[str, tuple[str, Identity, Identity]] = saved[2]  # file of the index -> the stored file it copies, both files
        self.still_placed: set[str] = set()  # the index's files found `in_place` by this build (and so left alone)
        self.digests: dict[str, bytes | None] = {}  # every page of this build -> its digest (None: not indexed)
        self.report: search.IndexReport | None = None
        self.files: dict[str, Path | bytes] = {}  # the index's files: path in the site -> where it is, or its bytes
        # The parts of the index are kept between builds in search/ of the cache folder; without a
        # cache, in `scratch` (a folder beside the output, removed after the build).
        self.store = cache.folder.parent / "search" if cache else scratch / "parts"

    def make(self, rendered: Rendered, reused: Iterable[str], folder: Path, source: Callable[[str], Path]) -> None:
        """Index this build's pages: `rendered` are the pages made now, `reused` those kept from the
        previous site, in `folder`; source(file) is where Pagefind finds a page. If Pagefind fails,
        the site is still written, without an index, and the build says why."""
        for file in rendered:
            if file.endswith(".html"):
                self.digests[file] = rendered.search_digest(file)
        for file in reused:
            if file.endswith(".html"):
                before = self.known.get(file)
                same = before is not None and self.tree.get(file) == before[0]  # the very file the last build noted
                self.digests[file] = before[1] if same and before else search.page_digest((folder / file).read_bytes())
        pages = {file: digest for file, digest in self.digests.items() if digest is not None}
        others: dict[str, dict[str, bytes]] = {f"{lang.code}/": {} for lang in self.config.languages}  # each other language's pages: an index of its own
        for file in [f for f in pages if f.split("/", 1)[0] + "/" in others]:
            others[file.split("/", 1)[0] + "/"][file] = pages.pop(file)
        reports = []
        try:
            for under, language, store, group in [("", self.config.language, self.store, pages)] + [
                    (prefix, prefix[:-1], self.store.with_name(f"{self.store.name}-{prefix[:-1]}"), group) for prefix, group in others.items()]:
                report, files = index_site(source, language, group, store, self.jobs, warn=lambda message: self.warnings.append(SitegenWarning(message)))
                reports.append(report)
                self.files.update({f"{under}{search.BUNDLE}/{file}": where for file, where in files.items()})
        except search.SearchUnavailable as exc:
            self.warnings.append(SitegenWarning(f"search: {exc}; the site is written without a search index"))
            self.files = {}
            return
        self.report = search.IndexReport(*(sum(getattr(r, name) for r in reports) for name in ("pages", "files", "bytes", "seconds", "parts", "indexed")))

    def in_place(self, file: str, stored: Path) -> bool:
        """Whether the index's `file` in the output folder is a copy of `stored` already, as the last build
        left it: both files as they were then (the output folder's by its scan, `tree`)."""
        before = self.placed.get(file)
        if before is not None and before[0] == str(stored) and before[2] == self.tree.get(file) and before[1] == identity(stored):
            self.still_placed.add(file)
            return True
        return False

    def remember(self, output: Path, rendered: Iterable[str]) -> None:
        """The site is in place in `output`: note every page's file and the index's, for the next build."""
        if self.cache is None or not self.digests:
            return
        placed = {}
        for file, where in self.files.items():
            if file in self.still_placed:  # both files as the last build noted them
                placed[file] = self.placed[file]
            elif isinstance(where, Path):
                try:
                    placed[file] = (str(where), identity(where), identity(output / file))
                except OSError:
                    pass
        made = set(rendered)
        known = {}
        for file, digest in self.digests.items():
            if file in made:
                known[file] = (identity(output / file), digest)
            elif file in self.tree:
                known[file] = (self.tree[file], digest)
        self.cache.save(KNOWN, (self.report is not None, known, placed))


def identity(path: Path) -> Identity:
    st = os.lstat(path)
    return st.st_ino, st.st_size, st.st_mtime_ns
