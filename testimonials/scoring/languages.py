"""Which language a testimonial is written in, and its words, in any script.

Language is decided from the script (Thai, Lao, Khmer, Arabic, Han, kana ...) and, for
Latin script, from the function and praise words of each language with cue lists (`latin`).  Scripts
written without spaces between words (Chinese, Japanese, Thai, Khmer, Lao) are segmented
with ICU's dictionary-based word break iterator (PyICU); if ICU is missing, words are
estimated from a grapheme count divided by the script's typical word length, so such text
is never "one long word" (`segmentation`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Container
from dataclasses import dataclass, field

from .identification import CHECKED_SCRIPTS, language_without_lists
from .latin import LATIN_NAMES, UNLISTED, latin_code, mostly_english

# The letters of each script we tell apart.  Order does not matter: ranges are disjoint.
_SCRIPT_LETTERS = (
    ("han", "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"),
    ("kana", "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"),
    ("hangul", "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"),
    ("thai", "\u0e01-\u0e5b"),
    ("lao", "\u0e81-\u0edf"),
    ("khmer", "\u1780-\u17ff\u19e0-\u19ff"),
    ("arabic", "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc"),
    ("cyrillic", "\u0400-\u04ff"),
    ("devanagari", "\u0900-\u097f"),
    ("myanmar", "\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f"),
    ("greek", "\u0370-\u03ff\u1f00-\u1fff"),
    ("hebrew", "\u0591-\u05f4\ufb1d-\ufb4f"),
    ("armenian", "\u0531-\u058a"),
    ("georgian", "\u10a0-\u10ff"),
    ("bengali", "\u0980-\u09ff"),
    ("gurmukhi", "\u0a00-\u0a7f"),
    ("gujarati", "\u0a80-\u0aff"),
    ("tamil", "\u0b80-\u0bff"),
    ("telugu", "\u0c00-\u0c7f"),
    ("kannada", "\u0c80-\u0cff"),
    ("malayalam", "\u0d00-\u0d7f"),
    ("sinhala", "\u0d80-\u0dff"),
    ("ethiopic", "\u1200-\u139f"),
    ("tibetan", "\u0f00-\u0f14\u0f18-\u0f1f\u0f2a-\u0fda"),
    ("latin", "A-Za-z\u00c0-\u024f\u1e00-\u1eff"),
)
SCRIPT_RUNS = re.compile("|".join(f"(?P<{name}>[{letters}]+)" for name, letters in _SCRIPT_LETTERS))
# The first letter of any script but Latin (Greek): text of characters below it all is
# Latin-script text or has no letters.
_FIRST_NON_LATIN = "\u0370"


@functools.cache
def _non_latin_letter() -> re.Pattern[str]:
    """A letter of any script but Latin. Compiled on first use: a class of this many ranges
    costs ~9 ms to compile, which text of Latin letters and ASCII alone never needs."""
    return re.compile(
        "[" + "".join(letters for name, letters in _SCRIPT_LETTERS if name != "latin") + "]"
    )


@functools.cache
def _script_runs() -> re.Pattern[str]:
    """SCRIPT_RUNS' matches, found sooner: one class of every script's letters first, so the
    engine skips what is no letter in one tight loop instead of trying 24 alternatives at
    every place; the script is then told by a look back at that letter (the ranges are
    disjoint, so one branch alone can follow it). Compiled on first use, as above."""
    return re.compile(
        "["
        + "".join(letters for _name, letters in _SCRIPT_LETTERS)
        + "](?:"
        + "|".join(f"(?<=[{letters}])(?P<{name}>[{letters}]*)" for name, letters in _SCRIPT_LETTERS)
        + ")"
    )


_LATIN_LETTER = re.compile(f"[{dict(_SCRIPT_LETTERS)['latin']}]")
# Scripts written without spaces between words.
UNSPACED_SCRIPTS = frozenset({"han", "kana", "thai", "lao", "khmer", "myanmar"})

# Decimal digits of every script we support, folded to ASCII one for one (same length,
# so offsets never move): Arabic-Indic, Persian, Devanagari, Bengali, Thai, Lao, Tibetan,
# Myanmar, Khmer, full-width.
_DIGIT_ZEROS = (0x660, 0x6F0, 0x966, 0x9E6, 0xE50, 0xED0, 0xF20, 0x1040, 0x17E0, 0xFF10)
_DIGITS_TO_ASCII = {zero + d: ord("0") + d for zero in _DIGIT_ZEROS for d in range(10)}
# Arabic decimal and thousands separators and the full-width percent, comma and period.
_DIGITS_TO_ASCII.update({0x66B: ord("."), 0x66C: ord(","), 0x66A: ord("%")})
_DIGITS_TO_ASCII.update({0xFF05: ord("%"), 0xFF0C: ord(","), 0xFF0E: ord(".")})
# Whether a text holds a character to fold: one C-level scan of a character set, where
# `str.translate` looks every non-ASCII character up in the table (most text has none).
_FOLDED_RE = re.compile("[" + "".join(map(chr, sorted(_DIGITS_TO_ASCII))) + "]")


# A Hangul syllable block is a whole syllable (two or three letters of the alphabet), and a
# Korean word carries its particles: counted one letter a block, Korean words looked half as
# long as English ones and "mean word length" marked every Korean text down.  A block counts
# one and a half letters (rounded up per word), which puts a typical Korean word (three
# blocks) near a typical English one (4.5 letters).
# (Compared character by character: a regex class of the 11,172 blocks costs ~2 ms to
# compile, paid by every process that loads the scorer.)
_HANGUL_FIRST, _HANGUL_LAST = "\uac00", "\ud7a3"


def letter_count(word: str) -> int:
    """Letters of a word, in Latin-letter equivalents (Hangul blocks count 1.5)."""
    if word.isascii():
        return len(word)
    blocks = sum(_HANGUL_FIRST <= character <= _HANGUL_LAST for character in word)
    return len(word) + (blocks + 1) // 2 if blocks else len(word)


def fold_digits(text: str) -> str:
    """Replace digits of any supported script with ASCII digits (same length)."""
    if text.isascii() or not _FOLDED_RE.search(text):
        return text
    return text.translate(_DIGITS_TO_ASCII)


@dataclass(frozen=True, slots=True)
class Language:
    """The detected language of a text: ISO 639-1 code (or "und"), name and script."""

    code: str
    name: str
    script: str
    # True when nothing in the text pointed at a language and English was assumed (empty
    # text, digits or emoji alone, Latin words no vote table knows): scored as English,
    # never stored as the item's language.
    assumed: bool = field(default=False, compare=False)

    @property
    def spaced(self) -> bool:
        """True when the script separates words with spaces."""
        return self.script not in UNSPACED_SCRIPTS


ENGLISH = Language("en", "English", "latin")
_ASSUMED_ENGLISH = Language("en", "English", "latin", assumed=True)
_SCRIPT_LANGUAGE = {
    "thai": Language("th", "Thai", "thai"),
    "lao": Language("lo", "Lao", "lao"),
    "khmer": Language("km", "Khmer", "khmer"),
    "hangul": Language("ko", "Korean", "hangul"),
    "myanmar": Language("my", "Burmese", "myanmar"),
    # Scripts whose languages have no cue lists yet: named, so the reasons say so.
    **{
        script: Language(
            "und",
            f"{'an' if script[0] in 'aeiou' else 'a'} {script.capitalize()}-script language",
            script,
        )
        for script in [
            "greek",
            "hebrew",
            "armenian",
            "georgian",
            "bengali",
            "gurmukhi",
            "gujarati",
            "tamil",
            "telugu",
            "kannada",
            "malayalam",
            "sinhala",
            "ethiopic",
            "tibetan",
        ]
    },
}
_RUSSIAN = Language("ru", "Russian", "cyrillic")
_OTHER_CYRILLIC = Language("und", "a Cyrillic-script language other than Russian", "cyrillic")
# Letters of Ukrainian, Belarusian, Serbian and Macedonian that Russian does not use.
_NOT_RUSSIAN_LETTERS = frozenset("іїєґўђјљњћџѓќѕІЇЄҐЎЂЈЉЊЋЏЃЌЅ")
_HINDI = Language("hi", "Hindi", "devanagari")
_OTHER_DEVANAGARI = Language("und", "a Devanagari-script language other than Hindi", "devanagari")
# Marathi and Nepali words Hindi does not use ("is", "and"; Nepali copulas).
_NOT_HINDI_WORDS = frozenset(["आहे", "आहेत", "आणि", "छ", "छन्", "हुन्छ", "थियो"])
_CHINESE = Language("zh", "Chinese", "han")
_JAPANESE = Language("ja", "Japanese", "kana")
_ARABIC = Language("ar", "Arabic", "arabic")
_PERSIAN_OR_URDU = Language("und", "an Arabic-script language other than Arabic", "arabic")
_PERSIAN_LETTERS = frozenset("پچژگکی")  # common in Persian/Urdu, absent from Arabic


# Enough text to tell languages apart; reading more only costs time.
_DETECTION_PREFIX = 400


def detect_language(text: str, english_words: Container[str] | None = None) -> Language:
    """Detect the language of `text` from its scripts and, for Latin script, its words.

    `english_words`, when given (the scorer passes its English lexicon), lets a Latin-script
    text that the function words call English but whose words mostly are not English be
    named as a language without lists (`latin`) instead of guessed as English, and asks
    CLD2 for a second opinion on texts in scripts that listed and unlisted languages share
    (`identification`): Tagalog, Finnish or Bulgarian are named, never given English,
    German or Russian lists. Training passes no lexicon and reads as before.
    """
    text = text[:_DETECTION_PREFIX]
    language = _first_reading(text, english_words)
    if english_words is None:
        return language
    # English assumed for want of function words is asked too: "Huduma nzuri sana, asante
    # sana!" has none a vote table knows, and was scored with English lists.
    if language.code != UNLISTED and language.script not in CHECKED_SCRIPTS:
        return language
    if language.code == "en" and mostly_english(text, english_words):
        # Most texts are English and most of their words are: spares them CLD2's ~15 us.
        return language
    name = language_without_lists(text, language.code, _LISTED_CODES)
    return language if name is None else _named_without_lists(name, language.script)


@functools.cache
def _named_without_lists(name: str, script: str) -> Language:
    return Language("und", name, script)


def _first_reading(text: str, english_words: Container[str] | None) -> Language:
    """The language read from scripts, function words and letters alone."""
    if text.isascii():
        return _latin_language(text, english_words) if text.strip() else _ASSUMED_ENGLISH
    if max(text) < _FIRST_NON_LATIN or not _non_latin_letter().search(text):
        # Latin letters only (accents, curly quotes, emoji): the script count below would
        # find Latin alone, or nothing, and it costs a test of every script at every place.
        if _LATIN_LETTER.search(text):
            return _latin_language(text, english_words)
        return _ASSUMED_ENGLISH
    return _language_by_scripts(text, english_words)


def _language_by_scripts(text: str, english_words: Container[str] | None = None) -> Language:
    """The language of text with letters of any script, by the script most of it is in."""
    counts: dict[str, int] = {}
    for match in _script_runs().finditer(text):
        script = match.lastgroup or "latin"
        # A Han character is about a word; a run of Latin letters is one.
        counts[script] = counts.get(script, 0) + (
            len(match.group()) if script in UNSPACED_SCRIPTS else 3
        )
    if not counts:
        return _ASSUMED_ENGLISH
    if counts.get("kana"):
        counts["kana"] += counts.pop("han", 0)
    script = max(counts, key=lambda s: counts[s])
    if script == "latin":
        return _latin_language(text, english_words)
    if script == "kana":
        return _JAPANESE
    if script == "han":
        return _CHINESE
    if script == "arabic":
        return _PERSIAN_OR_URDU if _PERSIAN_LETTERS & set(text) else _ARABIC
    if script == "cyrillic":
        return _OTHER_CYRILLIC if _NOT_RUSSIAN_LETTERS & set(text) else _RUSSIAN
    if script == "devanagari":
        words = set(text.split())
        if "ळ" in text or _NOT_HINDI_WORDS & words:
            return _OTHER_DEVANAGARI
        return _HINDI
    return _SCRIPT_LANGUAGE[script]


_LATIN_LANGUAGES = {code: Language(code, name, "latin") for code, name in LATIN_NAMES.items()}
_UNLISTED_LATIN = Language(UNLISTED, "this Latin-script language", "latin")


def _latin_language(text: str, english_words: Container[str] | None = None) -> Language:
    code = latin_code(text, english_words)
    if code is None:
        return _ASSUMED_ENGLISH
    return _UNLISTED_LATIN if code == UNLISTED else _LATIN_LANGUAGES[code]


# The codes of every language with cue lists: a second opinion never takes one of them away
# for another.
_LISTED_CODES = frozenset(
    language.code
    for language in (
        *_LATIN_LANGUAGES.values(),
        *_SCRIPT_LANGUAGE.values(),
        ENGLISH,
        _RUSSIAN,
        _HINDI,
        _CHINESE,
        _JAPANESE,
        _ARABIC,
    )
    if language.code != UNLISTED
)
