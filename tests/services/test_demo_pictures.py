"""Demo products get a picture that fits their category, drawn here, never downloaded."""

import io
import random

import pytest
from PIL import Image, ImageChops

from bazaar.data import demo_catalogue as words
from bazaar.services.demo.pictures import MOTIFS, demo_photo


def picture(code, seed=1):
    return Image.open(io.BytesIO(demo_photo(random.Random(seed), code))).convert("RGB")


@pytest.mark.parametrize("code", sorted(words.COLOURS))
def test_each_category_has_a_motif_on_its_own_colour(code):
    assert code in MOTIFS
    image = picture(code)
    assert image.size == (640, 640)
    ground = image.getpixel((5, 5))
    expected = tuple(min(255, c + 90) for c in words.COLOURS[code])
    assert all(abs(a - b) <= 40 for a, b in zip(ground, expected, strict=True))


def test_the_motifs_differ_between_categories():
    shapes = {}
    for code in words.COLOURS:
        image = picture(code)
        ground = Image.new("RGB", image.size, image.getpixel((5, 5)))
        # The motif's outline: where the picture is not its ground.
        shapes[code] = (
            ImageChops.difference(image, ground).convert("L").point(lambda v: 255 if v > 30 else 0)
        )
    codes = sorted(shapes)
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            changed = ImageChops.difference(shapes[a], shapes[b]).histogram()[255]
            assert changed > 20_000, (a, b)  # at least 5% of the picture is drawn differently
