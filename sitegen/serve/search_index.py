"""The dev server's search index: made again in memory after a rebuild, only for the parts whose pages changed."""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from ..search.pagefind import BODY_MARKER, IndexReport, SearchUnavailable, body_digest
from ..search.parts import index_site

if TYPE_CHECKING:
    pass


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
        """Index the pages again, in parts (search/parts.py): only the parts whose pages changed are
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
