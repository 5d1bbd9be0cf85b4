"""Uploaded images: decoded and checked with Pillow, re-encoded, stored under random names."""

import io
import secrets
import warnings
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

from bazaar.errors import Invalid, TooLarge

MAX_BYTES = 5 * 1024 * 1024
# A JPEG is decoded reduced (draft mode: 1/2 to 1/8 scale, straight from the DCT), so a 25 MP
# photo costs a few MB. PNG, WebP and GIF decode whole, at up to 4 bytes a pixel, plus a white
# RGB copy when they are transparent: 12 MP (a phone photo, 4000 × 3000) keeps that under
# 100 MB, so a few uploads at once cannot exhaust a small server.
MAX_PIXELS = 25_000_000
MAX_FULL_DECODE_PIXELS = 12_000_000
# Anything larger is refused by Pillow itself, in any code path (a warning above, an error
# above twice that; _decode turns the warning into an error).
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
FULL_SIZE = 1600
THUMB_SIZE = 480
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def uploads_dir(kind):
    """The folder for one kind of upload under UPLOADS_DIR, created on first use."""
    folder = Path(current_app.config["UPLOADS_DIR"]) / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _check_header(probe):
    """Refuse a format or a size from the header alone, before any pixel is decoded."""
    if probe.format not in ALLOWED_FORMATS:
        raise Invalid("image.not_an_image")
    limit = MAX_PIXELS if probe.format == "JPEG" else MAX_FULL_DECODE_PIXELS
    if probe.width * probe.height > limit:
        raise Invalid("image.too_many_pixels")


def _decode(data):
    """Open, verify, and reopen an image; refuse anything that is not a sound, sane one."""
    # Pillow only warns between MAX_IMAGE_PIXELS and twice that: make the warning an error too.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                _check_header(probe)
                probe.verify()
            image = Image.open(io.BytesIO(data))
            if image.format == "JPEG":
                image.draft("RGB", (FULL_SIZE, FULL_SIZE))
            image.load()
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise Invalid("image.too_many_pixels") from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise Invalid("image.not_an_image") from exc
    return image


def _flatten(image):
    """Return an RGB or L image: transparency painted on white, other modes converted.

    Done before shrinking: Pillow resizes a transparent image through a full premultiplied
    copy, which would double the memory of the largest image.
    """
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("RGBA", "LA", "PA", "P") or "transparency" in image.info:
        rgba = image if image.mode == "RGBA" else image.convert("RGBA")
        if rgba is not image:
            image.close()  # frees its pixels now, not when the caller lets go
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba)
        flat.info = dict(rgba.info)  # keeps the EXIF orientation
        return flat
    return image.convert("RGB")


def _encode(image, size):
    copy = image.copy()
    copy.thumbnail((size, size))
    out = io.BytesIO()
    # Re-encoding writes no EXIF: GPS and camera data are gone.
    copy.convert("RGB").save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue(), copy.size


def process_image(data):
    """Check and re-encode an uploaded image; return (full JPEG, thumbnail JPEG, (w, h))."""
    if len(data) > MAX_BYTES:
        raise TooLarge("image.too_large")
    if not data:
        raise Invalid("image.not_an_image")
    image = _flatten(_decode(data))
    # Shrink first (in place, frees the decoded pixels), then turn the small image upright.
    image.thumbnail((FULL_SIZE, FULL_SIZE), reducing_gap=1.0)
    ImageOps.exif_transpose(image, in_place=True)
    full, size = _encode(image, FULL_SIZE)
    thumb, _ = _encode(image, THUMB_SIZE)
    return full, thumb, size


def store_image(kind, full, thumb):
    """Write the re-encoded image and its thumbnail under random names; return the names."""
    folder = uploads_dir(kind)
    stem = secrets.token_urlsafe(16)
    names = (f"{stem}.jpg", f"{stem}-t.jpg")
    for name, content in zip(names, (full, thumb), strict=True):
        (folder / name).write_bytes(content)
    return names


def delete_image(kind, *names):
    """Remove stored files (after the database change that dropped them committed)."""
    folder = uploads_dir(kind)
    for name in names:
        if name:
            (folder / name).unlink(missing_ok=True)


def store_document(data):
    """Check and store a decision document: a PDF as it is, an image re-encoded; return its name."""
    if len(data) > MAX_BYTES:
        raise TooLarge("image.too_large")
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise Invalid("document.not_a_document")
        name = f"{secrets.token_urlsafe(16)}.pdf"
        (uploads_dir("documents") / name).write_bytes(data)
        return name
    try:
        full, _thumb, _size = process_image(data)
    except Invalid as exc:
        raise Invalid("document.not_a_document") from exc
    name = f"{secrets.token_urlsafe(16)}.jpg"
    (uploads_dir("documents") / name).write_bytes(full)
    return name
