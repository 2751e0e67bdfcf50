"""Reading beacons: a strict compiled decoder for the usual valid batch, the schema for the rest.

`BeaconSchema` (marshmallow) is the definition of a valid beacon and the author of every
error message. It costs ~0.3 ms for a batch of 16 events, more than everything else the
beacon endpoint does, so valid batches are read first by a msgspec decoder built to the
same rules but stricter (JSON types only, no escapes): whatever it accepts, the schema
accepts with the same values, and whatever it refuses goes to the schema, which accepts
it after all (a number sent as a string, say) or says what is wrong. A test holds the two
to that promise.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from testimonials.tracking.schemas import IDENTIFIER_PATTERN, MAX_BATCH, PAGE_EVENT_KINDS

_EventId = Annotated[str, msgspec.Meta(min_length=8, max_length=64, pattern=IDENTIFIER_PATTERN)]
_Name = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=IDENTIFIER_PATTERN)]
_Value = Annotated[float, msgspec.Meta(ge=0, le=1e9)]
_OrderId = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
_Kind = Literal[tuple(PAGE_EVENT_KINDS)]  # type: ignore[valid-type]


class _PageEvent(msgspec.Struct, forbid_unknown_fields=True):
    id: _EventId
    type: _Kind  # type: ignore[valid-type]
    name: _Name | msgspec.UnsetType = msgspec.UNSET
    value: _Value | None = None
    order_id: _OrderId | None = None
    testimonial: Annotated[int, msgspec.Meta(ge=1)] | None = None


class _Beacon(msgspec.Struct, forbid_unknown_fields=True):
    experiment: Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
    events: Annotated[list[_PageEvent], msgspec.Meta(min_length=1, max_length=MAX_BATCH)]
    webdriver: bool = False


_decoder = msgspec.json.Decoder(_Beacon)


def read_valid_beacon(raw: bytes) -> dict[str, Any] | None:
    """The beacon as BeaconSchema would load it, when it is plainly valid; else None.

    None means "ask the schema": the body may still be valid, or it is not and the schema
    words the error. Bodies with `\\u` escapes always go there, because the app-wide guard
    against text no database can store (NUL, lone surrogates) reads those.
    """
    if b"\\u" in raw:
        return None
    try:
        beacon = _decoder.decode(raw)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None
    events = []
    for event in beacon.events:
        if event.type == "card_viewable" and event.testimonial is None:
            return None  # the schema says which card is missing
        loaded: dict[str, Any] = {
            "id": event.id,
            "type": event.type,
            "value": event.value,
            "order_id": event.order_id,
            "testimonial": event.testimonial,
        }
        if event.name is not msgspec.UNSET:
            loaded["name"] = event.name
        events.append(loaded)
    return {"experiment": beacon.experiment, "events": events, "webdriver": beacon.webdriver}
