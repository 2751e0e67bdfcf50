"""What every feature's web layer shares: API blueprints, paging, who is acting, one commit.

- `api_blueprint(...)` makes a `/api/v1` blueprint that authenticates every request by its
  API key (read scope to read, write scope to change).
- `@blp.paged(ItemSchema)` turns a list endpoint that returns a query into a page envelope.
- `current_workspace_id()`, `current_actor()` (and `current_role()` on pages) are set by
  the check that let the request in: the API key check, or the dashboard's role check.
- One commit per request: an unsafe request (POST, PUT, PATCH, DELETE) that succeeds is
  committed once, after its view; an error response rolls everything back. Views and pages
  never commit. The documented exceptions: the API key's last use is written in a short
  transaction of its own after the request (`db.defer_write`), and webhook deliveries
  commit each delivery as a transaction of its own, retried. A refusal answered with a
  page or a redirect rather than an error status calls `discard_changes()`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from functools import wraps
from typing import Any

import marshmallow as ma
from flask import Flask, Request, Response, current_app, g, request
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy.orm import Session
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

from testimonials.accounts.api_auth import SAFE_METHODS, authenticate_api_request
from testimonials.accounts.models import Actor, Role
from testimonials.api_spec import SchemaSharingBlueprint, shared_schema
from testimonials.db import Page, get_session, paginate, read_without_transaction
from testimonials.schemas import PageArgsSchema, page_response, page_schema

API_PREFIX = "/api/v1"
# Marks a view that only reads, statement by statement (see `ApiBlueprint.paged`).
_READS_ONLY = "_reads_only"


# Parsed query strings remembered per list schema: a list's fourteen arguments cost ~0.15 ms
# of CPU to load and validate, and integrations poll the same few query strings.
_PARSED_QUERIES_LIMIT = 256
# Loaded values that no view can change in place (a list or dict could be).
_UNCHANGEABLE = (str, int, float, bool, type(None), date, datetime, Enum)


class ApiParser(FlaskParser):
    """webargs' Flask parser that remembers what a valid query string loaded to, for the
    schemas given to `remember_queries_of` (list filters: what they load depends on the
    query string alone).

    Errors are never remembered (each is raised and answered as before), nor arguments a
    view could change in place; each request gets its own copy.
    """

    def __init__(self) -> None:
        super().__init__()
        self._remembering: set[ma.Schema] = set()
        self._parsed_queries: dict[tuple[ma.Schema, bytes, Any], dict[str, Any]] = {}

    def remember_queries_of(self, schema: ma.Schema) -> ma.Schema:
        self._remembering.add(schema)
        return schema

    def parse(
        self, argmap: Any, req: Any = None, *, location: str | None = None, **kwargs: Any
    ) -> Any:
        if location != "query" or argmap not in self._remembering or kwargs.get("validate"):
            return super().parse(argmap, req, location=location, **kwargs)
        key = (argmap, (req or request).query_string, kwargs.get("unknown"))
        parsed = self._parsed_queries.get(key)
        if parsed is None:
            parsed = super().parse(argmap, req, location=location, **kwargs)
            if not all(isinstance(value, _UNCHANGEABLE) for value in parsed.values()):
                return parsed
            if len(self._parsed_queries) >= _PARSED_QUERIES_LIMIT:
                self._parsed_queries.clear()
            self._parsed_queries[key] = parsed
        return dict(parsed)


class MultipartParser(ApiParser):
    """Reads `files` arguments from the whole multipart body: the file and its form fields.

    One schema then documents an upload as a single multipart/form-data request body
    (OpenAPI 3 cannot describe separate `form` and `files` arguments).
    """

    def load_files(self, req: Request, schema: Any) -> Any:
        return self._makeproxy(CombinedMultiDict([req.files, req.form]), schema)


class ApiBlueprint(SchemaSharingBlueprint):
    """A flask-smorest blueprint that knows how to page a list endpoint."""

    ARGUMENTS_PARSER = ApiParser()
    # Bearer-authenticated, no cookies involved: the app exempts it from CSRF protection
    # (in `create_app`), so this module never loads Flask-WTF.
    csrf_exempt = True

    def paged(
        self,
        item_schema: type[ma.Schema],
        args: type[ma.Schema] = PageArgsSchema,
        present: Callable[[Session, Page[Any]], Page[Any]] | None = None,
        document: Callable[[Any], dict[str, Any]] | None = None,
        reads_only: bool = False,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """List endpoint: `?page=&per_page=` (and `args`) in, `{items, total, ...}` out.

        The view returns a `select()`; one page of it and the total are fetched here, then
        handed to `present` if the rows need more than the schema gives (names, history).
        A view with its own pager (the inbox) returns the `Page` itself. A hot list may
        build each item's JSON by hand with `document` (tested to the byte against the
        schema, which still documents the answer). A list whose view only reads, in
        statements that each stand alone, may say `reads_only`: on PostgreSQL its request
        then runs without a transaction (`db.read_without_transaction`).
        """

        def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
            # An instance: given the class, webargs would build (and deep-copy the fields
            # of) a new schema on every request.
            queries = self.ARGUMENTS_PARSER.remember_queries_of(shared_schema(args))

            @self.arguments(queries, location="query")
            @self.response(200, page_schema(item_schema))
            @wraps(view)
            def paged_view(*view_args: Any, **kwargs: Any) -> Any:
                query_args = next(a for a in view_args if isinstance(a, dict))
                query = view(*view_args, **kwargs)
                # The session only if needed: a view with its own pager may read without it.
                page = (
                    query
                    if isinstance(query, Page)
                    else paginate(get_session(), query, query_args["page"], query_args["per_page"])
                )
                if present is not None:
                    page = present(get_session(), page)
                return page if document is None else page_response(page, document)

            setattr(paged_view, _READS_ONLY, reads_only)
            return paged_view

        return decorator


class MultipartApiBlueprint(ApiBlueprint):
    """An API blueprint whose `files` arguments hold a whole multipart upload."""

    ARGUMENTS_PARSER = MultipartParser()


def api_blueprint(
    name: str, import_name: str, description: str, multipart: bool = False
) -> ApiBlueprint:
    """An API blueprint under /api/v1 whose every request needs a valid API key."""
    kind = MultipartApiBlueprint if multipart else ApiBlueprint
    blueprint = kind(name, import_name, url_prefix=API_PREFIX, description=description)
    blueprint.before_request(_read_only_views_without_transaction)
    blueprint.before_request(authenticate_api_request)
    return blueprint


def _read_only_views_without_transaction() -> None:
    """before_request, ahead of the key check: a `reads_only` view's request (the key's
    lookup included) runs its statements without BEGIN/ROLLBACK round trips."""
    if request.method != "GET" or request.endpoint is None:
        return
    view = current_app.view_functions[request.endpoint]
    handler = getattr(getattr(view, "view_class", None), "get", view)
    if getattr(handler, _READS_ONLY, False):
        read_without_transaction()


def current_workspace_id() -> int:
    """The workspace this request acts in (set by the API key check or the role check)."""
    return g.workspace_id


def current_actor() -> Actor:
    """Who this request acts as, for the audit log: a dashboard user or an API key."""
    return g.actor


def current_role() -> Role:
    """The signed-in member's role in the current workspace (dashboard pages only)."""
    return g.role


def discard_changes() -> None:
    """Undo what a refused change flushed, when the refusal is answered with a page or a
    redirect rather than an error status (the request would otherwise commit it)."""
    get_session().rollback()


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer built once per key set
    instead of on every request (half of opening a session that has no cookie)."""

    def __init__(self) -> None:
        self._serializers: dict[tuple[Any, ...], URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            self._serializers = {keys: serializer}  # only the current keys are kept
        return serializer


def init_app(app: Flask) -> None:
    """Commit each successful unsafe request once; roll back every other."""
    app.session_interface = CookieSessions()

    @app.after_request
    def _commit_or_roll_back(response: Response) -> Response:
        session = g.get("db_session")
        if session is None:
            return response
        if request.method not in SAFE_METHODS and response.status_code < 400:
            session.commit()
        else:
            session.rollback()
        return response
