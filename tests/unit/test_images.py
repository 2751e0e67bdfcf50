"""Author photos: whatever comes in, a clean, upright, square 256 px JPEG goes out."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib

import pytest
from PIL import ExifTags, Image

from testimonials.errors import InvalidInputError
from testimonials.harvest.photos import (
    MAX_PHOTO_BYTES,
    PhotoTooLargeError,
    process_photo,
)

RED, BLUE, WHITE = (220, 20, 20), (20, 20, 220), (255, 255, 255)


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def two_colour(size: tuple[int, int], first: tuple, second: tuple, split: str) -> Image.Image:
    """An image whose top (or left) half is `first` and the other half `second`."""
    image = Image.new("RGB", size, second)
    w, h = size
    box = (0, 0, w, h // 2) if split == "top" else (0, 0, w // 2, h)
    image.paste(first, box)
    return image


def close_to(pixel: tuple, colour: tuple, tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def open_output(jpeg: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(jpeg))
    image.load()
    return image


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels (a decompression bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_jpeg_with_gps_and_orientation_comes_out_upright_square_and_without_metadata() -> None:
    # Stored landscape, red on top; orientation 6 says "turn 90° clockwise to view", so
    # the person looking at it sees a portrait with red on the right.
    stored = two_colour((300, 200), RED, BLUE, split="top")
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneCo"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    original = encode(stored, "JPEG", exif=exif.tobytes(), quality=95)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    photo = process_photo(original)

    out = open_output(photo.jpeg)
    assert (out.format, out.mode, out.size) == ("JPEG", "RGB", (256, 256))
    assert (photo.width, photo.height) == (256, 256)
    assert len(out.getexif()) == 0
    assert b"Exif" not in photo.jpeg and b"PhoneCo" not in photo.jpeg
    assert "icc_profile" not in out.info
    assert close_to(out.getpixel((20, 128)), BLUE), "left side should be blue when upright"
    assert close_to(out.getpixel((236, 128)), RED), "right side should be red when upright"
    assert close_to(out.getpixel((20, 10)), out.getpixel((20, 245)))


def test_output_is_progressive_jpeg_and_etag_is_its_content_hash() -> None:
    photo = process_photo(encode(Image.new("RGB", (64, 64), RED), "PNG"))
    assert open_output(photo.jpeg).info.get("progressive")
    assert photo.etag == hashlib.sha256(photo.jpeg).hexdigest()[:16]
    assert process_photo(encode(Image.new("RGB", (64, 64), RED), "PNG")).etag == photo.etag


def test_wide_image_is_centre_cropped_not_squashed() -> None:
    # Blue bands at both far ends; a centre crop keeps only the red middle.
    image = Image.new("RGB", (900, 300), RED)
    image.paste(BLUE, (0, 0, 200, 300))
    image.paste(BLUE, (700, 0, 900, 300))
    out = open_output(process_photo(encode(image, "PNG")).jpeg)
    assert all(close_to(out.getpixel((x, 128)), RED) for x in (2, 128, 253))


def test_png_transparency_is_flattened_on_white() -> None:
    image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    image.paste((*RED, 255), (0, 0, 100, 50))
    out = open_output(process_photo(encode(image, "PNG")).jpeg)
    assert out.mode == "RGB"
    assert close_to(out.getpixel((128, 20)), RED)
    assert close_to(out.getpixel((128, 235)), WHITE, tolerance=10)


def test_palette_png_with_transparent_index_is_flattened_on_white() -> None:
    image = Image.new("P", (50, 50), 0)
    image.putpalette([0, 0, 0, *RED] + [0] * 762)
    image.paste(1, (0, 0, 50, 25))
    out = open_output(process_photo(encode(image, "PNG", transparency=0)).jpeg)
    assert close_to(out.getpixel((128, 20)), RED)
    assert close_to(out.getpixel((128, 235)), WHITE, tolerance=10)


def test_animated_gif_uses_its_first_frame() -> None:
    frames = [Image.new("RGB", (40, 40), RED), Image.new("RGB", (40, 40), BLUE)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    assert Image.open(io.BytesIO(data)).n_frames == 2
    out = open_output(process_photo(data).jpeg)
    assert out.size == (256, 256)
    assert close_to(out.getpixel((128, 128)), RED)


def test_webp_is_accepted() -> None:
    out = open_output(process_photo(encode(Image.new("RGB", (80, 60), BLUE), "WEBP")).jpeg)
    assert out.size == (256, 256) and close_to(out.getpixel((128, 128)), BLUE)


def test_cmyk_jpeg_becomes_rgb() -> None:
    out = open_output(process_photo(encode(Image.new("CMYK", (50, 50), (0, 0, 0, 0)), "JPEG")).jpeg)
    assert out.mode == "RGB" and close_to(out.getpixel((5, 5)), WHITE, tolerance=10)


def test_text_pretending_to_be_a_png_is_refused() -> None:
    with pytest.raises(InvalidInputError) as raised:
        process_photo(b"\x89PNG but actually just some text, not an image at all\n" * 3)
    assert "not a JPEG, PNG, WebP or GIF" in raised.value.detail
    assert "photo" in raised.value.errors


def test_a_real_image_in_a_format_we_do_not_accept_is_refused_by_its_content() -> None:
    for fmt in ("BMP", "TIFF", "ICO"):
        with pytest.raises(InvalidInputError, match="not a JPEG, PNG, WebP or GIF"):
            process_photo(encode(Image.new("RGB", (32, 32), RED), fmt))


def test_decompression_bomb_is_refused_before_decoding() -> None:
    bomb = png_declaring(30_000, 30_000)
    assert len(bomb) < 200
    with pytest.raises(InvalidInputError) as raised:
        process_photo(bomb)
    assert raised.value.errors == {"photo": ["image too large in pixels"]}
    assert "too large in pixels" in raised.value.detail


def test_image_over_our_pixel_limit_but_under_pillows_is_refused_too() -> None:
    # 60 megapixels: Pillow alone would accept it (its limit is ~89 MP).
    with pytest.raises(InvalidInputError, match="too large in pixels"):
        process_photo(png_declaring(10_000, 6_000))


def test_truncated_jpeg_is_refused_with_a_clear_message() -> None:
    noisy = Image.effect_noise((400, 400), 80).convert("RGB")
    data = encode(noisy, "JPEG", quality=90)
    with pytest.raises(InvalidInputError) as raised:
        process_photo(data[: len(data) // 2])
    assert "damaged or incomplete" in raised.value.detail


def test_corrupt_png_is_refused_with_a_clear_message() -> None:
    data = bytearray(encode(Image.effect_noise((100, 100), 80).convert("RGB"), "PNG"))
    data[200:400] = b"\x00" * 200  # garbage inside the compressed pixel data
    with pytest.raises(InvalidInputError, match="damaged or incomplete"):
        process_photo(bytes(data))


def test_empty_file_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="empty"):
        process_photo(b"")


def test_file_over_5_mb_is_refused_before_it_is_opened() -> None:
    # Not even an image: the size check must come first, without decoding anything.
    with pytest.raises(PhotoTooLargeError) as raised:
        process_photo(b"\xff" * (MAX_PHOTO_BYTES + 1))
    assert raised.value.status == 413
    assert "limit is 5 MB" in raised.value.detail
