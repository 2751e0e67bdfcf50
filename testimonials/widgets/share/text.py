"""Laying out a quote in any script: font runs, right-to-left order, wrapping, fitting.

Pillow shapes one string in one font; a quote may mix scripts (a Khmer sentence with a
product name in Latin, Arabic with digits). So a line is cut into runs of one font each,
every run is shaped by raqm on its own, and the runs are placed in visual order by the
reordering rule of the Unicode bidirectional algorithm (UAX #9, L2) at run level.

Lines break only where a reader would accept it: after spaces, between CJK characters
(not before closing or after opening punctuation), after a zero-width space (Khmer and
Lao writers use it between words), and only inside a phrase wider than a whole line at
grapheme cluster boundaries (a Khmer subscript, a Thai vowel or an Arabic mark stays on
its base). A quote that does not fit shrinks; at the smallest size it is cut at a break
opportunity and ends with an ellipsis, so no word is ever cut or changed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from testimonials.widgets.share import fonts

ELLIPSIS = "\u2026"
ZWSP = "\u200b"
COENG = "\u17d2"  # Khmer: the next consonant is written below, as part of this cluster
# Thai and Lao vowels written before the consonant they follow in speech.
LEADING_VOWELS = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4")
JOINERS = frozenset("\u200c\u200d")
# Kinsoku: no line starts with these, and none ends with the openers.
NO_LINE_START = frozenset(
    "、。，．：；！？）」』】〕〉》〙〗ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
    "・…‥〜,.:;!?)]}%"
)
NO_LINE_END = frozenset("（「『【〔〈《〘〖([{")


@dataclass(frozen=True)
class Run:
    """A piece of a line drawn in one font and one direction."""

    text: str
    font: str
    rtl: bool


@dataclass(frozen=True)
class Paragraph:
    """A quote laid out in a box: its lines (logical text), the size and what was cut."""

    lines: list[str]
    size: int
    line_height: int
    rtl: bool
    truncated: bool


def is_rtl_text(text: str) -> bool:
    """The paragraph direction: that of its first strongly directional character (UAX #9)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def _is_wide(char: str) -> bool:
    """CJK ideographs, kana and fullwidth forms: a line may break between any two."""
    font = fonts.script_font(char)
    return font == fonts.CJK


def grapheme_clusters(text: str) -> list[str]:
    """User-perceived characters: a base with its marks, Khmer subscripts, joined sequences."""
    clusters: list[str] = []
    for char in text:
        if clusters:
            previous = clusters[-1][-1]
            joins = (
                unicodedata.category(char).startswith("M")
                or "\U0001f3fb" <= char <= "\U0001f3ff"  # an emoji's skin tone
                or char in JOINERS
                or previous in JOINERS
                or previous == COENG
                or previous in LEADING_VOWELS
            )
            if joins:
                clusters[-1] += char
                continue
        clusters.append(char)
    return clusters


def segments(text: str) -> list[str]:
    """The text cut at every line break opportunity (joined back, it is the text again)."""
    clusters = grapheme_clusters(text)
    pieces: list[str] = []
    current = ""
    for index, cluster in enumerate(clusters):
        if current:
            previous = clusters[index - 1]
            after_space = previous[-1].isspace() and not cluster[0].isspace()
            after_zwsp = previous[-1] == ZWSP
            between_wide = (
                (_is_wide(previous[0]) or _is_wide(cluster[0]))
                and cluster[0] not in NO_LINE_START
                and previous[-1] not in NO_LINE_END
                and not cluster[0].isspace()
                and not (previous[-1].isascii() and cluster[0].isascii())
            )
            if after_space or after_zwsp or between_wide:
                pieces.append(current)
                current = ""
        current += cluster
    if current:
        pieces.append(current)
    return pieces


def _is_separator(char: str) -> bool:
    return unicodedata.category(char)[0] in "ZP"


def runs(line: str, rtl: bool | None = None) -> list[Run]:
    """The line's runs in logical order, one font and one direction each.

    Spaces and punctuation at the edges of a run against the paragraph's direction (the
    space after a Latin word in Arabic) belong to the paragraph's direction, as UAX #9
    resolves them, so they get a run of their own.
    """
    rtl = is_rtl_text(line) if rtl is None else rtl
    by_font: list[tuple[str, str]] = []
    font: str | None = None
    start = 0
    for index, char in enumerate(line):
        wanted = fonts.font_for(char, font)
        if wanted != font:
            if font is not None and index > start:
                by_font.append((line[start:index], font))
            font, start = wanted, index
    if font is not None and start < len(line):
        by_font.append((line[start:], font))
    found: list[Run] = []
    for piece, font in by_font:
        if all(fonts.is_neutral(char) for char in piece):
            found.append(Run(piece, font, rtl))
            continue
        run_rtl = font in fonts.RTL_FONTS
        if run_rtl == rtl:
            found.append(Run(piece, font, run_rtl))
            continue
        head = len(piece) - len(piece.lstrip())
        while head < len(piece) and _is_separator(piece[head]):
            head += 1
        tail = len(piece)
        while tail > head and _is_separator(piece[tail - 1]):
            tail -= 1
        core = piece[head:tail]
        if piece[:head]:
            found.append(Run(piece[:head], font, rtl))
        found.append(Run(core, font, run_rtl))
        if piece[tail:]:
            found.append(Run(piece[tail:], font, rtl))
    return found


def visual_order(line_runs: Sequence[Run], rtl: bool) -> list[Run]:
    """Runs left to right as drawn (UAX #9 rule L2 over run levels)."""
    base = 1 if rtl else 0

    def level(run: Run) -> int:
        if all(fonts.is_neutral(char) for char in run.text):
            return base
        if run.rtl:
            return 1
        return 2 if rtl else 0

    ordered = list(line_runs)
    levels = [level(run) for run in ordered]
    top = max(levels, default=0)
    lowest_odd = min((lv for lv in levels if lv % 2), default=top + 1)
    for current in range(top, lowest_odd - 1, -1):
        index = 0
        while index < len(ordered):
            if levels[index] >= current:
                end = index
                while end < len(ordered) and levels[end] >= current:
                    end += 1
                ordered[index:end] = ordered[index:end][::-1]
                levels[index:end] = levels[index:end][::-1]
                index = end
            else:
                index += 1
    return ordered


@lru_cache(maxsize=8192)
def run_width(text: str, font: str, size: int, rtl: bool, bold: bool = False) -> float:
    """The shaped advance of one run, in pixels."""
    name = fonts.LATIN_BOLD if bold and font == fonts.LATIN else font
    return fonts.load(name, size).getlength(text, direction="rtl" if rtl else "ltr")


def line_width(line: str, size: int, bold: bool = False, rtl: bool | None = None) -> float:
    """The drawn width of a line of text at a size."""
    return sum(run_width(r.text, r.font, size, r.rtl, bold) for r in runs(line.rstrip(), rtl))


def _advance(piece: str, size: int, bold: bool) -> float:
    """How far a segment moves the pen, its trailing space included."""
    return sum(run_width(r.text, r.font, size, r.rtl, bold) for r in runs(piece))


def _split_wide(piece: str, size: int, width: float, bold: bool) -> list[str]:
    """Cut a phrase wider than a line at grapheme cluster boundaries (no space to use)."""
    parts: list[str] = []
    current = ""
    for cluster in grapheme_clusters(piece):
        if current and line_width(current + cluster, size, bold) > width:
            parts.append(current)
            current = ""
        current += cluster
    if current:
        parts.append(current)
    return parts


def wrap(text: str, size: int, width: float, bold: bool = False) -> list[list[str]]:
    """Lines (each a list of its segments) of the text at a size, hard line breaks kept.

    A line's width is the sum of its segments' widths: segments end at spaces or between
    CJK characters, where shaping never joins glyphs, so each is measured once.
    """
    lines: list[list[str]] = []
    for paragraph in normalise(text).split("\n"):
        line: list[str] = []
        filled = 0.0
        for piece in segments(paragraph):
            trimmed = piece.rstrip()
            inked = line_width(trimmed, size, bold)
            if line and filled + inked > width:
                lines.append(line)
                line, filled = [], 0.0
            if inked > width:
                *whole, piece = _split_wide(piece, size, width, bold)
                lines.extend([part] for part in whole)
            line.append(piece)
            filled += _advance(piece, size, bold) if piece != trimmed else inked
        lines.append(line)
    return lines


def normalise(text: str) -> str:
    """Runs of spaces become one, blank lines collapse; the words themselves never change."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = re.sub(r"[^\S\n]+", " ", text)
    text = re.sub(r" *\n[\n ]*", "\n", text)
    return text.strip()


def _with_ellipsis(lines: list[list[str]], size: int, width: float, bold: bool) -> list[str]:
    """Drop whole segments from the end until the last line plus an ellipsis fits."""
    while lines:
        last = lines[-1]
        while last:
            candidate = "".join(last).rstrip() + ELLIPSIS
            if line_width(candidate, size, bold) <= width:
                return ["".join(line).rstrip() for line in lines[:-1]] + [candidate]
            last = last[:-1]
        lines = lines[:-1]
    return [ELLIPSIS]


def fit(
    text: str,
    width: float,
    height: float,
    sizes: Sequence[int],
    spacing: float = 1.45,
    bold: bool = False,
) -> Paragraph:
    """The largest size at which the text fits the box, or the smallest one, cut to fit."""
    rtl = is_rtl_text(text)
    wrapped: dict[int, list[list[str]]] = {}

    def fits(size: int) -> bool:
        wrapped[size] = wrap(text, size, width, bold)
        return len(wrapped[size]) * round(size * spacing) <= height

    # Sizes run from large to small and smaller text never needs more lines: bisect.
    low, high = 0, len(sizes) - 1
    if fits(sizes[high]):
        while low < high:
            middle = (low + high) // 2
            if fits(sizes[middle]):
                high = middle
            else:
                low = middle + 1
        size = sizes[high]
        lines = wrapped[size] if size in wrapped else wrap(text, size, width, bold)
        return Paragraph(
            ["".join(line).rstrip() for line in lines], size, round(size * spacing), rtl, False
        )
    size = sizes[high]
    line_height = round(size * spacing)
    room = max(1, int(height // line_height))
    kept = _with_ellipsis(wrapped[size][:room], size, width, bold)
    return Paragraph(kept, size, line_height, rtl, True)
