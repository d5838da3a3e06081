"""Warm publishing: the hub's workflow keeps `.sitegen-cache/` and `_site/` between runs
(actions/cache), and every run starts from a fresh clone, where every file has a new modification
time. A build there with the kept folders restored must be byte for byte a cold build of the same
clone, and must reuse what did not change."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import NOW, PNG

import sitegen
from sitegen.builder.api import BuildOptions
from sitegen.cli.main import main

KEPT = (".sitegen-cache", "_site")  # what publish.yml's cache step keeps
POSTS = 12


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "init.defaultBranch=main", *args],
                   cwd=cwd, check=True, capture_output=True)


def post(n: int, words: str = "") -> str:
    return f"---\ntitle: Visit {n}\ndate: 2026-10-{n + 1:02d}\nimage: /img/visit-{n}.png\nimage_alt: Pupils on visit {n}\n---\nWe went out. {words}\n"


def origin_hub(root: Path) -> Path:
    """A hub from `sitegen init` with a dozen news posts, each with its own picture, in a git repository."""
    hub = root / "origin"
    assert main(["init", str(hub), "--base-url", "https://example.org/hub/"]) == 0
    for n in range(POSTS):
        (hub / f"content/news/2026-10-{n + 1:02d}-visit-{n}.md").write_text(post(n))
        (hub / "static/img").mkdir(parents=True, exist_ok=True)
        (hub / f"static/img/visit-{n}.png").write_bytes(PNG)
    git(hub, "init")
    git(hub, "add", "-A")
    git(hub, "commit", "-m", "The first version")
    return hub


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def keep(repo: Path, saved: Path, times: bool) -> None:
    """What actions/cache does after a run: keep the folders (its tar keeps modification times to the nanosecond)."""
    for name in KEPT:
        shutil.copytree(repo / name, saved / name, copy_function=shutil.copy2 if times else shutil.copyfile)


def fresh_clone(origin: Path, repo: Path, saved: Path | None) -> None:
    """A new run: a fresh clone at the same place (as on a CI runner), with the kept folders restored."""
    shutil.rmtree(repo, ignore_errors=True)
    git(origin.parent, "clone", "--quiet", str(origin), str(repo))
    if saved is not None:
        for name in KEPT:
            shutil.copytree(saved / name, repo / name, copy_function=shutil.copy2)


@pytest.mark.parametrize("times", [True, False], ids=["times-kept", "times-lost"])
def test_a_fresh_clone_with_the_kept_build_builds_what_a_cold_build_does(tmp_path: Path, times: bool) -> None:
    origin, repo, saved = origin_hub(tmp_path), tmp_path / "runner" / "hub", tmp_path / "saved"
    options = BuildOptions(now=NOW)
    fresh_clone(origin, repo, None)
    first = sitegen.build(repo, options)
    assert first.profile.pages_cached == 0 and first.profile.pages_read > POSTS
    keep(repo, saved, times)

    # Between the runs, on github.com: one post edited, one deleted, one added.
    (origin / "content/news/2026-10-02-visit-1.md").write_text(post(1, "And it rained."))
    (origin / "content/news/2026-10-03-visit-2.md").unlink()
    (origin / "content/news/2026-10-20-visit-19.md").write_text(post(19).replace("visit-19.png", "visit-0.png"))
    git(origin, "add", "-A")
    git(origin, "commit", "-m", "Edits")

    fresh_clone(origin, repo, saved)
    warm = sitegen.build(repo, options)
    profile = warm.profile
    print(f"\n{profile.report()}")
    # Content is kept by its bytes: only the two changed files are read, whatever their new times.
    assert (profile.pages_read, profile.pages_cached) == (2, first.profile.pages_read - 2)
    outputs = profile.outputs_reused + profile.outputs_rendered
    # The pages that show none of the three posts are taken from the kept site: by their size and time, or,
    # where the times were lost, by their bytes.
    assert profile.outputs_reused > outputs // 2, profile.report()
    assert not (repo / "_site/news/visit-2").exists() and (repo / "_site/news/visit-19/index.html").is_file()

    cold = sitegen.build(repo, BuildOptions(now=NOW, cache=False, output=tmp_path / "cold"))
    assert cold.profile.pages_read == first.profile.pages_read and cold.profile.outputs_reused == 0
    warm_files, cold_files = files(repo / "_site"), files(tmp_path / "cold")
    assert warm_files.keys() == cold_files.keys()
    assert [name for name in warm_files if warm_files[name] != cold_files[name]] == []
    assert "And it rained." in warm_files["news/visit-1/index.html"].decode()


def test_a_clone_in_another_folder_with_the_kept_build_renders_nothing(tmp_path: Path) -> None:
    """Where the runner checks the hub out does not matter: the build is known by the output folder's place in the hub."""
    origin, saved = origin_hub(tmp_path), tmp_path / "saved"
    first_runner, second_runner = tmp_path / "runner-1" / "hub", tmp_path / "elsewhere" / "runner-2" / "hub"
    fresh_clone(origin, first_runner, None)
    assert sitegen.build(first_runner, BuildOptions(now=NOW)).profile.outputs_rendered > 0
    keep(first_runner, saved, times=True)
    fresh_clone(origin, second_runner, saved)
    warm = sitegen.build(second_runner, BuildOptions(now=NOW))
    assert warm.profile.outputs_rendered == 0 and warm.profile.pages_read == 0, warm.profile.report()
    cold = sitegen.build(second_runner, BuildOptions(now=NOW, cache=False, output=tmp_path / "cold"))
    assert files(second_runner / "_site") == files(tmp_path / "cold")


def test_the_publish_workflow_keeps_the_build_between_runs(tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    assert main(["init", str(hub)]) == 0
    workflow = yaml.safe_load((hub / ".github/workflows/publish.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    cache = steps[uses.index("actions/cache@v4")]
    build = next(i for i, s in enumerate(steps) if s.get("run", "").startswith("sitegen build"))
    assert uses.index("actions/checkout@v4") < uses.index("actions/cache@v4") < build  # restored before the build
    assert cache["with"]["path"].split() == list(KEPT)
    version_and_settings = "sitegen-${{ hashFiles('requirements.txt') }}-${{ hashFiles('site.yaml') }}-"
    assert cache["with"]["key"] == version_and_settings + "${{ github.run_id }}"  # a fresh cache saved by every run
    assert cache["with"]["restore-keys"].splitlines() == [version_and_settings, "sitegen-${{ hashFiles('requirements.txt') }}-"]
    daily = yaml.safe_load((hub / ".github/workflows/daily-rebuild.yml").read_text())
    assert all("sitegen build" not in s.get("run", "") for s in daily["jobs"]["rebuild"]["steps"])  # it only asks the host

    netlify = tomllib.loads((hub / "netlify.toml").read_text())
    assert netlify["plugins"] == [{"package": "netlify-plugin-cache", "inputs": {"paths": list(KEPT)}}]
