"""Draw the example hub's photos, default share image and network logos: python scripts/make_example_pictures.py

The example hub needs pictures to show (and phone-like photos with camera details and a GPS
position, to show that sitegen publishes them without). Rather than ship real photos of people,
they are drawn here with Pillow: simple scenes of gradients, shapes and words. Two carry EXIF
camera details and a GPS position, and one is stored on its side with EXIF Orientation 6, as
phones do. The files are committed; this script is how they were made (it overwrites them).
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

REPO = Path(__file__).resolve().parent.parent
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"  # Debian's fonts-dejavu-core


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:
        return ImageFont.load_default(size)


def gradient(size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    column = Image.new("RGB", (1, 256))
    for y in range(256):
        column.putpixel((0, y), tuple(round(t + (b - t) * y / 255) for t, b in zip(top, bottom)))
    return column.resize(size, Image.Resampling.BICUBIC)


def person(draw: ImageDraw.ImageDraw, x: int, y: int, scale: float, colour: tuple[int, int, int], skin: tuple[int, int, int]) -> None:
    """A figure seen from behind or in front: a head and rounded shoulders."""
    r = int(38 * scale)
    draw.rounded_rectangle((x - 2 * r, y + int(r * 0.9), x + 2 * r, y + 6 * r), radius=r, fill=colour)
    draw.ellipse((x - r, y - r, x + r, y + r), fill=skin)


SKINS = [(241, 194, 160), (198, 134, 94), (141, 85, 54), (224, 172, 105), (95, 60, 40)]
CLOTHES = [(44, 95, 140), (176, 58, 46), (39, 120, 90), (120, 80, 150), (210, 150, 40), (60, 60, 70)]


def planning_table(size: tuple[int, int] = (1600, 1000)) -> Image.Image:
    """Teachers around a table covered with plans and sticky notes."""
    rng = random.Random(1)
    img = gradient(size, (236, 228, 214), (205, 190, 170))
    d = ImageDraw.Draw(img)
    d.rectangle((1050, 80, 1500, 420), fill=(170, 205, 230))  # window
    d.line((1275, 80, 1275, 420), fill=(250, 250, 250), width=14)
    d.line((1050, 250, 1500, 250), fill=(250, 250, 250), width=14)
    d.rectangle((120, 120, 700, 430), fill=(250, 250, 245), outline=(120, 110, 100), width=8)  # whiteboard
    for i in range(5):
        d.line((170, 180 + 48 * i, 420 + rng.randint(0, 220), 180 + 48 * i), fill=(40, 80, 160), width=10)
    for i, (x, y) in enumerate([(300, 520), (700, 470), (1100, 520)]):
        person(d, x, y, 1.6, CLOTHES[i], SKINS[(i * 2) % 5])
    d.polygon([(0, 700), (1600, 640), (1600, 1000), (0, 1000)], fill=(150, 105, 70))  # table
    for _ in range(14):
        x, y = rng.randint(60, 1500), rng.randint(700, 930)
        d.rectangle((x, y, x + 150, y + 100), fill=(252, 252, 248), outline=(210, 210, 200), width=3)
    for _ in range(12):
        x, y = rng.randint(60, 1520), rng.randint(690, 950)
        d.rectangle((x, y, x + 60, y + 60), fill=rng.choice([(255, 226, 90), (255, 160, 190), (140, 220, 160), (130, 200, 250)]))
    return img.filter(ImageFilter.GaussianBlur(1.2))


def conference_hall(size: tuple[int, int] = (1600, 1000)) -> Image.Image:
    """A hall from the back: a stage with a screen, and rows of heads."""
    rng = random.Random(2)
    img = gradient(size, (60, 66, 90), (120, 110, 120))
    d = ImageDraw.Draw(img)
    d.rectangle((420, 110, 1180, 520), fill=(245, 245, 240))
    d.text((800, 250), "Reading for everyone", font=font(64), fill=(29, 92, 77), anchor="mm")
    d.text((800, 360), "Summer conference 2026", font=font(40), fill=(80, 80, 80), anchor="mm")
    d.rectangle((0, 560, 1600, 620), fill=(110, 75, 55))
    for row, y in enumerate(range(640, 1000, 110)):
        for x in range(40 + (row % 2) * 70, 1600, 140):
            person(d, x + rng.randint(-10, 10), y, 1.0 + row * 0.25, rng.choice(CLOTHES), rng.choice(SKINS))
    return img.filter(ImageFilter.GaussianBlur(1.0))


def river(size: tuple[int, int] = (1600, 1067)) -> Image.Image:
    """A river between green banks, with a measuring pole."""
    img = gradient(size, (150, 196, 232), (222, 236, 245))
    d = ImageDraw.Draw(img)
    w, h = size
    d.polygon([(0, 420), (400, 330), (900, 400), (1600, 320), (1600, 600), (0, 600)], fill=(98, 140, 90))  # hills
    d.polygon([(0, 600), (1600, 560), (1600, 1067), (0, 1067)], fill=(80, 150, 70))  # banks
    d.polygon([(0, 760), (500, 700), (1100, 720), (1600, 680), (1600, 900), (1100, 930), (500, 900), (0, 960)], fill=(70, 120, 170))
    for y in range(720, 930, 35):
        d.line((100 + y % 200, y, 400 + y % 300, y - 5), fill=(160, 200, 230), width=5)
    d.rectangle((760, 560, 780, 880), fill=(230, 60, 40))
    for i in range(8):
        d.rectangle((760, 560 + i * 40, 780, 580 + i * 40), fill=(250, 250, 250))
    person(ImageDraw.Draw(img), 620, 560, 1.3, (230, 190, 40), SKINS[1])
    person(ImageDraw.Draw(img), 930, 580, 1.2, (40, 90, 160), SKINS[3])
    d.ellipse((1300, 90, 1420, 210), fill=(255, 236, 160))
    return img.filter(ImageFilter.GaussianBlur(1.5))


def school_building(size: tuple[int, int] = (1400, 900), name: str = "Wyndham Cross School") -> Image.Image:
    img = gradient(size, (170, 210, 240), (230, 240, 248))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 640, 1400, 900), fill=(95, 150, 80))
    d.rectangle((200, 260, 1200, 680), fill=(176, 96, 72))
    d.polygon([(160, 270), (700, 110), (1240, 270)], fill=(80, 70, 75))
    for x in range(260, 1160, 150):
        for y in (320, 470):
            d.rectangle((x, y, x + 90, y + 100), fill=(210, 230, 245), outline=(250, 250, 250), width=6)
    d.rectangle((620, 520, 780, 680), fill=(40, 80, 120))
    d.rounded_rectangle((380, 700, 1020, 800), radius=16, fill=(29, 92, 77))
    d.text((700, 750), name, font=font(44), fill=(255, 255, 255), anchor="mm")
    return img.filter(ImageFilter.GaussianBlur(0.8))


def bookshelves(size: tuple[int, int] = (1500, 1000)) -> Image.Image:
    rng = random.Random(3)
    img = gradient(size, (245, 236, 220), (226, 210, 190))
    d = ImageDraw.Draw(img)
    for i in range(9):  # bunting
        x = 60 + i * 170
        d.polygon([(x, 40), (x + 150, 40), (x + 75, 140)], fill=CLOTHES[i % len(CLOTHES)])
    for shelf in range(4):
        y = 260 + shelf * 180
        x = 80
        while x < 1400:
            bw, bh = rng.randint(30, 70), rng.randint(110, 160)
            d.rectangle((x, y + 160 - bh, x + bw, y + 160), fill=rng.choice(CLOTHES + [(230, 200, 80), (200, 90, 120)]))
            x += bw + 4
        d.rectangle((60, y + 160, 1440, y + 180), fill=(120, 80, 50))
    d.rounded_rectangle((470, 160, 1030, 240), radius=14, fill=(250, 250, 250))
    d.text((750, 200), "Book festival", font=font(48), fill=(29, 92, 77), anchor="mm")
    return img.filter(ImageFilter.GaussianBlur(0.8))


def maths_table(size: tuple[int, int] = (1500, 1000)) -> Image.Image:
    rng = random.Random(4)
    img = gradient(size, (225, 235, 225), (200, 215, 205))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 520, 1500, 1000), fill=(190, 150, 105))
    for i, x in enumerate((250, 650, 1050)):
        person(d, x, 200, 1.5, CLOTHES[i + 2], SKINS[(i + 1) % 5])
    for _ in range(30):
        x, y, s = rng.randint(40, 1420), rng.randint(560, 940), rng.randint(40, 70)
        d.rectangle((x, y, x + s, y + s), fill=rng.choice([(220, 60, 60), (60, 120, 220), (250, 200, 40), (60, 170, 90)]))
    d.rounded_rectangle((520, 640, 980, 860), radius=18, fill=(255, 255, 255))
    d.text((750, 750), "3 × 4 = 12", font=font(64), fill=(30, 30, 30), anchor="mm")
    return img.filter(ImageFilter.GaussianBlur(0.8))


def share_image(size: tuple[int, int] = (1200, 630)) -> Image.Image:
    img = gradient(size, (29, 92, 77), (18, 60, 50))
    d = ImageDraw.Draw(img)
    d.polygon([(0, 470), (300, 430), (700, 500), (1200, 420), (1200, 630), (0, 630)], fill=(60, 130, 170))
    d.text((80, 200), "Vale Learning Partnership", font=font(66), fill=(255, 255, 255))
    d.text((80, 300), "Eleven schools along the River Wendle", font=font(38), fill=(220, 236, 230))
    return img


def phone_exif(orientation: int | None = None) -> Image.Exif:
    """Camera details and a GPS position, as a phone writes them (all of it must be gone once published)."""
    exif = Image.Exif()
    exif[0x010F] = "ExamplePhone"  # Make
    exif[0x0110] = "ExamplePhone 12"  # Model
    exif[0x0131] = "Camera 4.2"  # Software
    exif[0x8825] = {1: "N", 2: (53.0, 22.0, 5.1), 3: "W", 4: (1.0, 28.0, 11.9)}  # GPS: latitude, longitude
    if orientation:
        exif[0x0112] = orientation
    return exif


LOGOS = {
    "reading-network": ("#1d5c4d", '<path d="M12 18c10-4 20-4 28 2v30c-8-6-18-6-28-2z" fill="#fff"/><path d="M68 18c-10-4-20-4-28 2v30c8-6 18-6 28-2z" fill="#cde8df"/>'),
    "secondary-maths-network": ("#24507a", '<path d="M16 22h48M16 40h48M16 58h48" stroke="#fff" stroke-width="5"/><circle cx="30" cy="31" r="4" fill="#ffd257"/><circle cx="50" cy="49" r="4" fill="#ffd257"/>'),
    "send-inclusion-network": ("#7a3b69", '<circle cx="28" cy="28" r="9" fill="#fff"/><circle cx="52" cy="28" r="9" fill="#f6c9e6"/><rect x="15" y="42" width="26" height="24" rx="12" fill="#fff"/><rect x="39" y="42" width="26" height="24" rx="12" fill="#f6c9e6"/>'),
    "transition-cluster": ("#8a4b12", '<path d="M8 56c10-22 54-22 64 0" stroke="#fff" stroke-width="6" fill="none"/><path d="M8 56h64" stroke="#ffd9a8" stroke-width="5"/><path d="M22 44v12M40 38v18M58 44v12" stroke="#fff" stroke-width="4"/>'),
}


def logo_svg(colour: str, shapes: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 80 80" width="80" height="80">'
            f'<rect width="80" height="80" rx="16" fill="{colour}"/>{shapes}</svg>\n')


def main() -> None:
    img = REPO / "static" / "img"
    (img / "photos").mkdir(parents=True, exist_ok=True)
    (img / "logos").mkdir(parents=True, exist_ok=True)
    planning_table().save(img / "photos" / "planning-together.jpg", quality=80, exif=phone_exif())
    conference_hall().save(img / "photos" / "summer-conference.jpg", quality=80, exif=phone_exif(), comment=b"IMG_2041 shared from ExamplePhone")
    # Stored on its side, as a phone held upright stores it: EXIF Orientation 6 says "turn 90 degrees clockwise to show".
    river().transpose(Image.Transpose.ROTATE_90).save(img / "photos" / "river-wendle.jpg", quality=80, exif=phone_exif(orientation=6))
    maths_table().save(img / "photos" / "maths-challenge.jpg", quality=80)
    school_building().save(REPO / "content" / "news" / "wyndham-cross-school.jpg", quality=80)
    bookshelves().save(REPO / "content" / "events" / "book-festival.jpg", quality=80)
    share_image().save(img / "vale-partnership.png", optimize=True)
    for slug, (colour, shapes) in LOGOS.items():
        (img / "logos" / f"{slug}.svg").write_text(logo_svg(colour, shapes), encoding="utf-8")


if __name__ == "__main__":
    main()
