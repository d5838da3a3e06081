"""What a build records grows with the hub, not with its square (issue 25): no output reads the whole of a
collection to learn one fact about it."""

from __future__ import annotations

from pathlib import Path

from conftest import NOW, write_files

from sitegen.builder.api import BuildOptions
from sitegen.builder.driver import Driver

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
