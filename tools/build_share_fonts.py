"""Rebuild the fonts share images are drawn with, from Noto's OFL variable fonts.

The variable fonts come from PyPI font wheels (unzipped into SOURCE, see
docs/share-images.md); each is pinned to a static weight and cut down to the characters
a testimonial can plausibly use, so the repository carries a few MB instead of ~60 MB.
Needs fontTools (`pip install fonttools`); never run by the app. After a rebuild, bump
RENDERER_VERSION in testimonials/widgets/share/render.py so cached images are redrawn.

    python tools/build_share_fonts.py SOURCE_DIR [ONE_OUTPUT_NAME]
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

OUT = Path(__file__).resolve().parent.parent / "testimonials/widgets/share/fonts"

COMMON = [*range(0x20, 0x7F), 0xA0, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x25CC, 0x2026]
LATIN = [
    *range(0x20, 0x250),  # Basic Latin, Latin-1, Extended-A/B
    *range(0x300, 0x370),  # combining marks
    *range(0x370, 0x400),  # Greek
    *range(0x400, 0x530),  # Cyrillic
    *range(0x1E00, 0x1F00),  # Latin Extended Additional (Vietnamese)
    *range(0x2000, 0x2070),  # punctuation: quotes, dashes, ellipsis
    *range(0x20A0, 0x20C1),  # currency
    0x2122,
    0x2116,
]


def _characters(codec: str, highs: range | list[int], lows: range | list[int]) -> list[int]:
    """The characters a legacy double-byte character set has in these rows and cells."""
    found = []
    for high in highs:
        for low in lows:
            with contextlib.suppress(UnicodeDecodeError):
                found.append(ord(bytes([high, low]).decode(codec)))
    return found


# The everyday characters of each CJK language, as their national standards define them:
# GB 2312 level 1 (3,755 simplified Chinese), JIS X 0208 level 1 (2,965 kanji, with kana
# and symbols), Big5 level 1 (5,401 traditional Chinese), KS X 1001 (2,350 Hangul).
GB2312_LEVEL1 = _characters("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF))
JIS_LEVEL1 = _characters("euc_jp", [*range(0xA1, 0xA9), *range(0xB0, 0xD0)], range(0xA1, 0xFF))
BIG5_LEVEL1 = _characters("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)])
KSX1001_HANGUL = _characters("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF))

CJK_PUNCTUATION = [*range(0x3000, 0x3100), *range(0x31F0, 0x3200), *range(0xFF00, 0xFFF0)]

# Smileys, gestures, hearts, stars, everyday objects: the emoji people put in reviews.
EMOJI = [
    *range(0x1F300, 0x1F650),
    *range(0x1F680, 0x1F700),
    *range(0x1F900, 0x1FA00),
    *range(0x2600, 0x27C0),
    0x2B50,
    0x2B55,
    0xFE0F,
]

# (output name, source file, weight, characters)
FONTS = [
    ("NotoSans-Regular.ttf", "NotoSans[wdth,wght].ttf", 400, LATIN),
    ("NotoSans-Bold.ttf", "NotoSans[wdth,wght].ttf", 700, LATIN),
    (
        "NotoSansArabic-Regular.ttf",
        "NotoSansArabic[wdth,wght].ttf",
        400,
        [*range(0x600, 0x700), *range(0x750, 0x780), *range(0x8A0, 0x900), 0xFD3E, 0xFD3F],
    ),
    ("NotoSansHebrew-Regular.ttf", "NotoSansHebrew[wdth,wght].ttf", 400, [*range(0x590, 0x600)]),
    ("NotoSansThai-Regular.ttf", "NotoSansThai[wdth,wght].ttf", 400, [*range(0xE00, 0xE80)]),
    ("NotoSansLao-Regular.ttf", "NotoSansLao[wdth,wght].ttf", 400, [*range(0xE80, 0xF00)]),
    (
        "NotoSansKhmer-Regular.ttf",
        "NotoSansKhmer[wdth,wght].ttf",
        400,
        [*range(0x1780, 0x1800), *range(0x19E0, 0x1A00)],
    ),
    (
        "NotoSansCJK-Regular.ttf",
        "NotoSansSC[wght].ttf",
        400,
        [*CJK_PUNCTUATION, *GB2312_LEVEL1, *JIS_LEVEL1, *BIG5_LEVEL1],
    ),
    (
        "NotoSansKR-Regular.ttf",
        "NotoSansKR[wght].ttf",
        400,
        [*range(0x3130, 0x3190), *KSX1001_HANGUL],
    ),
    ("NotoEmoji-Regular.ttf", "NotoEmoji[wght].ttf", 400, EMOJI),
]


def build(source: Path, only: str | None = None) -> None:
    """Instance, subset and write every font (or the one named), printing its size."""
    OUT.mkdir(parents=True, exist_ok=True)
    for name, file_name, weight, characters in FONTS:
        if only and name != only:
            continue
        path = next(p for p in source.rglob("*.ttf") if p.name == file_name)
        font = TTFont(path)
        axes = {axis.axisTag: axis.defaultValue for axis in font["fvar"].axes}
        axes["wght"] = weight
        font = instancer.instantiateVariableFont(font, axes)
        options = subset.Options()
        options.layout_features = ["*"]  # keep every shaping feature (joining, stacking)
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.hinting = False  # FreeType's autohinter does well at card sizes
        options.notdef_outline = True
        options.glyph_names = False
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(set(COMMON) | set(characters)))
        subsetter.subset(font)
        font.save(OUT / name)
        print(f"{name}: {(OUT / name).stat().st_size / 1024:.0f} KB")
    write_coverage()


def write_coverage() -> None:
    """Record which characters each font has, so the app picks fallbacks without fontTools."""
    coverage = {}
    for name, *_ in FONTS:
        codes = sorted(TTFont(OUT / name).getBestCmap())
        ranges: list[list[int]] = []
        for code in codes:
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
        coverage[name] = ranges
    (OUT / "coverage.json").write_text(json.dumps(coverage, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    if sys.argv[1:] == ["--coverage-only"]:
        write_coverage()
    else:
        build(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else None)
