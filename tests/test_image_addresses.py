"""Front-matter addresses for pictures (`image:`, `logo:`, any field of type image) are checked like links:
a site path, a file beside the content or an https:// address with a host; nothing else reaches <img src>."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import JPEG, PNG

NEWS = "content/news/2026-10-02-visit.md"
NETWORK = "content/networks/reading.md"
GOOD_NEWS = "---\ntitle: A visit\ndate: 2026-10-02\nimage: /img/visit.jpg\nimage_alt: Pupils by the river\n---\nWe went.\n"
GOOD_NETWORK = "---\ntitle: Reading\nlogo: /img/logo.png\n---\nWe read.\n"
HINT = "is not a picture's address: write a file beside this page, a path such as /img/visit.jpg, or an https:// address"

HOSTILE = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
    "//evil.example/x.png",
    "https:evil.example/x.png",
    "https:///x.png",
    "http://evil.example/x.png",
    "/\\evil.example/x.png",
    "vbscript:msgbox(1)",
]


def snapshot(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in out.rglob("*") if p.is_file()}


def quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture
def built(hub):  # type: ignore[no-untyped-def]
    site = hub({NEWS: GOOD_NEWS, NETWORK: GOOD_NETWORK, "static/img/visit.jpg": JPEG, "static/img/logo.png": PNG})
    run = site.build()
    assert run.code == 0, run.err
    return site


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(("source", "field", "line", "front"), [
    (NEWS, "image", 4, "title: A visit\ndate: 2026-10-02\nimage: {}\nimage_alt: Pupils by the river\n"),
    (NETWORK, "logo", 3, "title: Reading\nlogo: {}\n"),
])
def test_a_hostile_picture_address_is_refused_and_nothing_is_written(  # type: ignore[no-untyped-def]
        built, value: str, source: str, field: str, line: int, front: str) -> None:
    before = snapshot(built.out)
    built.write({source: "---\n" + front.format(quoted(value)) + "---\nText.\n"})
    run = built.build()
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    assert run.lines == [f'{source}:{line}: {field}: "{value}" {HINT}', "1 error(s): nothing was written"]
    assert snapshot(built.out) == before, "a failed build must leave the previous site as it was"


def test_the_good_forms_still_build(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({
        NEWS: GOOD_NEWS.replace("/img/visit.jpg", "photo.jpg"),
        "content/news/photo.jpg": JPEG,
        "content/news/2026-10-03-trip.md": "---\ntitle: A trip\ndate: 2026-10-03\nimage: ../img/trip.jpg\nimage_alt: A coach\n---\nWe went.\n",
        "content/img/trip.jpg": JPEG,
        "content/news/2026-10-04-fair.md": ("---\ntitle: A fair\ndate: 2026-10-04\nimage: https://cdn.example.org/fair.jpg\n"
                                             "image_alt: Stalls\n---\nWe went.\n"),
        NETWORK: GOOD_NETWORK, "static/img/logo.png": PNG,
    })
    run = site.build()
    assert run.code == 0, run.err
    sources = {img["src"] for img in site.html("news/index.html").find_all("img")}
    assert "https://cdn.example.org/fair.jpg" in sources
    assert not any(s.startswith(("javascript:", "data:", "//")) for s in sources)
    assert len(sources) == 3, sources
    check = site.run("check")
    assert check.code == 0, check.err
    assert "cdn.example.org" in check.out + check.err, "check still lists the third-party load"
