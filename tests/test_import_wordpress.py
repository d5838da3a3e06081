"""`sitegen import wordpress`: WordPress exports written here, imported into real hubs, which are then built."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from sitegen.cli.main import main

SITE = "https://oldschool.example.org"
UP = f"{SITE}/wp-content/uploads"
SECRET = "The governors' confidential budget figure is 31337"


def meta(**values: str) -> str:
    return "".join(f"<wp:postmeta><wp:meta_key>{k}</wp:meta_key><wp:meta_value><![CDATA[{v}]]></wp:meta_value></wp:postmeta>"
                   for k, v in values.items())


def item(id: int, title: str, type: str = "post", status: str = "publish", slug: str = "", link: str = "", content: str = "",
         excerpt: str = "", date: str = "2024-03-01 10:30:00", gmt: str = "", parent: int = 0, password: str = "", order: int = 0,
         extra: str = "", creator: str = "ahead") -> str:
    slug = slug or title.lower().replace(" ", "-")
    link = link or f"{SITE}/{date[:4]}/{date[5:7]}/{slug}/"
    gmt = gmt or date
    return f"""<item><title>{title}</title><link>{link}</link><dc:creator><![CDATA[{creator}]]></dc:creator>
<content:encoded><![CDATA[{content}]]></content:encoded><excerpt:encoded><![CDATA[{excerpt}]]></excerpt:encoded>
<wp:post_id>{id}</wp:post_id><wp:post_date>{date}</wp:post_date><wp:post_date_gmt>{gmt}</wp:post_date_gmt>
<wp:post_name>{slug}</wp:post_name><wp:status>{status}</wp:status><wp:post_parent>{parent}</wp:post_parent>
<wp:menu_order>{order}</wp:menu_order><wp:post_type>{type}</wp:post_type><wp:post_password>{password}</wp:post_password>
{extra}</item>"""


def wxr(*items: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Old School Network</title><link>{SITE}</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>{SITE}</wp:base_site_url><wp:base_blog_url>{SITE}</wp:base_blog_url>
<wp:author><wp:author_login>ahead</wp:author_login><wp:author_display_name><![CDATA[Ann Head]]></wp:author_display_name></wp:author>
{"".join(items)}
</channel></rss>"""


CLASSIC = f"""Pupils from <strong>four schools</strong> read together.
They met in the library.

[caption id="attachment_50" align="alignnone" width="300"]<img src="{UP}/2024/03/reading-300x200.jpg" alt="Pupils reading" /> Reading week in March[/caption]

<h2>What we read</h2>
<ul>
<li>Poetry</li>
<li>Stories</li>
</ul>
<blockquote>Reading is dreaming with open eyes.</blockquote>
<table><tr><th>School</th><th>Books</th></tr><tr><td>Millbrook</td><td>120</td></tr></table>

[gallery ids="50,51"]

[embed]https://www.youtube.com/watch?v=abc123[/embed]

[audio mp3="{UP}/2024/03/assembly.mp3"][/audio]

[contact-form-7 id="12" title="Contact us"]

See the <a href="{UP}/2024/03/plan.pdf">reading plan</a> and <a href="{SITE}/about/">about us</a>."""

GUTENBERG = """<!-- wp:paragraph -->
<p>Our <em>maths</em> day was a success.</p>
<!-- /wp:paragraph -->

<!-- wp:heading {"level":3} -->
<h3>Highlights</h3>
<!-- /wp:heading -->

<!-- wp:list -->
<ul><li>Puzzles</li><li>Games<ul><li>Dominoes</li></ul></li></ul>
<!-- /wp:list -->

<!-- wp:html -->
<iframe src="https://www.youtube.com/embed/XyZ987" title="Maths day film"></iframe>
<!-- /wp:html -->"""


def export_items() -> list[str]:
    return [
        item(1, "Reading week", content=CLASSIC, excerpt="Four schools read together.",
             extra='<category domain="category" nicename="reading"><![CDATA[Reading]]></category>'
                   '<category domain="post_tag" nicename="ks2"><![CDATA[KS2]]></category>'
                   '<category domain="category" nicename="uncategorized"><![CDATA[Uncategorized]]></category>' + meta(_thumbnail_id="50")),
        item(2, "Maths day", content=GUTENBERG, date="2024-05-02 15:00:00", gmt="2024-05-02 14:00:00"),
        item(3, "Draft thoughts", status="draft", link=f"{SITE}/?p=3", content="<p>Not yet.</p>"),
        item(4, "Waiting for review", status="pending", link=f"{SITE}/?p=4", content="<p>Pending.</p>"),
        item(5, "Staff only", status="private", content="<p>Private words.</p>"),
        item(6, "Spring term dates", status="future", date="2027-03-01 09:00:00", content="<p>Dates.</p>"),
        item(7, "Budget", password="letmein", content=f"<p>{SECRET}</p>", excerpt=SECRET),
        item(8, "Binned", status="trash", content="<p>Gone.</p>"),
        item(20, "About", type="page", slug="about", link=f"{SITE}/about/", content="<p>We are a network.</p>", order=1),
        item(21, "Our team", type="page", slug="team", link=f"{SITE}/about/team/", parent=20, content="<p>The team.</p>"),
        item(22, "News", type="page", slug="news", link=f"{SITE}/news/", content=""),
        item(30, "Book fair", type="tribe_events", slug="book-fair", link=f"{SITE}/event/book-fair/", content="<p>Come along.</p>",
             extra=meta(_EventStartDate="2026-12-10 16:00:00", _EventEndDate="2026-12-10 18:30:00", _EventTimezone="America/New_York",
                        _EventVenueID="40", _EventURL="https://tickets.example.org/fair", _EventCost="5", _EventCurrencySymbol="£")),
        item(31, "Sports day", type="tribe_events", slug="sports-day", link=f"{SITE}/event/sports-day/", content="<p>All day.</p>",
             extra=meta(_EventStartDate="2026-12-12 00:00:00", _EventEndDate="2026-12-12 23:59:59", _EventAllDay="yes",
                        _EventTimezone="Europe/London")),
        item(40, "Millbrook Hall", type="tribe_venue", extra=meta(_VenueAddress="1 Mill Lane", _VenueCity="Millbrook", _VenueZip="WN1 2AB")),
        item(50, "reading", type="attachment", status="inherit", parent=1,
             extra=f"<wp:attachment_url>{UP}/2024/03/reading.jpg</wp:attachment_url>" + meta(_wp_attachment_image_alt="Pupils reading")),
        item(51, "hall", type="attachment", status="inherit", parent=1,
             extra=f"<wp:attachment_url>{UP}/2024/03/hall.jpg</wp:attachment_url>" + meta(_wp_attachment_image_alt="The school hall")),
        item(60, "Recipes", type="recipe", content="<p>Cake.</p>"),
        item(70, "", type="nav_menu_item", order=1, extra='<category domain="nav_menu" nicename="main"><![CDATA[Main]]></category>'
             + meta(_menu_item_type="post_type", _menu_item_object="page", _menu_item_object_id="20", _menu_item_menu_item_parent="0")),
        item(71, "Latest news", type="nav_menu_item", order=2, extra='<category domain="nav_menu" nicename="main"><![CDATA[Main]]></category>'
             + meta(_menu_item_type="post_type", _menu_item_object="page", _menu_item_object_id="22", _menu_item_menu_item_parent="0")),
        item(72, "Elsewhere", type="nav_menu_item", order=3, extra='<category domain="nav_menu" nicename="main"><![CDATA[Main]]></category>'
             + meta(_menu_item_type="custom", _menu_item_url="https://council.example.org/", _menu_item_menu_item_parent="0")),
    ]


def photo_with_gps() -> bytes:
    img = Image.new("RGB", (640, 480), (40, 120, 90))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPS
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def setup(tmp_path: Path):
    root = tmp_path / "hub"
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text("title: Test Hub\nbase_url: https://example.org/hub/\n", encoding="utf-8")
    export = tmp_path / "export.xml"
    export.write_text(wxr(*export_items()), encoding="utf-8")
    uploads = tmp_path / "uploads"
    (uploads / "2024/03").mkdir(parents=True)
    (uploads / "2024/03/reading.jpg").write_bytes(photo_with_gps())  # only the original: the -300x200 size falls back to it
    (uploads / "2024/03/hall.jpg").write_bytes(photo_with_gps())
    (uploads / "2024/03/plan.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    return root, export, uploads


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def everything_built(out: Path) -> str:
    """Every file of the built site as text, Pagefind's compressed index included."""
    texts = []
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            texts.append(data.decode("utf-8", "replace"))
    return "\n".join(texts)


def test_an_export_becomes_news_pages_and_events_that_build(setup, capsys) -> None:
    root, export, uploads = setup
    code, out, err = run(capsys, "import", "wordpress", str(export), "--uploads", str(uploads), "--dir", str(root))
    assert code == 0, err
    news = (root / "content/news/2024-03-01-reading-week.md").read_text(encoding="utf-8")
    assert 'title: "Reading week"\ndate: "2024-03-01 10:30"\nauthor: "Ann Head"\nsummary: "Four schools read together."' in news
    assert 'tags:\n  - "Reading"\n  - "KS2"\nimage: "/uploads/2024/03/reading.jpg"\nimage_alt: "Pupils reading"' in news
    assert 'aliases:\n  - "/2024/03/reading-week/"' in news
    assert "![Pupils reading](/uploads/2024/03/reading.jpg)\n\n*Reading week in March*" in news  # [caption], resized copy -> original
    assert "## What we read" in news and "- Poetry" in news and "> Reading is dreaming" in news and "| Millbrook | 120 |" in news
    assert "![The school hall](/uploads/2024/03/hall.jpg)" in news  # [gallery ids]
    assert "<https://www.youtube.com/watch?v=abc123>" in news and "[Listen to the recording](" in news
    assert '[contact-form-7 id="12" title="Contact us"]' in news  # unknown shortcode: left as text
    assert "[reading plan](/uploads/2024/03/plan.pdf)" in news and "[about us](../about.md)" in news
    assert "four schools** read together.  \nThey met" in news  # a classic post's paragraphs and line breaks
    maths = (root / "content/news/2024-05-02-maths-day.md").read_text(encoding="utf-8")
    assert "wp:" not in maths and "### Highlights" in maths and "- Games\n    - Dominoes" in maths
    assert "[Maths day film (on YouTube)](https://www.youtube.com/watch?v=XyZ987)" in maths and "iframe" not in maths
    for name, expected in (("draft-thoughts", "draft: true"), ("waiting-for-review", "draft: true"), ("staff-only", "draft: true")):
        assert expected in next((root / "content/news").glob(f"*-{name}.md")).read_text(encoding="utf-8")
    assert 'publish_date: "2027-03-01 09:00"' in (root / "content/news/2027-03-01-spring-term-dates.md").read_text(encoding="utf-8")
    assert not list((root / "content/news").glob("*binned*"))
    assert (root / "content/about.md").is_file() and 'title: "Our team"' in (root / "content/about/team.md").read_text(encoding="utf-8")
    assert not (root / "content/news.md").exists()  # WordPress's empty posts page: the hub has /news/
    fair = (root / "content/events/2026-12-10-book-fair.md").read_text(encoding="utf-8")
    assert 'start: "2026-12-10 16:00-05:00"\nend: "2026-12-10 18:30-05:00"' in fair
    assert 'location: "Millbrook Hall, 1 Mill Lane, Millbrook, WN1 2AB"\nbooking_url: "https://tickets.example.org/fair"\ncost: "£5"' in fair
    sports = (root / "content/events/2026-12-12-sports-day.md").read_text(encoding="utf-8")
    assert 'start: "2026-12-12"\n' in sports and "end:" not in sports
    site_yaml = (root / "site.yaml").read_text(encoding="utf-8")
    assert '{title: "About", url: "/about/"}' in site_yaml and '{title: "Latest news", url: "/news/"}' in site_yaml
    assert "council.example.org" not in site_yaml and '{title: "Events", url: "/events/"}' in site_yaml
    report = (root / "import-report.md").read_text(encoding="utf-8")
    assert report in err
    for expected in ("| news | publish | 2 |", "| news | protected | 1 |", "| events | publish | 2 |", "**Budget**", "'recipe'",
                     '[contact-form-7 id="12" title="Contact us"]', "**Binned**", "player of YouTube now a link"):
        assert expected in report
    # the secret of the protected post is nowhere: not in the hub, not in the site, its feed or its search index
    assert all(SECRET.encode() not in data for data in tree(root).values())
    code, _, err = run(capsys, "build", str(root))
    assert code == 0, err
    built = root / "_site"
    assert SECRET not in everything_built(built)
    assert "/hub/2024/03/reading-week/ /hub/news/reading-week/ 301" in (built / "_redirects").read_text(encoding="utf-8")
    assert (built / "2024/03/reading-week/index.html").is_file()
    assert "Millbrook Hall" in (built / "events/book-fair/index.html").read_text(encoding="utf-8")
    assert "youtube.com/embed" not in everything_built(built)
    for picture in built.rglob("reading*.jpg"):
        with Image.open(picture) as img:
            assert 0x8825 not in img.getexif() and 0x010F not in img.getexif()  # camera and GPS stripped by the image pipeline
    assert (root / "static/uploads/2024/03/reading.jpg").read_bytes() == (uploads / "2024/03/reading.jpg").read_bytes()


def test_without_uploads_the_report_lists_each_missing_file_and_the_hub_builds(setup, capsys) -> None:
    root, export, _ = setup
    code, _, err = run(capsys, "import", "wordpress", str(export), "--dir", str(root))
    assert code == 0, err
    report = (root / "import-report.md").read_text(encoding="utf-8")
    assert f"**Reading week** (`content/news/2024-03-01-reading-week.md`) <{SITE}/2024/03/reading-week/>: uses {UP}/2024/03/plan.pdf" in report
    assert "featured image" in report and "assembly.mp3" in report
    news = (root / "content/news/2024-03-01-reading-week.md").read_text(encoding="utf-8")
    assert "image:" not in news and "[Picture: Pupils reading](" in news  # a link, not a picture loaded from the old site
    assert not (root / "static").exists()
    code, _, err = run(capsys, "build", str(root))
    assert code == 0, err


def test_a_second_import_changes_nothing_and_a_persons_edit_is_kept(setup, capsys) -> None:
    root, export, uploads = setup
    args = ("import", "wordpress", str(export), "--uploads", str(uploads), "--dir", str(root))
    assert run(capsys, *args)[0] == 0
    first = tree(root)
    code, _, err = run(capsys, *args)
    assert code == 0 and "wrote 0 file(s)" in err
    assert tree(root) == first
    edited = root / "content/news/2024-05-02-maths-day.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nAdded by the head.\n", encoding="utf-8")
    code, _, err = run(capsys, *args)
    assert code == 0 and "Added by the head." in edited.read_text(encoding="utf-8")
    assert "content/news/2024-05-02-maths-day.md was changed by a person since the last import" in err
    manifest = json.loads((root / ".sitegen-import.json").read_text(encoding="utf-8"))
    assert "content/news/2024-03-01-reading-week.md" in manifest["files"]


def test_a_file_already_in_the_hub_is_not_overwritten(setup, capsys) -> None:
    root, export, _ = setup
    (root / "content/about.md").write_text("---\ntitle: Our own about page\n---\nMine.\n", encoding="utf-8")
    code, _, err = run(capsys, "import", "wordpress", str(export), "--dir", str(root))
    assert code == 0
    assert (root / "content/about.md").read_text(encoding="utf-8").endswith("Mine.\n")
    assert "content/about.md was already there" in (root / "import-report.md").read_text(encoding="utf-8")


def test_dry_run_writes_nothing_and_prints_the_report(setup, capsys) -> None:
    root, export, uploads = setup
    before = tree(root)
    code, out, err = run(capsys, "import", "wordpress", str(export), "--uploads", str(uploads), "--dry-run", "--dir", str(root))
    assert code == 0 and "| news | publish | 2 |" in out and "would write" in err
    assert tree(root) == before


BOMB = """<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><rss><channel>&lol2;</channel></rss>"""


@pytest.mark.parametrize("text, message", [
    ("This is not XML at all", "not well-formed XML"),
    (wxr(*export_items())[:3000], "cut short"),
    ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title></feed>', "an Atom feed"),
    ('<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title><item><title>x</title></item></channel></rss>',
     "an RSS feed, not a WordPress export"),
    (BOMB, "declares XML entities"),
], ids=["not-xml", "truncated", "atom", "rss-feed", "entities"])
def test_bad_exports_are_refused_with_a_clear_message_and_nothing_written(setup, capsys, text: str, message: str) -> None:
    root, export, _ = setup
    export.write_text(text, encoding="utf-8")
    before = tree(root)
    code, _, err = run(capsys, "import", "wordpress", str(export), "--dir", str(root))
    assert code == 1 and message in err and str(export) in err and "Traceback" not in err and "internal error" not in err
    assert tree(root) == before


def test_a_huge_export_is_refused_with_how_to_split_it(setup, capsys) -> None:
    root, export, _ = setup
    export.write_bytes(wxr(*export_items()).encode() + b" " * (2 * 1024 * 1024))
    before = tree(root)
    code, _, err = run(capsys, "import", "wordpress", str(export), "--dir", str(root), "--max-size", "1")
    assert code == 1 and "Tools > Export" in err and "--max-size 3" in err
    assert tree(root) == before


def test_the_commands_help(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "import" in capsys.readouterr().out
    for args in (["import", "--help"], ["import", "wordpress", "--help"]):
        with pytest.raises(SystemExit) as exit:
            main(args)
        assert exit.value.code == 0 and "wordpress" in capsys.readouterr().out
