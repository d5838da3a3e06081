"""Colour contrast (WCAG 2.2), so that a hub's brand colour never makes text unreadable."""

from __future__ import annotations

import re

WHITE = (255, 255, 255)


AA = 4.5  # the contrast WCAG 2.2 AA asks for normal text


def parse(colour: str) -> tuple[int, int, int] | None:
    """'#1d5c4d' or '#abc' -> (r, g, b); None when it is not a hex colour."""
    match = re.fullmatch(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", colour.strip())
    if not match:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def hex_of(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def accessible_shade(rgb: tuple[int, int, int], text: tuple[int, int, int] = WHITE, ratio: float = AA) -> tuple[int, int, int]:
    """The colour itself when `text` on it is readable enough, else the nearest darker shade that is."""
    shade = rgb
    step = 0
    while contrast(shade, text) < ratio and step < 100:
        step += 1
        shade = tuple(round(c * (1 - step / 100)) for c in rgb)  # type: ignore[assignment]
    return shade
