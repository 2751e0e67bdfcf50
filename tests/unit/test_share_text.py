"""Laying out quotes in any script: clusters, break opportunities, bidi order, fitting."""

from __future__ import annotations

import unicodedata

import pytest

from testimonials.widgets.share import fonts, text
from testimonials.widgets.share.text import ELLIPSIS, Run

KHMER = "ក្រុមការងាររបស់យើងសន្សំពេលវេលាបានច្រើនណាស់ចាប់តាំងពីយើងប្រើកម្មវិធីនេះ"
THAI = "ทีมของเราประหยัดเวลาได้มากตั้งแต่เริ่มใช้ระบบนี้การสนับสนุนรวดเร็วและเป็นกันเองมาก"
LAO = "ພວກເຮົາປະຫຍັດເວລາໄດ້ຫຼາຍນັບຕັ້ງແຕ່ໃຊ້ລະບົບນີ້ທີມງານຊ່ວຍເຫຼືອດີຫຼາຍ"
CHINESE = "自从使用这个工具以来，我们的团队每个月节省了二十多个小时。客服回复非常及时，体验很好！"


def test_a_khmer_subscript_stays_in_its_cluster() -> None:
    # ក + coeng + រ is one written unit: the រ is drawn below the ក.
    assert text.grapheme_clusters("ក្រុម") == ["ក្រុ", "ម"]


def test_thai_and_lao_leading_vowels_stay_with_their_consonant() -> None:
    assert text.grapheme_clusters("เรา") == ["เร", "า"]
    assert text.grapheme_clusters("ເຮົາ") == ["ເຮົ", "າ"]


@pytest.mark.parametrize("quote", [KHMER, THAI, LAO])
def test_scripts_without_spaces_wrap_only_between_clusters(quote: str) -> None:
    lines = text.wrap(quote, 40, 300)
    assert len(lines) > 2
    assert "".join("".join(line) for line in lines) == quote  # nothing lost or changed
    for line in lines[1:]:
        first = "".join(line)[0]
        assert not unicodedata.category(first).startswith("M"), "a mark lost its base"
    for line in lines:
        joined = "".join(line)
        assert joined[-1] != text.COENG and joined[-1] not in text.LEADING_VOWELS
        assert text.line_width(joined, 40) <= 300


def test_chinese_breaks_between_characters_but_never_before_closing_punctuation() -> None:
    lines = ["".join(line) for line in text.wrap(CHINESE, 40, 330)]
    assert len(lines) > 3
    assert "".join(lines) == CHINESE
    assert all(line[0] not in "，。！" for line in lines)


def test_spaced_text_breaks_at_spaces_only() -> None:
    quote = "Support answered every question within the hour, even on weekends and holidays."
    lines = text.wrap(quote, 40, 400)
    for line, following in zip(lines, [*lines[1:], []], strict=True):
        for segment in line[:-1]:
            assert segment.endswith(" ")
        # Each line fits as drawn, and is as full as it can be (the next word would not fit).
        assert text.line_width("".join(line), 40) <= 400
        if following:
            assert text.line_width("".join(line) + following[0], 40) > 400


def test_each_script_gets_a_font_that_has_its_glyphs() -> None:
    samples = {
        "ក": fonts.KHMER,
        "ລ": fonts.LAO,
        "ท": fonts.THAI,
        "ب": fonts.ARABIC,
        "ש": fonts.HEBREW,
        "中": fonts.CJK,
        "か": fonts.CJK,
        "한": fonts.HANGUL,
        "é": fonts.LATIN,
        "ж": fonts.LATIN,
    }
    for char, font in samples.items():
        assert fonts.font_for(char, None) == font
        assert fonts.covers(font, char)


def test_a_character_missing_from_the_script_font_falls_back_to_one_that_has_it() -> None:
    # The Khmer font has no middle dot: inside Khmer text it is drawn in Latin, not as a box.
    assert not fonts.covers(fonts.KHMER, "·")
    assert fonts.font_for("·", fonts.KHMER) == fonts.LATIN
    assert fonts.font_for("é", fonts.KHMER) == fonts.LATIN
    # Punctuation inside Arabic stays in the Arabic run when the Arabic font has it.
    assert fonts.font_for("،", fonts.ARABIC) == fonts.ARABIC


def test_mixed_scripts_are_cut_into_runs_with_their_own_fonts() -> None:
    runs = text.runs("ប្រើ Acme ល្អ")
    assert [(r.text.strip(), r.font) for r in runs if r.text.strip()] == [
        ("ប្រើ", fonts.KHMER),
        ("Acme", fonts.LATIN),
        ("ល្អ", fonts.KHMER),
    ]


def test_latin_inside_arabic_is_placed_right_to_left_at_run_level() -> None:
    line = "أنصح به Acme لكل فريق"
    assert text.is_rtl_text(line)
    visual = [r.text for r in text.visual_order(text.runs(line, True), True)]
    # Drawn left to right: the last Arabic words first, the first Arabic words last.
    assert visual == ["لكل فريق", " ", "Acme", "أنصح به "]


def test_numbers_after_a_latin_word_stay_with_it_in_right_to_left_text() -> None:
    runs = text.runs("نستخدم Windows 11 يوميا", True)
    assert any(r.text == "Windows 11" and not r.rtl for r in runs)


def test_the_paragraph_direction_is_that_of_the_first_strong_character() -> None:
    assert text.is_rtl_text("«مرحبا» Acme")
    assert not text.is_rtl_text("2024: Acme مرحبا")
    assert not text.is_rtl_text("")


def test_a_left_to_right_paragraph_keeps_its_runs_in_logical_order() -> None:
    runs = [Run("a", fonts.LATIN, False), Run("b", fonts.KHMER, False)]
    assert text.visual_order(runs, False) == runs


def test_a_short_quote_fits_at_the_largest_size() -> None:
    paragraph = text.fit("Fast and friendly.", 1000, 300, (52, 40, 28))
    assert paragraph.size == 52 and paragraph.lines == ["Fast and friendly."]
    assert not paragraph.truncated


def test_a_longer_quote_shrinks_before_anything_is_cut() -> None:
    quote = " ".join(["The onboarding was smooth and the dashboards are useful."] * 3)
    paragraph = text.fit(quote, 1000, 300, (52, 44, 36, 28))
    assert paragraph.size < 52 and not paragraph.truncated
    assert " ".join(paragraph.lines) == quote


def test_a_quote_too_long_for_the_smallest_size_is_cut_at_a_word_with_an_ellipsis() -> None:
    quote = " ".join(f"sentence{n} has several honest words in it." for n in range(80))
    paragraph = text.fit(quote, 1000, 300, (52, 28))
    assert paragraph.truncated and paragraph.size == 28
    assert len(paragraph.lines) * paragraph.line_height <= 300
    kept = " ".join(paragraph.lines)
    assert kept.endswith(ELLIPSIS)
    shown = kept.removesuffix(ELLIPSIS)
    assert quote.startswith(shown)
    assert quote[len(shown)] == " ", "cut inside a word"
    assert text.line_width(paragraph.lines[-1], 28) <= 1000


def test_a_long_chinese_quote_is_cut_between_characters_never_before_punctuation() -> None:
    paragraph = text.fit(CHINESE * 20, 600, 200, (40, 30))
    assert paragraph.truncated
    shown = "".join(paragraph.lines).removesuffix(ELLIPSIS)
    assert (CHINESE * 20).startswith(shown)
    assert (CHINESE * 20)[len(shown)] not in "，。！"


def test_whitespace_is_tidied_but_words_are_not_touched() -> None:
    assert text.normalise("  Great   tool.\r\n\r\n\r\nFast  ") == "Great tool.\nFast"
