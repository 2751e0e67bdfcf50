"""JSON answers encoded by msgspec, byte for byte what Flask's own `jsonify` would send.

For hot list endpoints, where `json.dumps` of a page is a fifth of a request's time. Flask's
provider sorts keys, escapes every character past `~` as `\\uXXXX` (`ensure_ascii`) and
writes floats as `repr` does; msgspec sorts keys the same way but writes UTF-8 and its own
float notation. So msgspec's bytes are used as they are when they hold only ASCII; runs of
other characters (all inside strings) are escaped by the standard library's own escaper;
and a float that `repr` writes with an exponent (below 1e-4 or from 1e16 on, where msgspec's
notation differs), or that is not finite, sends the whole answer through `jsonify`: the
document's builder passes every float through `json_float`, which marks those. Tests hold
the two to the same bytes on varied data.
"""

from __future__ import annotations

import codecs
import re
from json.encoder import encode_basestring_ascii
from typing import Any

import msgspec
from flask import Response, current_app, jsonify
from flask.json.provider import DefaultJSONProvider

_ENCODER = msgspec.json.Encoder(order="sorted")
# DEL, which `ensure_ascii` escapes and msgspec does not (only ever inside strings).
_DELETE = re.compile("\x7f+")
_ESCAPE_ERRORS = "testimonials.json_ascii"


def _escaped(text: str) -> str:
    """`text`, escaped as `ensure_ascii` escapes it (it holds no quote, backslash or control)."""
    return encode_basestring_ascii(text)[1:-1]


def _escape_run(error: UnicodeError) -> tuple[str, int]:
    """Encoding to ASCII: each run of other characters escaped as `ensure_ascii` does."""
    assert isinstance(error, UnicodeEncodeError)
    return _escaped(error.object[error.start : error.end]), error.end


codecs.register_error(_ESCAPE_ERRORS, _escape_run)


class _ReprFloat(float):
    """A float msgspec would write otherwise than `repr`: msgspec refuses it (not a plain
    float), so the answer goes through `jsonify`, which writes it as the float it is."""


def json_float(value: float | None) -> float | None:
    """`value` for a document given to `json_response`: every float must pass through here.

    Finite floats from 1e-4 to 1e16 (and zero) are written alike by both; any other is marked
    so that the answer takes the standard library's path.
    """
    if value is None or value == 0.0 or 1e-4 <= abs(value) < 1e16:
        return value
    return _ReprFloat(value)  # NaN lands here too


def json_response(document: Any) -> Response:
    """`jsonify(document)`, faster: the same bytes, headers and media type.

    `document` holds only what JSON holds (dicts with text keys, lists, text, integers,
    booleans, None, floats given by `json_float`): times are already ISO text.
    """
    provider = current_app.json
    if (
        type(provider) is not DefaultJSONProvider
        or not provider.sort_keys
        or not provider.ensure_ascii
        or (provider.compact is None and current_app.debug)
        or provider.compact is False
    ):
        return jsonify(document)  # indented, or otherwise not what msgspec writes
    try:
        body = _ENCODER.encode(document)
    except (TypeError, UnicodeEncodeError, OverflowError):
        # A marked float, a lone surrogate, a huge integer: the standard library decides.
        return jsonify(document)
    if not body.isascii():
        body = body.decode().encode("ascii", _ESCAPE_ERRORS)
    if b"\x7f" in body:
        body = _DELETE.sub(lambda run: _escaped(run.group()), body.decode()).encode()
    return current_app.response_class(body + b"\n", mimetype=provider.mimetype)
