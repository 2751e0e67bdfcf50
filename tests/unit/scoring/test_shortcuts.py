"""The scorer's shortcuts give what the long way gives, on text chosen to trip them up."""

import random
import re
import string

import pytest

from testimonials.scoring import Scorer, duplicates, specificity, token_table
from testimonials.scoring import features as f
from testimonials.scoring.languages import _language_by_scripts, detect_language
from testimonials.scoring.text import (
    ABBREVIATIONS,
    ASCII_WORD_RE,
    SENTENCE_END_RE,
    WORD_RE,
    sentence_spans,
    split_sentences,
)

MIXED_TEXTS = [
    "We paid €40 for “Léa’s” tour. It took 3 hours, not 5!",
    "Maria’s team fixed it. Then Zoë said (Thanks) to Support; we’re fine.",
    "Frau Müller hat unser SAP-Projekt in ٣ Wochen abgeschlossen. Nicht in 8.",
    "Great!!! 😀 The app crashed twice… Support fixed it in 20 min. Now: 10/10.",
    "İstanbul’da 2 gün kaldık. Çok güzel.",
    "ok",
    "",
]


def test_ascii_words_are_the_words_of_ascii_text() -> None:
    rng = random.Random(13)
    alphabet = string.ascii_letters + string.digits + "'''  .,_-!?\t\n"
    texts = ["don't 'quoted' it's'' o'clock __init__ a_b 3'4 '", string.printable]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(3000)]
    for text in texts:
        assert ASCII_WORD_RE.findall(text) == WORD_RE.findall(text), text
        lowered = text.lower()
        outcome_words = lowered.translate(specificity._ASCII_NOT_WORD).split()
        assert outcome_words == re.findall(r"\w+", lowered)
        # Matching duplicates reads ASCII text's words with an ASCII pattern too.
        unicode_words = " ".join(duplicates._TOKEN_RE.findall(lowered))
        assert duplicates.normalise_for_matching(text) == unicode_words


@pytest.mark.parametrize("text", MIXED_TEXTS)
def test_spans_count_as_their_sentences_alone(scorer: Scorer, text: str) -> None:
    # One fold and one word pattern for the whole text give each sentence's own counts.
    language = detect_language(text)
    spans = [(s.start, s.end) for s in split_sentences(text)]
    token_table.TOKEN_TABLES.clear()
    together = f.count_spans(text, spans, scorer._lexicon, language)
    token_table.TOKEN_TABLES.clear()
    alone = [f.count_text(text[a:b], scorer._lexicon, language) for a, b in spans]
    assert together == alone
    assert f.count_spans(text, [], scorer._lexicon, language) == []


@pytest.mark.parametrize(
    "text",
    [
        *MIXED_TEXTS,
        "Très bon service, livré en 2 jours 👍",
        "¡Excelente atención! Llegó en 3 días.",
        "Ótimo atendimento — chegou rápido",
        "“Great” — 5/5 ★★★★★",
        "😀😀😀 !!! ♥",
        "ıııı ğğ şş",
        "Người giao hàng để hộp ở nhà hàng xóm.",
    ],
)
def test_latin_script_text_is_told_without_counting_every_script(text: str) -> None:
    assert detect_language(text) == _language_by_scripts(text[:400])


# Sentence ends as three alternatives, as first written: SENTENCE_END_RE opens with one
# character class instead (the regex engine skips faster), and must find the same ends.
THREE_KINDS_OF_END = re.compile(
    "(?:[.!?\u2026\u061f\u06d4\u0964]+[\"'\u201d\u2019)\\]]*)(?=\\s+|$)"
    "|[\u3002\uff01\uff1f\u17d4\u17d5]+[\"'\u201d\u2019)\\]\u300d\u300f]*|\n"
)


def _sentences_the_long_way(text: str) -> list[tuple[int, int]]:
    # Every stop's preceding word looked up, every piece searched character by character.
    spans: list[tuple[int, int]] = []
    start = 0
    ends = [(m.start(), m.end()) for m in THREE_KINDS_OF_END.finditer(text)]
    ends.append((None, len(text)))
    for stop, end in ends:
        if stop is not None and text[stop] == ".":
            words = WORD_RE.findall(text[max(start, stop - 6) : stop])
            if words and words[-1].lower() in ABBREVIATIONS:
                continue
        piece = text[start:end]
        a, b = start + len(piece) - len(piece.lstrip()), start + len(piece.rstrip())
        if a < b and any(ch.isalnum() for ch in text[a:b]):
            spans.append((a, b))
        elif a < b and spans:
            spans[-1] = (spans[-1][0], b)
        start = end
    return spans


def test_sentences_are_split_as_the_long_way_splits_them() -> None:
    pieces = [*"ab Z9.!?\u2026\u3002\uff01\uff1f\"')]\n\t\u00a0_-é漢", "Dr. ", "e.g. ", "etc. "]
    pieces += ["U.S. ", "3.5 ", "...", "Dr)", "approx", "Mrs", "İ", "ST", "Xapprox", "o'no"]
    pieces += ["inc", "Co", "no", "\ufb06", "\u212a", "vs", "LTD", " ", ". "]
    rng = random.Random(2026)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(5000)]
    for text in texts:
        assert sentence_spans(text) == _sentences_the_long_way(text), text


def test_sentence_ends_are_those_of_the_three_kinds() -> None:
    pieces = [*".!?\u2026\u061f\u06d4\u0964\u3002\uff01\uff1f\u17d4\u17d5", *"\"'\u201d\u2019)]"]
    pieces += [*"\u300d\u300f\n\t \u00a0\r\u2028ab9", "Dr. ", "...", "?!", "\u3002\u300d"]
    rng = random.Random(7)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(20000)]
    for text in texts:
        expected = [(m.span(), m.group()) for m in THREE_KINDS_OF_END.finditer(text)]
        assert [(m.span(), m.group()) for m in SENTENCE_END_RE.finditer(text)] == expected, text


@pytest.mark.parametrize(
    "text", [*MIXED_TEXTS, "La facture et le colis sont arrivés. Merci à Léa pour la chambre!"]
)
def test_a_texts_counts_are_its_sentences_counts_added_up(scorer: Scorer, text: str) -> None:
    # The whole text's word counts come from its sentences' packed sums, unpacked once.
    language = detect_language(text)
    spans = [(s.start, s.end) for s in split_sentences(text)]
    per_sentence, total = f.sentence_counts(text, spans, scorer._lexicon, language)
    added = f.TextCounts()
    for counts in per_sentence:
        added.add(counts)
    added.chars = len(text.strip()) if language.spaced else len(text)
    assert total == added
