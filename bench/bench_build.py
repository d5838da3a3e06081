"""Time full builds: the example hub, and a synthetic hub of N items.

    python bench/bench_build.py            # example hub and a 1,000-item hub, 5 runs each
    python bench/bench_build.py --items 5000 --runs 3

Prints the median, min and max wall time of `sitegen build` (in-process, after one warm-up run).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitegen.pipeline import BuildOptions, build  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SUBJECTS = ["English", "mathematics", "science", "history", "geography", "computing", "music", "SEND"]
STAGES = ["EYFS", "KS1", "KS2", "KS3", "KS4"]


def synthetic_hub(root: Path, items: int) -> Path:
    """A hub with `items` content files spread over the kinds as a real network's would be."""
    rng = random.Random(7)
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text("title: Bench Hub\nbase_url: https://example.org/bench/\n")
    networks = max(3, items // 200)
    schools = max(10, items // 10)
    for i in range(networks):
        members = ", ".join(f"school-{rng.randrange(schools)}" for _ in range(8))
        write(root / f"content/networks/network-{i}.md", f"title: Network {i}\nmembers: [{members}]", "A network.")
    for i in range(schools):
        write(root / f"content/schools/school-{i}.md", f"title: School {i}\nurn: {900000 + i}\nphase: primary", "A school.")
    rest = max(0, items - networks - schools)
    for i in range(rest):
        kind = ("news", "resources", "events")[i % 3]
        nets = f"networks: [network-{rng.randrange(networks)}]"
        body = "\n\n".join(f"Paragraph {p} with **bold**, a [link](../networks/network-0.md) and more words." for p in range(6))
        if kind == "news":
            day = 1 + i % 28
            write(root / f"content/news/2025-{1 + i % 12:02d}-{day:02d}-post-{i}.md",
                  f"title: Post {i}\ndate: 2025-{1 + i % 12:02d}-{day:02d}\ntags: [tag-{i % 20}]\n{nets}", body)
        elif kind == "resources":
            write(root / f"content/resources/resource-{i}.md",
                  f"title: Resource {i}\nsubjects: [{rng.choice(SUBJECTS)}]\nkey_stages: [{rng.choice(STAGES)}]\n{nets}", body)
        else:
            write(root / f"content/events/2026-{1 + i % 12:02d}-01-event-{i}.md",
                  f'title: Event {i}\nstart: "2026-{1 + i % 12:02d}-01 16:00"\n{nets}', body)
    return root


def write(path: Path, meta: str, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{meta}\n---\n{body}\n")


def time_builds(root: Path, out: Path, runs: int) -> list[float]:
    build(root, BuildOptions(output=out))  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        build(root, BuildOptions(output=out))
        times.append(time.perf_counter() - start)
    return times


def report(name: str, times: list[float]) -> None:
    print(f"{name}: median {statistics.median(times):.3f}s  min {min(times):.3f}s  max {max(times):.3f}s  ({len(times)} runs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=1000, help="items in the synthetic hub (default 1000)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report("example hub", time_builds(REPO, Path(tmp) / "example", args.runs))
        hub = synthetic_hub(Path(tmp) / "hub", args.items)
        report(f"synthetic hub, {args.items} items", time_builds(hub, Path(tmp) / "out", args.runs))


if __name__ == "__main__":
    main()
