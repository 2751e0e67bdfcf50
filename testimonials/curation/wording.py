"""Text as the honest-excerpt rule compares it: user-perceived characters, words, sentences.

Pure. A text becomes a sequence of units — one per grapheme cluster (so a Khmer consonant
with its subscript and vowel sign is one character, as a reader sees it), case-folded, with
punctuation set aside — plus word and sentence numbers. Each distinct unit is given one
code point, so spans can be found with `str.find` and compared with plain string slices.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import regex

SPACE = " "
LETTER, DIGIT = "L", "D"
# Punctuation that ends a sentence, in the scripts our users write.
SENTENCE_ENDS = frozenset(".!?…。！？｡។៕။၊؟۔።\n")
# Apostrophes and in-word hyphens join ("don't" reads as "dont", "no-shows" as one word, not
# the negation "no"); every other punctuation mark separates words.
APOSTROPHES = frozenset("'’ʼ＇`´")
HYPHENS = frozenset("-‐‑")
NUMBER_SIGNS = frozenset("+-−–±<>≤≥~≈×#")
# Written without spaces between words: any point between two characters may be a cut.
UNSPACED_PATTERN = (
    r"[\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Tibetan}\p{Han}\p{Hiragana}\p{Katakana}]"
)
_PRIVATE_USE = 0xF0000  # codes for multi-character graphemes start here (Private Use Area-A)


@dataclass
class Units:
    """A text as units: `key` has one code point per unit (" " between words)."""

    key: str = ""
    kinds: list[str] = field(default_factory=list)  # LETTER, DIGIT or SPACE
    shown: list[str] = field(default_factory=list)  # the grapheme as written
    words: list[int] = field(default_factory=list)  # word number (-1 on a space)
    sentences: list[int] = field(default_factory=list)  # sentence number
    unspaced: list[bool] = field(default_factory=list)  # in a script without spaces


@dataclass(frozen=True)
class Correction:
    """One small fix inside a piece: the customer's spelling and the corrected one."""

    original: str
    corrected: str


class Alphabet:
    """Gives each distinct case-folded grapheme one code point, shared by the texts compared."""

    def __init__(self) -> None:
        self._codes: dict[str, str] = {}

    def code(self, grapheme: str) -> str:
        """The single code point standing for this grapheme."""
        # A lone character stands for itself, unless it could be mistaken for a code given out.
        if len(grapheme) == 1 and ord(grapheme) < _PRIVATE_USE:
            return grapheme
        if grapheme not in self._codes:
            self._codes[grapheme] = chr(_PRIVATE_USE + len(self._codes))
        return self._codes[grapheme]


def _kind(grapheme: str, before: str, after: str) -> str | None:
    """LETTER, DIGIT, SPACE, or None for a mark the comparison ignores (an apostrophe)."""
    category = unicodedata.category(grapheme[0])
    if category[0] in "LM" or category == "So":  # letters, and emoji as whole words
        return LETTER
    if category[0] == "N" or category == "Sc" or grapheme in "%‰":
        return DIGIT
    if grapheme in APOSTROPHES or (grapheme in HYPHENS and before.isalpha() and after.isalpha()):
        return None
    # "4.5", "10/10", "1,200": punctuation inside a number is part of the number, and so is
    # a sign that changes what it says ("<5 minutes", "-20%", "+3").
    if before.isdigit() and after.isdigit() and not grapheme.isspace():
        return DIGIT
    if grapheme in NUMBER_SIGNS and (before.isdigit() or after.isdigit()):
        return DIGIT
    return SPACE


def to_units(text: str, alphabet: Alphabet) -> Units:
    """The units of a text: graphemes case-folded, punctuation as word breaks, no edge spaces."""
    graphemes = compiled(r"\X").findall(unicodedata.normalize("NFKC", text))
    unspaced = compiled(UNSPACED_PATTERN)
    units = Units()
    keys: list[str] = []
    word = sentence = 0
    for index, grapheme in enumerate(graphemes):
        before = graphemes[index - 1][-1] if index else ""
        after = graphemes[index + 1][0] if index + 1 < len(graphemes) else ""
        kind = _kind(grapheme, before, after)
        if grapheme in SENTENCE_ENDS and kind == SPACE and units.kinds:
            sentence += 1
        if kind is None:
            continue
        if kind == SPACE:
            if units.kinds and units.kinds[-1] != SPACE:
                keys.append(SPACE)
                units.kinds.append(SPACE)
                units.shown.append(SPACE)
                units.words.append(-1)
                units.sentences.append(sentence)
                units.unspaced.append(False)
                word += 1
            elif units.kinds:
                units.sentences[-1] = sentence
            continue
        folded = unicodedata.normalize("NFC", grapheme.casefold())
        keys.append(alphabet.code(folded))
        units.kinds.append(kind)
        units.shown.append(grapheme)
        units.words.append(word)
        units.sentences.append(sentence)
        units.unspaced.append(bool(unspaced.match(grapheme)))
    while units.kinds and units.kinds[-1] == SPACE:
        keys.pop()
        for column in (units.kinds, units.shown, units.words, units.sentences, units.unspaced):
            column.pop()
    units.key = "".join(keys)
    return units


def word_texts(units: Units, start: int, end: int) -> list[str]:
    """The case-folded words of units[start:end], as written (for the negation check)."""
    text = "".join(units.shown[start:end])
    return [unicodedata.normalize("NFC", w.casefold()) for w in text.split()]


def shown(units: Units, start: int, end: int) -> str:
    """units[start:end] as the reader would see them (without punctuation)."""
    return "".join(units.shown[start:end]).strip()


def starts_word(units: Units, at: int) -> bool:
    """Whether a cut may fall just before unit `at` without splitting a word."""
    if at <= 0 or at >= len(units.kinds):
        return True
    left, right = at - 1, at
    if SPACE in (units.kinds[left], units.kinds[right]):
        return True
    return units.unspaced[left] or units.unspaced[right]


@cache
def compiled(pattern: str) -> regex.Pattern[str]:
    """`pattern` compiled with the `regex` module, imported on the first text compared."""
    # Lazily: `regex` costs ~1 MB a process, and a web worker serving reads compares no text.
    import regex

    return regex.compile(pattern)
