"""Where a piece of an excerpt sits in the original, allowing a few corrected letters.

Pure. Exact places are found with `str.find` on the unit keys. With up to k corrections,
one of k+1 slices of the piece must appear unchanged (pigeonhole), so each such occurrence
anchors a banded edit-distance alignment 2k+1 diagonals wide: cheap even for a
600-character piece in a long review.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from testimonials.curation.wording import SPACE, Correction, Units, shown, starts_word

MAX_ANCHORS = 200  # a piece whose slices occur more often than this is found exactly or not
SAME, CHANGED, ADDED, DROPPED, SWAPPED = "=", "~", "+", "-", "<>"


@dataclass(frozen=True)
class Alignment:
    """A piece matched to original[start:end]; `ops` pair piece and original units."""

    start: int
    end: int
    ops: tuple[tuple[str, int | None, int | None], ...] = ()
    added_word: str | None = None
    dropped_word: str | None = None
    corrections: tuple[Correction, ...] = field(default=())
    kinds_touched: frozenset[str] = frozenset()

    def touches(self, kind: str) -> bool:
        """Whether any correction changes a unit of this kind (letters, digits, spaces)."""
        return kind in self.kinds_touched


def align(source: Units, piece: Units, position: int, edits: int) -> Iterator[Alignment]:
    """Places of `piece` in `source` at or after `position`: exact ones first, then fuzzy."""
    key, text = piece.key, source.key
    at = text.find(key, position)
    while at >= 0:
        yield Alignment(at, at + len(key))
        at = text.find(key, at + 1)
    if edits <= 0 or len(key) <= edits:
        return
    seen: set[tuple[int, int]] = set()
    for anchor in _anchors(text, key, position, edits):
        found = _banded(source, piece, anchor, position, edits)
        if found is not None and (found.start, found.end) not in seen:
            seen.add((found.start, found.end))
            yield found


def _anchors(text: str, key: str, position: int, edits: int) -> list[int]:
    """Where the piece would start if one of its k+1 slices is unchanged, earliest first."""
    size = len(key) // (edits + 1)
    anchors: set[int] = set()
    for index in range(edits + 1):
        offset = index * size
        chunk = key[offset : offset + size if index < edits else len(key)]
        at = text.find(chunk, max(position, 0))
        while at >= 0 and len(anchors) < MAX_ANCHORS:
            anchors.add(at - offset)
            at = text.find(chunk, at + 1)
    return sorted(anchors)


def _banded(
    source: Units, piece: Units, anchor: int, position: int, edits: int
) -> Alignment | None:
    """The cheapest alignment of the piece near `anchor` (free ends), if within `edits`."""
    s, n = piece.key, len(piece.key)
    lo_abs, hi_abs = anchor - edits - 1, anchor + edits + 1  # allowed (original - piece) offset
    infinity = edits + 1
    rows: list[dict[int, tuple[int, str | None]]] = []
    for i in range(n + 1):
        row: dict[int, tuple[int, str | None]] = {}
        for o in range(max(position, i + lo_abs), min(len(source.key), i + hi_abs) + 1):
            if i == 0:
                # A piece may only begin between words: a typo at a word's edge must not
                # let the match slide into the middle of the word instead.
                if starts_word(source, o):
                    row[o] = (0, None)
                continue
            best: tuple[int, str | None] = (infinity, None)
            previous = rows[i - 1]
            if o - 1 in previous and o - 1 >= position:
                cost = previous[o - 1][0] + (s[i - 1] != source.key[o - 1])
                best = min(best, (cost, "diag"), key=lambda c: c[0])
            if o in previous and previous[o][0] + 1 < best[0]:
                best = (previous[o][0] + 1, ADDED)
            if o - 1 in row and row[o - 1][0] + 1 < best[0]:
                best = (row[o - 1][0] + 1, DROPPED)
            # Two letters swapped ("teh" -> "the") is one typo, not two.
            if (
                i >= 2
                and o - 2 in rows[i - 2]
                and s[i - 1] == source.key[o - 2]
                and s[i - 2] == source.key[o - 1]
                and s[i - 1] != s[i - 2]
                and rows[i - 2][o - 2][0] + 1 < best[0]
            ):
                best = (rows[i - 2][o - 2][0] + 1, SWAPPED)
            row[o] = best
        rows.append(row)
    last = {o: cell for o, cell in rows[n].items() if starts_word(source, o)}  # ends too
    if not last:
        return None
    end = min(last, key=lambda o: (last[o][0], o))
    if last[end][0] > edits:
        return None
    ops: list[tuple[str, int | None, int | None]] = []
    i, o = n, end
    while i > 0:
        step = rows[i][o][1]
        if step == "diag":
            i, o = i - 1, o - 1
            ops.append((SAME if s[i] == source.key[o] else CHANGED, i, o))
        elif step == SWAPPED:
            i, o = i - 2, o - 2
            ops.extend([(CHANGED, i + 1, o + 1), (CHANGED, i, o)])
        elif step == ADDED:
            i -= 1
            ops.append((ADDED, i, None))
        else:
            o -= 1
            ops.append((DROPPED, None, o))
    ops.reverse()
    return _describe(source, piece, o, end, tuple(ops))


def _describe(source: Units, piece: Units, start: int, end: int, ops: tuple) -> Alignment:
    """An alignment with what its corrections did to words, digits and spaces."""
    kept_piece = {i for op, i, _ in ops if op == SAME}
    kept_source = {o for op, _, o in ops if op == SAME}
    kinds: set[str] = set()
    by_word: dict[int, tuple[list[str], bool]] = {}
    word = source.words[start] if source.words[start] >= 0 else 0
    for op, i, o in ops:
        if o is not None and source.words[o] >= 0:
            word = source.words[o]
        corrected, _ = by_word.setdefault(word, ([], False))
        if i is not None:
            corrected.append(piece.shown[i])
        if op != SAME:
            by_word[word] = (corrected, True)
            kinds.update(k for k in (_kind(piece, i), _kind(source, o)) if k)
    return Alignment(
        start,
        end,
        ops,
        added_word=_lost_word(piece, 0, len(piece.key), kept_piece),
        dropped_word=_lost_word(source, start, end, kept_source),
        corrections=_corrections(source, start, end, by_word),
        kinds_touched=frozenset(kinds),
    )


def _kind(units: Units, index: int | None) -> str | None:
    return None if index is None else units.kinds[index]


def _lost_word(units: Units, start: int, end: int, kept: set[int]) -> str | None:
    """A word of units[start:end] none of whose letters survived the alignment, if any."""
    members: dict[int, list[int]] = {}
    for index in range(start, end):
        if units.words[index] >= 0:
            members.setdefault(units.words[index], []).append(index)
    for indexes in members.values():
        if not any(index in kept for index in indexes):
            return shown(units, indexes[0], indexes[-1] + 1)
    return None


def _corrections(
    source: Units, start: int, end: int, by_word: dict[int, tuple[list[str], bool]]
) -> tuple[Correction, ...]:
    words: dict[int, list[str]] = {}
    for index in range(start, end):
        if source.words[index] >= 0:
            words.setdefault(source.words[index], []).append(source.shown[index])
    return tuple(
        Correction("".join(words.get(word, [])), "".join(corrected).strip())
        for word, (corrected, changed) in sorted(by_word.items())
        if changed and "".join(corrected).strip() != SPACE
    )
