"""Full-text search with Pagefind: what each page gives the index, and running Pagefind.

Templates mark the main content of every published item's page with `data-pagefind-body`
and give it Pagefind filters (its kind, and the values of its kind's facet fields, from the
schema) and result metadata (kind, date, summary); menus, breadcrumbs, footers and the lists
of other items are left out. After a build has made every page, and before it puts the site in
place, `index_site` runs the Pagefind program bundled with the `pagefind[bin]` package on the
pages, so the index is put in place with the rest of the site. `DevIndex` does the same for `sitegen
serve`, which builds in memory.

Why the command line, not Pagefind's Python API: the API answers one message per 0.1 s (so
indexing 5,000 pages page by page takes over eight minutes) and cannot take a page out of an
index or replace one; the command line indexes a folder on every core in one go.
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import hashlib
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..config.siteyaml import Config


BUNDLE = "pagefind"  # the folder of the index in the output: /pagefind/


BODY_MARKER = b"data-pagefind-body"


# Pagefind also writes its own search interfaces; the theme has its own (search.js), so these are left out.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


TIMEOUT = 600  # seconds: Pagefind indexes 5,000 pages in a few


class SearchUnavailable(Exception):
    """Pagefind is missing or cannot run; the message is one line, for the person building."""


@dataclass(frozen=True)
class IndexReport:
    pages: int  # pages in the index
    files: int  # files of the index
    bytes: int  # their total size
    seconds: float
    parts: int = 1  # Pagefind bundles the index is split into (search/parts.py)
    indexed: int = 1  # of which made again by this build (the others were unchanged)


def executable() -> Path:
    """The Pagefind program: $PAGEFIND_BINARY_PATH, or the one the pagefind[bin] package installs."""
    try:
        from pagefind.service import get_executable  # type: ignore[import-untyped]
    except ImportError:
        raise SearchUnavailable("the pagefind package is not installed (pip install 'pagefind[bin]')") from None
    try:
        path = get_executable()
    except (FileNotFoundError, OSError):
        path = None
    if path is None:
        raise SearchUnavailable("the Pagefind program is missing (pip install 'pagefind[bin]')")
    return Path(path)


def unavailable() -> str | None:
    """Why Pagefind cannot run here, or None when it can."""
    try:
        return _version(str(executable()))[1]
    except SearchUnavailable as exc:
        return str(exc)


def pagefind_version() -> str:
    """What `pagefind --version` says (an index made by another Pagefind is not reused)."""
    version, why = _version(str(executable()))
    if why:
        raise SearchUnavailable(why)
    return version


@functools.lru_cache(maxsize=8)
def _version(program: str) -> tuple[str, str | None]:
    """(what `program --version` says, why the program cannot be used or None)."""
    try:
        result = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return "", f"the Pagefind program {program} cannot run ({_reason(exc)})"
    if result.returncode != 0 or "pagefind" not in result.stdout.lower():
        return "", f"the Pagefind program {program} does not work (exit status {result.returncode})"
    return result.stdout.strip(), None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, subprocess.TimeoutExpired):
        return "it did not answer"
    return getattr(exc, "strerror", None) or str(exc)


def settle(config: Config) -> tuple[Config, str | None]:
    """The config to build with, and a one-line warning when search is on but Pagefind cannot run
    (the site is then built without search: no search page, no search box)."""
    if not config.search:
        return config, None
    why = unavailable()
    if why is None:
        return config, None
    return dataclasses.replace(config, search=False), f"search: {why}; the site is built without search"


def run_pagefind(site_folder: Path, language: str, output: Path | None = None) -> None:
    """Index every page of `site_folder` marked data-pagefind-body; the bundle goes to
    site_folder/pagefind/, or to `output`. Raises SearchUnavailable with Pagefind's own words."""
    command = [str(executable()), "--site", str(site_folder), "--force-language", language, "--quiet"]
    command += ["--output-path", str(output)] if output else ["--output-subdir", BUNDLE]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, cwd=site_folder, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchUnavailable(f"Pagefind cannot run ({_reason(exc)})") from None
    if result.returncode != 0:
        said = " ".join((result.stderr or result.stdout).split())[-300:]
        raise SearchUnavailable(f"Pagefind failed (exit status {result.returncode}): {said or 'no message'}")
    bundle = output or site_folder / BUNDLE
    try:
        for name in UNUSED:
            (bundle / name).unlink(missing_ok=True)
        make_stable(bundle)
    except OSError as exc:  # a full disk, say: like Pagefind failing to write
        raise SearchUnavailable(f"the index cannot be written ({exc.strerror or exc})") from None


SIGNATURE = b"pagefind_dcd"  # how Pagefind's index files start, once ungzipped


def make_stable(bundle: Path) -> None:
    """Pagefind writes the values of each filter, and the list of filters, in hash-map order, so its
    filter files (and the files naming them) differ from one build of the same site to the next (its
    upstream issue #638); and it numbers the pages in the order the file system lists them, which
    differs from one folder (and file system) to another. Number the pages in the order of their
    fragments' names (digests of their records), and write the filters in a fixed order, every file
    named by its content, so that the same input gives byte-identical output wherever it is built."""
    import cbor2  # Pagefind's index files are CBOR

    def load(path: Path) -> Any:
        return cbor2.loads(gzip.decompress(path.read_bytes()).removeprefix(SIGNATURE))

    def save(folder: Path, prefix: str, digits: int, suffix: str, value: Any) -> str:
        data = SIGNATURE + cbor2.dumps(value)
        name = f"{prefix}_{hashlib.sha256(data).hexdigest()[:digits]}"
        (folder / f"{name}{suffix}").write_bytes(gzip.compress(data, compresslevel=6, mtime=0))  # 9: 0.5% smaller, 2.5 times the time
        return name

    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        # [version, pages: [[fragment, words]], word index chunks: [[from, to, file]], filters: [[name, file]],
        #  sorts: [[key, [page numbers]]], meta keys]
        meta = load(meta_path)
        order = sorted(range(len(meta[1])), key=lambda number: meta[1][number][0])
        new = {old: number for number, old in enumerate(order)}
        meta[1] = [meta[1][old] for old in order]
        for chunk in meta[2]:
            old = bundle / "index" / f"{chunk[2]}.pf_index"
            (words,) = load(old)  # [[[word, [[page number, as a step from the one before; locations; ...]], ...]]]
            old.unlink()
            chunk[2] = save(bundle / "index", language, 7, ".pf_index", [[_renumbered(word, new) for word in words]])
        for listed in meta[3]:
            old = bundle / "filter" / f"{listed[1]}.pf_filter"
            name, values = load(old)  # [filter, [[value, [page numbers]]]]
            old.unlink()
            values = [[value[0], sorted(new[page] for page in value[1]), *value[2:]] for value in values]
            listed[1] = save(bundle / "filter", language, 7, ".pf_filter", [name, sorted(values, key=lambda v: v[0])])
        meta[3].sort(key=lambda listed: listed[0])
        meta[4] = [[key, [new[page] for page in pages], *rest] for key, pages, *rest in meta[4]]
        meta_path.unlink()
        info["hash"] = save(bundle, f"pagefind.{language}", 13, ".pf_meta", meta).removeprefix("pagefind.")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _renumbered(word: list[Any], new: dict[int, int]) -> list[Any]:
    """A word's entry of the index with its pages numbered anew: Pagefind lists them in order, each
    number as the step from the one before."""
    number, pages = 0, []
    for entry in word[1]:
        number += entry[0]
        pages.append([new[number], *entry[1:]])
    pages.sort(key=lambda entry: entry[0])
    before = 0
    for entry in pages:
        entry[0], before = entry[0] - before, entry[0]
    return [word[0], pages, *word[2:]]


def page_digest(body: bytes) -> bytes | None:
    """A digest of a built page for the index, or None when it is not a page to index."""
    return body_digest(body) if BODY_MARKER in body else None


def body_digest(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=16).digest()
