"""Pictures: published without their metadata, upright, resized for the page, and cached."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from conftest import JPEG, PNG, image_bytes
from PIL import Image, ImageCms, ImageDraw, PngImagePlugin

NEWS = "content/news/2026-03-10-visit.md"
CAMERA = {0x010F: "Google", 0x0110: "Pixel 7 Pro", 0x0131: "HDR+ 1.0.5"}  # Make, Model, Software
GPS = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 40.2), 6: 42.0}  # 51°30'12.5"N 0°07'40.2"W
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description>Secret XMP</rdf:Description></rdf:RDF></x:xmpmeta>'
# What must appear in no published file: camera, software, place, comments, and the markers of each kind of metadata.
SECRETS = [b"Google", b"Pixel 7", b"HDR+", b"Secret", b"xmpmeta", b"Exif\x00\x00", b"tEXt", b"iTXt", b"zTXt", b"eXIf",
           b"iCCP", b"ICC_PROFILE", b"EXIF", b"XMP ", b"ICCP"]


def news(body: str = "Text.", **fields: str) -> str:
    extra = "".join(f"{k}: {v}\n" for k, v in fields.items())
    return f"---\ntitle: A visit\ndate: 2026-03-10\n{extra}---\n{body}\n"


def camera_photo() -> bytes:
    """A phone photo as it leaves the phone: camera details, GPS position, a comment, XMP and an ICC profile."""
    img = Image.new("RGB", (1800, 1200), (40, 110, 190))
    ImageDraw.Draw(img).rectangle((0, 0, 600, 300), fill=(220, 30, 30))
    exif = Image.Exif()
    for tag, value in CAMERA.items():
        exif[tag] = value
    exif[0x8825] = GPS
    out = io.BytesIO()
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    img.save(out, "JPEG", exif=exif, comment=b"Secret comment", xmp=XMP, icc_profile=profile, quality=90)
    return out.getvalue()


def sideways_photo() -> bytes:
    """A portrait phone photo stored on its side, with EXIF Orientation 6 ("turn 90 degrees clockwise to show")."""
    upright = Image.new("RGB", (600, 1000), (30, 30, 200))
    ImageDraw.Draw(upright).rectangle((0, 0, 600, 250), fill=(230, 20, 20))  # red at the top when upright
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x0110] = "Pixel 7 Pro"
    out = io.BytesIO()
    upright.transpose(Image.Transpose.ROTATE_90).save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_with_text() -> bytes:
    img = Image.new("RGBA", (900, 500), (250, 200, 0, 255))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Secret comment")
    info.add_text("Author", "Secret author", zip=True)
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    exif = Image.Exif()
    exif[0x0110] = "Pixel 7 Pro"
    out = io.BytesIO()
    img.save(out, "PNG", pnginfo=info, exif=exif, icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    return out.getvalue()


@pytest.fixture
def photos(hub):  # type: ignore[no-untyped-def]
    files = {
        "static/img/trip.jpg": camera_photo(),
        "content/news/sideways.jpg": sideways_photo(),
        "static/img/poster.png": png_with_text(),
    }
    site = hub({
        **files,
        NEWS: news("![The river](/img/trip.jpg)\n\n![A pupil reading](sideways.jpg)\n\n![Our poster](/img/poster.png)",
                   image="/img/trip.jpg", image_alt="Pupils by the river"),
    })
    site.sources = {rel: hashlib.sha256(data).hexdigest() for rel, data in files.items()}
    return site


def published_pictures(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.suffix in (".jpg", ".png", ".webp", ".gif"))


def test_published_pictures_have_no_metadata_are_upright_and_the_originals_are_untouched(photos) -> None:  # type: ignore[no-untyped-def]
    assert photos.build().code == 0
    published = published_pictures(photos.out)
    names = {p.relative_to(photos.out).as_posix() for p in published}
    assert {"img/trip.jpg", "img/trip-400w.webp", "img/trip-1600w.webp", "img/trip-1200w.jpg", "news/sideways.jpg",
            "news/sideways-600w.webp", "img/poster.png", "img/poster-900w.webp"} <= names
    for path in published:
        data = path.read_bytes()
        for secret in SECRETS:
            assert secret not in data, f"{path.name} still holds {secret!r}"
        with Image.open(path) as img:
            assert not img.getexif(), path.name
            assert not set(img.info) & {"exif", "icc_profile", "comment", "xmp", "XML:com.adobe.xmp", "Comment", "Author"}, path.name
            assert not getattr(img, "text", {}), path.name
    for name in ("news/sideways.jpg", "news/sideways-400w.webp"):
        with Image.open(photos.out / name) as img:
            width, height = img.size
            assert height > width, f"{name} is upright (portrait)"
            top, bottom = img.convert("RGB").getpixel((width // 2, 5)), img.convert("RGB").getpixel((width // 2, height - 5))
            assert top[0] > 180 and top[2] < 90 and bottom[2] > 150, f"{name}: red at the top, blue at the bottom"
    with Image.open(photos.out / "img/poster.png") as img:
        assert img.mode == "RGBA" and img.size == (900, 500)
    for rel, digest in photos.sources.items():
        assert hashlib.sha256((photos.root / rel).read_bytes()).hexdigest() == digest, f"{rel} is untouched"


def test_pages_get_sizes_srcset_and_loading_hints(photos) -> None:  # type: ignore[no-untyped-def]
    assert photos.build().code == 0
    page = photos.html("news/visit/index.html")
    imgs = page.select("main img")
    assert [i["alt"] for i in imgs] == ["Pupils by the river", "The river", "A pupil reading", "Our poster"]
    lead, river, sideways, poster = imgs
    assert (lead["width"], lead["height"]) == ("1800", "1200")
    assert (sideways["width"], sideways["height"]) == ("600", "1000"), "the size of the picture once upright"
    assert lead.get("loading") is None and lead["fetchpriority"] == "high", "the first picture loads at once"
    for img in (river, sideways, poster):
        assert img["loading"] == "lazy" and img["decoding"] == "async"
    assert lead["src"] == "/hub/img/trip-1200w.jpg", "old browsers get a JPEG no wider than 1200 px"
    assert poster["src"] == "/hub/img/poster.png"
    source = lead.find_parent("picture").source
    assert source["type"] == "image/webp"
    assert source["srcset"] == ("/hub/img/trip-400w.webp 400w, /hub/img/trip-800w.webp 800w, "
                                "/hub/img/trip-1200w.webp 1200w, /hub/img/trip-1600w.webp 1600w")
    assert source["sizes"]
    assert sideways.find_parent("picture").source["srcset"] == "/hub/news/sideways-400w.webp 400w, /hub/news/sideways-600w.webp 600w"
    og = {m["property"]: m["content"] for m in page.select("meta[property^='og:image']")}
    assert og["og:image"] == "https://example.org/hub/img/trip-1200w.jpg"
    assert (og["og:image:width"], og["og:image:height"]) == ("1200", "800")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["image"] == "https://example.org/hub/img/trip-1200w.jpg"


def test_a_rebuild_uses_the_cache_and_gives_the_same_bytes(photos, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert photos.build().code == 0
    first = {p.relative_to(photos.out).as_posix(): p.read_bytes() for p in photos.out.rglob("*") if p.is_file()}
    assert (photos.root / ".sitegen-cache" / "images").is_dir()

    def no_work(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a picture was processed again")

    with monkeypatch.context() as patched:
        patched.setattr("sitegen.media.process.process", no_work)
        assert photos.build().code == 0
    cached = {p.relative_to(photos.out).as_posix(): p.read_bytes() for p in photos.out.rglob("*") if p.is_file()}
    assert cached == first
    import shutil

    shutil.rmtree(photos.root / ".sitegen-cache")  # safe to delete: the next build makes it again, byte for byte
    assert photos.build().code == 0
    again = {p.relative_to(photos.out).as_posix(): p.read_bytes() for p in photos.out.rglob("*") if p.is_file()}
    assert again == first


def test_a_changed_picture_is_processed_again(photos) -> None:  # type: ignore[no-untyped-def]
    assert photos.build().code == 0
    photos.write({"static/img/poster.png": image_bytes("PNG", (500, 300), (200, 0, 0))})
    assert photos.build().code == 0
    with Image.open(photos.out / "img/poster.png") as img:
        assert img.size == (500, 300) and img.convert("RGB").getpixel((1, 1)) == (200, 0, 0)
    assert not (photos.out / "img/poster-900w.webp").exists()


def test_a_picture_that_cannot_be_read_is_an_error_and_nothing_is_written(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"static/img/broken.jpg": b"\xff\xd8\xff\xe0 not really a photo", "static/img/phone.HEIC": b"....ftypheic",
                NEWS: news()})
    run = site.build()
    assert run.code == 1
    assert run.lines == [
        "static/img/broken.jpg: cannot be read as a JPEG image (it is damaged, or not really a JPEG): open it and save or export it again",
        ("static/img/phone.HEIC: is an iPhone HEIC photo, which browsers cannot show and sitegen cannot strip of its location "
         "and camera details: export it as JPEG (or PNG) and use that"),
        "2 error(s): nothing was written",
    ]
    assert not site.out.exists()


def test_svg_lead_images_and_pages_without_one_use_the_default_image(hub) -> None:  # type: ignore[no-untyped-def]
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 360"><rect width="640" height="360"/></svg>'
    site = hub({"static/img/drawing.svg": svg, "static/img/share.png": image_bytes("PNG", (1200, 630)),
                NEWS: news("![A drawing](/img/drawing.svg)", image="/img/drawing.svg", image_alt="A drawing"),
                "content/about.md": "---\ntitle: About\n---\nText.\n"},
               site_yaml="title: Hub\nbase_url: https://example.org/\ndefault_image: /img/share.png\n")
    assert site.build().code == 0
    post = site.html("news/visit/index.html")
    og = {m["property"]: m["content"] for m in post.select("meta[property^='og:image']")}
    assert og["og:image"] == "https://example.org/img/share.png", "social sites do not show SVG: the default image stands in"
    assert json.loads(post.find("script", type="application/ld+json").string)["image"] == "https://example.org/img/share.png"
    drawing = post.select("main img")[1]
    assert (drawing["width"], drawing["height"]) == ("640", "360"), "an SVG's size comes from its viewBox"
    about = site.html("about/index.html")
    assert about.find("meta", property="og:image")["content"] == "https://example.org/img/share.png"


def test_default_image_must_be_a_jpeg_or_png_that_exists(hub) -> None:  # type: ignore[no-untyped-def]
    run = hub({NEWS: news()}, site_yaml="title: Hub\ndefault_image: /img/share.svg\n").build()
    assert run.lines[0] == "site.yaml:2: default_image: must be the path of a JPEG or PNG file in static/, such as /img/share.png (social sites do not show SVG)"
    run = hub({NEWS: news(), "static/img/shar.png": PNG}, site_yaml="title: Hub\ndefault_image: /img/share.png\n").build()
    assert run.lines[0] == 'site.yaml: default_image: "/img/share.png" does not exist (did you mean /img/shar.png?); put a JPEG or PNG in static/'


def test_file_links_show_format_and_size_and_names_may_have_spaces(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({
        "content/resources/plan.md": "---\ntitle: Plan\nfile: Year 6 plan.pdf\n---\nAlso [the sheet](<Year 6 sheet.pdf>), [the same](Year%206%20sheet.pdf) "
                                      "and [the data](/files/data.csv).\n",
        "content/resources/Year 6 plan.pdf": b"%PDF" + b"x" * 2400,
        "content/resources/Year 6 sheet.pdf": b"%PDF" + b"x" * 1200,
        "static/files/data.csv": "a,b\n1,2\n",
    })
    assert site.build().code == 0
    page = site.html("resources/plan/index.html")
    links = {a.get_text(): a["href"] for a in page.select(".prose a")}
    assert links == {"the sheet (PDF, 1 KB)": "/hub/resources/Year%206%20sheet.pdf", "the same (PDF, 1 KB)": "/hub/resources/Year%206%20sheet.pdf",
                     "the data (CSV, 8 bytes)": "/hub/files/data.csv"}
    button = page.select_one("a[download]")
    assert "PDF, 2 KB" in button.get_text() and button["href"] == "/hub/resources/Year%206%20plan.pdf"
    assert (site.out / "resources" / "Year 6 plan.pdf").is_file()
    card = site.html("resources/index.html").select_one("[data-resources] li")
    assert "PDF, 2 KB" in card.get_text(), "cards show the download's format and size too"


def test_files_over_large_file_mb_get_a_warning(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({NEWS: news(), "static/files/film.mp4": b"0" * 30_000}, site_yaml="title: Hub\nlarge_file_mb: 0.02\n")
    run = site.build()
    assert run.code == 0
    assert ("static/files/film.mp4: is 30 KB, over large_file_mb (0.02 MB): large files are slow to download on school networks "
            "(and GitHub Pages refuses files over 100 MB) (warning)") in run.lines


def test_check_reports_very_large_originals_and_pictures_shown_much_smaller(hub, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sitegen.media.pictures.LARGE_BYTES", 5_000)
    site = hub({"static/img/trip.jpg": camera_photo(), "static/img/badge.png": image_bytes("PNG", (1000, 1000)),
                NEWS: news('![The river](/img/trip.jpg)\n\n<img src="/img/badge.png" alt="Our badge" width="40">')})
    run = site.run("check")
    assert run.code == 0
    assert ("static/img/trip.jpg: is a very large original (1800 x 1200 px, 38 KB): sitegen publishes smaller copies, but the "
            "full-size file is published too and slows every build; 2000 px wide is plenty for a website (warning)") in run.lines
    assert ("static/img/badge.png: is 1000 px wide but shown 40 px wide (on /news/visit/index.html): visitors download far more "
            "than they see; make a copy about 80 px wide and use that (warning)") in run.lines
    assert not (site.root / "_site").exists() and not (site.root / ".sitegen-cache").exists(), "check writes nothing"


def test_hero_from_site_yaml_and_from_index_md(hub) -> None:  # type: ignore[no-untyped-def]
    site_yaml = ("title: Hub\nhero:\n  text: Schools learning from each other.\n  image: /img/hero.jpg\n"
                 "  image_alt: Teachers planning together\n  action: Find resources\n  action_url: /resources/\n")
    site = hub({NEWS: news(), "static/img/hero.jpg": image_bytes("JPEG", (1600, 900))}, site_yaml=site_yaml)
    assert site.build().code == 0
    hero = site.html("index.html").select_one(".hero")
    assert "Schools learning from each other." in hero.get_text()
    assert hero.img["alt"] == "Teachers planning together" and hero.img.get("loading") is None
    assert hero.select_one("a.button")["href"] == "/resources/" and hero.select_one("a.button").get_text() == "Find resources"
    site.write({"content/index.md": "---\ntitle: Home\nhero:\n  text: Our own words.\n---\nWelcome.\n"})
    assert site.build().code == 0
    hero = site.html("index.html").select_one(".hero")
    assert "Our own words." in hero.get_text() and hero.img is None and hero.select_one("a.button") is None


@pytest.mark.parametrize(("hero", "message"), [
    ("  text: Hello.\n  image: /img/hero.jpg\n", "hero: image needs image_alt, a few words saying what the picture shows"),
    ("  text: Hello.\n  action: Find resources\n", "hero: give both action (the button's words, e.g. Find resources) and action_url (where it leads, e.g. /resources/)"),
    ("  txt: Hello.\n", "hero: unknown key 'txt' (did you mean text?); a hero takes text, image, image_alt, action, action_url"),
])
def test_a_wrong_hero_is_an_error(hub, hero: str, message: str) -> None:  # type: ignore[no-untyped-def]
    run = hub({NEWS: news()}, site_yaml=f"title: Hub\nhero:\n{hero}").build()
    assert run.lines[0] == f"site.yaml:2: {message}"
    run = hub({NEWS: news(), "content/index.md": f"---\ntitle: Home\nhero:\n{hero}---\n"}).build()
    assert run.lines[0] == f"content/index.md:3: {message}"


def test_a_missing_hero_image_is_an_error(hub) -> None:  # type: ignore[no-untyped-def]
    run = hub({NEWS: news(), "static/img/her.jpg": JPEG},
              site_yaml="title: Hub\nhero:\n  text: Hello.\n  image: /img/hero.jpg\n  image_alt: A hero\n").build()
    assert run.lines[0] == 'site.yaml: hero: image "/img/hero.jpg" does not exist (did you mean /img/her.jpg?)'


def test_the_dev_server_serves_pictures_without_metadata(hub) -> None:  # type: ignore[no-untyped-def]
    from sitegen.serve.rebuild import Rebuilder
    from sitegen.builder.api import BuildOptions
    from sitegen.core.urls import output_file

    site = hub({"static/img/trip.jpg": camera_photo(), NEWS: news("![The river](/img/trip.jpg)")})
    rebuilder = Rebuilder(site.root, BuildOptions())
    assert rebuilder.rebuild().errors == []
    served = rebuilder.copies[output_file("/img/trip.jpg")].read_bytes()
    assert b"Pixel 7" not in served and b"Exif" not in served
    assert (rebuilder.root / ".sitegen-cache/images").is_dir()
    assert output_file("/img/trip-800w.webp") in rebuilder.copies
    page = rebuilder.files[output_file("/news/visit/")].decode()
    assert 'srcset="/hub/img/trip-400w.webp 400w' in page and 'width="1800"' in page
    site.write({"static/img/trip.jpg": image_bytes("JPEG", (300, 200))})
    assert rebuilder.rebuild({site.root / "static/img/trip.jpg"}).errors == []
    assert 'width="300"' in rebuilder.files[output_file("/news/visit/")].decode(), "a changed picture's pages show its new size"
