"""Demo product pictures drawn with Pillow, one motif per top-level category (no downloads).

Food is a jar, clothing a dress, crafts a vase, carpets a rug with a border and a medallion,
cosmetics a pump bottle; each on a ground of its category's colour, with a little variation.
"""

import io

from PIL import Image, ImageDraw

from bazaar.data import demo_catalogue as words

SIZE = 640
INK = (60, 40, 30)


def _jar(draw, rng, shade):
    left, top = rng.randint(140, 200), rng.randint(120, 200)
    draw.rounded_rectangle(
        (left, top, SIZE - left, SIZE - 90), radius=60, fill=shade, outline=INK, width=8
    )
    draw.rectangle((left + 40, top - 50, SIZE - left - 40, top + 10), fill=(90, 70, 50))
    draw.ellipse((SIZE // 2 - 70, top + 110, SIZE // 2 + 70, top + 250), fill=(250, 245, 230))


def _dress(draw, rng, shade):
    waist = rng.randint(300, 340)
    body = [(250, 130), (390, 130), (430, 200), (400, 230), (380, waist)]
    hem = [(480, 560), (160, 560), (260, waist), (240, 230), (210, 200)]
    draw.polygon(body + hem, fill=shade, outline=INK, width=6)
    draw.arc((280, 100, 360, 170), 0, 180, fill=INK, width=6)
    draw.line((260, waist, 380, waist), fill=(250, 245, 230), width=10)


def _vase(draw, rng, shade):
    neck = rng.randint(60, 80)
    draw.ellipse((170, 210, 470, 540), fill=shade, outline=INK, width=8)
    draw.rectangle((SIZE // 2 - neck, 120, SIZE // 2 + neck, 250), fill=shade, outline=INK, width=8)
    draw.ellipse((SIZE // 2 - neck - 20, 100, SIZE // 2 + neck + 20, 140), fill=INK)
    for y in (330, 390):
        draw.line((200, y, 440, y), fill=(250, 245, 230), width=8)


def _rug(draw, rng, shade):
    draw.rectangle((110, 150, 530, 490), fill=shade, outline=INK, width=6)
    draw.rectangle((140, 180, 500, 460), outline=(250, 230, 190), width=14)
    half = rng.randint(70, 100)
    centre = (SIZE // 2, 320)
    draw.polygon(
        [
            (centre[0], centre[1] - half),
            (centre[0] + half, centre[1]),
            (centre[0], centre[1] + half),
            (centre[0] - half, centre[1]),
        ],
        fill=(250, 230, 190),
        outline=INK,
        width=4,
    )
    for x in range(120, 530, 24):  # the fringe
        draw.line((x, 490, x, 515), fill=(240, 230, 210), width=4)


def _bottle(draw, rng, shade):
    top = rng.randint(220, 260)
    draw.rounded_rectangle((220, top, 420, 560), radius=40, fill=shade, outline=INK, width=8)
    draw.rectangle((290, top - 60, 350, top), fill=INK)
    draw.rectangle((300, top - 100, 400, top - 70), fill=INK)
    draw.rounded_rectangle((250, top + 90, 390, top + 180), radius=12, fill=(250, 245, 230))


MOTIFS = {"food": _jar, "clothing": _dress, "crafts": _vase, "carpets": _rug, "cosmetics": _bottle}


def demo_photo(rng, top_code):
    """Draw a picture that fits a top-level category (its code) as PNG bytes."""
    colour = words.COLOURS.get(top_code, words.COLOURS["food"])
    shade = tuple(max(0, min(255, c + rng.randint(-40, 40))) for c in colour)
    image = Image.new("RGB", (SIZE, SIZE), tuple(min(255, c + 90) for c in shade))
    MOTIFS.get(top_code, _jar)(ImageDraw.Draw(image), rng, shade)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
