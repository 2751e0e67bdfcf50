"""Names announced by a title, in scripts without capital letters (issue 13).

The scorer finds names by their capital letters, which Chinese, Japanese, Korean, Thai,
Khmer, Lao, Burmese, Arabic and Hindi do not have, and which Latin text typed in lower case
has lost.  There a name is recognisable by the title or honorific joined to it: 小王,
王老师, 田中さん, 박 선생님, คุณสมชาย, លោកគ្រូដារ៉ា, ທ່ານສົມພອນ, الأستاذ سامي, शर्मा जी,
dr patel.  A title used alone (老师们, 皆さん, ครูทุกคน, "the doctor") is generic and
is not counted.  The word lists are in `cue_lists_titles.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from itertools import pairwise

from . import cue_lists_titles as tl
from .cues import cues_for
from .languages import Language
from .segmentation import segment_words


def _alternation(words: str) -> str:
    # Longest first, so 선생님 wins over 선생 and 佐々木 over a shorter surname.
    return "|".join(re.escape(w) for w in sorted(words.split(), key=len, reverse=True))


# (text, its ICU words if the caller segmented it already) -> names
_Finder = Callable[[str, list[str] | None], list[str]]
_KATAKANA = "ァ-ヺー"
_HANGUL = "가-힣"
_ARABIC_WORD = r"[\u0621-\u064a\u0660-\u0669\u066e-\u06d3\u064b-\u065f]+"
_DEVANAGARI_WORD = r"[\u0900-\u0963\u0971-\u097f]+"
# A repetition mark (พี่ๆ, ៗ, ໆ) makes a plural or an adverb, never a name.
_REPEAT_MARKS = "\u0e46\u17d7\u0ec6"


def titled_names(text: str, language: Language, words: list[str] | None = None) -> list[str]:
    """The names in `text` announced by a title or honorific, in order. `words`: the text's
    words from `segment_words`, where the caller has them (else segmented here if needed)."""
    return titled_names_finder(language)(text, words)


def titled_names_finder(language: Language, whole: str | None = None) -> _Finder:
    """`titled_names` for texts in `language`, looked up once for many (a text's sentences).

    `whole`: the text those are parts of, if known: where no title occurs in it at all (the
    quick test of Latin and prefixed titles: a test its sentences would pass only if it
    does), no sentence is tested (most texts, once a text instead of once a sentence)."""
    find = _finder(language.code)
    if find is None:
        return finds_no_names
    if whole is not None:
        probe = _probe(language.code)
        if probe is not None and probe(whole) is None:
            return finds_no_names
    # A word of the language's cue lists (praise, pronouns, verbs of help, "and") after
    # a title shows the title is used alone: คุณใส่ใจ "you care", "mr. and mrs.".
    cues = cues_for(language)
    if cues is None:
        return find
    flags = cues.flags

    def names(text: str, words: list[str] | None) -> list[str]:
        found = find(text, words)
        return [name for name in found if name.lower() not in flags] if found else found

    return names


def finds_no_names(_text: str, _words: list[str] | None) -> list[str]:
    """The finder of a language without titles, or of a text holding none."""
    return []


@cache
def _finder(code: str) -> _Finder | None:
    # Patterns are compiled on a language's first text, not at import (load time).
    if code in tl.PREFIX_TITLES:
        return _prefix_titled(code)
    if code in tl.LATIN_ABBREVIATED_TITLES:
        return _latin(code)
    build = _BUILDERS.get(code)
    return build() if build is not None else None


def _chinese() -> _Finder:
    pattern = re.compile(
        rf"[{tl.ZH_FAMILIAR}]([{tl.ZH_SURNAMES}])(?![们們])"
        rf"|([{tl.ZH_SURNAMES}])(?:{_alternation(tl.ZH_TITLES)})(?![们們])"
    )
    return lambda text, _words: [m.group(m.lastindex or 0) for m in pattern.finditer(text)]


def _japanese() -> _Finder:
    # Each pattern opens on the title, the rarest part, and looks back for the name: a
    # pattern that opens on a name or a lookbehind is tried at every character (speed).
    pattern = re.compile(rf"(?:{_alternation(tl.JA_HONORIFICS)})(?!達|たち|方|がた)")
    surnames = frozenset(tl.JA_SURNAMES.split())
    roles = frozenset(tl.JA_KATAKANA_ROLES.split())

    def find(text: str, _words: list[str] | None) -> list[str]:
        names = []
        for m in pattern.finditer(text):
            start = end = m.start()
            while start > 0 and _is_katakana(text[start - 1]):
                start -= 1
            if end - start >= 2:
                if text[start:end] not in roles:
                    names.append(text[start:end])
                continue
            name = next(
                (text[end - n : end] for n in (3, 2, 1) if text[end - n : end] in surnames), ""
            )
            if name:
                names.append(name)
        return names

    return find


def _is_katakana(ch: str) -> bool:
    return "\u30a1" <= ch <= "\u30fa" or ch == "\u30fc"


def _korean() -> _Finder:
    full_titles = _alternation(f"{tl.KO_TITLES} {tl.KO_FULL_NAME_ONLY}")
    # The lookbehind follows the surname's letter, so the scan opens on a character class.
    pattern = re.compile(
        rf"([{tl.KO_SURNAMES_BARE}])(?<![{_HANGUL}].) ?(?:{_alternation(tl.KO_TITLES)})(?!들)"
        rf"|([{tl.KO_SURNAMES_FULL}])(?<![{_HANGUL}].)([{_HANGUL}]{{2}}) ?(?:{full_titles})(?!들)"
    )
    not_names = frozenset(tl.KO_NOT_NAMES.split())
    return lambda text, _words: [
        name for m in pattern.finditer(text) if (name := m[1] or m[2] + m[3]) not in not_names
    ]


def _arabic() -> _Finder:
    pattern = re.compile(rf"(?:{_alternation(tl.AR_TITLES)})\s+({_ARABIC_WORD})")
    not_names = frozenset(tl.AR_NOT_NAMES.split())

    def find(text: str, _words: list[str] | None) -> list[str]:
        names = []
        for m in pattern.finditer(text):
            # The title opens a word, or follows only "and" / "to" (والأستاذ, للدكتور).
            start = m.start()
            if start > 0 and text[start - 1] in "ول":
                start -= 1
            if start > 0 and "\u0621" <= text[start - 1] <= "\u064a":
                continue
            if not m[1].startswith(("ال", "وال")) and m[1] not in not_names:
                names.append(m[1])
        return names

    return find


def _hindi() -> _Finder:
    # A space or the abbreviation's dot ends the title: श्रीमान, श्रीलंका are words of their own.
    before = re.compile(
        rf"(?:{_alternation(tl.HI_PREFIX_TITLES)})(?:\s+|(?<=\.))({_DEVANAGARI_WORD})"
    )
    after = re.compile(rf"\s(?:{_alternation(tl.HI_SUFFIX_TITLES)})(?![\u0900-\u097f])")
    not_names = frozenset(tl.HI_NOT_NAMES.split())

    def find(text: str, _words: list[str] | None) -> list[str]:
        found = [
            m[1]
            for m in before.finditer(text)
            if m.start() == 0 or not _is_devanagari(text[m.start() - 1])
        ]
        for m in after.finditer(text):
            word = text[: m.start()].rsplit(None, 1)[-1] if text[: m.start()].strip() else ""
            if word and all(_is_devanagari(ch) for ch in word):
                found.append(word)
        return [name for name in found if name not in not_names]

    return find


def _is_devanagari(ch: str) -> bool:
    return "\u0900" <= ch <= "\u097f"


@cache
def _probe(code: str) -> Callable[[str], re.Match[str] | None] | None:
    """The quick test a sentence must pass to hold a name (Latin and prefixed titles): a
    pattern with no look-around, so a sentence's match is one in any text holding it."""
    if code in tl.PREFIX_TITLES:
        # A cheap test before segmenting: most sentences hold no title at all.
        return re.compile(_alternation(tl.PREFIX_TITLES[code])).search
    if code in tl.LATIN_ABBREVIATED_TITLES:
        # "dr " or "dr." is rare inside words.  A pattern that opens with a character class
        # is scanned fastest (1 us per sentence, against 1.5 with lower() or re.I).
        words = tl.LATIN_ABBREVIATED_TITLES[code].split()
        firsts = "".join(sorted({w[0] for w in words} | {w[0].upper() for w in words}))
        rests = "|".join(re.escape(w[1:]) for w in sorted(words, key=len, reverse=True))
        return re.compile(rf"[{firsts}](?i:{rests})[ .]").search
    return None


def _prefix_titled(code: str) -> _Finder:
    titles = frozenset(tl.PREFIX_TITLES[code].split())
    not_names = frozenset(tl.NOT_NAMES[code].split())
    search = _probe(code)
    assert search is not None

    def find(text: str, segmented: list[str] | None) -> list[str]:
        if search(text) is None:
            return []
        words = [w for w in segmented or segment_words(text) if not w.isspace()]
        # A title followed by a title (คุณหมอสมชาย) waits for the next word.
        return [
            following
            for word, following in pairwise(words)
            if word in titles
            and following not in titles
            and following not in not_names
            and not following.isascii()
            and any(ch.isalpha() for ch in following)
            and not any(mark in following for mark in _REPEAT_MARKS)
        ]

    return find


def _latin(code: str) -> _Finder:
    titles = _alternation(tl.LATIN_ABBREVIATED_TITLES[code])
    pattern = re.compile(rf"\b(?:{titles})\.?\s+([^\W\d_]{{2,}})", re.I)
    probe = _probe(code)  # a quick test before the pattern
    assert probe is not None
    # "my dr said", "the dr": a determiner before the title makes it a common noun.
    determiner = re.compile(r"\b(?:my|the|our|your|his|her|their|a)\s+$", re.I).search

    def find(text: str, _words: list[str] | None) -> list[str]:
        # Only text typed in lower case: elsewhere capitals find the names (and most
        # sentences have one, so this costs nearly nothing).
        if not text.islower() or probe(text) is None:
            return []
        return [m[1] for m in pattern.finditer(text) if not determiner(text, 0, m.start())]

    return find


_BUILDERS: dict[str, Callable[[], _Finder]] = {
    "zh": _chinese,
    "ja": _japanese,
    "ko": _korean,
    "ar": _arabic,
    "hi": _hindi,
}
