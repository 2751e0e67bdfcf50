"""Word lists per language: generic praise, concreteness, pronouns, time spans and money.

Written for this project by its engineers for customer testimonials (no third-party lexicon
is copied).  English lists live in `lexicons`; this module adds French, Spanish, German,
Portuguese, Arabic, Chinese, Japanese, Thai, Khmer and Lao.  Each word maps to a bit mask
of the categories it belongs to, so the hot loop does one dict lookup per word.  For scripts
without spaces the lists are matched as substrings (one regex), so they do not depend on
where a segmenter puts word boundaries.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from . import lexicons as lx
from .languages import Language

FUNCTION, FPS, FPP, SECOND, PREP, VAGUE, NEG = 1, 2, 4, 8, 16, 32, 64
PRAISE, HEDGE, CONCRETE, CIRCUM, SUPER, NUMWORD = 128, 256, 512, 1024, 2048, 4096
NEGEMO, EXCLUSIVE, SPATIAL = 8192, 16384, 32768
_CATEGORY_BITS = {
    "function": FUNCTION,
    "fps": FPS | FUNCTION,
    "fpp": FPP | FUNCTION,
    "second": SECOND | FUNCTION,
    "prep": PREP | FUNCTION,
    "vague": VAGUE,
    "neg": NEG | FUNCTION,
    "praise": PRAISE,
    "hedge": HEDGE,
    "concrete": CONCRETE,
    "circum": CIRCUM,
    "super": SUPER,
    "numword": NUMWORD,
}
_NUM = r"\d+(?:[.,]\d+)*"
_CURRENCY_SIGNS = "$€£¥₹฿៛₭₩₫"


@dataclass(frozen=True, slots=True)
class CueList:
    """One language's word lists as flags, plus its time-span and money patterns."""

    code: str
    flags: Mapping[str, int]
    time_re: re.Pattern[str]
    money_re: re.Pattern[str]
    # Substring matcher for scripts without spaces (None for spaced languages).
    phrase_re: re.Pattern[str] | None = None
    # Native number words before a counter or unit (Chinese/Japanese "三个月", "二週間").
    number_re: re.Pattern[str] | None = None


def _flags(lists: Mapping[str, str]) -> dict[str, int]:
    flags: dict[str, int] = {}
    for category, block in lists.items():
        for word in block.split():
            flags[word] = flags.get(word, 0) | _CATEGORY_BITS[category]
    return flags


def _spaced(code: str, lists: Mapping[str, str], time_units: str, money: str) -> CueList:
    numbers = "|".join([_NUM, *lists.get("numword", "").split()])
    return CueList(
        code=code,
        flags=_flags(lists),
        time_re=re.compile(rf"(?<!\w)(?:{numbers})\s?(?:-\s?)?(?:{time_units})\b", re.I),
        money_re=re.compile(
            rf"[{_CURRENCY_SIGNS}]\s?\d|\d\s?(?:[{_CURRENCY_SIGNS}]|(?:{money})\b)", re.I
        ),
    )


def longest_first_trie(phrases: list[str]) -> str:
    """A pattern matching, at each place, the longest of `phrases` that starts there: what
    `"|".join(phrases)` matches with the phrases longest first, written as a tree of their
    shared beginnings (`(?:ab(?:c|d|)|e)`). The engine tries each character's one branch
    instead of every phrase at every place (phrases found at a place are each other's
    beginnings, so the deepest one that ends there is the longest)."""
    tree: dict[str, dict] = {}
    for phrase in phrases:
        node = tree
        for character in phrase:
            node = node.setdefault(character, {})
        node[""] = {}  # a phrase ends here
    return _branches(tree)


def _branches(node: dict[str, dict]) -> str:
    # Longer phrases first: the phrase ending here ("") is the last branch tried.
    options = [re.escape(ch) + _branches(child) for ch, child in node.items() if ch]
    if "" in node and options:
        options.append("")
    if len(options) == 1:
        return options[0]
    return "(?:" + "|".join(options) + ")" if options else ""


def _unspaced(code: str, lists: Mapping[str, str], time_units: str, money: str) -> CueList:
    flags = _flags(lists)
    numbers = "|".join([_NUM, *lists.get("numword", "").split()])
    phrases = sorted(flags, key=len, reverse=True)
    han_numbers = "[一二两三四五六七八九十百千万几半]+"
    return CueList(
        code=code,
        flags=flags,
        time_re=re.compile(rf"(?:{numbers}|{han_numbers})\s?(?:{time_units})"),
        money_re=re.compile(
            rf"[{_CURRENCY_SIGNS}]\s?\d|\d\s?(?:[{_CURRENCY_SIGNS}]|{money})"
            rf"|{han_numbers}(?:{money})"
        ),
        phrase_re=re.compile(longest_first_trie(phrases)),
        number_re=re.compile(
            rf"{han_numbers}(?=[个位次天周年月小时分钟块元人家件台回日週時間円名])"
        ),
    )


# English time spans and sums of money. Each pattern opens with one character class (a
# digit; a digit or a currency sign), so the engine skips to the next candidate in one tight
# loop instead of trying every alternative at every place (sentences with a number are
# searched: imports search millions). Written so, they find exactly the matches of
#   time:  \b\d+(?:[.,]\d+)?\s?(?:-\s?)?(?:UNITS)\b|\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b
#   money: [$€£¥₹]\s?\d|\d\s?(?:€|£|\$|usd|eur|gbp|dollars?|euros?|bucks)\b
# ("\b" before a digit is "no letter or digit before it": `(?<!\w\d)` once the digit is read;
# the first digit of 19xx and 20xx is told by a look back; tests hold the two forms equal).
_TIME_UNITS = (
    r"a\.?m\.?|p\.?m\.?|h|hrs?|hours?|min(?:ute)?s?|days?|weeks?|wks?|months?|mos?|years?|yrs?"
    r"|nights?"
)
ENGLISH_CUES = CueList(
    code="en",
    flags={},  # filled below from the English lexicons
    time_re=re.compile(
        rf"\d(?<!\w\d)(?:\d*(?:[.,]\d+)?\s?(?:-\s?)?(?:{_TIME_UNITS})\b|\d?:\d{{2}}\b"
        r"|(?<=1)9\d{2}\b|(?<=2)0\d{2}\b)",
        re.I,
    ),
    money_re=re.compile(
        r"[$€£¥₹\d](?:(?<=[$€£¥₹])\s?\d|(?<=\d)\s?(?:€|£|\$|usd|eur|gbp|dollars?|euros?|bucks)\b)",
        re.I,
    ),
)
for _bit, _lexicon in (
    (FUNCTION, lx.FUNCTION_WORDS),
    (FPS, lx.FIRST_PERSON_SINGULAR),
    (FPP, lx.FIRST_PERSON_PLURAL),
    (SECOND, lx.SECOND_PERSON),
    (PREP, lx.PREPOSITIONS),
    (VAGUE, lx.VAGUE_REFERENCES),
    (NEG, lx.NEGATIONS),
    (PRAISE, lx.GENERIC_PRAISE),
    (HEDGE, lx.HEDGES),
    (CONCRETE, lx.CONCRETE_DETAIL),
    (CIRCUM, lx.CIRCUMSTANCES),
    (SUPER, lx.SUPERLATIVES),
    (NUMWORD, lx.NUMBER_WORDS),
    (NEGEMO, lx.NEGATIVE_EMOTION),
    (EXCLUSIVE, lx.EXCLUSIVE),
    (SPATIAL, lx.SPATIAL),
):
    for _word in _lexicon:
        ENGLISH_CUES.flags[_word] = ENGLISH_CUES.flags.get(_word, 0) | _bit  # type: ignore[index]

from .cue_lists import LISTS  # noqa: E402 - the lists are data, kept in their own module

# Other languages' lists are compiled on first use: their regexes (thousands of alternatives
# for scripts without spaces) were half of the scorer's cold start, and most workspaces
# write in one or two languages.
_COMPILED: dict[str, CueList] = {"en": ENGLISH_CUES}

# Praise words of Latin-script languages, used to tell those languages apart in short texts.
_LATIN_PRAISE = {
    code: frozenset(LISTS[code][1]["praise"].split())
    for code in ("fr", "es", "de", "pt", "it", "nl", "pl", "tr", "vi", "id")
}
_LATIN_PRAISE["en"] = lx.GENERIC_PRAISE


def latin_praise_words() -> dict[str, frozenset[str]]:
    """Generic-praise words of each Latin-script language with cue lists."""
    return dict(_LATIN_PRAISE)


def cues_for(language: Language) -> CueList | None:
    """The cue lists of a language, or None where none were written for it."""
    cues = _COMPILED.get(language.code)
    if cues is None and language.code in LISTS:
        kind, lists, time_units, money = LISTS[language.code]
        build = _spaced if kind == "spaced" else _unspaced
        # Two threads may build the same lists at once; both results are equal.
        cues = _COMPILED.setdefault(language.code, build(language.code, lists, time_units, money))
    return cues
