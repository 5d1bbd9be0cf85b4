"""Draw the site icon (a market stall in the brand's green): static/favicon.svg and .ico.

Run once after changing the drawing: python scripts/make-favicon.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

STATIC = Path(__file__).resolve().parent.parent / "static"
BRAND = "#0b5d4b"
WHITE = "#ffffff"
# In a 32 × 32 box: the awning, its four scallops, two posts and the counter.
AWNING = (5, 7, 27, 13)
SCALLOPS = [(7.75, 13), (13.25, 13), (18.75, 13), (24.25, 13)]
RADIUS = 2.75
POSTS = [(8, 13, 10, 23), (22, 13, 24, 23)]
COUNTER = (6, 21, 26, 25)


def svg():
    circles = "".join(
        f'<circle cx="{x}" cy="{y}" r="{RADIUS}" fill="{WHITE}"/>' for x, y in SCALLOPS
    )
    rects = "".join(
        f'<rect x="{a}" y="{b}" width="{c - a}" height="{d - b}" fill="{WHITE}"/>'
        for a, b, c, d in (AWNING, *POSTS, COUNTER)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
        f'<rect width="32" height="32" rx="6" fill="{BRAND}"/>{rects}{circles}</svg>\n'
    )


def png(size):
    scale = size / 32 * 4  # draw at 4× and shrink, for smooth edges
    image = Image.new("RGBA", (int(32 * scale), int(32 * scale)), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 32 * scale - 1, 32 * scale - 1), radius=6 * scale, fill=BRAND)
    for box in (AWNING, *POSTS, COUNTER):
        draw.rectangle([v * scale for v in box], fill=WHITE)
    for x, y in SCALLOPS:
        draw.ellipse(
            [
                (x - RADIUS) * scale,
                (y - RADIUS) * scale,
                (x + RADIUS) * scale,
                (y + RADIUS) * scale,
            ],
            fill=WHITE,
        )
    return image.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    (STATIC / "favicon.svg").write_text(svg())
    png(48).save(STATIC / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
