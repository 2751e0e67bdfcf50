"""The shared JSON guard: real documents pass untouched, bombs are refused by name."""

from __future__ import annotations

import json

import pytest

from testimonials.json_limits import (
    MAX_DEPTH,
    MAX_KEYS,
    JsonTooComplexError,
    check_nesting,
    load_json,
)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_ordinary_documents_parse_exactly_as_the_standard_decoder() -> None:
    document = {
        "score": 9,
        "rating": 4.5,
        "comment": 'ជម្រាបសួរ [{not brackets}] "quoted" \\ end',
        "answers": {"plan": ["Pro", None, True]},
        "big": 9223372036854775807,
        "small": -1.5e-300,
    }
    text = json.dumps(document, ensure_ascii=False)
    assert load_json(text) == json.loads(text)
    assert load_json(text.encode()) == document


def test_nesting_up_to_the_limit_passes_one_level_more_is_refused() -> None:
    assert load_json(nested(MAX_DEPTH)) is not None
    with pytest.raises(JsonTooComplexError, match=f"more than {MAX_DEPTH} levels"):
        load_json(nested(MAX_DEPTH + 1))
    with pytest.raises(JsonTooComplexError):
        load_json('{"a": ' * 2000 + "1" + "}" * 2000)


def test_brackets_inside_strings_do_not_count() -> None:
    text = json.dumps({"comment": "[" * 5000, "quote": '\\"[[[[' * 100})
    check_nesting(text)
    check_nesting(text.encode())
    assert load_json(text)["comment"] == "[" * 5000


def test_unbalanced_bombs_are_refused_not_a_recursion_error() -> None:
    for bomb in ("[" * 100_000, "[" * 50_000 + "}" * 50_000, '[{"a":' * 5000):
        with pytest.raises((JsonTooComplexError, ValueError)) as caught:
            load_json(bomb)
        assert not isinstance(caught.value, RecursionError)


def test_malformed_json_stays_a_value_error_for_the_caller_to_word() -> None:
    with pytest.raises(ValueError):
        load_json("[{]")
    with pytest.raises(ValueError):
        load_json("{not json")


def test_wide_objects_are_refused_past_the_key_limit() -> None:
    assert len(load_json(json.dumps({f"k{i}": i for i in range(MAX_KEYS)}))) == MAX_KEYS
    with pytest.raises(JsonTooComplexError, match=f"more than {MAX_KEYS} keys"):
        load_json(json.dumps({f"k{i}": i for i in range(MAX_KEYS + 1)}))
    # Long arrays of small objects (an import of many reviews) are fine.
    assert len(load_json(json.dumps([{"text": "ok"}] * 20_000))) == 20_000


@pytest.mark.parametrize(
    "number", ["1" + "0" * 5000, "-" + "9" * 41, "1e999", "-1e400", "0." + "1" * 60]
)
def test_huge_or_overflowing_numbers_are_refused(number: str) -> None:
    with pytest.raises(JsonTooComplexError, match="number"):
        load_json(f'{{"score": {number}}}')


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_json_constants_are_refused(constant: str) -> None:
    with pytest.raises(JsonTooComplexError, match=constant):
        load_json(f"[{constant}]")
