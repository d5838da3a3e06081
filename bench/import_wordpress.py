"""Time `sitegen import wordpress` on a generated export of 1,000 posts (the target: under 30 s).

    python bench/import_wordpress.py [--posts 1000]

Writes the export and a fresh hub into a temporary folder, imports, and prints the seconds taken; then imports
again (nothing to write) and prints that too."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from sitegen.cli.main import main

BODY = """<!-- wp:paragraph -->
<p>Teachers from <strong>{n} schools</strong> met to plan the <a href="https://old.example.org/2020/01/post-{prev}/">next</a> term.</p>
<!-- /wp:paragraph -->
<!-- wp:list -->
<ul><li>Reading</li><li>Maths<ul><li>Fractions</li></ul></li></ul>
<!-- /wp:list -->
<!-- wp:image -->
<figure><img src="https://old.example.org/wp-content/uploads/2020/01/photo-{n}.jpg" alt="Photo {n}"/></figure>
<!-- /wp:image -->
[caption id="a" width="300"]<img src="https://old.example.org/wp-content/uploads/2020/01/c-{n}.jpg" alt="Caption {n}" /> A caption[/caption]
<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>
"""


def export(posts: int) -> str:
    items = []
    for n in range(posts):
        day = f"20{10 + n % 15:02d}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        items.append(f"""<item><title>Post {n}</title><link>https://old.example.org/{day[:4]}/{day[5:7]}/post-{n}/</link>
<dc:creator>ahead</dc:creator><content:encoded><![CDATA[{BODY.format(n=n, prev=max(n - 1, 0))}]]></content:encoded>
<excerpt:encoded><![CDATA[Summary {n}]]></excerpt:encoded><wp:post_id>{n + 1}</wp:post_id>
<wp:post_date>{day} 10:00:00</wp:post_date><wp:post_date_gmt>{day} 09:00:00</wp:post_date_gmt><wp:post_name>post-{n}</wp:post_name>
<wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order><wp:post_type>post</wp:post_type>
<wp:post_password></wp:post_password><category domain="category" nicename="news"><![CDATA[News]]></category></item>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Old</title>
<link>https://old.example.org</link><wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>https://old.example.org</wp:base_blog_url>
<wp:author><wp:author_login>ahead</wp:author_login><wp:author_display_name>A. Head</wp:author_display_name></wp:author>
{"".join(items)}</channel></rss>"""


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "export.xml").write_text(export(args.posts), encoding="utf-8")
        hub = folder / "hub"
        (hub / "content").mkdir(parents=True)
        (hub / "site.yaml").write_text("title: Bench\nbase_url: https://example.org/\n", encoding="utf-8")
        for label in ("import", "again"):
            start = time.perf_counter()
            code = main(["import", "wordpress", str(folder / "export.xml"), "--dir", str(hub)])
            seconds = time.perf_counter() - start
            if code:
                sys.exit(code)
            print(f"{label}: {args.posts} posts in {seconds:.2f}s", file=sys.__stderr__)


if __name__ == "__main__":
    run()
