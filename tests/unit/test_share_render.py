"""Share images: sizes, real glyphs in every script (no tofu), shaping, right-to-left layout."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, features

from testimonials.harvest.photos import process_photo
from testimonials.widgets.share import fonts, render, text
from testimonials.widgets.share.render import ShareContent, ShareFormat, render_share_image

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "share"

# Two different words of equal length per script: boxes would make them look the same.
WORD_PAIRS = {
    "km": ("កខគឃ", "ចឆជឈ"),
    "lo": ("ກຂຄງ", "ຈສຊຍ"),
    "th": ("กขคง", "จฉชซ"),
    "ar": ("بتثج", "حخسش"),
    "zh": ("我们团队", "客服回复"),
    "ja": ("かきくけ", "さしすせ"),
    "ko": ("우리팀은", "매달시간"),
}
QUOTES = {
    "km": ("ក្រុមការងាររបស់យើងសន្សំពេលវេលាបានច្រើន។", "សុខ ចាន់ថា", fonts.KHMER),
    "lo": ("ພວກເຮົາປະຫຍັດເວລາໄດ້ຫຼາຍ ທີມງານຊ່ວຍເຫຼືອດີຫຼາຍ", "ສົມພອນ ແກ້ວມະນີ", fonts.LAO),
    "th": ("ทีมของเราประหยัดเวลาได้มาก การสนับสนุนรวดเร็ว", "สมชาย ใจดี", fonts.THAI),
    "ar": ("وفّرنا أكثر من 20 ساعة شهريًا بفضل أداة الاستيراد", "ليلى حداد", fonts.ARABIC),
    "zh": ("我们的团队每个月节省了二十多个小时，客服回复非常及时。", "王小明", fonts.CJK),
    "ja": ("導入してから、チームの作業時間が大幅に減りました。", "佐藤 花子", fonts.CJK),
    "ko": ("우리 팀은 매달 20시간 이상을 절약했습니다.", "김민준", fonts.HANGUL),
}


def _image(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def _save(name: str, png: bytes) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / name).write_bytes(png)


def _ink(image: Image.Image) -> int:
    """How many pixels are not white paper."""
    return sum(image.convert("L").histogram()[:200])


def _draw(word: str, font_name: str, size: int = 48) -> Image.Image:
    image = Image.new("L", (900, 120), 255)
    ImageDraw.Draw(image).text((10, 90), word, font=fonts.load(font_name, size), anchor="ls")
    return image


def test_pillow_shapes_complex_scripts_with_raqm() -> None:
    assert features.check("raqm"), "Pillow without raqm draws Khmer, Thai and Arabic wrongly"
    assert fonts.has_complex_shaping()


@pytest.mark.parametrize("share_format", list(ShareFormat))
def test_images_have_the_sizes_social_networks_expect(share_format: ShareFormat) -> None:
    content = ShareContent("Fast, friendly, and it just works.", "Dana Whitfield", "CTO", "Acme")
    png = render_share_image(content, share_format)
    image = _image(png)
    assert image.format == "PNG"
    expected = {ShareFormat.CARD: (1200, 630), ShareFormat.SQUARE: (1080, 1080)}
    assert image.size == expected[share_format]
    _save(f"en-{share_format}.png", png)


@pytest.mark.parametrize("language", sorted(QUOTES))
def test_every_script_is_drawn_with_real_glyphs_not_boxes(language: str) -> None:
    quote, name, font = QUOTES[language]
    word, other = WORD_PAIRS[language]
    # Drawn in a font without the script, every character is the same "missing" box, so
    # two different words look the same; in the packaged font they differ.
    assert (
        ImageChops.difference(_draw(word, fonts.LATIN), _draw(other, fonts.LATIN)).getbbox() is None
    )
    assert ImageChops.difference(_draw(word, font), _draw(other, font)).getbbox() is not None
    for char in quote:
        assert fonts.covers(fonts.font_for(char, font), char), f"no glyph for {char!r}"
    png = render_share_image(
        ShareContent(quote, name, company="Acme", language=language), ShareFormat.CARD
    )
    assert _ink(_image(png)) > 5000
    _save(f"{language}-card.png", png)
    _save(
        f"{language}-square.png",
        render_share_image(
            ShareContent(quote, name, company="Acme", language=language), ShareFormat.SQUARE
        ),
    )


def test_khmer_subscripts_are_stacked_below_not_written_in_a_row() -> None:
    font = fonts.load(fonts.KHMER, 60)
    stacked = font.getlength("ក្ក")  # ka, coeng, ka: the second ka goes below the first
    assert stacked < 1.3 * font.getlength("ក")
    # The subscript reaches further below the baseline than two plain letters do.
    assert font.getbbox("ក្ក", anchor="ls")[3] > font.getbbox("កក", anchor="ls")[3] + 10


def _widest_shape(image: Image.Image) -> float:
    """The width of the widest connected piece of ink, as a share of all the ink's width."""
    ink = {
        (x, y)
        for y in range(image.height)
        for x in range(image.width)
        if image.getpixel((x, y)) < 160
    }
    left = min(x for x, _ in ink)
    right = max(x for x, _ in ink)
    widest, seen = 0, set()
    for start in ink:
        if start in seen:
            continue
        seen.add(start)
        stack, xs = [start], []
        while stack:
            x, y = stack.pop()
            xs.append(x)
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    near = (x + dx, y + dy)
                    if near in ink and near not in seen:
                        seen.add(near)
                        stack.append(near)
        widest = max(widest, max(xs) - min(xs))
    return widest / (right - left)


def test_arabic_letters_join_instead_of_standing_alone() -> None:
    font = fonts.load(fonts.ARABIC, 60)
    joined = font.getlength("بببب", direction="rtl")
    isolated = 4 * font.getlength("ب", direction="rtl")
    assert joined < 0.7 * isolated
    # Joined, the word is one connected shape (dots aside); written apart, four shapes.
    word = Image.new("L", (400, 130), 255)
    ImageDraw.Draw(word).text((20, 90), "بببب", font=font, anchor="ls", direction="rtl")
    apart = Image.new("L", (400, 130), 255)
    ImageDraw.Draw(apart).text((20, 90), "ب ب ب ب", font=font, anchor="ls", direction="rtl")
    assert _widest_shape(word) > 0.9
    assert _widest_shape(apart) < 0.4


def _ink_columns(png: bytes, top: int, bottom: int) -> tuple[int, int]:
    crop = _image(png).convert("L").crop((0, top, 1200, bottom))
    box = crop.point(lambda v: 255 if v < 128 else 0).getbbox()
    assert box is not None
    return box[0], box[2]


def test_right_to_left_quotes_are_aligned_right_and_left_to_right_quotes_left() -> None:
    short_ar = ShareContent("خدمة ممتازة", "ليلى حداد", language="ar")
    short_en = ShareContent("Great service", "Dana Whitfield", language="en")
    left_ar, right_ar = _ink_columns(render_share_image(short_ar, ShareFormat.CARD), 150, 430)
    left_en, right_en = _ink_columns(render_share_image(short_en, ShareFormat.CARD), 150, 430)
    assert right_ar >= 1100 and left_ar > 500
    assert left_en <= 100 and right_en < 700


def test_latin_words_inside_arabic_sit_where_a_right_to_left_reader_expects() -> None:
    # "I recommend Acme": Arabic first (on the right), then the Latin name to its left.
    line = "أنصح بـ Acme"
    image = Image.new("RGB", (800, 100), (255, 255, 255))
    render.draw_line(ImageDraw.Draw(image), line, 10, 70, 48, (0, 0, 0), True)
    acme_width = text.run_width("Acme", fonts.LATIN, 48, False)
    latin = Image.new("RGB", (800, 100), (255, 255, 255))
    render.draw_line(ImageDraw.Draw(latin), "Acme", 10, 70, 48, (0, 0, 0), False)
    # The leftmost part of the RTL line is exactly "Acme" drawn on its own.
    box = (0, 0, int(10 + acme_width), 100)
    assert ImageChops.difference(image.crop(box), latin.crop(box)).getbbox() is None


def test_a_photo_is_drawn_in_a_circle_and_initials_stand_in_without_one() -> None:
    red = Image.new("RGB", (400, 400), (220, 30, 30))
    out = io.BytesIO()
    red.save(out, format="PNG")
    photo = process_photo(out.getvalue())
    with_photo = ShareContent("Great", "Dana Whitfield", photo=photo.jpeg, photo_etag=photo.etag)
    image = _image(render_share_image(with_photo, ShareFormat.CARD)).convert("RGB")
    # The avatar's centre is the photo's red; its bounding-box corner is paper (a circle).
    r, g, b = image.getpixel((80 + 52, 483 + 52))
    assert r > 180 and g < 80 and b < 80
    assert image.getpixel((81, 484)) == (255, 255, 255)
    assert render.initials("Dana Whitfield") == "D\u200cW"
    assert render.initials("ليلى حداد") == "ل\u200cح"
    assert render.initials("王小明") == "王"
    assert render.initials("  ") == ""


def test_the_brand_colour_is_used_and_kept_readable() -> None:
    content = ShareContent("Great", "Dana", brand_color="#e11d48")
    image = _image(render_share_image(content, ShareFormat.CARD)).convert("RGB")
    assert image.getpixel((600, 5)) == (225, 29, 72)
    pale = render.accent_for_text((255, 240, 120))
    assert render.readable_on((255, 240, 120)) == render.INK
    assert render.readable_on((20, 20, 80)) == render.PAPER
    assert pale != (255, 240, 120)
    assert render.hex_to_rgb("not a colour") == render.hex_to_rgb(render.DEFAULT_BRAND_COLOR)


def test_the_version_changes_with_anything_drawn_and_only_then() -> None:
    base = ShareContent("Great", "Dana", photo_etag="a1")
    same = ShareContent("Great", "Dana", photo=b"bytes are named by their etag", photo_etag="a1")
    assert base.version(ShareFormat.CARD) == same.version(ShareFormat.CARD)
    assert base.version(ShareFormat.CARD) != base.version(ShareFormat.SQUARE)
    for changed in (
        ShareContent("Great!", "Dana", photo_etag="a1"),
        ShareContent("Great", "Dana W.", photo_etag="a1"),
        ShareContent("Great", "Dana", photo_etag="b2"),
        ShareContent("Great", "Dana", photo_etag="a1", brand_color="#000000"),
    ):
        assert changed.version(ShareFormat.CARD) != base.version(ShareFormat.CARD)


def test_a_very_long_quote_and_long_names_still_fit_the_card() -> None:
    content = ShareContent(
        " ".join(["The onboarding was smooth and the dashboards are useful."] * 12),
        "Alexandria Montgomery-Richardson of the Northern Territories",
        "Vice President of Customer Experience and Success",
        "International Consolidated Widgets Incorporated",
        "Acme",
    )
    png = render_share_image(content, ShareFormat.CARD)
    _save("long-card.png", png)
    image = _image(png).convert("L")
    # Nothing is drawn into the right margin: long text was wrapped or cut, not overflowed.
    assert (
        image.crop((1125, 20, 1200, 630)).point(lambda v: 255 if v < 128 else 0).getbbox() is None
    )


def test_emoji_are_drawn_not_boxed() -> None:
    for emoji in ("😍", "👍", "🙏", "🎉", "❤", "⭐", "🔥", "🚀", "✅"):
        assert fonts.font_for(emoji, fonts.LATIN) == fonts.EMOJI, emoji
    assert text.grapheme_clusters("👍🏽!") == ["👍🏽", "!"]
    assert text.grapheme_clusters("❤️ ok")[0] == "❤️"
    boxes = _draw("😍🎉", fonts.LATIN), _draw("🚀🔥", fonts.LATIN)
    assert ImageChops.difference(*boxes).getbbox() is None
    glyphs = _draw("😍🎉", fonts.EMOJI), _draw("🚀🔥", fonts.EMOJI)
    assert ImageChops.difference(*glyphs).getbbox() is not None
    png = render_share_image(
        ShareContent("Love it 😍🎉 five stars ⭐⭐⭐⭐⭐", "Sam"), ShareFormat.CARD
    )
    _save("emoji-card.png", png)


def test_an_anonymous_quote_gets_no_empty_avatar() -> None:
    image = _image(render_share_image(ShareContent("Great", ""), ShareFormat.CARD)).convert("RGB")
    assert image.getpixel((80 + 52, 483 + 52)) == render.PAPER
