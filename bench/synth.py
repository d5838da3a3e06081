"""A seeded generator of synthetic hubs in the real layout, for benchmarks.

    python bench/synth.py 5000 /tmp/hub5000            # a sitegen hub of 5,000 items
    python bench/synth.py 5000 /tmp/hub5000 --hugo /tmp/hugo5000   # and the same content as a Hugo site
    python bench/synth.py 5000 /tmp/hub5000 --eleventy /tmp/11ty5000   # and as Eleventy input

N items are about 60% news, 25% resources, 10% events and 5% networks; the networks'
member schools come on top (three per network, shared). Every item has 3-4 KB of
Markdown with headings, lists, links to other items, a table and an image. The same
seed always gives the same files, so runs can be compared.
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

SUBJECTS = ["English", "mathematics", "science", "history", "geography", "computing", "music", "art and design", "SEND", "PSHE"]
STAGES = ["EYFS", "KS1", "KS2", "KS3", "KS4", "KS5"]
PHASES = ["primary", "secondary", "special", "all-through"]
TYPES = ["lesson plan", "slides", "case study", "guidance", "worksheet"]
TAGS = [f"tag-{i}" for i in range(40)]
WORDS = ("reading phonics fluency vocabulary oracy maths reasoning fractions science enquiry curriculum leaders "
         "transition assessment feedback pupils teachers schools network partnership planning moderation writing "
         "inclusion wellbeing families attendance outdoor learning history geography music computing sessions").split()
IMAGES = ["visit", "classroom", "conference", "library", "field-trip"]


def png(seed: int) -> bytes:
    """A real 640x400 picture (sitegen cleans and resizes every picture it publishes)."""
    from PIL import Image

    picture = Image.linear_gradient("L").resize((640, 400)).convert("RGB")
    picture.putpixel((seed, seed), (seed * 40 % 256, 90, 160))
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


@dataclass
class Item:
    kind: str
    path: str  # under content/
    meta: dict[str, object]
    body: str


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def body(rng: random.Random, links: list[tuple[str, str]]) -> str:
    """3-4 KB of Markdown: headings, paragraphs, a list, links to other items, a table and an image."""
    parts = [sentence(rng, 30) + " " + sentence(rng, 25)]
    for section in range(2):
        parts.append(f"## {sentence(rng, 4)[:-1]}")
        target_title, target = rng.choice(links)
        parts.append(f"{sentence(rng, 28)} See [{target_title}]({target}) for more. {sentence(rng, 22)}")
        parts.append("\n".join(f"- {sentence(rng, 7)}" for _ in range(4)))
        if section == 1:
            parts.append("| Session | Time | Who |\n|---|---|---|\n" + "\n".join(
                f"| {sentence(rng, 3)[:-1]} | {9 + r}:00 | {rng.choice(WORDS)} leads |" for r in range(4)))
            image = rng.choice(IMAGES)
            parts.append(f"![Pupils at a {image.replace('-', ' ')}](/img/{image}.png)")
        parts.append(f"{sentence(rng, 35)} **{sentence(rng, 4)}** {sentence(rng, 30)} [The DfE](https://www.gov.uk/government/organisations/department-for-education).")
    return "\n\n".join(parts) + "\n"


def items(n: int, seed: int = 7) -> list[Item]:
    """The content of a hub of `n` items (plus the schools its networks name)."""
    rng = random.Random(seed)
    networks = max(2, n * 5 // 100)
    events = n * 10 // 100
    resources = n * 25 // 100
    news = n - networks - events - resources
    schools = networks * 3
    out: list[Item] = []
    for i in range(schools):
        out.append(Item("schools", f"schools/school-{i}.md", {"title": f"School {i}", "urn": 900000 + i, "phase": rng.choice(PHASES)},
                        sentence(rng, 20) + "\n"))
    links = [(f"Network {i}", f"../networks/network-{i}.md") for i in range(networks)]
    links += [(f"Resource {i}", f"../resources/resource-{i}.md") for i in range(0, resources, 7)]
    for i in range(networks):
        members = sorted({f"school-{rng.randrange(schools)}" for _ in range(4)})
        out.append(Item("networks", f"networks/network-{i}.md",
                        {"title": f"Network {i}", "focus": sentence(rng, 6), "members": members}, body(rng, links)))
    for i in range(news):
        day = 1 + rng.randrange(28)
        month = 1 + rng.randrange(12)
        year = 2020 + rng.randrange(6)
        date = f"{year}-{month:02d}-{day:02d}"
        meta: dict[str, object] = {"title": f"Post {i}: {sentence(rng, 5)[:-1]}", "date": date, "author": "A. Head",
                                   "tags": sorted(set(rng.sample(TAGS, 2))), "networks": [f"network-{rng.randrange(networks)}"]}
        out.append(Item("news", f"news/{date}-post-{i}.md", meta, body(rng, links)))
    for i in range(resources):
        meta = {"title": f"Resource {i}: {sentence(rng, 4)[:-1]}", "subjects": [rng.choice(SUBJECTS)], "key_stages": [rng.choice(STAGES)],
                "phases": [rng.choice(PHASES)], "type": rng.choice(TYPES), "networks": [f"network-{rng.randrange(networks)}"],
                "date": f"{2021 + rng.randrange(5)}-{1 + rng.randrange(12):02d}-01"}
        out.append(Item("resources", f"resources/resource-{i}.md", meta, body(rng, links)))
    for i in range(events):
        month = 1 + rng.randrange(12)
        year = 2025 + rng.randrange(3)
        start = f"{year}-{month:02d}-{1 + rng.randrange(28):02d} 16:00"
        meta = {"title": f"Event {i}: {sentence(rng, 4)[:-1]}", "start": start, "location": f"School {rng.randrange(schools)}",
                "networks": [f"network-{rng.randrange(networks)}"]}
        out.append(Item("events", f"events/{start[:10]}-event-{i}.md", meta, body(rng, links)))
    return out


def front_matter(meta: dict[str, object]) -> str:
    lines = []
    for key, value in meta.items():
        if isinstance(value, list):
            lines.append(f"{key}: [{', '.join(str(v) for v in value)}]")
        elif isinstance(value, str) and (":" in value or value[:1].isdigit()):
            lines.append(f'{key}: "{value}"')
        else:
            lines.append(f"{key}: {value}")
    return "---\n" + "\n".join(lines) + "\n---\n"


def write_hub(n: int, root: Path, seed: int = 7) -> list[Item]:
    """Write a sitegen hub of `n` items into `root` (replaced if it exists); returns its items."""
    if root.exists():
        shutil.rmtree(root)
    (root / "static/img").mkdir(parents=True)
    for i, image in enumerate(IMAGES):
        (root / f"static/img/{image}.png").write_bytes(png(i))
    (root / "site.yaml").write_text("title: Bench Hub\nbase_url: https://example.org/bench/\ndescription: A synthetic hub.\n")
    generated = items(n, seed)
    for item in generated:
        path = root / "content" / item.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(front_matter(item.meta) + item.body)
    return generated


# Hugo: the same content, with layouts that make the same kinds of pages (item pages, section
# lists with pagination, tag pages, RSS, sitemap), so the comparison is like for like.
HUGO_CONFIG = """baseURL = "https://example.org/bench/"
title = "Bench Hub"
disableKinds = []
[pagination]
  pagerSize = 10
[taxonomies]
  tag = "tags"
  network = "networks"
[markup.goldmark.renderer]
  unsafe = true
"""
HUGO_LAYOUTS = {
    "baseof.html": """<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>{{ .Title }} – {{ site.Title }}</title>
<meta name="description" content="{{ .Summary | plainify | truncate 180 }}"><link rel="canonical" href="{{ .Permalink }}"></head>
<body><header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav><ul>{{ range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav></header>
<main>{{ block "main" . }}{{ end }}</main><footer>{{ site.Title }}</footer></body></html>
""",
    "single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Date.Format "2 January 2006" }}</p>
<div class="prose">{{ .Content }}</div>
{{ with .GetTerms "tags" }}<p>Tags: {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
{{ with .GetTerms "networks" }}<p>Networks: {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
</article>
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
{{ $related := site.RegularPages.Related . | first 3 }}{{ with $related }}<h2>Related</h2>
<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
{{ end }}
""",
    "list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ $pages := .Paginate .Pages }}
<ul>{{ range $pages.Pages }}<li><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Summary | plainify | truncate 180 }}</p></li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
""",
    "home.html": """{{ define "main" }}<h1>{{ site.Title }}</h1><h2>Latest news</h2><ul>{{ range first 5 (where site.RegularPages "Section" "news") }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
""",
}


def web_links(text: str) -> str:
    """Links between content files as links between pages: an item's page is a folder one level deeper."""
    return text.replace("](../", "](../../").replace(".md)", "/)")


def write_hugo(generated: list[Item], root: Path) -> None:
    """The same items as a Hugo site: content/<kind>/..., with dates and taxonomies Hugo understands."""
    if root.exists():
        shutil.rmtree(root)
    (root / "static/img").mkdir(parents=True)
    for i, image in enumerate(IMAGES):
        (root / f"static/img/{image}.png").write_bytes(png(i))
    (root / "hugo.toml").write_text(HUGO_CONFIG)
    layouts = root / "layouts/_default"
    layouts.mkdir(parents=True)
    for name, text in HUGO_LAYOUTS.items():
        (layouts / name).write_text(text)
    (root / "layouts/index.html").write_text('{{ define "main" }}' + HUGO_LAYOUTS["home.html"].split('{{ define "main" }}', 1)[1])
    (root / "layouts/_default/baseof.html").write_text(HUGO_LAYOUTS["baseof.html"])
    for item in generated:
        meta = dict(item.meta)
        if item.kind == "events":
            meta["date"] = str(meta["start"]).replace(" ", "T") + ":00"
        meta.pop("members", None)
        path = root / "content" / item.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(front_matter(meta) + web_links(item.body))


# Eleventy: the same items as its input, beside the committed templates of bench/eleventy/site/
# (the config, bench/eleventy/eleventy.config.js, is given to `eleventy --config`).
ELEVENTY = Path(__file__).resolve().parent / "eleventy"


def write_eleventy(generated: list[Item], root: Path) -> None:
    """The same items as Eleventy input: <kind>/..., with the dates Eleventy sorts by and links to pages."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(ELEVENTY / "site", root)
    (root / "img").mkdir()
    for i, image in enumerate(IMAGES):
        (root / f"img/{image}.png").write_bytes(png(i))
    for item in generated:
        meta = dict(item.meta)
        if item.kind == "events":
            meta["date"] = str(meta["start"])[:10]
        path = root / item.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(front_matter(meta) + web_links(item.body))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("items", type=int)
    parser.add_argument("dir", type=Path)
    parser.add_argument("--hugo", type=Path, metavar="DIR", help="also write the same content as a Hugo site into DIR")
    parser.add_argument("--eleventy", type=Path, metavar="DIR", help="also write the same content as Eleventy input into DIR")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generated = write_hub(args.items, args.dir, args.seed)
    if args.hugo:
        write_hugo(generated, args.hugo)
    if args.eleventy:
        write_eleventy(generated, args.eleventy)
    print(f"wrote {len(generated)} content files into {args.dir}")


if __name__ == "__main__":
    main()
