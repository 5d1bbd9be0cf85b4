"""Uploaded photos: hostile files are refused and nothing is saved; good ones are cleaned."""

import io
import struct
import subprocess
import sys
import zlib

import pytest
from PIL import Image

from bazaar.errors import Conflict, Invalid, NotFound, TooLarge
from bazaar.extensions import db
from bazaar.models import ProductPhoto
from bazaar.services import catalogue, images


def jpeg(size=(800, 600), colour=(200, 50, 50), exif=None):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", exif=exif or b"")
    return out.getvalue()


def exif_with_gps_and_rotation():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to show
    exif[0x010F] = "CameraMaker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (34.0, 38.0, 24.0)
    return exif.tobytes()


def stored_files(app):
    folder = images.uploads_dir("products")
    return sorted(path.name for path in folder.iterdir())


def png_bomb():
    """A small PNG whose header claims 20,000 × 20,000 pixels (400 megapixels)."""
    out = io.BytesIO()
    Image.new("L", (1, 1)).save(out, "PNG")
    data = bytearray(out.getvalue())
    # IHDR starts at byte 16: width and height, then fix the chunk's CRC.
    data[16:24] = struct.pack(">II", 20_000, 20_000)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


HOSTILE = {
    "text": b"just some text, not an image",
    "html-named-jpg": b"<!doctype html><html><script>alert(1)</script></html>",
    "truncated-jpeg": jpeg()[:600],
    "empty": b"",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_upload_is_refused_and_nothing_is_saved(app, make_product, name, now):
    product = make_product()
    with pytest.raises(Invalid) as caught:
        catalogue.add_photo(product.vendor.user, product.id, HOSTILE[name], now=now)
    assert caught.value.code == "image.not_an_image"
    assert stored_files(app) == []
    assert db.session.scalar(db.select(db.func.count(ProductPhoto.id))) == 0


def test_decompression_bomb_is_refused(app, make_product, now):
    product = make_product()
    with pytest.raises(Invalid) as caught:
        catalogue.add_photo(product.vendor.user, product.id, png_bomb(), now=now)
    assert caught.value.code == "image.too_many_pixels"
    assert stored_files(app) == []


def test_image_just_over_25_megapixels_is_refused(app):
    with pytest.raises(Invalid):
        images.process_image(jpeg(size=(5001, 5000)))


def test_file_over_5_mb_is_too_large(app):
    with pytest.raises(TooLarge):
        images.process_image(b"\xff" * (5 * 1024 * 1024 + 1))


def test_photo_is_rotated_stripped_reencoded_and_thumbnailed(app, make_product, now):
    product = make_product()
    photo = catalogue.add_photo(
        product.vendor.user, product.id, jpeg(exif=exif_with_gps_and_rotation()), now=now
    )
    folder = images.uploads_dir("products")
    with Image.open(folder / photo.filename) as full:
        assert full.format == "JPEG"
        assert full.size == (600, 800)  # EXIF orientation applied
        assert not full.getexif()  # no camera data, no GPS
        assert b"CameraMaker" not in (folder / photo.filename).read_bytes()
    with Image.open(folder / photo.thumbnail) as thumb:
        assert max(thumb.size) <= images.THUMB_SIZE
    assert photo.filename.endswith(".jpg")
    assert len(photo.filename) > 20  # a random name, not the uploaded one


def test_at_most_five_photos_in_order(app, make_product, now):
    product = make_product()
    user = product.vendor.user
    for n in range(5):
        catalogue.add_photo(user, product.id, jpeg(colour=(n * 40, 0, 0)), now=now)
    with pytest.raises(Conflict):
        catalogue.add_photo(user, product.id, jpeg(), now=now)
    photos = db.session.scalars(
        db.select(ProductPhoto)
        .where(ProductPhoto.product_id == product.id)
        .order_by(ProductPhoto.position)
    ).all()
    assert [p.position for p in photos] == [0, 1, 2, 3, 4]
    last = photos[-1]
    catalogue.move_photo(user, product.id, last.id, -1, now=now)
    catalogue.move_photo(user, product.id, last.id, -10, now=now)
    db.session.expire_all()
    assert db.session.get(ProductPhoto, last.id).position == 0
    catalogue.delete_photo(user, product.id, photos[0].id, now=now)
    remaining = db.session.scalars(
        db.select(ProductPhoto.position)
        .where(ProductPhoto.product_id == product.id)
        .order_by(ProductPhoto.position)
    ).all()
    assert remaining == [0, 1, 2, 3]
    assert len(stored_files(app)) == 8


def test_another_vendors_product_photos_are_not_found(app, make_product, make_vendor, now):
    product = make_product()
    photo = catalogue.add_photo(product.vendor.user, product.id, jpeg(), now=now)
    intruder = make_vendor().user
    with pytest.raises(NotFound):
        catalogue.add_photo(intruder, product.id, jpeg(), now=now)
    with pytest.raises(NotFound):
        catalogue.delete_photo(intruder, product.id, photo.id, now=now)
    with pytest.raises(NotFound):
        catalogue.move_photo(intruder, product.id, photo.id, 1, now=now)
    assert len(stored_files(app)) == 2


def flat_png(width, height, colour_type=2, channels=3):
    """A PNG of one colour, built row by row (so a huge one costs the test little memory)."""

    def chunk(kind, data):
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + channels * width)
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


# Run in a fresh process: Pillow allocates pixels outside Python's allocator (tracemalloc
# cannot see them), and ru_maxrss is the one honest peak.
MEASURE = """
import resource, sys
from bazaar.services import images
data = sys.stdin.buffer.read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    images.process_image(data)
    outcome = "processed"
except images.Invalid as exc:
    outcome = exc.code
print(outcome, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


def peak_memory(data):
    """Process an upload in a fresh process; return (outcome, peak growth in MB)."""
    result = subprocess.run(
        [sys.executable, "-c", MEASURE], input=data, capture_output=True, check=True, timeout=60
    )
    outcome, megabytes = result.stdout.decode().split()
    return outcome, int(megabytes)


def test_a_5000_by_5000_png_is_refused_from_its_header():
    data = flat_png(5000, 5000)
    assert len(data) < 100_000  # the hostile tester's 97 KB file
    assert peak_memory(data) == ("image.too_many_pixels", pytest.approx(0, abs=5))


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("largest transparent PNG", lambda: flat_png(4000, 3000, colour_type=6, channels=4)),
        ("largest PNG", lambda: flat_png(4000, 3000)),
        ("25 MP JPEG, decoded reduced", lambda: jpeg(size=(5000, 5000))),
    ],
)
def test_the_largest_images_allowed_are_processed_in_bounded_memory(name, make):
    outcome, megabytes = peak_memory(make())
    assert outcome == "processed"
    assert megabytes < 100, name


def test_a_png_over_the_full_decode_limit_is_refused_though_a_jpeg_that_size_is_not():
    with pytest.raises(Invalid) as caught:
        images.process_image(flat_png(4001, 3000))
    assert caught.value.code == "image.too_many_pixels"
    _full, _thumb, size = images.process_image(jpeg(size=(4001, 3000)))
    assert size == (images.FULL_SIZE, 1200)


def test_a_transparent_png_is_painted_on_white():
    out = io.BytesIO()
    Image.new("RGBA", (200, 100), (0, 0, 0, 0)).save(out, "PNG")
    full, _thumb, size = images.process_image(out.getvalue())
    assert size == (200, 100)
    assert Image.open(io.BytesIO(full)).convert("RGB").getpixel((10, 10)) == (255, 255, 255)
