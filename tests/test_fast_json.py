"""msgspec's answers are jsonify's bytes: text in any script, markup, nulls, odd floats."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest
from flask import Flask, jsonify

from testimonials.fast_json import json_float, json_response

# Text a customer may write: other scripts, emoji (beyond the BMP), markup, quotes,
# backslashes, controls, DEL, line and paragraph separators.
TEXTS = [
    "",
    "plain words",
    "Très bien — “great” service’s fine",
    "日本語のテキスト、とても良い",
    "emoji 😀👍🏽 and 𝄞",
    "<script>alert(\"x\")</script> & <b>bold</b> 'quoted'",
    'back\\slash "quote" /slash',
    "controls \x00\x01\x08\t\n\x0c\r\x1f end",
    "delete \x7f and \x80\x9f\xa0\xff",
    "separators \u2028 \u2029 bom \ufeff",
    "مرحبا بالعالم",
]
FLOATS = [
    0.0,
    -0.0,
    1.0,
    0.5,
    0.1 + 0.2,
    1e-4,
    9.99e-5,
    1e-5,
    2.5e-7,
    1e15,
    9999999999999998.0,
    1e16,
    1.5e16,
    1e22,
    -3.25,
    math.nan,
    math.inf,
    -math.inf,
]


def _random_document(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(7 if depth < 3 else 5)
    if kind == 0:
        return rng.choice(TEXTS) + rng.choice(TEXTS)
    if kind == 1:
        return rng.choice([0, -1, 7, 2**31 - 1, 2**53, -(2**62)])
    if kind == 2:
        return json_float(rng.choice([*FLOATS, rng.random(), rng.random() * 1e-6]))
    if kind == 3:
        return rng.choice([None, True, False])
    if kind == 4:
        return rng.choice(TEXTS)
    if kind == 5:
        return [_random_document(rng, depth + 1) for _ in range(rng.randrange(4))]
    keys = ["id", "Name", "name", "é", "z", "_a", "a b", "10", "2", rng.choice(TEXTS)]
    return {rng.choice(keys): _random_document(rng, depth + 1) for _ in range(rng.randrange(6))}


@pytest.fixture
def quiet_app() -> Flask:
    return Flask(__name__)  # compact JSON, as in production (no debug)


@pytest.mark.parametrize("seed", range(40))
def test_random_documents_encode_to_jsonifys_bytes(quiet_app: Flask, seed: int) -> None:
    rng = random.Random(seed)
    document = {"items": [_random_document(rng) for _ in range(8)], "total": seed}
    with quiet_app.app_context():
        fast, slow = json_response(document), jsonify(document)
    assert fast.get_data() == slow.get_data()
    assert fast.mimetype == slow.mimetype and fast.status_code == slow.status_code


@pytest.mark.parametrize("text", TEXTS)
def test_every_kind_of_text_is_escaped_alike(quiet_app: Flask, text: str) -> None:
    document = {"text": text, "nested": [{"name": text, "none": None}]}
    with quiet_app.app_context():
        assert json_response(document).get_data() == jsonify(document).get_data()


@pytest.mark.parametrize("value", FLOATS)
def test_every_float_is_written_alike(quiet_app: Flask, value: float) -> None:
    document = {"score": json_float(value), "scores": [json_float(value), 1]}
    with quiet_app.app_context():
        assert json_response(document).get_data() == jsonify(document).get_data()


def test_an_indenting_app_gets_jsonifys_indentation() -> None:
    app = Flask(__name__)
    app.debug = True
    with app.app_context():
        body = json_response({"b": [1], "a": "é"}).get_data()
        assert body == jsonify({"b": [1], "a": "é"}).get_data() and b"\n  " in body
