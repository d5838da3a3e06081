"""The wheel of the running sitegen, kept in a hub's `vendor/` folder and pinned in its requirements.txt.

A hub carries the sitegen that builds it, so GitHub Actions, Netlify and Cloudflare Pages install exactly
that version with `pip install -r requirements.txt` from the hub's own files, whether or not that version
is on PyPI (its dependencies do come from the package index). `sitegen init` puts the wheel there;
`sitegen upgrade` replaces it with the running sitegen's.

Where the wheel comes from depends on how sitegen runs:
- from a source checkout (an editable install, or the repository on sys.path): pip builds it from a copy
  of the source, so nothing is written into the checkout (pip fetches setuptools from the package index);
- installed from a wheel (from PyPI or a file): the installed files, as the distribution's RECORD lists and
  hashes them, are packed again into that same wheel.
"""

from __future__ import annotations

import atexit
import base64
import functools
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

from ..core.errors import SitegenError, UsageError

DISTRIBUTION = "sitegen-hub"
VENDOR = "vendor"
PACKAGE = Path(__file__).resolve().parent.parent  # the `sitegen` folder that is running
REQUIREMENTS = Path(__file__).parent / "scaffold" / "requirements.txt"
# A requirements line that installs sitegen: `sitegen-hub==0.1.0`, `sitegen-hub @ git+...`, `./vendor/sitegen_hub-....whl`
SITEGEN_LINE = re.compile(r"^\s*(sitegen[-_]hub\b|\S*sitegen_hub-\S*\.whl\b)", re.IGNORECASE)
# The first line of the comment above the pin, in this scaffold and in the first one (which pinned a version on PyPI)
OUR_HEADERS = ("# The sitegen that builds this site", "# The version of sitegen that builds this site")
NOT_IN_WHEEL = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}  # written by the installer, not the wheel


@functools.cache
def running_wheel() -> Path:
    """The wheel of the running sitegen, made once per process into a temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="sitegen-wheel-"))
    atexit.register(shutil.rmtree, folder, True)
    if is_source_tree(PACKAGE.parent):
        return build_from_source(PACKAGE.parent, folder)
    return repack_installed(folder)


def is_source_tree(root: Path) -> bool:
    try:
        project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8")).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        return False
    return bool(project.get("name") == DISTRIBUTION)


def build_from_source(root: Path, folder: Path) -> Path:
    source = folder / "source"
    shutil.copytree(root / "sitegen", source / "sitegen", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for path in [root / "pyproject.toml", root / "README.md", *root.glob("LICENSE*")]:
        shutil.copy2(path, source / path.name)
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(folder), str(source)]
    done = subprocess.run(command, capture_output=True, text=True)
    wheels = list(folder.glob("sitegen_hub-*.whl"))
    if done.returncode or len(wheels) != 1:
        said = (done.stderr.strip().splitlines() or ["nothing"])[-1]
        raise SitegenError(f"could not make sitegen's wheel from its source in {root}: 'pip wheel' said: {said} "
                           "(it needs pip, and the package index for setuptools)")
    return wheels[0]


def repack_installed(folder: Path) -> Path:
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        raise SitegenError(f"cannot find how sitegen was installed (no {DISTRIBUTION} distribution): "
                           f"install it with pip install {DISTRIBUTION}") from None
    files = dist.files or []
    if Path(str(dist.locate_file("sitegen/__init__.py"))).resolve() != PACKAGE / "__init__.py":
        raise SitegenError(f"the installed {DISTRIBUTION} is not the sitegen that is running ({PACKAGE}): reinstall it")
    info = next((f.parts[0] for f in files if f.name == "RECORD" and f.parts[0].endswith(".dist-info")), None)
    if info is None:
        raise SitegenError(f"the installed {DISTRIBUTION} lists no files (no RECORD): reinstall it")
    members = []
    for file in files:
        if file.parts[0] == ".." or "__pycache__" in file.parts or (file.parts[0] == info and file.name in NOT_IN_WHEEL):
            continue  # the `sitegen` command, compiled files and the installer's records are made when installing
        data = Path(str(dist.locate_file(file))).read_bytes()
        if file.hash and file.hash.mode == "sha256" and digest(data) != file.hash.value:
            raise SitegenError(f"{file} was changed after sitegen was installed: reinstall it with "
                               f"pip install --force-reinstall {DISTRIBUTION}")
        members.append((file.as_posix(), data))
    if "Tag: py3-none-any" not in (dist.read_text("WHEEL") or ""):
        raise SitegenError(f"the installed {DISTRIBUTION} did not come from a py3-none-any wheel: reinstall it")
    path = folder / f"{info.removesuffix('.dist-info')}-py3-none-any.whl"
    write_wheel(path, sorted(members, key=lambda m: (m[0].startswith(info + "/"), m[0])), f"{info}/RECORD")
    return path


def digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def write_wheel(path: Path, members: list[tuple[str, bytes]], record_name: str) -> None:
    """A wheel with a fixed date on every file, so the same installed sitegen always gives the same bytes."""
    record = "".join(f"{name},sha256={digest(data)},{len(data)}\n" for name, data in members) + f"{record_name},,\n"
    with zipfile.ZipFile(path, "w") as wheel:
        for name, data in [*members, (record_name, record.encode())]:
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(entry, data)


def pin(wheel_name: str) -> str:
    """The requirements line: a path pip reads from the hub's folder, where every publishing service runs it."""
    return f"./{VENDOR}/{wheel_name}"


def upgrade_hub(hub: Path) -> tuple[list[str], str]:
    """Put the running sitegen's wheel into the hub and pin it; returns (the wheels removed, the new pin)."""
    if not (hub / "site.yaml").is_file():
        raise UsageError(f"{hub} has no site.yaml: give the folder of a hub")
    wheel = running_wheel()
    requirements = hub / "requirements.txt"
    try:
        text = requirements.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{requirements}: cannot read it ({exc})") from None
    target = hub / VENDOR / wheel.name
    removed = []
    try:  # the new wheel first, then the pin, then the old wheels: a step that fails leaves a hub that installs
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(wheel, target)
        requirements.write_text(repin(text, pin(wheel.name)), encoding="utf-8")
        for old in sorted(target.parent.glob("sitegen_hub-*.whl")):
            if old.name != wheel.name:
                old.unlink()
                removed.append(f"{VENDOR}/{old.name}")
    except OSError as exc:
        raise UsageError(f"{exc.filename or hub}: cannot write it ({exc.strerror})") from None
    return removed, pin(wheel.name)


def repin(text: str, line: str) -> str:
    """requirements.txt with `line` in place of whatever installed sitegen; the comment above it is this
    scaffold's when it was a scaffold's, and every other line is kept."""
    lines = text.splitlines()
    if lines and lines[0].startswith(OUR_HEADERS):
        while lines and lines[0].startswith("#"):
            lines.pop(0)
        header = [h for h in REQUIREMENTS.read_text(encoding="utf-8").splitlines() if h.startswith("#")]
        lines = header + lines
    kept = [old for old in lines if not SITEGEN_LINE.match(old)]
    at = next((i for i, old in enumerate(lines) if SITEGEN_LINE.match(old)), len(lines))
    return "\n".join([*kept[:at], line, *kept[at:]]) + "\n"
