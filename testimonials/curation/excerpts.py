"""The honest-excerpt rule: what a testimonial shows publicly is the customer's own words.

Pure (no Flask, no database): plain strings in, a verdict with a reason a marketer can read
out. The API, the edit page, bulk approval, undo and migration 0010 all call this one
function, so the rule cannot differ between paths. The rule, with examples, is in
docs/excerpts.md; in short an excerpt is

* one or more pieces of the original, in the customer's order, joined by an ellipsis
  ("…", "...", "[…]"), with nothing joined across a gap without one;
* each piece matching its place in the original up to small corrections: case,
  punctuation and spacing are free; letters may change by at most MAX_EDITS and at most
  one per ten letters of the piece; numbers, amounts and negations never change, and no
  word is added or removed inside a piece;
* cut honestly: a piece starts and ends on word boundaries, the text left out of a sentence
  it keeps contains no negation ("not", "never", "ไม่", "មិន", "不" ...), and when there are
  several pieces each is a whole sentence or at least MIN_PIECE_WORDS words.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from testimonials.curation.negations import negations_in
from testimonials.curation.wording import (
    DIGIT,
    SPACE,
    Alphabet,
    Correction,
    Units,
    compiled,
    shown,
    starts_word,
    to_units,
    word_texts,
)
from testimonials.curation.words_alignment import Alignment, align

MAX_EDITS = 3
LETTERS_PER_EDIT = 10
MIN_PIECE_WORDS = 3
DIAGNOSIS_EDITS = 12
MIN_PIECE_LETTERS_UNSPACED = 6  # Thai, Khmer, CJK...: no spaces to count words by
# Patterns of the `regex` module, compiled (and the module imported) on first use.
ELLIPSIS = r"\s*(?:\[\s*(?:…|\.{3,})\s*\]|\(\s*(?:…|\.{3,})\s*\)|…|\.{3,})\s*"
RULE = 'Keep the customer\'s own words: cut with "…" and fix small typos, nothing else.'


@dataclass(frozen=True)
class ExcerptVerdict:
    """Whether an excerpt is the customer's own words; if not, why (for the marketer)."""

    problem: str | None
    corrections: tuple[Correction, ...] = ()

    @property
    def honest(self) -> bool:
        """True when the excerpt may be published."""
        return self.problem is None


@dataclass(frozen=True)
class _Piece:
    start: int  # in the original's units
    end: int
    alignment: Alignment


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def allowed_edits(letters: int) -> int:
    """How many letters a piece this long may have corrected."""
    return min(MAX_EDITS, letters // LETTERS_PER_EDIT)


def check_excerpt(original: str, excerpt: str) -> ExcerptVerdict:
    """Whether `excerpt` is made only of the customer's words in `original` (see module doc)."""
    alphabet = Alphabet()
    source = to_units(original, alphabet)
    has_word = compiled(r"[\p{L}\p{N}]")
    pieces_text = [p for p in compiled(ELLIPSIS).split(excerpt) if has_word.search(p)]
    if not pieces_text:
        return ExcerptVerdict("The excerpt has no words. " + RULE)
    pieces: list[_Piece] = []
    position = 0
    for text in pieces_text:
        units = to_units(text, alphabet)
        found = _find_piece(source, units, position)
        if isinstance(found, str):
            return ExcerptVerdict(found)
        if found is None:
            return ExcerptVerdict(_why_not_found(source, units, text, position))
        pieces.append(found)
        position = found.end
    problem = _cut_problem(source, _joined(source, pieces), len(pieces_text) > 1)
    if problem:
        return ExcerptVerdict(problem)
    corrections = tuple(c for piece in pieces for c in piece.alignment.corrections)
    return ExcerptVerdict(None, corrections)


def _find_piece(source: Units, piece: Units, position: int) -> _Piece | str | None:
    """The first honest place for this piece at or after `position`, a refusal, or None."""
    letters = sum(1 for kind in piece.kinds if kind != SPACE)
    refusal: str | None = None
    for alignment in align(source, piece, position, allowed_edits(letters)):
        problem = _piece_problem(source, piece, alignment)
        if problem is None:
            return _Piece(alignment.start, alignment.end, alignment)
        refusal = refusal or problem
    return refusal


def _piece_problem(source: Units, piece: Units, alignment: Alignment) -> str | None:
    """Why this match of a piece is not an honest quotation, or None."""
    start, end = alignment.start, alignment.end
    if not (starts_word(source, start) and starts_word(source, end)):
        word = shown(
            source, *_word_around(source, start if not starts_word(source, start) else end)
        )
        return (
            f"A piece cuts the word {_quote(word)} in two. Cut between words, and mark "
            f"the cut with “…”."
        )
    if alignment.touches(DIGIT):
        return (
            f"Numbers and amounts must stay exactly as the customer wrote them: "
            f"{_quote(shown(source, start, end))}."
        )
    before = negations_in(word_texts(source, start, end))
    after = negations_in(word_texts(piece, 0, len(piece.kinds)))
    if before != after:
        dropped, added = before - after, after - before
        change = f"leaves out “{next(iter(dropped))}”" if dropped else f"adds “{next(iter(added))}”"
        return (
            f"The excerpt {change}, which turns the customer's meaning around "
            f"({_quote(shown(source, start, end))}). {RULE}"
        )
    if alignment.added_word is not None:
        return (
            f"The word {_quote(alignment.added_word)} is not in the customer's words "
            f"{_quote(shown(source, start, end))}. {RULE}"
        )
    if alignment.dropped_word is not None:
        return (
            f"The word {_quote(alignment.dropped_word)} was left out of "
            f"{_quote(shown(source, start, end))} without an ellipsis. "
            "Mark every cut with “…”."
        )
    return None


def _word_around(units: Units, at: int) -> tuple[int, int]:
    start, end = max(at - 1, 0), at
    while start > 0 and units.kinds[start - 1] != SPACE:
        start -= 1
    while end < len(units.kinds) and units.kinds[end] != SPACE:
        end += 1
    return start, end


def _why_not_found(source: Units, piece: Units, text: str, position: int) -> str:
    """The refusal for a piece with no honest place in the original."""
    letters = sum(1 for kind in piece.kinds if kind != SPACE)
    if position > 0 and any(True for _ in align(source, piece, 0, allowed_edits(letters))):
        return (
            f"The pieces are not in the customer's order: {_quote(text)} comes earlier in "
            "the original. Keep them in the order they were written."
        )
    # Look again with a wide budget, only to say precisely what changed ("not" dropped...).
    for alignment in align(source, piece, position, min(DIAGNOSIS_EDITS, letters // 3)):
        problem = _piece_problem(source, piece, alignment)
        if problem is not None:
            return problem
        break
    bound = allowed_edits(letters)
    fixes = f"at most {bound} letter{'s' if bound != 1 else ''}" if bound else "no letters"
    return (
        f"{_quote(text)} is not what the customer wrote. {RULE} "
        f"(In a piece this long, typo fixes may change {fixes}.)"
    )


def _joined(source: Units, pieces: list[_Piece]) -> list[tuple[int, int]]:
    """Pieces as (start, end), with pieces that touch in the original merged into one."""
    spans: list[tuple[int, int]] = []
    for piece in pieces:
        if spans and all(k == SPACE for k in source.kinds[spans[-1][1] : piece.start]):
            spans[-1] = (spans[-1][0], piece.end)
        else:
            spans.append((piece.start, piece.end))
    return spans


def _sentence_bounds(source: Units, at: int) -> tuple[int, int]:
    sentence = source.sentences[at]
    start, end = at, at
    while start > 0 and source.sentences[start - 1] == sentence:
        start -= 1
    while end < len(source.kinds) and source.sentences[end] == sentence:
        end += 1
    while source.kinds[start] == SPACE and start < end - 1:
        start += 1
    while source.kinds[end - 1] == SPACE and end > start + 1:
        end -= 1
    return start, end


def _cut_problem(source: Units, spans: list[tuple[int, int]], several: bool) -> str | None:
    """Why the cuts between and around the pieces misrepresent the customer, or None."""
    for index, (start, end) in enumerate(spans):
        first_start, _ = _sentence_bounds(source, start)
        _, last_end = _sentence_bounds(source, end - 1)
        previous_end = spans[index - 1][1] if index else 0
        next_start = spans[index + 1][0] if index + 1 < len(spans) else len(source.kinds)
        for left, right in (
            (max(first_start, previous_end), start),
            (end, min(last_end, next_start)),
        ):
            left_out = negations_in(word_texts(source, left, right))
            if left_out:
                sentence = shown(source, first_start, last_end)
                return (
                    f"The cut leaves out “{next(iter(left_out))}” from a sentence the "
                    f"excerpt keeps ({_quote(sentence)}), which turns its meaning around. "
                    "Keep that word, or leave out the whole sentence."
                )
        whole = start == first_start and end == last_end
        if several and not whole and not _long_enough(source, start, end):
            return (
                f"The piece {_quote(shown(source, start, end))} is too short to stand on its "
                f"own between cuts: keep at least {MIN_PIECE_WORDS} words or a whole "
                "sentence in each piece, so pieces cannot be stitched into something "
                "the customer did not say."
            )
    return None


def _long_enough(source: Units, start: int, end: int) -> bool:
    kinds, unspaced = source.kinds[start:end], source.unspaced[start:end]
    letters = sum(1 for k in kinds if k != SPACE)
    if letters and sum(unspaced) * 2 >= letters:
        return letters >= MIN_PIECE_LETTERS_UNSPACED
    return len({w for w in source.words[start:end] if w >= 0}) >= MIN_PIECE_WORDS


def _name_parts(name: str) -> list[str]:
    """Case-folded name parts; "S.C." is two parts, as "S. C." is."""
    return compiled(r"[^\s.,]+\.?").findall(unicodedata.normalize("NFKC", name).casefold())


def check_display_name(author_name: str | None, display_name: str | None) -> str | None:
    """Why `display_name` is not the author's name or a shortening of it, or None if it is.

    Each shown part is one of the author's name parts, whole or as an initial ("S" or "S."),
    in the author's order: "Sokha Chan" may be shown as "Sokha", "Sokha C." or "S. C.".
    """
    if not display_name or not display_name.strip():
        return None
    shown_parts = [p for p in _name_parts(display_name) if p.rstrip(".")]
    if not shown_parts:
        return f"{_quote(display_name)} is not a name. Leave it empty to show the author's."
    if not author_name or not author_name.strip():
        return (
            f"The author gave no name, so {_quote(display_name)} would put a name to words "
            "nobody signed. Leave the name empty; the role or company can describe them."
        )
    parts = [p for p in _name_parts(author_name) if p]
    position = 0
    for part in shown_parts:
        initial = part.rstrip(".")
        for index in range(position, len(parts)):
            first = compiled(r"\X").match(parts[index])
            if initial == parts[index].rstrip(".") or (first and initial == first.group()):
                position = index + 1
                break
        else:
            return (
                f"{_quote(display_name)} is not the author's name. Show it as they gave it "
                f"({_quote(author_name)}) or shorten it: first name, first name and initial, "
                "or initials, in the same order."
            )
    return None
