"""The search index in parts: a large hub's index is several Pagefind bundles, so that an edit
re-indexes only the part holding the page that changed, and Pagefind never holds the whole
site in memory at once.

Each indexed page belongs to one part, by a hash of its path, so it stays in its part from build
to build. A hub of up to `PART_PAGES` indexed pages has one part: the index is one ordinary
Pagefind bundle in /pagefind/. A larger one has 2, 4, 8 or 16 parts; the first is in /pagefind/
and the others in /pagefind/part-N/, listed in /pagefind/parts.json (always written: [] for one part); the search page merges them
in the browser with Pagefind's own `mergeIndex` (secondary bundles reuse the first one's
WebAssembly). A part whose pages are byte for byte as before is taken from the store (the build
cache's search/ folder, or the dev server's own) instead of being indexed again, once every one of
its files is checked against the digest noted when it was made: a part changed or damaged since
is made again. The site gets copies of the stored files, never links to them, so that editing
the built site cannot change the store.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..core.engine import ENGINE
from ..core.files import link_or_copy
from . import pagefind as search
from .pagefind import IndexReport

PART_PAGES = 500  # indexed pages per part, about: Pagefind takes about 1 ms a page, and an edit indexes one part again


MAX_PARTS = 16  # the browser fetches a few small files from each part: keep their number down


PARTS_FILE = "parts.json"  # in the first part: the folders of the others, for the search page


DONE = ".complete"  # written last into a stored part, listing its files, their digests and identities: a part without it was cut short


# What only the first part needs: the search script and the WebAssembly (merged parts use the first's).
PRIMARY_ONLY = ("pagefind.js", "pagefind-worker.js", "wasm.")


Warn = Callable[[str], None]


def index_site(source: Callable[[str], Path], language: str, pages: dict[str, bytes], store: Path,
               jobs: int = 2, warn: Warn | None = None) -> tuple[IndexReport, dict[str, Path | bytes]]:
    """Index a built site, before it is put in place: `pages` are its indexed pages (file -> a
    digest of its bytes), each found at source(file). The index is in parts (below) kept
    in `store`, where a part whose pages are unchanged is already. Returns the report and the files
    of the /pagefind/ folder (each file -> where it is in the store, or its bytes). A site with no
    page to index gets no index (Pagefind would index every page whole instead)."""
    started = time.perf_counter()
    if not pages:
        return IndexReport(0, 0, 0, 0.0), {}
    files, parts, indexed = index_parts(source, pages, language, store, jobs, warn)
    size = sum(len(f) if isinstance(f, bytes) else f.stat().st_size for f in files.values())
    return IndexReport(len(pages), len(files), size, time.perf_counter() - started, parts, indexed), files


def part_count(pages: int) -> int:
    """How many parts `pages` indexed pages are split into: a power of two, so that parts split
    evenly as the hub grows, and at most MAX_PARTS."""
    count = 1
    while count * PART_PAGES < pages and count < MAX_PARTS:
        count *= 2
    return count


def part_of(file: str, count: int) -> int:
    return int.from_bytes(hashlib.blake2b(file.encode(), digest_size=8).digest(), "big") % count


def folder_of(part: int, first: int) -> str:
    """The part's folder inside the bundle: the first part is the bundle itself."""
    return "" if part == first else f"part-{part}/"


def index_parts(source: Callable[[str], Path], pages: dict[str, bytes], language: str, store: Path,
                jobs: int = 2, warn: Warn | None = None) -> tuple[dict[str, Path | bytes], int, int]:
    """Index the page `source(FILE)` for each FILE in `pages` (file -> a digest of its bytes), in
    parts kept in `store`: a part whose pages are unchanged is there already; other parts there are
    removed. Returns (every file of the bundle -> where it is in the store, or its bytes; parts;
    parts indexed now). Raises search.SearchUnavailable when Pagefind cannot run or fails."""
    count = part_count(len(pages))
    groups: dict[int, list[str]] = {}
    for file in sorted(pages):
        groups.setdefault(part_of(file, count), []).append(file)
    first = min(groups)
    version = search.pagefind_version()
    keys = {part: _key(version, language, part == first, [(f, pages[f]) for f in files]) for part, files in groups.items()}
    store.mkdir(parents=True, exist_ok=True)
    listings = {part: _listing(store / key) for part, key in keys.items()}
    missing = []
    for part, key in keys.items():
        if listings[part] is None:
            missing.append(part)
            if warn and (store / key / DONE).exists():
                warn(f"{store / key}: a part of the search index in the cache had been changed or damaged; it was made again")

    def make(part: int) -> None:
        _index_part(source, groups[part], store / keys[part], language, primary=part == first)

    _each(make, missing, jobs)
    files: dict[str, Path | bytes] = {}
    for part, key in sorted(keys.items()):
        listed = listings[part] if part not in missing else _listing(store / key)
        if listed is None:
            raise search.SearchUnavailable(f"the part {store / key} of the index was not made")
        files.update({folder_of(part, first) + file: store / key / file for file in listed})
    files[PARTS_FILE] = json.dumps([folder_of(part, first) for part in sorted(groups) if part != first]).encode()  # [] for one part
    for old in store.iterdir():  # parts of earlier builds that this one no longer has
        if old.name not in keys.values():
            shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)
    return files, len(groups), len(missing)


def _listing(part: Path) -> list[str] | None:
    """The files of a stored part, as listed when it was made; None when it is not complete, or
    when a file's bytes are not those it was made with. A file whose inode, size and times are as
    noted is not read again (writing to a file changes its change time, which nothing can set back);
    one restored from a cache elsewhere is read, and noted anew when its bytes are right."""
    try:
        lines = (part / DONE).read_text(encoding="utf-8").splitlines()
        listed = [line.split(" ", 2) for line in lines]
        if not listed or any(len(entry) != 3 for entry in listed):
            return None
        renoted = False
        for entry in listed:
            digest, noted, file = entry
            if noted != _identity(part / file):
                if _digest((part / file).read_bytes()) != digest:
                    return None
                renoted = True
        if renoted:
            try:
                _note(part, [(digest, file) for digest, _, file in listed])  # each digest as checked above
            except OSError:  # a store that cannot be written: read again next time
                pass
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return [file for _, _, file in listed]


def _identity(path: Path) -> str:
    st = os.stat(path)
    return f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def _note(part: Path, files: list[tuple[str, str]]) -> None:
    """Write the part's listing: each file's digest (given with its name), identity (`_identity`) and name."""
    text = "".join(f"{digest} {_identity(part / file)} {file}\n" for digest, file in files)
    temporary = part / f"{DONE}.{os.getpid()}"
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(part / DONE)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _key(version: str, language: str, primary: bool, pages: list[tuple[str, bytes]]) -> str:
    h = hashlib.blake2b(f"{ENGINE}\n{version}\n{language}\n{primary}\n".encode(), digest_size=16)  # other code: made again
    for file, digest in pages:
        h.update(file.encode() + b"\0" + digest + b"\n")
    return h.hexdigest()


def _index_part(source: Callable[[str], Path], files: list[str], target: Path, language: str, primary: bool) -> None:
    """Index `files` (each found at source(file)) into `target`, written whole or not at all."""
    pages = target.with_name(f".{target.name}.{os.getpid()}.pages")  # beside the store: links work there
    made = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.rmtree(pages, ignore_errors=True)
        folders: set[Path] = set()
        for file in files:
            if (pages / file).parent not in folders:
                (pages / file).parent.mkdir(parents=True, exist_ok=True)
                folders.add((pages / file).parent)
            link_or_copy(source(file), pages / file)
        shutil.rmtree(made, ignore_errors=True)
        search.run_pagefind(pages, language, made)
        if not primary:
            for path in made.iterdir():
                if path.name.startswith(PRIMARY_ONLY):
                    path.unlink()
        listing = sorted(p.relative_to(made).as_posix() for p in made.rglob("*") if p.is_file())
        _note(made, [(_digest((made / file).read_bytes()), file) for file in listing])
        shutil.rmtree(target, ignore_errors=True)
        made.rename(target)
    finally:
        shutil.rmtree(pages, ignore_errors=True)
        shutil.rmtree(made, ignore_errors=True)


def _each(work: Callable[[int], None], parts: list[int], jobs: int) -> None:
    """Pagefind uses every core for a large part but few for a small one: run two at a time."""
    if len(parts) <= 1 or jobs <= 1:
        for part in parts:
            work(part)
        return
    with ThreadPoolExecutor(max_workers=min(jobs, 2)) as pool:
        for _ in pool.map(work, parts):
            pass
