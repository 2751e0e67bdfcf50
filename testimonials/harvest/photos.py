"""Author photos: any upload in, a clean 256x256 JPEG out (no Flask, no database).

Uploads are untrusted. The format is decided by what Pillow reads in the bytes (never the
file name), only four decoders are allowed to try, size and pixel count are bounded before
decoding, and the result is re-encoded from pixels alone so no metadata (EXIF, GPS, camera
serials, ICC profiles, comments) survives.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from testimonials.errors import InvalidInputError
from testimonials.locales import localizable

if TYPE_CHECKING:
    from PIL import Image

# Pillow is imported where a photo is processed: every web worker imports this module (for
# its limits), and few ever receive a photo.

MAX_PHOTO_BYTES = 5 * 1024 * 1024
# 50 megapixels: above any phone camera, far below what would exhaust memory when decoded.
MAX_PHOTO_PIXELS = 50_000_000
PHOTO_SIZE = 256
JPEG_QUALITY = 85
# Pillow format names we accept; no other decoder is even tried on the bytes.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
PHOTO_FIELD = "photo"


class PhotoTooLargeError(InvalidInputError):
    """The upload is over the byte limit (answered as 413, still a validation problem)."""

    status = 413
    title = "Content too large"


@dataclass(frozen=True)
class ProcessedPhoto:
    """A photo ready to store and serve: JPEG bytes, a content ETag and its dimensions."""

    jpeg: bytes
    etag: str
    width: int
    height: int


def _refuse(detail: str, message: str) -> InvalidInputError:
    return InvalidInputError(detail, {PHOTO_FIELD: [message]})


def _too_many_pixels() -> InvalidInputError:
    return _refuse(
        localizable(
            "The image is too large in pixels (over %(megapixels)s megapixels).",
            megapixels=MAX_PHOTO_PIXELS // 1_000_000,
        ),
        "image too large in pixels",
    )


def _open_checked(data: bytes) -> Image.Image:
    """Open and fully decode the first frame, or raise a clear InvalidInputError."""
    from PIL import Image, UnidentifiedImageError

    try:
        # Pillow only warns between its limit and twice it; treat the warning as a refusal.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
            if image.width * image.height > MAX_PHOTO_PIXELS:
                raise _too_many_pixels()
            image.seek(0)  # animated GIF/WebP: the first frame
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except UnidentifiedImageError:
        raise _refuse(
            localizable("This file is not a JPEG, PNG, WebP or GIF image."),
            "Not a supported image.",
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError) as error:
        # Truncated or corrupt data surfaces as any of these, depending on the decoder.
        raise _refuse(
            localizable("The image file is damaged or incomplete; please upload it again."),
            f"Could not be read ({type(error).__name__}).",
        ) from None
    return image


def _flatten_to_rgb(image: Image.Image) -> Image.Image:
    """RGB pixels; transparent areas become white (JPEG has no alpha)."""
    from PIL import Image

    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info
    )
    if not has_alpha:
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def process_photo(data: bytes) -> ProcessedPhoto:
    """Turn an uploaded image into an upright, square, metadata-free 256x256 JPEG."""
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoTooLargeError(
            localizable(
                "The photo is %(size)s MB; the limit is %(limit)s MB.",
                size=f"{len(data) / 1_048_576:.1f}",
                limit=MAX_PHOTO_BYTES // 1_048_576,
            ),
            {PHOTO_FIELD: [f"Larger than {MAX_PHOTO_BYTES // 1_048_576} MB."]},
        )
    if not data:
        raise _refuse(localizable("The photo file is empty."), "Empty file.")
    from PIL import Image, ImageOps

    image = _open_checked(data)
    try:
        # Cameras store "rotate me" in EXIF; apply it before the EXIF is dropped.
        upright = ImageOps.exif_transpose(image) or image
        square = ImageOps.fit(
            _flatten_to_rgb(upright),
            (PHOTO_SIZE, PHOTO_SIZE),
            method=Image.Resampling.LANCZOS,
            centering=(0.5, 0.5),
        )
    except (OSError, SyntaxError, ValueError) as error:
        raise _refuse(
            localizable("The image file is damaged or incomplete; please upload it again."),
            f"Could not be read ({type(error).__name__}).",
        ) from None
    # A fresh image from pixels only: nothing of the original's info dict can leak.
    clean = Image.new("RGB", square.size)
    clean.paste(square)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True)
    jpeg = out.getvalue()
    return ProcessedPhoto(
        jpeg=jpeg,
        etag=hashlib.sha256(jpeg).hexdigest()[:16],
        width=clean.width,
        height=clean.height,
    )
