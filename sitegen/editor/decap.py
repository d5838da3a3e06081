"""The pinned copy of Decap CMS that the editor at /admin/ runs, served from the site itself.

Decap CMS is published on the npm registry as one tarball. sitegen downloads that exact
version once, checks its sha256 against the one recorded here, and keeps the files the
browser needs (about 6 MB) in a cache folder outside the hub, so that nothing this large
is committed to a hub's repository and no page ever loads a script from a CDN.

    python -m sitegen.editor.decap      download it now (a build does so itself when needed)

The cache is $SITEGEN_CACHE, else $XDG_CACHE_HOME/sitegen, else ~/.cache/sitegen.
The registry is $SITEGEN_NPM_REGISTRY, else https://registry.npmjs.org (a mirror works too).

The copy in the cache is checked every time it is published: the digest of all its served files
must be `DIST_SHA256`, else it is downloaded again (or, offline, the editor is left out with a
warning). A cache folder that cannot be read or written is a warning too, never a failed build.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

# To move to another version: `npm view decap-cms@X dist.tarball`, download it, and record its sha256.
VERSION = "3.16.3"


TARBALL_SHA256 = "f1c0055411ebdbd5b7c77a835a68b92b5467622585838f8496223b27eee116d1"


SCRIPT = "decap-cms.js"  # the entry point; it loads its numbered chunks from the same folder


SCRIPT_SHA256 = "7c1efd6b616b4786e279aeef194dd21649a72058d3bc8d1f78901b574610dfb8"


# sha256 of the lines "NAME SHA256\n" of every served file, sorted by name (see `dist_digest`).
DIST_SHA256 = "e67d532601ed140542ac94b33ff36cf364ac0315769514536a5eca5148bc734b"


REGISTRY = "https://registry.npmjs.org"


TIMEOUT = 30  # seconds without an answer before giving up


MAX_TARBALL = 64 * 1024 * 1024  # refuse anything absurdly larger than the ~16 MB expected


def cache_root() -> Path:
    if os.environ.get("SITEGEN_CACHE"):
        return Path(os.environ["SITEGEN_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sitegen"


def folder() -> Path:
    """Where this version's files are kept: dist/ holds what the browser loads."""
    return cache_root() / f"decap-cms-{VERSION}"


def tarball_url() -> str:
    registry = (os.environ.get("SITEGEN_NPM_REGISTRY") or REGISTRY).rstrip("/")
    return f"{registry}/decap-cms/-/decap-cms-{VERSION}.tgz"


def served(name: str) -> bool:
    """The files of the package's dist/ that the browser needs: the script, its chunks, its
    WebAssembly, and their licence notices (not the source maps or the duplicate cms.js build)."""
    return name == SCRIPT or name.endswith((".decap-cms.js", ".wasm", "decap-cms.js.LICENSE.txt"))


def cached_files() -> dict[str, Path]:
    """File name -> path of every file the editor serves, or {} when this version is not downloaded
    (or its copy cannot be read, or is not byte for byte the pinned one)."""
    return _cached()[0]


def _cached() -> tuple[dict[str, Path], str]:
    """(the served files, "") when the copy in the cache is the pinned one; else ({}, why not, or "" when absent)."""
    dist = folder() / "dist"
    try:
        if not (dist / SCRIPT).is_file():
            return {}, ""
        files = {p.name: p for p in sorted(dist.iterdir()) if p.is_file() and served(p.name)}
        digest = dist_digest({name: path.read_bytes() for name, path in files.items()})
    except OSError as exc:
        return {}, f"the copy of Decap CMS in {folder()} cannot be read ({exc.strerror or exc})"
    if digest != DIST_SHA256:
        return {}, f"the copy of Decap CMS in {folder()} is not the pinned version (its files were changed)"
    return files, ""


def dist_digest(files: dict[str, bytes]) -> str:
    """One sha256 for a set of files: of the lines "NAME SHA256\n" of each, sorted by name."""
    lines = "".join(f"{name} {hashlib.sha256(data).hexdigest()}\n" for name, data in sorted(files.items()))
    return hashlib.sha256(lines.encode()).hexdigest()


def ensure() -> tuple[dict[str, Path], str]:
    """(files, "") when the copy is here or was just downloaded; ({}, why not) when it cannot be had.
    A copy that is not the pinned one is downloaded again."""
    files, why = _cached()
    if files:
        return files, ""
    try:
        fetch()
    except FetchError as exc:
        return {}, f"{why}; {exc}" if why else str(exc)
    files, why = _cached()
    return files, why


class FetchError(Exception):
    pass


def fetch() -> Path:
    """Download the pinned tarball, check it, and unpack the served files into the cache (atomically)."""
    target = folder()
    url = tarball_url()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".decap-") as tmp:
            _fetch_into(Path(tmp), url, target)
    except OSError as exc:
        raise FetchError(f"cannot keep Decap CMS in {target.parent} ({exc.strerror or exc})") from None
    return target


def _fetch_into(tmp: Path, url: str, target: Path) -> None:
    """Download, check and unpack into `tmp`, then move the copy to `target`."""
    tarball = tmp / "decap-cms.tgz"
    try:
        _download(url, tarball)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise FetchError(f"cannot download {url} ({reason})") from None
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    if digest != TARBALL_SHA256:
        raise FetchError(f"{url} is not the expected file (sha256 {digest[:12]}..., expected {TARBALL_SHA256[:12]}...); nothing was kept")
    staging = tmp / "copy"
    (staging / "dist").mkdir(parents=True)
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            name = member.name.removeprefix("package/dist/")
            if member.isfile() and member.name.startswith("package/dist/") and "/" not in name and served(name):
                source = archive.extractfile(member)
                assert source is not None
                with source, open(staging / "dist" / name, "wb") as out:
                    shutil.copyfileobj(source, out)
    if hashlib.sha256((staging / "dist" / SCRIPT).read_bytes()).hexdigest() != SCRIPT_SHA256:
        raise FetchError(f"{SCRIPT} in {url} is not the expected file; nothing was kept")
    if dist_digest({p.name: p.read_bytes() for p in (staging / "dist").iterdir()}) != DIST_SHA256:
        raise FetchError(f"the files in {url} are not the expected ones; nothing was kept")
    shutil.move(str(tarball), staging / f"decap-cms-{VERSION}.tgz")  # kept for the tests that read its config schema
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)


def _download(url: str, dest: Path) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": "sitegen (Decap CMS for the hub's editor)"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response, open(dest, "wb") as out:
        size = 0
        while chunk := response.read(1 << 16):
            size += len(chunk)
            if size > MAX_TARBALL:
                raise OSError("the file is far larger than expected")
            out.write(chunk)


def main() -> int:
    """`python -m sitegen.editor.decap`: download the pinned copy (for CI, or before going offline)."""
    if cached_files():
        print(f"Decap CMS {VERSION} is already in {folder()}", file=sys.stderr)
        return 0
    try:
        fetch()
    except FetchError as exc:
        print(f"sitegen: {exc}", file=sys.stderr)
        return 1
    size = sum(p.stat().st_size for p in cached_files().values())
    print(f"downloaded Decap CMS {VERSION} ({size / 1e6:.1f} MB served) into {folder()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
