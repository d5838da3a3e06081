"""Issue 24, class 2: every picture is cleaned whatever its name, no picture can exhaust memory, and
an SVG can neither run code on the site's address nor carry a photo's GPS position in a data: address."""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from pathlib import Path

import pytest
from conftest import PNG
from PIL import Image
from test_errors import GOOD_NEWS, NEWS, snapshot

GPS = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
LIMIT = "more than sitegen processes in one picture (80 megapixels, all frames together): make it smaller, or give it fewer frames, and save it again"
ACTIVE = ("opened on its own it would run code or load from another site on the site's own address (GitHub Pages cannot stop it); "
          "remove that part, or export the drawing again as plain SVG")
SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="20" height="10">{}</svg>'


def photo(fmt: str = "JPEG", size: tuple[int, int] = (40, 30)) -> bytes:
    """A picture with a GPS position and a camera comment, as phones save them."""
    exif = Image.Exif()
    exif[0x8825] = GPS
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    Image.new("RGB", size, (200, 90, 40)).save(out, fmt, exif=exif)
    return out.getvalue()


def has_metadata(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as img:
        return bool(len(img.getexif())) or any(k in img.info for k in ("exif", "xmp", "comment"))


def gif(frames: int, size: tuple[int, int]) -> bytes:
    """An animation whose file is small and whose frames are not: every frame is decoded in full."""
    images = [Image.new("L", size, 255 * (i % 2)) for i in range(frames)]
    out = io.BytesIO()
    images[0].save(out, "GIF", save_all=True, append_images=images[1:])
    return out.getvalue()


def png(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("1", size).save(out, "PNG")  # a one-bit PNG of many megapixels is a few kilobytes
    return out.getvalue()


def built(hub, files: Mapping[str, str | bytes]):  # type: ignore[no-untyped-def]
    site = hub({NEWS: GOOD_NEWS, "static/img/logo.png": PNG})
    assert site.build().code == 0
    before = snapshot(site.out)
    site.write(files)
    return site, before


def refused(hub, files: Mapping[str, str | bytes], expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    site, before = built(hub, files)
    run = site.build()
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    assert (run.code, run.lines) == (1, [*expected, f"{len(expected)} error(s): nothing was written"]), run.err
    assert snapshot(site.out) == before, "a failed build must leave the previous site as it was"
    check = site.run("check")
    assert check.code == 1 and all(line in check.lines for line in expected), check.err


# Pictures by content, whatever their names -----------------------------------------------------

CLEANED: dict[str, bytes] = {
    "static/img/visit.jfif": photo(),
    "static/img/trip.jpe": photo(),
    "static/img/fair.pjpeg": photo(),
    "static/img/scan": photo(),  # no extension at all
    "static/img/walk.JPG_original": photo(),  # what some photo tools leave behind
    "static/img/run.avif": photo("AVIF"),
    "static/img/swim.webp": photo("WEBP"),
    "static/img/plan.png": photo("PNG"),
    "content/resources/poster.jfif": photo(),  # beside content
}


def test_pictures_of_any_name_are_published_without_their_metadata(hub) -> None:  # type: ignore[no-untyped-def]
    site, _ = built(hub, dict(CLEANED))
    run = site.build()
    assert run.code == 0 and "Traceback" not in run.err, run.err
    for rel, original in CLEANED.items():
        assert has_metadata(original), rel
        url = rel.split("/", 1)[1]
        published = (site.out / url).read_bytes()
        assert not has_metadata(published), f"{url} was published with its GPS position"
        assert published != original
    assert has_metadata((site.root / "static/img/visit.jfif").read_bytes()), "the original stays untouched"
    with Image.open(site.out / "img/run.avif") as img:
        assert img.format == "AVIF"


REFUSE_CAMERA = ("which browsers cannot show and sitegen cannot strip of its location and camera details: "
                 "export it as JPEG (or PNG) and use that")


@pytest.mark.parametrize(("rel", "data", "what"), [
    ("static/img/phone.jpg", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64, "an iPhone HEIC (HEIF) photo"),
    ("static/img/raw.dng", b"II*\x00\x08\x00\x00\x00" + b"\x00" * 64, "a TIFF image (or a camera's raw photo)"),
    ("static/img/new.jxl", b"\xff\x0a" + b"\x00" * 64, "a JPEG XL image"),
    ("content/resources/phone.heif", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64, "a HEIF photo"),
])
def test_pictures_sitegen_cannot_clean_are_refused(hub, rel: str, data: bytes, what: str) -> None:  # type: ignore[no-untyped-def]
    refused(hub, {rel: data}, [f"{rel}: is {what}, {REFUSE_CAMERA}"])


def test_a_video_or_a_text_starting_with_bm_is_no_picture(hub) -> None:  # type: ignore[no-untyped-def]
    site, _ = built(hub, {"static/files/clip.mp4": b"\x00\x00\x00\x18ftypisom" + b"\x00" * 64,
                          "static/files/notes.txt": b"BMX club minutes\n"})
    run = site.build()
    assert run.code == 0, run.err
    assert (site.out / "files/notes.txt").read_bytes() == b"BMX club minutes\n"


# Budgets ------------------------------------------------------------------------------------------

def test_an_animation_of_many_large_frames_is_refused(hub) -> None:  # type: ignore[no-untyped-def]
    data = gif(90, (1000, 1000))
    assert len(data) < 200_000
    refused(hub, {"static/img/party.gif": data},
            [f"static/img/party.gif: is 1000 x 1000 pixels in 90 frames (90 megapixels in all), {LIMIT}"])


def test_two_huge_pngs_are_refused(hub) -> None:  # type: ignore[no-untyped-def]
    data = png((12850, 12850))
    refused(hub, {"static/img/a.png": data, "content/resources/b.png": data},
            [f"{rel}: is 12850 x 12850 pixels (165 megapixels in all), {LIMIT}" for rel in ("content/resources/b.png", "static/img/a.png")])


def test_a_decompression_bomb_is_refused_before_it_is_decoded(hub) -> None:  # type: ignore[no-untyped-def]
    refused(hub, {"static/img/bomb.png": png((20000, 20000))}, [f"static/img/bomb.png: is 400 megapixels, {LIMIT}"])


def test_a_picture_inside_the_budget_builds(hub) -> None:  # type: ignore[no-untyped-def]
    site, _ = built(hub, {"static/img/party.gif": gif(12, (300, 200))})
    run = site.build()
    assert run.code == 0, run.err
    with Image.open(site.out / "img/party.gif") as img:
        assert getattr(img, "n_frames", 1) == 12


# SVG ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("inside", "reason"), [
    ("<script>alert(document.cookie)</script>", "a script (<script>)"),
    ('<rect width="5" height="5" onload="alert(1)"/>', "an event handler (onload=)"),
    ('<foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><p>x</p></body></foreignObject>', "HTML inside it (<foreignObject>)"),
    ('<a href="jav&#x09;ascript:alert(1)"><text>Go</text></a>', "a javascript: address (on <a>)"),
    ('<a><set attributeName="href" to="javascript:alert(1)"/><text>Go</text></a>', "a javascript: address (on <set>)"),
    ('<use xlink:href="https://evil.example/sprite.svg#a"/>', 'a reference to another site ("https://evil.example/sprite.svg#a" on <use>)'),
    ('<image href="//evil.example/pixel.png" width="1" height="1"/>', 'a reference to another site ("//evil.example/pixel.png" on <image>)'),
    ("<style>@import url(https://evil.example/x.css);</style>", "a style that loads from another address (@import or url(...))"),
])
@pytest.mark.parametrize("rel", ["static/img/badge.svg", "content/resources/diagram.svg"])
def test_an_active_svg_is_refused(hub, rel: str, inside: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    refused(hub, {rel: SVG.format(inside)}, [f"{rel}: is an SVG with {reason}: {ACTIVE}"])


def test_a_broken_svg_with_a_script_is_refused(hub) -> None:  # type: ignore[no-untyped-def]
    refused(hub, {"static/img/broken.svg": "<svg><script>alert(1)</script><g></svg>"},
            [f"static/img/broken.svg: is an SVG with a script (<script>): {ACTIVE}"])


def test_an_svg_with_an_embedded_photo_and_its_gps_is_refused(hub) -> None:  # type: ignore[no-untyped-def]
    embedded = base64.b64encode(photo()).decode()
    refused(hub, {"static/img/map.svg": SVG.format(f'<image href="data:image/jpeg;base64,{embedded}" width="20" height="10"/>')},
            ["static/img/map.svg: embeds a JPEG picture (as a data: address) with camera details in it (such as its GPS position), "
             "which sitegen cannot remove from inside an SVG: save the picture as a file of its own and link it, "
             "or export the SVG again without the picture's metadata"])


def test_plain_svgs_still_build(hub) -> None:  # type: ignore[no-untyped-def]
    clean = base64.b64encode(PNG).decode()
    drawings: dict[str, str | bytes] = {
        "static/img/logo.svg": SVG.format('<a href="https://example.org/"><rect width="5" height="5" style="fill:#123"/></a>'),
        "static/img/map.svg": SVG.format(f'<image xlink:href="data:image/png;base64,{clean}" width="8" height="6"/><use href="#r"/>'),
    }
    site, _ = built(hub, drawings)
    run = site.build()
    assert run.code == 0, run.err
    for rel, text in drawings.items():
        assert (site.out / rel.removeprefix("static/")).read_text() == text, rel


def test_the_example_hubs_pictures_all_pass(tmp_path: Path) -> None:
    from conftest import REPO

    from sitegen.media.pictures import scan

    files = {"/" + p.relative_to(REPO / "static").as_posix(): p for p in (REPO / "static").rglob("*") if p.is_file()}
    _, problems = scan(files, REPO)
    assert not problems.errors, [str(e) for e in problems.errors]
