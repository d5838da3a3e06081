"""Time the search index and measure its size: the example hub, and a synthetic hub of N items.

    python bench/bench_search.py               # example hub and a 5,000-item hub
    python bench/bench_search.py --items 1000

For each hub: the pages indexed, Pagefind's time on the built site (the post-process stage of a
build), the index's files and size (and what a search downloads: the script, WebAssembly and
metadata before the first result), and the dev server's time to index again after one edit.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import write_hub  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

from sitegen.serve.rebuild import Rebuilder
from sitegen.builder.api import BuildOptions, build
from sitegen.serve.search_index import DevIndex


def measure(name: str, root: Path, out: Path) -> None:
    result = build(root, BuildOptions(output=out))
    index = result.search
    assert index is not None, "search is off: is Pagefind installed?"
    bundle = out / "pagefind"
    parts = [bundle, *(p for p in bundle.glob("part-*") if p.is_dir())]  # every part's entry and metadata
    first = sum(p.stat().st_size for p in [bundle / "pagefind.js", bundle / "parts.json", *bundle.glob("wasm.*.pagefind"),
                                           *(f for part in parts for f in [part / "pagefind-entry.json", *part.glob("*.pf_meta")])]
                if p.name != "wasm.unknown.pagefind")
    print(f"{name}: {index.pages} pages indexed in {len(parts)} parts in {index.seconds:.2f}s (whole build {result.seconds:.2f}s); "
          f"index {index.files} files, {index.bytes / 1024:.0f} KB; a first search loads about {first / 1024:.0f} KB")

    rebuilder = Rebuilder(root, BuildOptions(drafts=True))
    rebuilder.rebuild(None)
    dev = DevIndex()
    try:
        dev.update(rebuilder.files, None, "en-GB")
        started = time.perf_counter()
        dev.get("pagefind.js")
        cold = time.perf_counter() - started
        page = next(f for f, body in rebuilder.files.items() if b"data-pagefind-body" in body)
        rebuilder.files[page] = rebuilder.files[page].replace(b"</main>", b"<p>an edit</p></main>")
        dev.update(rebuilder.files, {page}, "en-GB")
        started = time.perf_counter()
        dev.get("pagefind.js")
        print(f"{name}, dev server: first index {cold:.2f}s; again after one edit {time.perf_counter() - started:.2f}s")
    finally:
        dev.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=5000, help="items in the synthetic hub (default 5000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        measure("example hub", REPO, Path(tmp) / "example")
        measure(f"synthetic hub, {args.items} items", write_hub(args.items, Path(tmp) / "hub") and Path(tmp) / "hub", Path(tmp) / "out")


if __name__ == "__main__":
    main()
