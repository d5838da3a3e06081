"""Save-to-served latency of `sitegen serve`: the time from writing a file to the dev server
sending the changed page, on the example hub and on a synthetic hub of N items.

    python bench/bench_serve.py                 # example hub and a 5,000-item hub, 15 edits each
    python bench/bench_serve.py --items 5000 --edits 30

Each edit changes the title of one news post (so its page, the listings, feeds, related posts
and the home page change). The clock runs, as a browser would see it, from the write until
the server has sent its reload message and a GET of the post's page returns the new title.
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import REPO, synthetic_hub  # noqa: E402
from sitegen.pipeline import BuildOptions  # noqa: E402
from sitegen.serve import shutdown, start  # noqa: E402


def measure(root: Path, post: Path, url_path: str, edits: int) -> tuple[list[float], float]:
    started = time.perf_counter()
    server = start(root, BuildOptions(base_url="/"), "127.0.0.1", 0, out=io.StringIO())
    first = time.perf_counter() - started
    port = server.http.server_address[1]  # type: ignore[union-attr]
    url = f"http://127.0.0.1:{port}{url_path}"
    original = post.read_text()
    times = []
    try:
        time.sleep(0.5)
        events = urllib.request.urlopen(f"http://127.0.0.1:{port}/__sitegen/events", timeout=30)
        for n in range(edits):
            marker = f"Edited title {n}"
            text = re.sub(r"(?m)^title:.*$", f'title: "{marker}"', original, count=1)
            start_time = time.perf_counter()
            post.write_text(text)
            while True:  # as a browser does: wait for the server's reload message, then fetch the page
                if events.readline() != b"data: reload\n":
                    continue
                events.readline()  # the blank line that ends the message
                if marker in urllib.request.urlopen(url).read().decode():
                    break
            times.append(time.perf_counter() - start_time)
            time.sleep(0.3)
        events.close()
    finally:
        post.write_text(original)
        shutdown(server)
    return times, first


def report(name: str, times: list[float], first: float) -> None:
    ms = [t * 1000 for t in times]
    print(f"{name}: first build {first:.2f}s; save-to-served median {statistics.median(ms):.0f} ms, "
          f"min {min(ms):.0f} ms, max {max(ms):.0f} ms ({len(ms)} edits)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--edits", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        example = Path(tmp) / "example"
        for part in ("content", "data", "static", "templates", "site.yaml"):
            (shutil.copytree if (REPO / part).is_dir() else shutil.copy)(REPO / part, example / part)
        post = example / "content/news/2026-03-05-book-swap-week.md"
        report("example hub", *measure(example, post, "/news/book-swap-week/", args.edits))
        hub = synthetic_hub(Path(tmp) / "hub", args.items)
        post = sorted((hub / "content/news").glob("*.md"))[len(list((hub / "content/news").glob("*.md"))) // 2]
        slug = post.stem.split("-", 3)[3]
        report(f"synthetic hub, {args.items} items", *measure(hub, post, f"/news/{slug}/", args.edits))


if __name__ == "__main__":
    main()
