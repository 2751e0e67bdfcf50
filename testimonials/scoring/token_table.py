"""Each word's counts, worked out once per language and lexicon and packed into one int.

`features` counts a sentence with one look-up and one addition per word through these
tables; what depends on a word's place (negation scope, a capital at a sentence start) is
kept beside it for the few words that need it.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping

from . import lexicons as lx
from .cues import (
    CIRCUM,
    CONCRETE,
    EXCLUSIVE,
    FPP,
    FPS,
    FUNCTION,
    HEDGE,
    NEG,
    NEGEMO,
    NUMWORD,
    PRAISE,
    PREP,
    SECOND,
    SPATIAL,
    SUPER,
    VAGUE,
    CueList,
)
from .languages import Language, letter_count

# Zipf value (x10) given to words missing from the frequency table: rarer than anything in it.
UNKNOWN_ZIPF10 = 15
RARE_ZIPF10 = 35
# A capitalised first word of a sentence is taken as a name when it is this rare or unknown
# ("Ringu is a disaster", "Broomfield reveals ..."): common words open sentences all the time.
INITIAL_NAME_ZIPF10 = 30
# The English lexicon packs three things per word into one int so the hot loop does one
# lookup: Zipf frequency x 10 (0-99), concreteness x 10 (Brysbaert et al. 2014, 10-50;
# 0 when the word is not rated) and whether the word is a name (NAME_FLAG: a given name,
# surname or place that is not also an English word).  See `pack_lexicon`.
LEXICON_BASE = 100
NAME_FLAG = 100 * LEXICON_BASE
# An all-capital word this common (Zipf x 10) is shouting ("BEST", "SO HAPPY"), not a name or
# an acronym; a listed name in capitals ("JOHN") still is one.
SHOUTED_ZIPF10 = 40
# A content word this concrete (x 10) and less common than this (Zipf x 10) is a concrete
# detail ("shrimp", "invoice", "hallway"), unlike frequent concrete heads ("food", "room").
CONCRETE10 = 40
CONCRETE_RARE_ZIPF10 = 50
# Zipf value (x10) given to content words of languages without a frequency table: the
# middle of the English distribution, so such words count neither as rare nor as common.
NEUTRAL_ZIPF10 = 45
_PRONOUN_I = frozenset({"i", "i'm", "i've", "i'd", "i'll"})
_SENTIMENT = lx.SENTIMENT

# A word's counts that depend on the word alone are worked out once and packed into one
# integer of fixed-width fields, so counting a sentence costs one dict look-up and one
# addition per word; what depends on the word's place (negation scope, a capital at a
# sentence start) is kept beside it for the few words that need it.
_FIELD_BITS = 32
_FIELD_MASK = (1 << _FIELD_BITS) - 1
PACKED_FIELDS = (
    "letters",
    "long_words",
    "numbers",
    "number_words",
    "content_words",
    "zipf_sum",
    "rare_words",
    "concreteness_sum",
    "concreteness_hits",
    "concrete_rare",
    "caps_words",
    "first_person",
    "first_person_plural",
    "second_person",
    "prepositions",
    "vague_references",
    "generic_praise",
    "hedges",
    "concrete",
    "circumstances",
    "superlatives",
    "negative_emotion",
    "exclusive",
    "spatial",
)
_SHIFTS = tuple((name, _FIELD_BITS * i) for i, name in enumerate(PACKED_FIELDS))
_PACKED_BYTES = _FIELD_BITS // 8 * len(PACKED_FIELDS)
_FIELDS_STRUCT = struct.Struct(f"<{len(PACKED_FIELDS)}I")


def unpack_fields(packed: int) -> tuple[int, ...]:
    return _FIELDS_STRUCT.unpack(packed.to_bytes(_PACKED_BYTES, "little"))


_BIT = {name: 1 << shift for name, shift in _SHIFTS}
_COMMON_CAPITAL, RARE_CAPITAL = 1, 2
# Words remembered per language and lexicon; a table is emptied when full, so the long tail
# of a 1M-row import keeps memory bounded (about 30 MB at most).
TOKEN_TABLE_SIZE = 100_000
_WordPlace = tuple[bool, float | None, int, str]


class TokenTable(dict[str, int]):
    """token -> packed counts, filled on first sight; `places` holds, for the words whose
    place matters, whether they negate, their sentiment, and whether they are capitalised."""

    def __init__(
        self, lexicon: Mapping[str, int] | None, cues: CueList, language: Language
    ) -> None:
        super().__init__()
        self.lexicon = lexicon
        self.cues = cues
        self.english = language.code == "en"
        self.places: dict[str, _WordPlace] = {}

    def __missing__(self, token: str) -> int:
        if len(self) >= TOKEN_TABLE_SIZE:
            self.clear()
            self.places.clear()
        packed, place = self._describe(token)
        self[token] = packed
        if place is not None:
            self.places[token] = place
        return packed

    def _describe(self, token: str) -> tuple[int, _WordPlace | None]:
        bit = _BIT
        flags_of = self.cues.flags.get
        zipf_of = self.lexicon.get if self.lexicon is not None else None
        low = token.lower()
        size = len(token)
        packed = (size if token.isascii() else letter_count(token)) * bit["letters"]
        if size >= 8:
            packed += bit["long_words"]
        flags = flags_of(low, 0)
        if not flags and "'" in low:
            # French and Italian elision: "l'équipe", "j'ai" are looked up without "l'".
            flags = flags_of(low.rsplit("'", 1)[-1], 0)
        if token[0].isdigit() or token[-1].isdigit():
            packed += bit["numbers"]
        elif flags & NUMWORD:
            packed += bit["number_words"]
        negator = False
        if flags & FUNCTION:
            if flags & FPS:
                packed += bit["first_person"]
            elif flags & FPP:
                packed += bit["first_person_plural"]
            elif flags & SECOND:
                packed += bit["second_person"]
            if flags & PREP:
                packed += bit["prepositions"]
            elif flags & VAGUE:
                packed += bit["vague_references"]
            negator = bool(flags & NEG)
        else:
            packed += bit["content_words"]
            if flags & VAGUE:
                packed += bit["vague_references"]
            if zipf_of is None:
                packed += NEUTRAL_ZIPF10 * bit["zipf_sum"]
            else:
                entry = zipf_of(low, UNKNOWN_ZIPF10)
                z = entry % LEXICON_BASE
                packed += z * bit["zipf_sum"]
                if z < RARE_ZIPF10 and token.isalpha():
                    packed += bit["rare_words"]
                concreteness = entry // LEXICON_BASE % LEXICON_BASE
                if concreteness:
                    packed += concreteness * bit["concreteness_sum"] + bit["concreteness_hits"]
                    if concreteness >= CONCRETE10 and z < CONCRETE_RARE_ZIPF10:
                        packed += bit["concrete_rare"]
        if flags:
            for mask, name in _FLAG_FIELDS:
                if flags & mask:
                    packed += bit[name]
        if flags & SUPER or (
            self.english
            and low.endswith("est")
            and zipf_of is not None
            and zipf_of(low[:-3], 0) % LEXICON_BASE > 40
        ):
            packed += bit["superlatives"]
        polarity = _SENTIMENT.get(low) if self.english else None
        capital = 0
        entry = zipf_of(low, UNKNOWN_ZIPF10) if zipf_of is not None else UNKNOWN_ZIPF10
        if entry >= NAME_FLAG:
            # A listed name (Moore, Chicago, maria) in any case and any place: capitals are
            # no help at a sentence's start, and many people type names in lower case.
            capital = RARE_CAPITAL
            if token.isupper() and size > 1 and token.isalpha():
                packed += bit["caps_words"]
        elif token[0].isupper():
            shouted = size > 1 and token.isupper() and token.isalpha()
            if shouted:
                packed += bit["caps_words"]
            if low not in _PRONOUN_I and not (
                shouted and zipf_of is not None and entry % LEXICON_BASE >= SHOUTED_ZIPF10
            ):
                rare = zipf_of is not None and entry % LEXICON_BASE < INITIAL_NAME_ZIPF10
                capital = RARE_CAPITAL if rare else _COMMON_CAPITAL
        negator = negator and self.english  # negation only turns English sentiment around
        if negator or polarity is not None or capital:
            return packed, (negator, polarity, capital, low)
        return packed, None


_FLAG_FIELDS = (
    (PRAISE, "generic_praise"),
    (HEDGE, "hedges"),
    (CONCRETE, "concrete"),
    (CIRCUM, "circumstances"),
    (NEGEMO, "negative_emotion"),
    (EXCLUSIVE, "exclusive"),
    (SPATIAL, "spatial"),
)
TOKEN_TABLES: dict[tuple[int, int, str], TokenTable] = {}


def token_table_for(
    lexicon: Mapping[str, int] | None, cues: CueList, language: Language
) -> TokenTable:
    key = (id(lexicon), id(cues), language.code)
    table = TOKEN_TABLES.get(key)
    # A table holds its lexicon and cue objects, so their ids cannot be reused while it
    # lives; the identity check guards against a stale entry all the same.
    if table is not None and table.lexicon is lexicon and table.cues is cues:
        return table
    if len(TOKEN_TABLES) >= 16:
        TOKEN_TABLES.clear()
    table = TOKEN_TABLES[key] = TokenTable(lexicon, cues, language)
    return table
