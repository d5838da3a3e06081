"""What a build records grows with the hub, not with its square (issue 25): no output reads the whole of a
collection to learn one fact about it; and the build writes each page as it is rendered rather than holding the site."""

from __future__ import annotations

import errno
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from conftest import NOW, write_files

from sitegen.builder.api import BuildOptions, build
from sitegen.builder.driver import Driver
from sitegen.core.errors import OutputError

SITE = "title: Scaling Hub\nbase_url: https://example.org/\nlanguage: en-GB\nsearch: false\n"


def hub(root: Path, items: int) -> Path:
    """`items` posts, events and resources, and a network for every ten of them that no post names (an empty feed each)."""
    files: dict[str, str | bytes] = {"site.yaml": SITE}
    for n in range(items // 10):
        files[f"content/networks/net-{n}.md"] = f"---\ntitle: Network {n}\n---\nA network.\n"
    for n in range(items):
        day = 1 + n % 28
        date = f"2026-{1 + n % 10:02d}-{day:02d}"
        files[f"content/news/{date}-post-{n}.md"] = (
            f"---\ntitle: Post {n}\ndate: {date}\ntags: [tag-{n % 7}]\n---\nThe text of post {n}, with [a link](../resources/res-{n}.md).\n")
        files[f"content/resources/res-{n}.md"] = f"---\ntitle: Resource {n}\nsubjects: [history]\ntype: worksheet\n---\nA sheet.\n"
    return write_files(root, files)


def recorded(root: Path) -> tuple[int, int]:
    """(what every output of a cold build read, in keys; how many outputs)."""
    driver = Driver(root, BuildOptions(now=NOW), jobs=1, in_memory=True, persistent=False)
    driver.run()
    records = driver.tracker.graph.records
    return sum(len(record.keys) for record in records.values()), len(records)


def test_recorded_dependencies_grow_linearly(tmp_path: Path) -> None:
    counts = {n: recorded(hub(tmp_path / str(n), n)) for n in (100, 200, 400)}
    per_output = {n: keys / outputs for n, (keys, outputs) in counts.items()}
    # Each output reads about as much in a hub four times as large (a listing page reads its own ten posts, a feed its
    # twenty): a feed that read every post to date itself, once per network, made this grow with the hub's square.
    assert per_output[400] < 1.3 * per_output[100], per_output
    assert counts[400][0] < 5 * counts[100][0], counts


def render_peak(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """(the most memory the render stage of a cold build took above what there was when it began, in bytes;
    how many outputs it rendered), traced in this process (one job: the pages are rendered here)."""
    peaks = []
    real = Driver._render

    def traced(self: Driver, *args: Any, **kwargs: Any) -> Any:
        start = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        try:
            return real(self, *args, **kwargs)
        finally:
            peaks.append(tracemalloc.get_traced_memory()[1] - start)

    monkeypatch.setattr(Driver, "_render", traced)
    tracemalloc.start()
    try:
        result = build(root, BuildOptions(now=NOW, jobs=1, cache=False))
    finally:
        tracemalloc.stop()
    return max(peaks), len(result.rendered)


def test_the_build_does_not_hold_the_rendered_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small, large = (render_peak(hub(tmp_path / str(n), n), monkeypatch) for n in (100, 400))
    per_output = (large[0] - small[0]) / (large[1] - small[1])
    # Measured: 7 KB an output more (what each output read, kept for the next build). Holding every page, and the
    # cycles rendering leaves, until the site was written: 22 KB.
    assert per_output < 12_000, per_output
    in_memory = dict(build(tmp_path / "400", BuildOptions(now=NOW, write=False)).rendered)
    assert (tmp_path / "400/_site/news/post-399/index.html").read_bytes() == in_memory["news/post-399/index.html"]


def test_a_disk_that_fills_while_workers_spool_leaves_the_previous_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = hub(tmp_path / "hub", 40)
    build(root, BuildOptions(now=NOW, jobs=2))
    before = {p: p.read_bytes() for p in (root / "_site").rglob("*") if p.is_file()}
    real = Path.write_bytes

    def full(self: Path, data: bytes) -> int:  # in the forked workers too: the spool is full
        if ".spool-" in str(self):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(OutputError, match=f"cannot write the site into {root / '_site'}: No space left on device; the previous site is unchanged"):
        build(root, BuildOptions(now=NOW, jobs=2, cache=False))
    assert {p: p.read_bytes() for p in (root / "_site").rglob("*") if p.is_file()} == before
    assert not list(tmp_path.glob("hub/._site.spool-*"))
