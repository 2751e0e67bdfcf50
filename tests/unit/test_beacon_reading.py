"""The beacon endpoint's fast reader never disagrees with BeaconSchema, the definition.

Whatever `read_valid_beacon` accepts, the schema accepts with the very same values; and
the plain valid beacons pages send are read by the fast reader, not left to the schema.
"""

from __future__ import annotations

import json
from typing import Any

import marshmallow as ma
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from testimonials.tracking.beacons import read_valid_beacon
from testimonials.tracking.schemas import PAGE_EVENT_KINDS, BeaconSchema

_ids = st.text(alphabet="abcXYZ019_.:-", min_size=8, max_size=64)
_awkward_text = st.one_of(
    st.text(max_size=70),
    st.sampled_from(["", "evt-0001\n", "x" * 65, "ok-but-short", "with space 1"]),
)
_anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**10),
    st.floats(allow_nan=False, allow_infinity=False),
    _awkward_text,
    st.sampled_from(["true", "1", "49.5", "yes"]),
    st.lists(st.integers(), max_size=2),
)


def _card_named(event: dict[str, Any]) -> dict[str, Any]:
    """A card_viewable event is valid only with its card's testimonial id."""
    if event["type"] == "card_viewable":
        return {"testimonial": 7, **event}
    return event


_valid_events = st.lists(
    st.fixed_dictionaries(
        {"id": _ids, "type": st.sampled_from(PAGE_EVENT_KINDS)},
        optional={
            "name": st.text(alphabet="abc_-", min_size=1, max_size=64),
            "value": st.one_of(st.none(), st.floats(0, 1e9), st.integers(0, 10**9)),
            "order_id": st.text(alphabet="ABC-123", min_size=1, max_size=100),
            "testimonial": st.integers(1, 10**9),
        },
    ).map(_card_named),
    min_size=1,
    max_size=50,
)
_valid_beacons = st.fixed_dictionaries(
    {"experiment": st.text(min_size=1, max_size=32), "events": _valid_events},
    optional={"webdriver": st.booleans()},
)
# Values at and just past each rule's edge, per field, besides anything at all.
_EDGES: dict[str, list[Any]] = {
    "experiment": ["", "e" * 32, "e" * 33, 7, None],
    "webdriver": ["true", "false", 1, 0, None, "maybe"],
    "id": ["a" * 7, "a" * 8, "a" * 64, "a" * 65, "evt-0001\n", "evt 00001", 12345678, None],
    "type": [*PAGE_EVENT_KINDS, "exposure", "Viewable", 1, None],
    "name": ["", "n" * 64, "n" * 65, "carousel next", None, 3],
    "value": [-1, -0.5, -0.0, 0, 1e9, 1e9 + 1, "1", True, None],
    "order_id": ["", "o" * 100, "o" * 101, None, 5],
    "unknown": [1],
}
_event_fields = ["id", "type", "name", "value", "order_id", "unknown"]


def _odd(field: str) -> st.SearchStrategy[Any]:
    edges = st.sampled_from(_EDGES[field])
    return st.one_of(edges, edges, edges, _anything)  # edges three times as often


@st.composite
def beacons_with_one_fault(draw: st.DrawFn) -> dict[str, Any]:
    """A valid beacon with at most one field (of the beacon or one event) set to anything."""
    beacon = draw(_valid_beacons)
    where = draw(
        st.sampled_from(["experiment", "webdriver", "events", "event", "event", "event", "none"])
    )
    if where == "event":
        event = draw(st.sampled_from(beacon["events"]))
        field = draw(st.sampled_from(_event_fields))
        event[field] = draw(_odd(field))
    elif where == "events":
        beacon["events"] = draw(
            st.one_of(st.just([]), _anything, _valid_events.map(lambda e: e * 2))
        )
    elif where != "none":
        beacon[where] = draw(_odd(where))
    return beacon


def schema_load(raw: bytes) -> dict[str, Any] | None:
    try:
        return BeaconSchema().load(json.loads(raw))
    except (ValueError, ma.ValidationError):
        return None


@settings(max_examples=500, deadline=None)
@given(beacons_with_one_fault())
def test_what_the_fast_reader_accepts_the_schema_accepts_with_the_same_values(beacon) -> None:
    raw = json.dumps(beacon, ensure_ascii=False).encode()
    fast = read_valid_beacon(raw)
    if fast is not None:
        assert fast == schema_load(raw)


@settings(max_examples=200, deadline=None)
@given(_valid_beacons)
def test_plain_valid_beacons_take_the_fast_path(beacon) -> None:
    raw = json.dumps(beacon)
    if "\\u" in raw:
        return  # escapes are always left to the schema (the unstorable-text guard)
    fast = read_valid_beacon(raw.encode())
    assert fast is not None
    assert fast == schema_load(raw.encode())


def test_escapes_and_strings_for_numbers_are_left_to_the_schema() -> None:
    event = {"id": "evt-00000001", "type": "conversion", "value": "49.5"}
    raw = json.dumps({"experiment": "x", "events": [event]}).encode()
    assert read_valid_beacon(raw) is None
    assert schema_load(raw) is not None  # valid after all: the view takes it
    escaped = json.dumps({"experiment": "x\u00e9", "events": [{**event, "value": 1}]})
    assert read_valid_beacon(escaped.encode()) is None


@pytest.mark.parametrize(
    ("field", "value"),
    [(field, value) for field, values in _EDGES.items() for value in values],
)
def test_at_every_edge_the_fast_reader_agrees_with_the_schema(field: str, value: Any) -> None:
    beacon: dict[str, Any] = {
        "experiment": "exp",
        "events": [{"id": "evt-0001", "type": "viewable"}],
    }
    if field in ("experiment", "webdriver"):
        beacon[field] = value
    else:
        beacon["events"][0][field] = value
    raw = json.dumps(beacon).encode()
    fast = read_valid_beacon(raw)
    if fast is not None:
        assert fast == schema_load(raw)
