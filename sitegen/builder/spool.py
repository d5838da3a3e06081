"""The outputs a run rendered, by output file: kept in memory (the dev server, `check`), or
spooled, each written to a file as soon as it is rendered (`build`), so that the main process
never holds the site: it keeps only each output's digest, and the writer moves the spooled
files into the site (writer.py) rather than writing them again.

The spool folder is beside the output folder (`.NAME.spool-PID`), on the same file system, so
a move is a rename; the build removes it when it ends, and the next build if it was killed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..core.errors import OutputError
from ..search.pagefind import BODY_MARKER
from .graph import digest


def spool_folder(output: Path) -> Path:
    return output.parent / f".{output.name}.spool-{os.getpid()}"


def spool(folder: Path, name: str, body: bytes) -> str:
    """Write one output's bytes into the spool folder (in whichever process rendered it) as `name`."""
    try:
        (folder / name).write_bytes(body)
    except OSError as exc:
        raise _cannot_write(folder, exc) from None
    return name


def _cannot_write(folder: Path, exc: OSError) -> OutputError:
    output = folder.parent / folder.name[1:].rsplit(".spool-", 1)[0]
    return OutputError(f"cannot write the site into {output}: {exc.strerror or exc}; the previous site is unchanged")


class Rendered(Mapping[str, bytes]):
    """Output file -> bytes, for the outputs rendered this run; `digests` of each. With a folder, every
    output is in a file there (`source`), and reading one (`rendered[file]`) reads its file."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder  # None: in memory
        if folder is not None:
            try:
                folder.mkdir(exist_ok=True)
            except OSError as exc:
                raise _cannot_write(folder, exc) from None
        self.digests: dict[str, bytes] = {}
        self.marked: set[str] = set()  # the outputs marked as pages for the search index (BODY_MARKER)
        self._bytes: dict[str, bytes] = {}
        self._spooled: dict[str, str] = {}  # output file -> its name in the spool folder

    def add(self, file: str, body: bytes) -> None:
        if self.folder is None:
            self._bytes[file] = body
            self.digests[file] = digest(body)
            if BODY_MARKER in body:
                self.marked.add(file)
        else:
            self.add_spooled(file, spool(self.folder, f"r{len(self._spooled)}", body), digest(body), BODY_MARKER in body)

    def add_spooled(self, file: str, name: str, body_digest: bytes, marked: bool) -> None:
        self._spooled[file] = name
        self.digests[file] = body_digest
        if marked:
            self.marked.add(file)

    def search_digest(self, file: str) -> bytes | None:
        """What search.page_digest gives for the output's bytes, without reading them again (its
        digest is search.body_digest's: tests/test_search.py holds them the same)."""
        return self.digests[file] if file in self.marked else None

    def source(self, file: str) -> bytes | Path:
        """The output's bytes, or the spooled file that holds them (to be moved or copied, not read)."""
        name = self._spooled.get(file)
        if name is None:
            return self._bytes[file]
        assert self.folder is not None
        return self.folder / name

    def sources(self) -> Iterator[tuple[str, bytes | Path]]:
        for file in self.digests:
            yield file, self.source(file)

    def __getitem__(self, file: str) -> bytes:
        found = self.source(file)
        return found if isinstance(found, bytes) else found.read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self.digests)

    def __len__(self) -> int:
        return len(self.digests)

    def __contains__(self, file: object) -> bool:
        return file in self.digests
