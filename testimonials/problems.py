"""RFC 9457 problem details for every error on the API, readable HTML pages elsewhere.

Machine clients (paths under /api/ and /hooks/) never see an HTML error page: every
HTTPException, domain error and unexpected crash becomes `application/problem+json` with
`type`, `title`, `status` and `detail`, plus `errors` (field -> messages) for validation.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import marshmallow as ma
from flask import Flask, Response, current_app, json, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from testimonials.errors import InvalidInputError, ServiceError
from testimonials.json_limits import load_json

PROBLEM_MIME = "application/problem+json"
MACHINE_PATH_PREFIXES = ("/api/", "/hooks/", "/embed/")
MACHINE_PATHS = ("/api", "/hooks", "/healthz", "/readyz")
# In `app.extensions` of an app that serves no pages (the API-reads app): every error is
# problem+json there, with no dashboard for an HTML error page to link back to.
WITHOUT_PAGES = "testimonials.without_pages"
# Headers an error must keep (405 lists allowed methods, 429 says when to retry, ...).
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")
_WEBARGS_LOCATIONS = {"json", "query", "querystring", "form", "headers", "files", "view_args"}

# Text no database column can hold: NUL (PostgreSQL refuses it) and unpaired UTF-16
# surrogates, which JSON can smuggle in as escapes but UTF-8 cannot encode.
_UNSTORABLE_RE = re.compile("[\x00\ud800-\udfff]")
_UNSTORABLE_MESSAGE = "Contains a NUL character or an unpaired surrogate; remove it."
# Bodies read as JSON by the guard: the API's, and the in-page survey's text/plain ones.
_JSON_MIMETYPES = ("application/json", "text/plain")


class ProblemSchema(ma.Schema):
    """An RFC 9457 problem details document (for the OpenAPI description)."""

    type = ma.fields.String(metadata={"description": "URI identifying the problem type"})
    title = ma.fields.String(metadata={"description": "Short summary of the problem type"})
    status = ma.fields.Integer(metadata={"description": "HTTP status code"})
    detail = ma.fields.String(metadata={"description": "What went wrong in this case"})
    errors = ma.fields.Dict(metadata={"description": "Per-field validation messages"})


def problem_type(status: int) -> str:
    """The `type` URI for a status (we don't publish bespoke types yet)."""
    return f"https://httpstatuses.io/{status}" if status != 500 else "about:blank"


def problem_response(
    status: int,
    detail: str | None = None,
    title: str | None = None,
    errors: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Build an application/problem+json response."""
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body: dict[str, Any] = {
        "type": problem_type(status),
        "title": title or phrase,
        "status": status,
        "detail": detail or phrase,
    }
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIME)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def wants_problem_json() -> bool:
    """Whether the current request is a machine request that must get problem+json."""
    return (
        request.path.startswith(MACHINE_PATH_PREFIXES)
        or request.path in MACHINE_PATHS
        or current_app.extensions.get(WITHOUT_PAGES, False)
    )


def _field_errors(data: Mapping[str, Any]) -> dict[str, Any] | None:
    """Validation messages from webargs, without its {location: {...}} wrapper."""
    messages = data.get("errors") or data.get("messages")
    if not isinstance(messages, Mapping):
        return None
    if messages and set(messages) <= _WEBARGS_LOCATIONS:
        flat: dict[str, Any] = {}
        for location_messages in messages.values():
            if isinstance(location_messages, Mapping):
                flat.update(location_messages)
            else:
                flat["_body"] = location_messages
        return flat
    return dict(messages)


def _detail_for(error: HTTPException) -> str:
    data = getattr(error, "data", None) or {}
    if "message" in data:
        return str(data["message"])
    if error.code == 422:
        return "The request body or parameters failed validation; see `errors`."
    if error.code == 413:
        # Werkzeug's "exceeds the capacity limit" names no limit; say which one, so a
        # client knows how far to shrink (or split) the file.
        return _too_large_detail(request.max_content_length)
    return error.description or ""


def _too_large_detail(limit: int | None) -> str:
    if not limit:
        return "The request body is too large."
    return (
        f"The request body is larger than the upload limit of {_size(limit)}; "
        "send a smaller file or split it."
    )


def _size(count: int) -> str:
    """A byte count as people write it: 16 MB, 2 KB, 900 bytes (binary units)."""
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if count >= size:
            return f"{count / size:.3g} {unit}"
    return f"{count} bytes"


def http_error_response(error: HTTPException) -> Response | tuple[str, int]:
    """problem+json for machine paths, an HTML page for people."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = {k: v for k, v in error.get_headers() if k in _KEPT_HEADERS}
    headers.update(data.get("headers") or {})
    if wants_problem_json():
        return problem_response(
            status, _detail_for(error), errors=_field_errors(data), headers=headers
        )
    html = render_template("error.html", status=status, title=error.name, detail=_detail_for(error))
    return Response(html, status=status, headers=headers)


def _json_body() -> bytes | None:
    """The body, if it is JSON: any JSON media type, or text/plain that opens like JSON."""
    if request.is_json:
        return request.get_data(cache=True)
    if request.mimetype == "text/plain":
        body = request.get_data(cache=True)
        if body.lstrip()[:1] in (b"{", b"["):
            return body
    return None


def refuse_json_bombs() -> None:
    """Refuse, before any view or schema parses it, JSON past the limits of `json_limits`.

    Views and webargs read bodies with the standard decoder, which crashes on deep nesting;
    one check here covers every endpoint, present and future. Malformed JSON passes: the
    view says what is wrong in its own words.
    """
    body = _json_body()
    if body:
        with contextlib.suppress(ValueError):
            load_json(body)


def refuse_unstorable_text() -> None:
    """Refuse, before any view runs, input holding characters no database can store.

    One guard for every channel (query strings, forms, JSON and text/plain bodies) instead
    of a check per field, so such text is a 422 naming the field, never a crash on insert.
    """
    fields: dict[str, list[str]] = {}
    for values in (request.args, request.form):
        for name, value in values.items(multi=True):
            if _UNSTORABLE_RE.search(name) or _UNSTORABLE_RE.search(value):
                fields[_UNSTORABLE_RE.sub("?", name)] = [_UNSTORABLE_MESSAGE]
    if request.mimetype in _JSON_MIMETYPES:
        # Cached, so views read these very bytes again (webhook signatures are over them);
        # MAX_CONTENT_LENGTH bounds the read (413 past it).
        body = request.get_data(cache=True)
        if b"\\u" in body:  # a NUL or surrogate can only arrive as a \u escape
            with contextlib.suppress(ValueError):  # not JSON: the view says so in its words
                _find_unstorable(load_json(body), "", fields)
    if fields:
        raise InvalidInputError(
            "The request holds text that cannot be stored (a NUL character or an unpaired "
            "surrogate); see `errors`.",
            fields,
        )


def _find_unstorable(value: Any, path: str, fields: dict[str, list[str]]) -> None:
    """Name (as a dotted path, e.g. `response.comment`) every string that cannot be stored."""
    if isinstance(value, str):
        if _UNSTORABLE_RE.search(value):
            fields[path or "_body"] = [_UNSTORABLE_MESSAGE]
        return
    if not isinstance(value, dict | list):
        return
    for key, item in value.items() if isinstance(value, dict) else enumerate(value):
        name = _UNSTORABLE_RE.sub("?", str(key))
        child = f"{path}.{name}" if path else name
        if name != str(key):
            fields[child] = [_UNSTORABLE_MESSAGE]
        _find_unstorable(item, child, fields)


def register_error_handlers(app: Flask) -> None:
    """Turn domain errors and crashes into problem+json (API) or an error page (dashboard)."""
    app.before_request(refuse_json_bombs)
    app.before_request(refuse_unstorable_text)

    @app.errorhandler(ServiceError)
    def _service_error(error: ServiceError) -> Any:
        if wants_problem_json():
            return problem_response(error.status, error.detail, error.title, error.errors)
        html = render_template(
            "error.html", status=error.status, title=error.title, detail=error.detail
        )
        return html, error.status

    @app.errorhandler(InternalServerError)
    def _crash(_error: InternalServerError) -> Any:
        # Flask has already logged the traceback (app.log_exception), with the request id.
        detail = "Something went wrong on our side. It has been logged; please try again."
        if wants_problem_json():
            return problem_response(500, detail)
        return render_template("error.html", status=500, title="Server error", detail=detail), 500
