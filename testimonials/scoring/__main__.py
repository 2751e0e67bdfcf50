"""Score testimonials from JSON Lines: python -m testimonials.scoring < in.jsonl > out.jsonl

Each input line is {"text": str, "rating": 1-5 (optional), "nps": 0-10 (optional),
"verified": bool (optional)}.  Each output line, in the same order, is {"specificity",
"suspicion", "reasons": [{"code", "message"}], "excerpt"}, or {"error": "..."} for a line
that cannot be scored (blank lines too, so line N of the output always answers line N of
the input).

By default every line is scored on its own, exactly as the app scores a new item without
history.  --workspace-history treats the whole input as one workspace, in order: a line that
duplicates an earlier line is flagged like a duplicate in the app.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from .combine import combine_suspicion
from .duplicates import DuplicateIndex
from .items import ItemInput, Score
from .model_io import ModelFileError
from .scorer import Scorer, load_scorer

BATCH_SIZE = 512


class InputLineError(ValueError):
    """An input line that cannot be scored; the message is shown to the user."""


def parse_input_line(raw: bytes | str) -> ItemInput:
    """Parse and validate one JSONL input line into an ItemInput."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InputLineError("line is not valid UTF-8") from error
    if not raw.strip():
        raise InputLineError('blank line: expected a JSON object with a "text" field')
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, RecursionError) as error:
        raise InputLineError(f"invalid JSON: {getattr(error, 'msg', error)}") from error
    if not isinstance(data, dict):
        raise InputLineError('expected a JSON object with a "text" field')
    text = data.get("text")
    if not isinstance(text, str):
        raise InputLineError('"text" is required and must be a string')
    return ItemInput(
        text=text,
        rating=_optional_int(data, "rating", 1, 5),
        nps=_optional_int(data, "nps", 0, 10),
        verified=_optional_bool(data, "verified"),
    )


def _optional_int(data: dict[str, Any], key: str, low: int, high: int) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value != int(value)
    ):
        raise InputLineError(f'"{key}" must be a whole number from {low} to {high}')
    if not low <= value <= high:
        raise InputLineError(f'"{key}" must be from {low} to {high}, got {value}')
    return int(value)


def _optional_bool(data: dict[str, Any], key: str) -> bool | None:
    value = data.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise InputLineError(f'"{key}" must be true or false')


def output_record(score: Score) -> dict[str, Any]:
    """The JSON object written for one scored line."""
    return {
        "specificity": score.specificity,
        "suspicion": score.suspicion,
        "reasons": [{"code": r.code, "message": r.message} for r in score.reasons],
        "excerpt": score.excerpt,
    }


def _batches(lines: Iterable[bytes], size: int) -> Iterator[list[bytes]]:
    batch: list[bytes] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def score_lines(
    lines: Iterable[bytes], scorer: Scorer, out: IO[str], workspace_history: bool = False
) -> int:
    """Score JSONL lines to `out`, one output line per input line; return the error count."""
    index = DuplicateIndex() if workspace_history else None
    errors = 0
    line_number = 0
    for batch in _batches(lines, BATCH_SIZE):
        parsed: list[ItemInput | str] = []
        for raw in batch:
            try:
                parsed.append(parse_input_line(raw))
            except InputLineError as error:
                parsed.append(str(error))
        items = [p for p in parsed if isinstance(p, ItemInput)]
        scores = iter(scorer.score_batch(items))
        for entry in parsed:
            line_number += 1
            if isinstance(entry, str):
                errors += 1
                record: dict[str, Any] = {"error": f"line {line_number}: {entry}"}
            else:
                score = next(scores)
                if index is not None:
                    score = combine_suspicion(score, index.query(entry.text))
                    index.add(line_number, entry.text)
                record = output_record(score)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    return errors


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point: JSONL in on stdin, JSONL out on stdout."""
    parser = argparse.ArgumentParser(
        prog="python -m testimonials.scoring",
        description="Score testimonials given as JSON Lines on standard input.",
    )
    parser.add_argument("--model", type=Path, default=None, help="model JSON (default: shipped)")
    parser.add_argument(
        "--workspace-history",
        action="store_true",
        help="treat the input as one workspace and flag duplicates of earlier lines",
    )
    args = parser.parse_args(argv)
    try:
        scorer = load_scorer(args.model)
    except ModelFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    with open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False, buffering=1 << 16) as out:
        errors = score_lines(sys.stdin.buffer, scorer, out, args.workspace_history)
    if errors:
        print(f'{errors} line(s) could not be scored; see their "error" fields', file=sys.stderr)
    # Bad lines are reported in the output; the run itself succeeded.
    return 0


if __name__ == "__main__":
    sys.exit(main())
