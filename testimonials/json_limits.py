"""One guard for every JSON the service reads: bounded nesting, keys and numbers.

Python's decoder recurses once per nesting level, so a few kilobytes of `[[[[...` end in a
RecursionError, and it builds numbers of any size and objects of any width. Every entry
point (API bodies, the in-page survey's text/plain answers, signed webhooks, JSON and JSON
Lines imports) reads JSON through `load_json`, and a before_request hook refuses bombs in
any JSON body before a view or schema sees it, so such input is a 422 problem naming the
limit, never a 500.

The limits are far above anything a real client sends (Typeform's deepest payload nests 6
levels; a review row has a few dozen fields) and far below what hurts.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from testimonials.errors import InvalidInputError

MAX_DEPTH = 32
MAX_KEYS = 1000
MAX_NUMBER_LENGTH = 40  # any 64-bit integer or double, written out, fits in 25

_STRING_BYTES = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_STRING_TEXT = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET_BYTES = re.compile(rb"[^\[\]{}]+")
_NOT_BRACKET_TEXT = re.compile(r"[^\[\]{}]+")
_EMPTY_PAIR_BYTES = re.compile(rb"\[\]|\{\}")
_EMPTY_PAIR_TEXT = re.compile(r"\[\]|\{\}")


class JsonTooComplexError(InvalidInputError):
    """JSON that is well-formed enough to read but past a limit (depth, keys, numbers)."""

    title = "JSON too complex"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, {"_body": [detail]})


def _too_deep() -> JsonTooComplexError:
    return JsonTooComplexError(f"The JSON is nested more than {MAX_DEPTH} levels deep.")


def check_nesting(document: bytes | str) -> None:
    """Refuse JSON nested deeper than MAX_DEPTH, without parsing it (linear, C-speed passes).

    Strings are blanked out, everything but brackets dropped, then innermost `[]`/`{}` pairs
    are peeled off one level per pass: anything left after MAX_DEPTH passes is too deep.
    Brackets that never pair up are malformed JSON, left for the parser to word.
    """
    brackets: str | bytes
    if isinstance(document, bytes):
        brackets = _NOT_BRACKET_BYTES.sub(b"", _STRING_BYTES.sub(b"", document))
        empty_pair: re.Pattern[Any] = _EMPTY_PAIR_BYTES
    else:
        brackets = _NOT_BRACKET_TEXT.sub("", _STRING_TEXT.sub("", document))
        empty_pair = _EMPTY_PAIR_TEXT
    if len(brackets) <= 2 * MAX_DEPTH:
        return  # cannot hold more than MAX_DEPTH levels
    for _level in range(MAX_DEPTH):
        peeled = empty_pair.sub(type(brackets)(), brackets)
        if not peeled or len(peeled) == len(brackets):
            return
        brackets = peeled
    raise _too_deep()


def _number(text: str) -> str:
    if len(text) > MAX_NUMBER_LENGTH:
        raise JsonTooComplexError(
            f"The JSON holds a number written with more than {MAX_NUMBER_LENGTH} characters."
        )
    return text


def _integer(text: str) -> int:
    return int(_number(text))


def _decimal(text: str) -> float:
    value = float(_number(text))
    if not math.isfinite(value):
        raise JsonTooComplexError(f"The JSON holds a number too large to store: {text}.")
    return value


def _refuse_constant(name: str) -> Any:
    raise JsonTooComplexError(f"The JSON holds {name}, which is not a number JSON allows.")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    if len(pairs) > MAX_KEYS:
        raise JsonTooComplexError(f"The JSON has an object with more than {MAX_KEYS} keys.")
    return dict(pairs)


def load_json(document: bytes | str) -> Any:
    """Parse JSON within the limits: JsonTooComplexError past one, ValueError if malformed."""
    check_nesting(document)
    try:
        return json.loads(
            document,
            object_pairs_hook=_object,
            parse_int=_integer,
            parse_float=_decimal,
            parse_constant=_refuse_constant,
        )
    except RecursionError:
        # Unbalanced brackets the pre-check let through to the parser for wording.
        raise _too_deep() from None
