"""The OpenAPI document says what the API really answers: errors are RFC 9457 problems.

flask-smorest documents error answers as `application/json`; ours are
`application/problem+json`. `ProblemApi` registers its shared error responses with that
media type and the `Problem` schema, and `ProblemResponsesPlugin` makes every operation's
error answers say the same, adding the ones every bearer-authenticated operation can give
(401 without a valid key, 403 for a read-only key on a write, 404 for an id not in the
workspace), so a client generated from the document expects exactly what it will get.
"""

from __future__ import annotations

import threading
from functools import cache
from http import HTTPStatus
from typing import Any

import marshmallow as ma
from apispec import BasePlugin
from flask_smorest import Api, Blueprint
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException

from testimonials.problems import PROBLEM_MIME, ProblemSchema, http_error_response

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
_COMMON_ERRORS = {
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
}


_DESCRIPTIONS = {
    HTTPStatus.UNPROCESSABLE_ENTITY: (
        "The body or parameters failed validation, or break a business rule (e.g. JSON "
        "nested too deep, text no database can store); `errors` names the fields"
    ),
    HTTPStatus.UNAUTHORIZED: "No API key, or one that is not valid or was revoked",
    HTTPStatus.FORBIDDEN: "A read-only key asked to change something",
    HTTPStatus.NOT_FOUND: "No such object in the key's workspace",
    HTTPStatus.CONFLICT: "The request clashes with data that exists (see `detail`)",
}


def _is_error(status: Any) -> bool:
    return str(status) == "default" or str(status)[:1] in ("4", "5")


class ProblemResponsesPlugin(BasePlugin):
    """Every error answer in every operation is documented as a problem+json `Problem`."""

    def operation_helper(
        self, path: str | None = None, operations: dict | None = None, **_kwargs: Any
    ) -> None:
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            needed = {401}
            if method in _WRITE_METHODS:
                needed.add(403)
            if path and "{" in path:
                needed.add(404)
            for status in needed:
                if status not in responses and str(status) not in responses:
                    responses[status] = _COMMON_ERRORS[status]
            for status, response in responses.items():
                if _is_error(status) and isinstance(response, dict):
                    _as_problem(response)


def _as_problem(response: dict[str, Any]) -> None:
    """Give an error response the problem+json body it really has (in place)."""
    if "$ref" in response:
        return
    content = response.get("content") or {}
    schema = content.get("application/json", {}).get("schema") if content else None
    response["content"] = {PROBLEM_MIME: {"schema": schema or PROBLEM_REF}}


@cache
def shared_schema(schema_class: type[ma.Schema]) -> ma.Schema:
    """The one instance of `schema_class` that every view's arguments and answers use."""
    schema = schema_class()
    # flask-smorest deep-copies a view's documentation, schemas included, at each of its
    # decorators and again per method: a shared schema is never changed, so it is its copy.
    schema.__deepcopy__ = lambda _memo: schema  # type: ignore[attr-defined]
    return schema


def _shared(schema: Any) -> Any:
    return shared_schema(schema) if isinstance(schema, type) else schema


class SchemaSharingBlueprint(Blueprint):
    """flask-smorest's Blueprint, its views sharing one instance of each schema class.

    Given a class, flask-smorest builds an instance per decorator, each deep-copying its
    declared fields (and its nested schemas'): ~200 instances of ~50 classes, held by every
    worker. A marshmallow schema keeps nothing between loads and dumps, so one serves all;
    the document names schemas by class, so it is unchanged.
    """

    def arguments(self, schema: Any, **kwargs: Any) -> Any:
        return super().arguments(_shared(schema), **kwargs)

    def response(self, status_code: Any, schema: Any = None, **kwargs: Any) -> Any:
        return super().response(status_code, _shared(schema), **kwargs)

    def alt_response(
        self, status_code: Any, response: Any = None, *, schema: Any = None, **kwargs: Any
    ) -> Any:
        return super().alt_response(status_code, response, schema=_shared(schema), **kwargs)


class ProblemApi(Api):
    """flask-smorest's Api, answering and documenting errors as RFC 9457 problem details."""

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Blueprints registered but not yet in the document: their operations are written
        # when the document is first asked for (openapi.json, the docs page, `flask
        # openapi`), not when the app is built. The document takes ~1 MB that a web worker
        # serving the API, and never its description, would otherwise hold for nothing.
        self._undocumented: list[tuple[Blueprint, str, list[Any] | None]] = []
        self._documenting = threading.Lock()
        self._spec: Any = None
        spec_kwargs = dict(kwargs.pop("spec_kwargs", None) or {})
        spec_kwargs.setdefault("extra_plugins", [ProblemResponsesPlugin()])
        super().__init__(*args, spec_kwargs=spec_kwargs, **kwargs)

    @property
    def spec(self) -> Any:
        """The OpenAPI document, every registered blueprint's operations in it."""
        if self._undocumented:
            with self._documenting:  # one thread writes them, in the order registered
                while self._undocumented:
                    blp, name, parameters = self._undocumented[0]
                    blp.register_views_in_doc(
                        self, self._app, self._spec, name=name, parameters=parameters
                    )
                    self._spec.tag({"name": name, "description": blp.description})
                    self._undocumented.pop(0)
        return self._spec

    @spec.setter
    def spec(self, value: Any) -> None:
        self._spec = value

    def register_blueprint(
        self, blp: Blueprint, *, parameters: list[Any] | None = None, **options: Any
    ) -> None:
        """Serve the blueprint now; document it when the document is first asked for.

        flask-smorest's own method less its last two steps, which `spec` takes when read.
        """
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))

    def _register_responses(self) -> None:
        """Shared error responses (UNPROCESSABLE_ENTITY, ...) as problem+json `Problem`s."""
        self.spec.components.schema("Problem", schema=ProblemSchema)
        for status in HTTPStatus:
            response: dict[str, Any] = {"description": _DESCRIPTIONS.get(status, status.phrase)}
            media_type = self.DEFAULT_RESPONSE_CONTENT_TYPE
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
                media_type = PROBLEM_MIME
            prepare_response(response, self.spec, media_type)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "Any other error, as a problem", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_MIME)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, default, lazy=True)

    def handle_http_exception(self, error: HTTPException) -> Any:
        return http_error_response(error)
