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
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from .config import Config
    from .content import Page
    from .site import Site

BUNDLE = "pagefind"  # the folder of the index in the output: /pagefind/
KIND_FILTER = "kind"  # the Pagefind filter holding each page's kind ("News", "Resources", "Vacancies")
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
    parts: int = 1  # Pagefind bundles the index is split into (searchparts.py)
    indexed: int = 1  # of which made again by this build (the others were unchanged)


# --- running Pagefind ---------------------------------------------------------------------------

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
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    make_stable(bundle)


SIGNATURE = b"pagefind_dcd"  # how Pagefind's index files start, once ungzipped


def make_stable(bundle: Path) -> None:
    """Pagefind writes the values of each filter, and the list of filters, in hash-map order, so its
    filter files (and the files naming them) differ from one build of the same site to the next (its
    upstream issue #638). Write them again in a fixed order, named by their content, so that the
    same input still gives byte-identical output."""
    import cbor2  # Pagefind's index files are CBOR

    def load(path: Path) -> Any:
        return cbor2.loads(gzip.decompress(path.read_bytes()).removeprefix(SIGNATURE))

    def save(folder: Path, prefix: str, digits: int, suffix: str, value: Any) -> str:
        data = SIGNATURE + cbor2.dumps(value)
        name = f"{prefix}_{hashlib.sha256(data).hexdigest()[:digits]}"
        (folder / f"{name}{suffix}").write_bytes(gzip.compress(data, mtime=0))
        return name

    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = load(meta_path)  # [version, pages, word index chunks, filters: [[name, file]], sorts, meta keys]
        for listed in meta[3]:
            old = bundle / "filter" / f"{listed[1]}.pf_filter"
            name, values = load(old)  # [filter, [[value, [page numbers]]]]
            old.unlink()
            listed[1] = save(bundle / "filter", language, 7, ".pf_filter", [name, sorted(values, key=lambda v: v[0])])
        meta[3].sort(key=lambda listed: listed[0])
        meta_path.unlink()
        info["hash"] = save(bundle, f"pagefind.{language}", 13, ".pf_meta", meta).removeprefix("pagefind.")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def index_site(source: Callable[[str], Path], language: str, pages: dict[str, bytes], store: Path,
               jobs: int = 2) -> tuple[IndexReport, dict[str, Path | bytes]]:
    """Index a built site, before it is put in place: `pages` are its indexed pages (file -> a
    digest of its bytes), each found at source(file). The index is in parts (searchparts.py) kept
    in `store`, where a part whose pages are unchanged is already. Returns the report and the files
    of the /pagefind/ folder (each file -> where it is in the store, or its bytes). A site with no
    page to index gets no index (Pagefind would index every page whole instead)."""
    from .searchparts import index_parts

    started = time.perf_counter()
    if not pages:
        return IndexReport(0, 0, 0, 0.0), {}
    files, parts, indexed = index_parts(source, pages, language, store, jobs)
    size = sum(len(f) if isinstance(f, bytes) else f.stat().st_size for f in files.values())
    return IndexReport(len(pages), len(files), size, time.perf_counter() - started, parts, indexed), files


def page_digest(body: bytes) -> bytes | None:
    """A digest of a built page for the index, or None when it is not a page to index."""
    return body_digest(body) if BODY_MARKER in body else None


def body_digest(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=16).digest()


# --- what a page gives the index (Jinja globals) -------------------------------------------------

def is_indexed(page: Page | None, site: Site, current_url: str) -> bool:
    """Only the page of a published item goes in the index: never a draft, an item not yet
    published or expired (even when `--drafts`, `--future` or the dev server shows them), nor a listing."""
    if page is None or not site.config.search or page.kind == "home" or page.url != current_url or page.broken:
        return False
    return bool(site.is_public(page))  # a query, not site.now: a page depends on the answer, not on the moment


def filters(page: Page, site: Site) -> dict[str, list[str]]:
    """The Pagefind filters of an item: its kind, and the display labels of its facet fields' values."""
    kind = site.kind_of(page)
    found: dict[str, list[str]] = {KIND_FILTER: [kind.title]}
    for field in kind.facets:
        labels = site.labels(page, field.name)
        if labels:
            found[field.facet] = labels
    return found


def meta(page: Page, site: Site) -> dict[str, str]:
    """What a search result shows besides its title and the words around the match."""
    from .templates import format_date

    kind = site.kind_of(page)
    found = {"kind": kind.singular[:1].upper() + kind.singular[1:]}
    dated = kind.date_field or (kind.order.lstrip("-") if kind.order != "title" else "")  # a hub's own kind: its order
    when = page.fields.get(dated) if dated else None
    if when:
        found["date"] = format_date(when)
    if page.fields.get("summary"):
        found["summary"] = " ".join(str(page.fields["summary"]).split())
    return found


def body_attribute(page: Page | None, site: Site, current_url: str) -> Markup:
    """` data-pagefind-body` on the <main> of an indexed page, else nothing."""
    return Markup(" data-pagefind-body") if is_indexed(page, site, current_url) else Markup("")


def page_data(page: Page | None, site: Site, current_url: str) -> Markup:
    """Hidden elements carrying an indexed page's filters and metadata (one value each: Pagefind
    takes a value written in the attribute only as the last of a list)."""
    if page is None or not is_indexed(page, site, current_url):
        return Markup("")
    parts = [f'<span data-pagefind-filter="{escape(key)}:{escape(value)}"></span>'
             for key, values in filters(page, site).items() for value in values]
    parts += [f'<span data-pagefind-meta="{escape(key)}:{escape(value)}"></span>' for key, value in meta(page, site).items()]
    return Markup('<div hidden data-pagefind-ignore>' + "".join(parts) + "</div>")


def browse_links(site: Site) -> list[tuple[str, str]]:
    """(facet, link) for each way of browsing the resources without JavaScript: 'subject', '/resources/#browse-subject'."""
    from .outputs.resources import facet_label

    return [(facet_label(f).lower(), f"/resources/#browse-{f.facet}") for f in site.schema.kind("resources").facets]


@dataclass(frozen=True)
class SearchFilter:
    """A filter of the search page: its key in the index, its label and its values (as indexed)."""

    key: str
    label: str
    values: tuple[str, ...]


def search_filters(site: Site) -> list[SearchFilter]:
    """The filters the search page offers: kind, then every facet of every kind with items,
    each value once, in the facet's order (the same labels the pages give the index)."""
    from .outputs.resources import facets

    kinds = [k for k in site.schema if site.kind(k.name) and k.name != "pages"] + [site.schema.kind("pages")]
    result = [SearchFilter(KIND_FILTER, "Kind", tuple(k.title for k in kinds if site.kind(k.name)))]
    seen: dict[str, SearchFilter] = {}
    for kind in site.schema:
        for facet in facets(site, kind) if kind.facets else ():
            values = tuple(v.label for v in facet.values)
            known = seen.get(facet.key)
            if known is None:
                seen[facet.key] = SearchFilter(facet.key, facet.label, values)
            else:
                seen[facet.key] = dataclasses.replace(known, values=known.values + tuple(v for v in values if v not in known.values))
    return result + list(seen.values())


# --- the dev server's index ----------------------------------------------------------------------

class DevIndex:
    """The search index of a site built in memory (`sitegen serve`).

    Pagefind cannot take a page out of an index or replace one, so after an edit that changes what
    an indexed page says, the part of the index holding it is made again; but only when a browser next asks for it
    (nobody waits for it while they write), from a private copy of the indexed pages kept in a
    temporary folder (only the pages that changed are written again), removed when the server
    stops. Drafts are shown by the dev server but never indexed: their pages carry no data-pagefind-body."""

    def __init__(self) -> None:
        self._folder: Path | None = None  # made on first use
        self._parts: Path | None = None  # the parts of the index, kept to be reused after an edit
        self._source: dict[str, bytes] = {}  # the dev server's output files, kept up to date by its rebuilds
        self._pending: set[str] | None = None  # files changed since the last index; None: any may have
        self._indexed: dict[str, bytes] = {}  # the pages in the folder
        self._files: dict[str, Path | bytes] = {}  # the index: file under /pagefind/ -> where it is in the store, or its bytes
        self._lock = threading.Lock()
        self.language = "en"
        self.error: str | None = None
        self.last: IndexReport | None = None

    def update(self, files: dict[str, bytes], changed: set[str] | None, language: str) -> None:
        """Note a rebuild: `files` is every output file (its bytes); `changed` names those that changed (None: any may have)."""
        with self._lock:
            self._source, self.language = files, language
            if changed is None or self._pending is None:
                self._pending = None
            else:
                self._pending |= changed

    def get(self, name: str) -> bytes | None:
        """A file of the index ('pagefind.js', 'fragment/...'), made again first if indexed pages changed."""
        with self._lock:
            if (self._pending is None or self._pending) and (self._sync() or not self._files):
                self._reindex()
            found = self._files.get(name)
            return found.read_bytes() if isinstance(found, Path) else found

    def _sync(self) -> bool:
        """Bring the folder's copy of the indexed pages up to date; True if any changed."""
        source = dict(list(self._source.items()))  # a rebuild may be changing it meanwhile
        names = set(source) | set(self._indexed) if self._pending is None else self._pending
        self._pending = set()
        folder = self._pages()
        changed = False
        for file in sorted(names):
            body = source.get(file)
            if body is not None and file.endswith(".html") and BODY_MARKER in body:
                if self._indexed.get(file) != body:
                    target = folder / file
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(body)
                    self._indexed[file] = body
                    changed = True
            elif file in self._indexed:
                (folder / file).unlink(missing_ok=True)
                del self._indexed[file]
                changed = True
        return changed

    def _reindex(self) -> None:
        """Index the pages again, in parts (searchparts.py): only the parts whose pages changed are
        given to Pagefind; the others come from this server's own store."""
        if not self._indexed:  # nothing to index (Pagefind would index every page whole)
            self._files = {}
            return
        pages = {file: body_digest(body) for file, body in self._indexed.items()}
        folder = self._pages()
        try:
            self.last, self._files = index_site(lambda file: folder / file, self.language, pages, self._store())
            self.error = None
        except SearchUnavailable as exc:
            self._files, self.error = {}, str(exc)

    def _store(self) -> Path:
        if self._parts is None:
            self._parts = Path(tempfile.mkdtemp(prefix="sitegen-search-parts-"))
        return self._parts

    def _pages(self) -> Path:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="sitegen-search-"))
        return self._folder

    def close(self) -> None:
        for folder in (self._folder, self._parts):
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
