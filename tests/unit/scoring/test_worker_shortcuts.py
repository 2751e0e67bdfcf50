"""An import worker's shortcuts (scoring, MinHash, personal data) give what the long way gives.

Each shortcut is held to the plain form it replaced, on random text built to trip it up:
the patterns that skip to a digit or a dot, the phrase groups, the possessive word
patterns, the script runs, the accent stripping, the MinHash without a set of shingles.
"""

import hashlib
import random
import re
import string
import subprocess
import sys
import unicodedata

import numpy as np
import pytest

from testimonials.harvest import personal_data
from testimonials.scoring import Scorer, duplicates, languages, latin, lexicons, suspicion
from testimonials.scoring import features as f
from testimonials.scoring.cues import ENGLISH_CUES
from testimonials.scoring.languages import SCRIPT_RUNS, detect_language
from testimonials.scoring.phrases import AnyPhrase
from testimonials.scoring.text import _MARKS, ASCII_WORD_RE, WORD_RE, WORD_WITH_MARKS_RE

# The forms the shortcuts replaced, written out as they were.
GREEDY_TIME = re.compile(
    r"\b\d+(?:[.,]\d+)?\s?(?:-\s?)?(?:a\.?m\.?|p\.?m\.?|h|hrs?|hours?|min(?:ute)?s?|days?|"
    r"weeks?|wks?|months?|mos?|years?|yrs?|nights?)\b|\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b",
    re.I,
)
GREEDY_MONEY = re.compile(r"[$€£¥₹]\s?\d|\d\s?(?:€|£|\$|usd|eur|gbp|dollars?|euros?|bucks)\b", re.I)
GREEDY_ASCII_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z0-9]+)*")
GREEDY_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
GREEDY_WORD_WITH_MARKS = re.compile(
    rf"[^\W_](?:[^\W_]|[{_MARKS}])*(?:['\u2019](?:[^\W_]|[{_MARKS}])+)*"
)


def random_texts(pieces: list[str], count: int, longest: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(pieces, k=rng.randint(0, longest))) for _ in range(count)]


def test_english_time_and_money_patterns_find_what_the_greedy_ones_find() -> None:
    pieces = list("0123456789 .,:-$€£¥₹aAhHmMpsx_'\n٣")
    pieces += ["days", "Hrs", "min", "minutes", "YEARS", "nights", "usd", "EUR", "dollars"]
    pieces += ["bucks", "19", "20", "2019", "1999", "a.m.", "PM", " - ", "12:30", "3,5"]
    for text in random_texts(pieces, 60_000, 10, seed=1):
        assert ENGLISH_CUES.time_re.findall(text) == GREEDY_TIME.findall(text), text
        assert ENGLISH_CUES.money_re.findall(text) == GREEDY_MONEY.findall(text), text


def test_possessive_word_patterns_find_the_greedy_patterns_words() -> None:
    ascii_pieces = [*list(string.ascii_letters[:6] + "019 '_-.!\t\n"), "don't", "''", "'s"]
    for text in random_texts(ascii_pieces, 20_000, 14, seed=2):
        assert ASCII_WORD_RE.findall(text) == GREEDY_ASCII_WORD.findall(text), text
        assert WORD_RE.findall(text) == GREEDY_WORD.findall(text), text
    pieces = [*ascii_pieces, "\u2019", "é", "e\u0301", "\u0915\u093e", "ب\u064e", "_", "٣"]
    for text in random_texts(pieces, 20_000, 14, seed=3):
        assert WORD_WITH_MARKS_RE.findall(text) == GREEDY_WORD_WITH_MARKS.findall(text), text
        assert WORD_RE.findall(text) == GREEDY_WORD.findall(text), text


def test_phone_digit_tests_hold_every_phone_number() -> None:
    # The cheap pattern must match wherever the full one does (it decides whether to search).
    pieces = [*list("0123456789 ().-+x\n"), "  ", " - ", "(0)", "٣", "+44 "]
    for text in random_texts(pieces, 40_000, 24, seed=4):
        if personal_data._PHONE.search(text):
            assert personal_data._PHONE_DIGITS.search(text), text
        if suspicion._PHONE_RE.search(text):
            assert suspicion._PHONE_DIGITS_RE.search(text), text
        if text.isascii():  # (the ASCII forms: the same matches where \d can only be [0-9])
            fast = personal_data._ASCII_PHONE_DIGITS.search(text)
            assert bool(fast) == bool(personal_data._PHONE_DIGITS.search(text)), text
            fast = suspicion._ASCII_PHONE_DIGITS_RE.search(text)
            assert bool(fast) == bool(suspicion._PHONE_DIGITS_RE.search(text)), text


def test_url_hint_patterns_are_the_hint_lists() -> None:
    pieces = [*list("abcowmeilnfsyx.:/ "), "www", "www.", "://", ".co", ".com", ".io", ".app"]
    pieces += [".dev", ".me", ".ly", ".xyz", ".info", ".shop", ".store", ".biz", ".link"]
    for text in random_texts(pieces, 40_000, 8, seed=5):
        hints = any(hint in text for hint in suspicion._URL_HINTS)
        assert (suspicion._URL_HINT_RE.search(text) is not None) == hints, text
        marks = any(mark in text for mark in personal_data._URL_MARKS)
        assert (personal_data._URL_MARK_RE.search(text) is not None) == marks, text


@pytest.mark.parametrize(
    "phrases", [lexicons.PROMO_PHRASES, lexicons.INCENTIVE_PHRASES, suspicion._URL_HINTS]
)
def test_any_phrase_is_any_phrase_in_the_text(phrases: tuple[str, ...]) -> None:
    has_phrase = AnyPhrase(phrases)
    words = sorted({word for phrase in phrases for word in phrase.split()})
    pieces = [*words, *phrases, " ", " ", "x", "re", "s "]
    for text in random_texts(pieces, 20_000, 6, seed=6):
        assert has_phrase(text) == any(phrase in text for phrase in phrases), text


def test_any_phrase_groups_phrases_under_a_word_they_share() -> None:
    has_phrase = AnyPhrase(["use my code", "promo code", "click here", ".com", ".co"])
    assert has_phrase._groups == [("code", ("promo code", "use my code"))]
    assert has_phrase._singles == (".co", "click here")  # ".com" holds ".co"
    assert has_phrase("a promo code!") and has_phrase("site.com") and not has_phrase("code")


def test_script_runs_are_found_as_the_alternation_finds_them() -> None:
    pieces = [
        "漢字",
        "かな",
        "カナ",
        "한국",
        "ไทย",
        "ລາວ",
        "ខ្មែរ",
        "عربي",
        "Рус",
        "हिन्दी",
        "Ελ",
        "אב",
    ]
    pieces += ["abc", "Éé", " ", "1", "!", "。", "\u0301", "ー", "𝔸", "_"]
    for text in random_texts(pieces, 20_000, 8, seed=7):
        fast = [(m.lastgroup, m.group()) for m in languages._script_runs().finditer(text)]
        assert fast == [(m.lastgroup, m.group()) for m in SCRIPT_RUNS.finditer(text)], text


def test_latin_vote_words_of_ascii_text_are_the_patterns_words() -> None:
    alphabet = string.ascii_letters + string.digits + "'' .,_-!?\t\n\x1c"
    for text in random_texts(list(alphabet), 5_000, 40, seed=8):
        words = text.translate(latin.ASCII_NOT_LATIN_WORD).split()
        assert words == latin.LATIN_WORD_RE.findall(text), text


def test_latin_accents_come_apart_only_as_marks_of_one_block() -> None:
    # Below U+0300 no character is a mark, and NFKD makes marks of U+0300-U+036F only.
    for code in range(0x300):
        decomposed = unicodedata.normalize("NFKD", chr(code))
        marks = [ch for ch in decomposed if unicodedata.combining(ch)]
        assert all(duplicates._LATIN_ACCENT_RE.fullmatch(ch) for ch in marks), hex(code)
    pieces = ["é", "Ä", "ß", "ñ", "ç", "Œ", "ǅ", "İ", "˘", "¨", " ", "a", "1", "ø", "\u034f"]
    pieces += ["ก", "ِ", "\u0301"]  # (and text the shortcut does not take)

    def long_way(text: str) -> str:
        text = unicodedata.normalize("NFKD", text.lower())
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        return " ".join(re.findall(r"[^\W_]+", text))

    for text in random_texts(pieces, 10_000, 10, seed=9):
        assert duplicates.normalise_for_matching(text) == long_way(text), text


def test_matching_table_drops_marks_keeps_word_characters_and_spaces_the_rest() -> None:
    # Each character as the generator and the word pattern it replaced treat it, every one.
    table = duplicates._MatchingCharacters()
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        expected = (
            None if unicodedata.combining(ch) else code if re.fullmatch(r"[^\W_]", ch) else 32
        )
        assert table[code] == expected, hex(code)
        if len(table) > 40_000:
            table.clear()
    pieces = ["ก", "ِ", "\u0301", "が", "ខ្មែរ", "हिन्दी", "Ж", "ｱ", "①", "_", " ", "-", "a", "١"]
    for text in random_texts(pieces, 5_000, 12, seed=10):
        text += "ก"  # (a character past U+0300: the table's path)
        long_way = unicodedata.normalize("NFKD", text.lower())
        long_way = "".join(ch for ch in long_way if not unicodedata.combining(ch))
        assert duplicates.normalise_for_matching(text) == " ".join(
            re.findall(r"[^\W_]+", long_way)
        ), text


def _reference_signature(text: str) -> list[int]:
    """MinHash the long way: the set of shingles, each permutation a Python modulo."""
    tokens = duplicates.normalise_for_matching(text).split()
    if not tokens:
        return []
    shingles = {" ".join(tokens[i : i + 3]) for i in range(max(1, len(tokens) - 2))}
    values = [
        int.from_bytes(hashlib.blake2b(s.encode(), digest_size=4).digest(), "little")
        for s in shingles
    ]
    mersenne = (1 << 61) - 1
    return [
        min(((int(a) * v + int(b)) % mersenne) & 0xFFFFFFFF for v in values)
        for a, b in zip(duplicates._A, duplicates._B, strict=True)
    ]


def test_signatures_are_those_of_the_set_of_shingles() -> None:
    words = ["the", "app", "great", "Maria", "fixed", "it", "ខ្មែរ", "日本", "é"]
    texts = random_texts([f"{w} " for w in words], 300, 40, seed=10)
    texts += ["the app the app the app the app", "one", "two words", "", "!!!"]
    got = duplicates.fingerprints(texts)
    for text, (_digest, signature) in zip(texts, got, strict=True):
        assert signature == _reference_signature(text) == duplicates.minhash_signature(text)


def test_permutation_reduces_values_at_the_mersenne_prime_exactly() -> None:
    # The rare values that land on 2**61 - 1 or just past it after the cheap reduction.
    mersenne = (1 << 61) - 1
    values = np.array([0, 1, 7, 0xFFFFFFFF], dtype=np.uint64)
    permuted = duplicates._permuted(values)
    for row, value in zip(permuted.tolist(), values.tolist(), strict=True):
        expected = [
            ((int(a) * value + int(b)) % mersenne) & 0xFFFFFFFF
            for a, b in zip(duplicates._A, duplicates._B, strict=True)
        ]
        assert row == expected
    original = duplicates._A.copy(), duplicates._B.copy()
    try:  # a*x + b == 2**61 - 1 + k: the correction step must run
        duplicates._A[:] = 1
        duplicates._B[:] = np.arange(64, dtype=np.uint64) % 4 + np.uint64(mersenne - 5)
        got = duplicates._permuted(np.array([5], dtype=np.uint64)).tolist()[0]
        assert got == [((5 + int(b)) % mersenne) & 0xFFFFFFFF for b in duplicates._B]
    finally:
        duplicates._A[:], duplicates._B[:] = original


TEXTS_WITH_CAPITALS = [
    "We met Maria. Then (Tom) said: Great! U.S. teams love Kenji and “Priya”.",
    "Frau Müller hat unser SAP-Projekt in 3 Wochen abgeschlossen. Der Kunde Tom ist froh.",
    "It was great... Honestly Maria? Yes! Tom [Support] helped\nAisha too.",
    "no capitals here at all",
]


def test_a_common_capitalised_word_after_a_stop_inside_a_span_is_no_name(scorer: Scorer) -> None:
    # "Then" opens a sentence inside the one span: only "Maria" and "Tom" are names.
    text = "We met Maria. Then Tom said hi"
    counts = f.count_spans(text, [(0, len(text))], scorer._lexicon, detect_language(text))
    assert counts[0].proper_noun_counts == {"maria": 1, "tom": 1}


@pytest.mark.parametrize("text", TEXTS_WITH_CAPITALS)
def test_capitalised_words_are_read_alike_without_locating_them(
    scorer: Scorer, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    language = detect_language(text)
    spans = [(0, len(text))]
    shortcut = f.count_spans(text, spans, scorer._lexicon, language)
    # Every sentence taken as having a mark that opens a sentence: each word is located.
    monkeypatch.setattr(f, "_OPENING_MARK", re.compile(r"(?s:.)|$"))
    assert f.count_spans(text, spans, scorer._lexicon, language) == shortcut


def test_an_import_worker_keeps_its_scorer_out_of_collections() -> None:
    code = (
        "import gc; from testimonials.harvest.bulk_intake import _start_worker; "
        "_start_worker(None); print(gc.get_freeze_count() > 0, gc.get_threshold()[0])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "50000"]


def test_unspaced_words_are_told_apart_as_one_word_at_a_time_would_be() -> None:
    from testimonials.scoring.segmentation import segment_words
    from testimonials.scoring.unspaced import count_unspaced

    def long_way(text: str, tokens: list[str]) -> tuple[int, int, int, int, dict[str, int]]:
        numbers = long_words = proper_nouns = caps = 0
        names: dict[str, int] = {}
        digits = any(map(str.isdigit, text))
        for token in tokens:
            if token.isascii():
                if digits and any(map(str.isdigit, token)):
                    numbers += 1
                elif len(token) > 1:
                    proper_nouns += 1
                    names[token.lower()] = names.get(token.lower(), 0) + 1
                    caps += token.isupper()
                continue
            numbers += digits and any(map(str.isdigit, token))
            long_words += len(token) >= 4
        return numbers, long_words, proper_nouns, caps, names

    pieces = ["日本語", "です", "カタカナ", "ไทย", "ខ្មែរ", "២០", "١٢", "12", "3.5", "²", "①"]
    pieces += ["Excel", "LINE", "a", "AB", " ", "。", "三个月", "円", "ok1", "x²", "ﾃｽﾄ"]
    cues = ENGLISH_CUES  # (the cue phrases are not what is compared)
    for text in random_texts(pieces, 5_000, 14, seed=11):
        tokens = segment_words(text)
        c = count_unspaced(text, tokens, cues)
        counted = (c.numbers, c.long_words, c.proper_nouns, c.caps_words, c.proper_noun_counts)
        assert counted == long_way(text, tokens), text  # (no quotation marks in the pieces)


def test_matching_words_are_the_normalised_texts_words_as_bytes() -> None:
    pieces = [*string.printable, "É", "é", "ß", "日本", "ก", "\u0301", "İ", "ǅ"]
    for text in random_texts(pieces, 20_000, 30, seed=12):
        normalised = duplicates.normalise_for_matching(text).encode("utf-8")
        assert duplicates._matching_words(text) == normalised.split(), text
        assert b" ".join(duplicates._matching_words(text)) == normalised, text


def test_cue_phrase_tree_finds_what_the_longest_first_alternation_finds() -> None:
    from testimonials.scoring.cues import longest_first_trie

    phrases = ["a", "ab", "abc", "abd", "b", "bcd", "cd", "ขอบคุณ", "ขอ", "ดีมาก", "ดี", "。"]
    phrases += ["(", ".", "x+", "ab c"]
    alternation = re.compile("|".join(map(re.escape, sorted(phrases, key=len, reverse=True))))
    tree = re.compile(longest_first_trie(phrases))
    pieces = [*phrases, "c", "d", " ", "ค", "มา", "k"]
    for text in random_texts(pieces, 20_000, 12, seed=13):
        assert tree.findall(text) == alternation.findall(text), text


def test_personal_data_counts_are_those_of_every_pattern_run() -> None:
    def long_way(text: str) -> dict[str, int] | None:
        found = {
            "emails": len(personal_data._EMAIL.findall(text)),
            "phones": len(personal_data._PHONE.findall(text)),
            "urls": len(personal_data._URL.findall(personal_data._EMAIL.sub(" ", text))),
        }
        return {kind: n for kind, n in found.items() if n} or None

    pieces = ["jo@example.org", "@", "www.", "x.com", ".io", "http://a", " ", "+44 ", "20"]
    pieces += ["7946 0958", "(0)", "-", "٣٤", "call", "ok.", "Café", "\n"]
    for text in random_texts(pieces, 20_000, 10, seed=14):
        assert personal_data.detect_personal_data(text) == long_way(text), text
