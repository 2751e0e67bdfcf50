"""Drawing share images: a 1200x630 social card and a 1080x1080 square (Pillow, no Flask).

What goes on the image is a `ShareContent` of plain values, so rendering is tested and
benchmarked without a database, and the cache version is a hash of exactly these values.
"""

from __future__ import annotations

import enum
import hashlib
import io
import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from testimonials.widgets.share import fonts, text

if TYPE_CHECKING:
    from PIL import Image, ImageDraw

# Pillow is imported by the functions that draw: a web worker imports this module for its
# formats and content, and most never draw.

# Bump when the drawing changes, so every cached image is drawn again.
RENDERER_VERSION = "1"
DEFAULT_BRAND_COLOR = "#4f46e5"
INK = (17, 24, 39)
MUTED = (75, 85, 99)
PAPER = (255, 255, 255)


class ShareFormat(enum.StrEnum):
    """The two shapes a share image comes in."""

    CARD = "card"  # 1200x630: OpenGraph / Twitter / LinkedIn link previews
    SQUARE = "square"  # 1080x1080: Instagram and feed posts


@dataclass(frozen=True)
class ShareContent:
    """Everything drawn on a share image, and nothing else."""

    quote: str
    name: str
    role: str = ""
    company: str = ""
    workspace_name: str = ""
    brand_color: str = DEFAULT_BRAND_COLOR
    language: str | None = None
    photo: bytes | None = None
    photo_etag: str | None = None

    def version(self, share_format: ShareFormat) -> str:
        """A short hash that changes whenever anything drawn would change."""
        values = asdict(self)
        values.pop("photo")  # the photo is named by its content hash, photo_etag
        values["format"] = share_format.value
        values["renderer"] = RENDERER_VERSION
        encoded = json.dumps(values, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(encoded).hexdigest()[:20]


@dataclass(frozen=True)
class _Layout:
    size: tuple[int, int]
    margin: int
    quote_top: int
    quote_bottom: int
    quote_sizes: tuple[int, ...]
    mark_size: int
    avatar: int
    name_size: int
    detail_size: int
    footer_size: int


LAYOUTS = {
    ShareFormat.CARD: _Layout(
        size=(1200, 630),
        margin=80,
        quote_top=120,
        quote_bottom=440,
        quote_sizes=(52, 48, 44, 40, 36, 33, 30, 28),
        mark_size=120,
        avatar=104,
        name_size=34,
        detail_size=26,
        footer_size=24,
    ),
    ShareFormat.SQUARE: _Layout(
        size=(1080, 1080),
        margin=90,
        quote_top=210,
        quote_bottom=780,
        quote_sizes=(64, 58, 54, 50, 46, 42, 38, 35, 32),
        mark_size=160,
        avatar=136,
        name_size=42,
        detail_size=32,
        footer_size=30,
    ),
}


def hex_to_rgb(value: str) -> tuple[int, int, int]:
    """ "#4f46e5" -> (79, 70, 229); anything else gives the default colour."""
    value = value if len(value) == 7 and value.startswith("#") else DEFAULT_BRAND_COLOR
    try:
        return (int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16))
    except ValueError:
        return hex_to_rgb(DEFAULT_BRAND_COLOR)


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def readable_on(background: tuple[int, int, int]) -> tuple[int, int, int]:
    """White or near-black text, whichever contrasts more with the background (WCAG)."""
    light = (_luminance(PAPER) + 0.05) / (_luminance(background) + 0.05)
    dark = (_luminance(background) + 0.05) / (_luminance(INK) + 0.05)
    return PAPER if light >= dark else INK


def accent_for_text(brand: tuple[int, int, int]) -> tuple[int, int, int]:
    """The brand colour, darkened until it reads on white (4.5:1) for text drawn in it."""
    color = brand
    while (_luminance(PAPER) + 0.05) / (_luminance(color) + 0.05) < 4.5:
        color = tuple(max(0, int(c * 0.85)) for c in color)  # type: ignore[assignment]
    return color


def draw_line(
    draw: ImageDraw.ImageDraw,
    line: str,
    x: float,
    baseline: float,
    size: int,
    fill: tuple[int, int, int],
    rtl: bool,
    bold: bool = False,
    language: str | None = None,
) -> None:
    """Draw one line from `x` (its left edge), run by run in visual order."""
    for run in text.visual_order(text.runs(line, rtl), rtl):
        name = fonts.LATIN_BOLD if bold and run.font == fonts.LATIN else run.font
        # Scripts without a bold cut get a hairline stroke in the same colour instead.
        stroke = max(1, size // 28) if bold and name != fonts.LATIN_BOLD else 0
        draw.text(
            (x, baseline),
            run.text,
            font=fonts.load(name, size),
            fill=fill,
            anchor="ls",
            direction="rtl" if run.rtl else "ltr",
            language=language,
            stroke_width=stroke,
            stroke_fill=fill,
        )
        x += text.run_width(run.text, run.font, size, run.rtl, bold)


def _aligned_x(line: str, size: int, left: int, right: int, rtl: bool, bold: bool) -> float:
    return right - text.line_width(line, size, bold, rtl) if rtl else left


def initials(name: str) -> str:
    """Up to two first letters (whole grapheme clusters) of the name's words."""
    words = [w for w in text.normalise(name).split(" ") if w and w[0].isalnum()]
    if not words:
        return ""
    if len(words) == 1:
        return text.grapheme_clusters(words[0])[0].upper()
    letters = [text.grapheme_clusters(w)[0].upper() for w in (words[0], words[-1])]
    # A zero-width non-joiner keeps Arabic initials as two letters, not one joined word.
    return "\u200c".join(letters)


def _avatar(content: ShareContent, diameter: int, brand: tuple[int, int, int]) -> Image.Image:
    """The author's photo in a circle, or their initials on the brand colour."""
    from PIL import Image, ImageDraw, ImageOps

    mask = Image.new("L", (diameter * 4, diameter * 4), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, diameter * 4 - 1, diameter * 4 - 1), fill=255)
    mask = mask.resize((diameter, diameter), Image.Resampling.LANCZOS)
    if content.photo:
        with Image.open(io.BytesIO(content.photo), formats=("JPEG",)) as photo:
            face = ImageOps.fit(photo.convert("RGB"), (diameter, diameter))
    else:
        face = Image.new("RGB", (diameter, diameter), brand)
        letters = initials(content.name)
        if letters:
            size = int(diameter * (0.40 if len(letters) > 1 else 0.46))
            draw = ImageDraw.Draw(face)
            width = text.line_width(letters, size, bold=True)
            rtl = text.is_rtl_text(letters)
            draw_line(
                draw,
                letters,
                (diameter - width) / 2,
                diameter / 2 + size * 0.36,
                size,
                readable_on(brand),
                rtl,
                bold=True,
            )
    circle = Image.new("RGBA", (diameter, diameter), (0, 0, 0, 0))
    circle.paste(face, (0, 0), mask)
    return circle


def _fit_single_line(value: str, size: int, width: float, bold: bool) -> str:
    """A name or role on one line: cut at a word boundary with an ellipsis when too long."""
    if text.line_width(value, size, bold) <= width:
        return value
    return text.fit(value, width, size * 1.5, (size,), bold=bold).lines[0]


def render_share_image(content: ShareContent, share_format: ShareFormat) -> bytes:
    """The PNG bytes of a share image."""
    from PIL import Image, ImageDraw

    layout = LAYOUTS[share_format]
    width, height = layout.size
    brand = hex_to_rgb(content.brand_color)
    accent = accent_for_text(brand)
    image = Image.new("RGB", layout.size, PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 14), fill=brand)

    quote = text.normalise(content.quote)
    rtl = text.is_rtl_text(quote)
    left, right = layout.margin, width - layout.margin
    language = (content.language or "").split("-")[0] or None

    # The opening quotation mark, on the side the quote starts from.
    mark = "\u201d" if rtl else "\u201c"
    mark_width = text.line_width(mark, layout.mark_size, bold=True)
    mark_x = right - mark_width if rtl else left - 6
    draw_line(draw, mark, mark_x, layout.quote_top + 4, layout.mark_size, accent, rtl, True)

    box_height = layout.quote_bottom - layout.quote_top
    paragraph = text.fit(quote, right - left, box_height, layout.quote_sizes)
    block = len(paragraph.lines) * paragraph.line_height
    baseline = layout.quote_top + (box_height - block) / 2 + paragraph.size * 1.05
    for line in paragraph.lines:
        x = _aligned_x(line, paragraph.size, left, right, rtl, False)
        draw_line(draw, line, x, baseline, paragraph.size, INK, rtl, language=language)
        baseline += paragraph.line_height

    # The author: avatar at the start side, name and "role · company" beside it.
    diameter = layout.avatar
    row_top = layout.quote_bottom + (height - layout.quote_bottom - diameter) // 2 - 10
    text_left, text_right = left, right
    if content.photo or initials(content.name):  # an anonymous quote gets no empty circle
        avatar = _avatar(content, diameter, brand)
        image.paste(avatar, (right - diameter if rtl else left, row_top), avatar)
        if rtl:
            text_right -= diameter + 28
        else:
            text_left += diameter + 28
    detail = " · ".join(part for part in (content.role, content.company) if part)
    name_baseline = row_top + diameter / 2 - (4 if detail else -layout.name_size * 0.35)
    room = text_right - text_left
    name = _fit_single_line(text.normalise(content.name), layout.name_size, room, True)
    x = _aligned_x(name, layout.name_size, text_left, text_right, rtl, True)
    draw_line(draw, name, x, name_baseline, layout.name_size, INK, rtl, bold=True)
    if detail:
        detail = _fit_single_line(text.normalise(detail), layout.detail_size, room, False)
        x = _aligned_x(detail, layout.detail_size, text_left, text_right, rtl, False)
        draw_line(
            draw,
            detail,
            x,
            name_baseline + layout.detail_size * 1.5,
            layout.detail_size,
            MUTED,
            rtl,
        )

    if content.workspace_name:
        brand_name = _fit_single_line(
            text.normalise(content.workspace_name), layout.footer_size, (right - left) / 2, True
        )
        footer_rtl = text.is_rtl_text(brand_name)
        x = left if rtl else right - text.line_width(brand_name, layout.footer_size, True)
        draw_line(
            draw, brand_name, x, layout.quote_top - 48, layout.footer_size, accent, footer_rtl, True
        )

    out = io.BytesIO()
    # Level 3: a few KB larger than the default, a third faster to encode.
    image.save(out, format="PNG", compress_level=3)
    return out.getvalue()
