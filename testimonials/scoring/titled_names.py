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

from . import cue_lists_titles as tl
from .cues import cues_for
from .languages import Language, segment_words


def _alternation(words: str) -> str:
    # Longest first, so 선생님 wins over 선생 and 佐々木 over a shorter surname.
    return "|".join(re.escape(w) for w in sorted(words.split(), key=len, reverse=True))


_ZH_RE = re.compile(
    rf"[{tl.ZH_FAMILIAR}]([{tl.ZH_SURNAMES}])(?![们們])"
    rf"|([{tl.ZH_SURNAMES}])(?:{_alternation(tl.ZH_TITLES)})(?![们們])"
)
_KATAKANA = "ァ-ヺー"
_JA_RE = re.compile(
    rf"({_alternation(tl.JA_SURNAMES)}|(?<![{_KATAKANA}])[{_KATAKANA}]{{2,}})"
    rf"(?:{_alternation(tl.JA_HONORIFICS)})(?!達|たち|方|がた)"
)
_HANGUL = "가-힣"
_KO_FULL_TITLES = _alternation(f"{tl.KO_TITLES} {tl.KO_FULL_NAME_ONLY}")
_KO_RE = re.compile(
    rf"(?<![{_HANGUL}])(?:"
    rf"([{tl.KO_SURNAMES_BARE}]) ?(?:{_alternation(tl.KO_TITLES)})"
    rf"|([{tl.KO_SURNAMES_FULL}][{_HANGUL}]{{2}}) ?(?:{_KO_FULL_TITLES})"
    rf")(?!들)"
)
_ARABIC_WORD = r"[\u0621-\u064a\u0660-\u0669\u066e-\u06d3\u064b-\u065f]+"
_AR_RE = re.compile(
    rf"(?<![\u0621-\u064a])(?:و|ل)?(?:{_alternation(tl.AR_TITLES)})\s+({_ARABIC_WORD})"
)
_DEVANAGARI_WORD = r"[\u0900-\u0963\u0971-\u097f]+"
_HI_PREFIX_RE = re.compile(
    rf"(?<![\u0900-\u097f])(?:{_alternation(tl.HI_PREFIX_TITLES)})\s*({_DEVANAGARI_WORD})"
)
_HI_SUFFIX_RE = re.compile(
    rf"({_DEVANAGARI_WORD})\s+(?:{_alternation(tl.HI_SUFFIX_TITLES)})(?![\u0900-\u097f])"
)
_LATIN_RE = {
    code: re.compile(rf"\b(?:{_alternation(titles)})\.?\s+([^\W\d_]{{2,}})", re.I)
    for code, titles in tl.LATIN_ABBREVIATED_TITLES.items()
}
# "my dr said", "the dr": a determiner before the title makes it a common noun.
_LATIN_DETERMINER_RE = re.compile(r"\b(?:my|the|our|your|his|her|their|a)\s+$", re.I)
_REPEATED = re.compile("[\u0e46\u17d7\u0ec6]")
_PREFIX_TITLES = {code: frozenset(titles.split()) for code, titles in tl.PREFIX_TITLES.items()}
_NOT_NAMES = {code: frozenset(words.split()) for code, words in tl.NOT_NAMES.items()}
_JA_KATAKANA_ROLES = frozenset(tl.JA_KATAKANA_ROLES.split())
_KO_NOT_NAMES = frozenset(tl.KO_NOT_NAMES.split())
_AR_NOT_NAMES = frozenset(tl.AR_NOT_NAMES.split())
_HI_NOT_NAMES = frozenset(tl.HI_NOT_NAMES.split())
# A cheap test before segmenting: most sentences hold no title at all.
_PREFIX_SEARCH = {
    code: re.compile(_alternation(titles)) for code, titles in tl.PREFIX_TITLES.items()
}


def titled_names(text: str, language: Language) -> list[str]:
    """The names in `text` announced by a title or honorific (lower-cased, in order)."""
    find = _FINDERS.get(language.code)
    names = find(text) if find is not None else []
    if names:
        # A word of the language's cue lists (praise, pronouns, verbs of help, "and") after
        # a title shows the title is used alone: คุณใส่ใจ "you care", "mr. and mrs.".
        cues = cues_for(language)
        if cues is not None:
            names = [name for name in names if name.lower() not in cues.flags]
    return names


def _chinese(text: str) -> list[str]:
    return [m.group(m.lastindex or 0) for m in _ZH_RE.finditer(text)]


def _japanese(text: str) -> list[str]:
    return [m[1] for m in _JA_RE.finditer(text) if m[1] not in _JA_KATAKANA_ROLES]


def _korean(text: str) -> list[str]:
    names = []
    for m in _KO_RE.finditer(text):
        name = m[1] or m[2]
        if name not in _KO_NOT_NAMES:
            names.append(name)
    return names


def _arabic(text: str) -> list[str]:
    return [
        m[1]
        for m in _AR_RE.finditer(text)
        if not m[1].startswith(("ال", "وال")) and m[1] not in _AR_NOT_NAMES
    ]


def _hindi(text: str) -> list[str]:
    found = [m[1] for m in _HI_PREFIX_RE.finditer(text)]
    found += [m[1] for m in _HI_SUFFIX_RE.finditer(text)]
    return [name for name in found if name not in _HI_NOT_NAMES]


def _prefix_titled(code: str) -> Callable[[str], list[str]]:
    titles, not_names, search = _PREFIX_TITLES[code], _NOT_NAMES[code], _PREFIX_SEARCH[code]

    def find(text: str) -> list[str]:
        if search.search(text) is None:
            return []
        words = [w for w in segment_words(text) if not w.isspace()]
        names = []
        for index, word in enumerate(words[:-1]):
            following = words[index + 1]
            # A title followed by a title (คุณหมอสมชาย) waits for the next word; a
            # repetition mark (พี่ๆ, ៗ, ໆ) makes a plural or an adverb, never a name.
            if (
                word in titles
                and following not in titles
                and following not in not_names
                and not following.isascii()
                and any(ch.isalpha() for ch in following)
                and not _REPEATED.search(following)
            ):
                names.append(following)
        return names

    return find


def _latin(code: str) -> Callable[[str], list[str]]:
    pattern = _LATIN_RE[code]
    # A quick test before the pattern: "dr " or "dr." is rare inside words (speed: this runs
    # for every sentence of every Latin-script text; lower() and one literal scan beat re.I).
    probe = re.compile(rf"(?:{_alternation(tl.LATIN_ABBREVIATED_TITLES[code])})[ .]")

    def find(text: str) -> list[str]:
        if probe.search(text.lower()) is None:
            return []
        # A capitalised name after the title is already counted by its capital letter.
        return [
            m[1]
            for m in pattern.finditer(text)
            if m[1].islower() and not _LATIN_DETERMINER_RE.search(text, 0, m.start())
        ]

    return find


_FINDERS: dict[str, Callable[[str], list[str]]] = {
    "zh": _chinese,
    "ja": _japanese,
    "ko": _korean,
    "ar": _arabic,
    "hi": _hindi,
    **{code: _prefix_titled(code) for code in tl.PREFIX_TITLES},
    **{code: _latin(code) for code in tl.LATIN_ABBREVIATED_TITLES},
}
