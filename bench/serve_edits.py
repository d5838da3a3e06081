"""Save-to-served times inside `sitegen serve` for six kinds of edit, as medians.

    python bench/synth.py 5000 /tmp/hub5000
    python bench/serve_edits.py /tmp/hub5000              # 5 edits of each kind
    python bench/serve_edits.py /tmp/hub5000 --runs 3 --no-search

The edits: a post's text, a post's tags, a network's members, a post's title, a new post,
a deleted post. Each is timed from the file saved to the changed page served: the server's
reload message, then a GET of the page showing the change (or, for a deleted post, a 404),
as a browser does. The hub's files are changed: use a copy made for the purpose.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

EPOCH = "1790000000"  # the same "now" as bench/run.py


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("hub", type=Path, help="a hub written by bench/synth.py (its files are edited)")
    parser.add_argument("--runs", type=int, default=5, help="edits of each kind (default 5)")
    parser.add_argument("--no-search", action="store_true", help="set `search: false` in the hub's site.yaml first")
    args = parser.parse_args()
    hub: Path = args.hub
    site_yaml = hub / "site.yaml"
    text = re.sub(r"(?m)^search: .*\n", "", site_yaml.read_text())
    site_yaml.write_text(text + ("search: false\n" if args.no_search else ""))
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH

    from sitegen.builder.api import BuildOptions
    from sitegen.serve.server import shutdown, start

    posts = sorted((hub / "content/news").glob("*.md"))
    networks = sorted((hub / "content/networks").glob("*.md"))
    runs = args.runs
    counter = [int(time.time()) % 100_000]

    def number() -> int:
        counter[0] += 1
        return counter[0]

    def post(i: int, offset: int) -> Path:
        return posts[len(posts) * (i + 1) // (runs + 2) + offset]

    def slug(path: Path) -> str:
        return path.stem.split("-", 3)[3]

    def text_edit(i: int) -> tuple[str, str | None]:
        p, n = post(i, 0), number()
        p.write_text(p.read_text() + f"\nAn edited paragraph, number {n}.\n")
        return f"/news/{slug(p)}/", f"number {n}"

    def tags_edit(i: int) -> tuple[str, str | None]:
        p, n = post(i, 1), number()
        p.write_text(re.sub(r"(?m)^tags: .*$", f"tags: [tag-{n % 40}, bench-tag-{n}]", p.read_text(), count=1))
        return f"/news/{slug(p)}/", f"bench-tag-{n}"

    def members_edit(i: int) -> tuple[str, str | None]:
        p, n = networks[len(networks) * (i + 1) // (runs + 2)], number()
        school = n % 700
        p.write_text(re.sub(r"(?m)^members: \[(.*)\]$", lambda m: f"members: [{m.group(1)}, school-{school}]", p.read_text(), count=1))
        return f"/networks/{p.stem}/", f"School {school}<"

    def title_edit(i: int) -> tuple[str, str | None]:
        p, n = post(i, 2), number()
        p.write_text(re.sub(r"(?m)^title: .*$", f'title: "Retitled post {n}"', p.read_text(), count=1))
        return f"/news/{slug(p)}/", f"Retitled post {n}"

    def new_post(i: int) -> tuple[str, str | None]:
        n = number()
        (hub / f"content/news/2026-09-1{i % 10}-brand-new-{n}.md").write_text(
            f'---\ntitle: "Brand new {n}"\ndate: "2026-09-1{i % 10}"\ntags: [tag-3, fresh-{n}]\nnetworks: [network-4]\n---\nNew text {n}.\n')
        return f"/news/brand-new-{n}/", f"Brand new {n}"

    def deleted_post(i: int) -> tuple[str, str | None]:
        p = post(i, 3)
        p.unlink()
        return f"/news/{slug(p)}/", None

    edits: dict[str, Callable[[int], tuple[str, str | None]]] = {
        "text": text_edit, "tags": tags_edit, "members": members_edit, "title": title_edit, "new post": new_post, "deleted post": deleted_post}
    log = io.StringIO()
    server = start(hub, BuildOptions(base_url="/"), "127.0.0.1", 0, out=log)
    base = f"http://127.0.0.1:{server.http.server_address[1]}"  # type: ignore[union-attr]

    def get(path: str) -> str:
        try:
            return urllib.request.urlopen(base + path).read().decode()
        except urllib.error.HTTPError as exc:
            return f"HTTP {exc.code}"

    times: dict[str, list[float]] = {name: [] for name in edits}
    try:
        time.sleep(0.5)
        events = urllib.request.urlopen(base + "/__sitegen/events", timeout=120)
        for i in range(runs):
            for name, edit in edits.items():
                started = time.perf_counter()
                path, marker = edit(i)
                while time.perf_counter() - started < 30:
                    if events.readline() != b"data: reload\n":
                        continue
                    events.readline()
                    body = get(path)
                    if (marker in body) if marker else body.startswith("HTTP 404"):
                        break
                else:
                    raise SystemExit(f"{name}: {path} never showed the edit\n{log.getvalue()[-2000:]}")
                times[name].append(time.perf_counter() - started)
                time.sleep(1.0)  # as a writer does: the server finishes in the background meanwhile
        events.close()
    finally:
        shutdown(server)
    for name, values in times.items():
        print(f"{name:<13} median {statistics.median(values) * 1000:4.0f} ms   ({', '.join(f'{v * 1000:.0f}' for v in values)})")


if __name__ == "__main__":
    main()
