"""Bringing the built site up to date in place (writer.update_site): only what changed is written,
the result is byte for byte a cold build, files that leave the site go, and a build that is
interrupted or killed at any step leaves the old site or the new one after the next build, never a mix."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import NOW, PNG, write_files

from sitegen.builder import writer
from sitegen.core.errors import OutputError
from sitegen.builder.api import BuildOptions, build
from sitegen.builder.writer import MARKER

SITE = "title: Hub\nbase_url: https://example.org/hub/\nsearch: false\nnews_per_page: 2\n"


def post(n: int, text: str = "Text.", tags: str = "cpd") -> str:
    return f"---\ntitle: Post {n}\ndate: 2026-03-{n:02d}\ntags: [{tags}]\n---\n{text}\n\nSee [the kit](../resources/kit.md).\n"


def make_hub(root: Path) -> Path:
    files: dict[str, str | bytes] = {"site.yaml": SITE, "content/about.md": "---\ntitle: About\n---\nAbout us.\n",
                                     "content/resources/kit.md": "---\ntitle: Kit\nfile: /files/plan.pdf\n---\nA kit.\n",
                                     "static/files/plan.pdf": b"%PDF-1.4 plan", "static/img/a.png": PNG}
    files.update({f"content/news/2026-03-{n:02d}-post-{n}.md": post(n) for n in range(1, 8)})
    return write_files(root, files)


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and folder (None) under `folder`."""
    return {p.relative_to(folder).as_posix(): None if p.is_dir() else p.read_bytes() for p in sorted(folder.rglob("*"))}


def cold(root: Path, out: Path) -> dict[str, bytes | None]:
    build(root, BuildOptions(output=out, now=NOW, cache=False, jobs=1))
    return tree(out)


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.") and p.name != f".{out.name}.lock")


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, Path]:
    root = make_hub(tmp_path / "hub")
    out = tmp_path / "out"
    build(root, BuildOptions(output=out, now=NOW))
    return root, out


def edit(root: Path) -> None:
    """An edit that changes some files, adds some and removes others (a post, its tag page, a page of the news list)."""
    write_files(root, {"content/news/2026-03-02-post-2.md": post(2, "Changed text.", tags="new-tag")})
    (root / "content/news/2026-03-07-post-7.md").unlink()
    (root / "static/img/a.png").unlink()
    write_files(root, {"static/img/b.png": PNG})


def test_an_edit_writes_only_what_changed_and_gives_a_cold_build(site: tuple[Path, Path], tmp_path: Path) -> None:
    root, out = site
    kept = (out / "about/index.html").stat().st_ino
    write_files(root, {"content/news/2026-03-02-post-2.md": post(2, "Changed text.")})
    result = build(root, BuildOptions(output=out, now=NOW))
    assert tree(out) == cold(root, tmp_path / "cold"), "the same files, bytes and folders as a cold build"
    assert (out / "about/index.html").stat().st_ino == kept, "a file that did not change is left in place"
    assert 0 < result.profile.outputs_rendered < result.pages / 2
    edit(root)
    build(root, BuildOptions(output=out, now=NOW))
    assert tree(out) == cold(root, tmp_path / "cold-2")
    assert not (out / "news/post-7").exists() and not (out / "img/a.png").exists() and (out / "img/b.png").exists()
    assert leftovers(out) == []


def test_files_that_leave_the_site_are_removed_with_their_folders(site: tuple[Path, Path], tmp_path: Path) -> None:
    root, out = site
    write_files(out, {"stray.html": "left by hand", "stray-folder/deep/x.txt": "x"})
    (out / "empty-folder").mkdir()
    for n in range(3, 8):
        (root / f"content/news/2026-03-{n:02d}-post-{n}.md").unlink()
    (root / "static/files/plan.pdf").unlink()
    write_files(root, {"content/resources/kit.md": "---\ntitle: Kit\n---\nA kit.\n"})
    build(root, BuildOptions(output=out, now=NOW))
    assert tree(out) == cold(root, tmp_path / "cold")
    for gone in ("news/post-5", "news/page/3", "files/plan.pdf", "stray.html", "stray-folder", "empty-folder"):
        assert not (out / gone).exists(), gone


def test_nothing_changed_touches_nothing(site: tuple[Path, Path]) -> None:
    root, out = site
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    result = build(root, BuildOptions(output=out, now=NOW))
    assert result.profile.outputs_rendered == 0
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before


def test_a_folder_swapped_for_a_link_out_is_not_written_through(site: tuple[Path, Path], tmp_path: Path) -> None:
    root, out = site
    elsewhere = write_files(tmp_path / "elsewhere", {"post-2/index.html": "not sitegen's", "keep.txt": "mine"})
    before = tree(elsewhere)
    os.rename(out / "news", tmp_path / "old-news")
    os.symlink(elsewhere, out / "news")
    edit(root)
    build(root, BuildOptions(output=out, now=NOW))
    assert tree(elsewhere) == before, "nothing outside the output folder is changed"
    assert not (out / "news").is_symlink()
    assert tree(out) == cold(root, tmp_path / "cold")


def test_a_hub_file_that_stops_replacing_a_generated_one_gives_the_generated_one_back(site: tuple[Path, Path], tmp_path: Path) -> None:
    root, out = site
    write_files(root, {"static/feed.xml": "my own feed"})
    build(root, BuildOptions(output=out, now=NOW))
    assert (out / "feed.xml").read_text() == "my own feed"
    (root / "static/feed.xml").unlink()
    build(root, BuildOptions(output=out, now=NOW))
    assert tree(out) == cold(root, tmp_path / "cold")


def steps_of(root: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many steps the update after `edit` takes (its build is then undone)."""
    seen: list[int] = []
    real = writer._carry_out

    def count(output: Path, update: Path, steps: list[writer.Step]) -> None:
        seen.append(len(steps))
        raise KeyboardInterrupt

    monkeypatch.setattr(writer, "_carry_out", count)
    with pytest.raises(KeyboardInterrupt):
        build(root, BuildOptions(output=out, now=NOW))
    monkeypatch.setattr(writer, "_carry_out", real)
    return seen[0]


def test_an_update_interrupted_at_any_step_leaves_the_previous_site(site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root, out = site
    before = tree(out)
    edit(root)
    total = steps_of(root, out, monkeypatch)
    assert total > 5
    assert tree(out) == before
    real = writer._carry_out
    for done in sorted({*range(0, total, max(1, total // 10)), total - 1}):  # the first step, the last and some between
        def interrupted(output: Path, update: Path, steps: list[writer.Step], done: int = done) -> None:
            real(output, update, steps[:done])
            raise KeyboardInterrupt

        monkeypatch.setattr(writer, "_carry_out", interrupted)
        with pytest.raises(KeyboardInterrupt):
            build(root, BuildOptions(output=out, now=NOW))
        assert tree(out) == before, f"interrupted after {done} of {total} steps"
        assert leftovers(out) == []


def test_a_step_that_fails_puts_the_previous_site_back(site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root, out = site
    before = tree(out)
    edit(root)
    real = os.replace
    calls = []

    def full(src: str, dst: str) -> None:
        calls.extend([dst] if str(dst).startswith(str(out)) else [])
        if len(calls) == 3 and calls[-1] == dst:
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(writer.os, "replace", full)
    with pytest.raises(OutputError, match="No space left on device; the previous site is unchanged"):
        build(root, BuildOptions(output=out, now=NOW))
    monkeypatch.setattr(writer.os, "replace", real)
    assert tree(out) == before
    assert leftovers(out) == []


KILL = textwrap.dedent("""
    import os, sys, datetime as dt
    from pathlib import Path
    from zoneinfo import ZoneInfo
    from sitegen.builder import writer
    from sitegen.builder.api import BuildOptions, build
    real, done = writer._carry_out, int(sys.argv[3])
    def killed(output, update, steps):
        real(output, update, steps[:done])
        os._exit(9)  # as if killed: nothing is cleaned up or undone
    writer._carry_out = killed
    build(Path(sys.argv[1]), BuildOptions(output=Path(sys.argv[2]), now=dt.datetime(2026, 11, 23, 12, 0, tzinfo=ZoneInfo("Europe/London"))))
""")


@pytest.mark.parametrize("where", [0.0, 0.3, 0.7, 1.0])
def test_an_update_killed_part_way_is_finished_by_the_next_build(site: tuple[Path, Path], tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch, where: float) -> None:
    root, out = site
    before = tree(out)
    edit(root)
    after = cold(root, tmp_path / "cold")
    total = steps_of(root, out, monkeypatch)
    killed = subprocess.run([sys.executable, "-c", KILL, str(root), str(out), str(int(total * where))], check=False)
    assert killed.returncode == 9
    assert [name.split("-")[0] for name in leftovers(out)] == [".out.spool", ".out.update"]  # the pages it rendered, and its journal
    if 0 < where < 1:
        assert tree(out) not in (before, after), "the kill left a mix (which the next build repairs)"
    # The next build fails (a broken file), but first repairs what the killed one left: the new site whole.
    write_files(root, {"content/news/2026-03-03-post-3.md": "---\ntitle: Broken\ndate: nonsense\n---\n"})
    assert build_fails(root, out)
    assert tree(out) == after
    assert leftovers(out) == []


def build_fails(root: Path, out: Path) -> bool:
    from sitegen.core.errors import BuildFailed

    try:
        build(root, BuildOptions(output=out, now=NOW))
    except BuildFailed:
        return True
    return False


def test_a_journal_that_cannot_be_carried_out_is_undone(site: tuple[Path, Path]) -> None:
    root, out = site
    before = tree(out)
    update = out.parent / ".out.update-999"
    write_files(update, {"new/1": "new about", "new/2": "new thing"})
    (update / "old").mkdir()
    # As if killed after the first step: about/index.html replaced (its old file kept in old/1).
    os.link(out / "about/index.html", update / "old/1")
    os.replace(update / "new/1", out / "about/index.html")
    steps = [["put", "about/index.html", 1], ["mkdir", "sub", 0], ["put", "sub/thing.html", 2]]
    write_files(out, {"sub": "a file where the update wants a folder"})
    (update / writer.JOURNAL).write_text(__import__("json").dumps({"steps": steps}))
    build(root, BuildOptions(output=out, now=NOW))
    assert leftovers(out) == []
    assert tree(out) == before, "undone, then the build wrote its own site (which the stray file is no part of)"


def test_a_journal_beside_a_folder_sitegen_did_not_make_is_not_carried_out(site: tuple[Path, Path]) -> None:
    root, out = site
    update = out.parent / ".out.update-999"
    write_files(update, {"new/0": "sitegen's", "journal": '{"steps": [["put", "notes.txt", 0]]}'})
    os.rename(out, out.parent / "built")
    write_files(out, {"notes.txt": "someone's own"})
    from sitegen.core.errors import UsageError

    with pytest.raises(UsageError, match="was not made by sitegen"):
        build(root, BuildOptions(output=out, now=NOW))
    assert (out / "notes.txt").read_text() == "someone's own"
    assert MARKER not in os.listdir(out)


def test_discovery_finds_what_resolving_every_path_would(tmp_path: Path) -> None:
    """content.discover resolves only links; the result is that of resolving every file's path."""
    from sitegen.content import discover as content

    root = write_files(tmp_path / "hub", {
        "content/a.md": "a", "content/a-b.md": "x", "content/a/b.md": "x", "content/B.MD": "x", "content/a/plan.pdf": "x",
        "content/.hidden.md": "x", "content/.git/x.md": "x", "content/_draft/x.md": "x", "content/x.md~": "x", "content/x.swp": "x",
        "content/deep/er/still.md": "x", "inside.md": "x", "notes/n.md": "x"})
    outside = write_files(tmp_path / "outside", {"secret.md": "x", "folder/s.md": "x"})
    links = {"content/in.md": root / "inside.md", "content/out.md": outside / "secret.md", "content/folder-in": root / "notes",
             "content/folder-out": outside / "folder", "content/loop.md": root / "content/loop.md", "content/gone.md": root / "nothing"}
    for rel, target in links.items():
        os.symlink(target, root / rel)

    def reference(root: Path) -> tuple[list[str], list[str]]:
        pages, files = [], []
        for path in sorted((root / "content").rglob("*")):
            if content.IGNORED.search(path.relative_to(root / "content").as_posix()) or not path.is_file():
                continue
            if not content.is_inside(path, root):
                continue
            (pages if path.suffix.lower() == ".md" else files).append(path.relative_to(root).as_posix())
        return pages, files

    found = content.discover(root)
    assert found == reference(root)
    assert found == (["content/B.MD", "content/a/b.md", "content/a-b.md", "content/a.md", "content/deep/er/still.md", "content/in.md"],
                     ["content/a/plan.pdf"])
    moved = tmp_path / "elsewhere"
    os.rename(root / "content", moved)
    os.symlink(moved, root / "content")  # content/ itself a link out of the hub: only its links back into the hub lead in
    assert content.discover(root) == reference(root) == (["content/in.md"], [])
