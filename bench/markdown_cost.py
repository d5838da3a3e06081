"""Markdown cost per document: sitegen's own Markdown function on every text of a hub, median in ms.

    python bench/synth.py 5000 /tmp/bench/hub        # the benchmark corpus
    python bench/markdown_cost.py /tmp/bench/hub

It times `sitegen.content.markdown.render` (the engine and everything sitegen does on its output:
links, heading ids, checks) on each file's body, 3 rounds, and prints the median and total.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitegen.config.siteyaml import DEFAULT_MARKDOWN_EXTENSIONS  # noqa: E402
from sitegen.content import markdown as markup  # noqa: E402
from sitegen.content.read import body_of  # noqa: E402


def bodies(hub: Path) -> list[tuple[str, str, int]]:
    found = []
    for path in sorted((hub / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        body = body_of(text)
        if body is not None:
            found.append((body[0], path.relative_to(hub).as_posix(), body[1]))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("hub", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    docs = bodies(args.hub)
    per_doc: list[list[float]] = [[] for _ in docs]
    for _ in range(args.rounds):
        for i, (text, source, line) in enumerate(docs):
            started = time.perf_counter()
            markup.render(text, source, line, DEFAULT_MARKDOWN_EXTENSIONS)
            per_doc[i].append(time.perf_counter() - started)
    best = [min(times) for times in per_doc]
    print(f"{len(docs)} documents: median {statistics.median(best) * 1000:.3f} ms per document, "
          f"total {sum(best):.2f} s (best of {args.rounds} rounds each)")


if __name__ == "__main__":
    main()
