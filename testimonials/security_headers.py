"""Security headers on every response, by class: dashboard, public pages, API, embeds, static.

One after_request hook picks a `HeaderPolicy` for each response, most specific first:

1. a policy set on the view with `@header_policy(...)`;
2. a policy declared for the view's blueprint with `blueprint_header_policy(bp, ...)`;
3. by path: static files, machine paths (API, webhooks, embeds), else the dashboard.

A view can narrow framing per request with `allow_framing_by(origins)` (the hosted survey
page may be framed only by the survey's own websites). Public widgets that any site may
frame or fetch declare `EMBEDDABLE` (framed by any origin, CORS for any origin).

Why a small hook and not flask-talisman: talisman configures one policy per app plus
static per-view overrides; framing here depends on the survey being shown, and the
policy must follow blueprints that other features add. The headers are few and standard.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from flask import Blueprint, Flask, Response, current_app, g, request

from testimonials.problems import wants_problem_json

EXTENSION_KEY = "header_policies"
_VIEW_ATTRIBUTE = "_header_policy"
_FRAMING_KEY = "framing_origins"
_ORIGIN = re.compile(r"https?://[a-z0-9.-]+(?::[0-9]{1,5})?")
HSTS = "max-age=31536000; includeSubDomains"
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class HeaderPolicy:
    """The security headers of one class of response."""

    # CSP directives without frame-ancestors, which `framed_by` decides.
    content_security_policy: Mapping[str, str] = field(default_factory=dict)
    # Origins that may frame the response: () none, ("'self'",) this site, ("*",) any.
    framed_by: tuple[str, ...] = ()
    referrer_policy: str = "same-origin"
    cross_origin_opener_policy: str | None = "same-origin"
    # CORS for any origin, for public read-only endpoints (no cookies are ever honoured).
    cors_any_origin: bool = False

    def headers(self, production: bool) -> Mapping[str, str]:
        """The header values this policy sends (HSTS only in production, over HTTPS)."""
        # Every response asks: worked out once per policy (it never changes) and kept aside.
        known: dict[bool, dict[str, str]] = self.__dict__.setdefault("_known_headers", {})
        if production not in known:
            known[production] = self._headers(production)
        return known[production]

    def _headers(self, production: bool) -> dict[str, str]:
        ancestors = " ".join(self.framed_by) if self.framed_by else "'none'"
        directives = {**self.content_security_policy, "frame-ancestors": ancestors}
        headers = {
            "Content-Security-Policy": "; ".join(f"{k} {v}" for k, v in directives.items()),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": self.referrer_policy,
        }
        # X-Frame-Options cannot name other sites; browsers that know frame-ancestors
        # follow it, older ones get the nearest safe answer.
        if not self.framed_by:
            headers["X-Frame-Options"] = "DENY"
        elif self.framed_by == ("'self'",):
            headers["X-Frame-Options"] = "SAMEORIGIN"
        if self.cross_origin_opener_policy:
            headers["Cross-Origin-Opener-Policy"] = self.cross_origin_opener_policy
        if self.cors_any_origin:
            headers["Access-Control-Allow-Origin"] = "*"
        if production:
            headers["Strict-Transport-Security"] = HSTS
        return headers


_PAGE_CSP = {
    "default-src": "'self'",
    # No 'unsafe-inline': every script is a file under /static, every handler is bound there.
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
}
_NOTHING_CSP = {"default-src": "'none'", "base-uri": "'none'"}

DASHBOARD = HeaderPolicy(_PAGE_CSP)
# The survey page customers open from e-mails: its URL holds the survey's (and maybe an
# invitation's) token, so it never leaks through Referer.
PUBLIC_PAGE = HeaderPolicy(_PAGE_CSP, referrer_policy="no-referrer")
# JSON, problems, CSV, scripts for other sites: nothing in them may run or load anything.
MACHINE = HeaderPolicy(_NOTHING_CSP, cross_origin_opener_policy=None)
STATIC = HeaderPolicy(_NOTHING_CSP, cross_origin_opener_policy=None)
# Public widgets (later): any site may frame or fetch them; they set no cookies.
EMBEDDABLE = HeaderPolicy(
    _PAGE_CSP, framed_by=("*",), cross_origin_opener_policy=None, cors_any_origin=True
)


def header_policy(policy: HeaderPolicy) -> Callable[[F], F]:
    """View decorator: answer this view with `policy` instead of its blueprint's."""

    def decorator(view: F) -> F:
        setattr(view, _VIEW_ATTRIBUTE, policy)
        return view

    return decorator


def blueprint_header_policy(blueprint: Blueprint, policy: HeaderPolicy) -> None:
    """Answer every view of `blueprint` with `policy` (unless a view sets its own)."""

    def record(state: Any) -> None:
        state.app.extensions.setdefault(EXTENSION_KEY, {})[blueprint.name] = policy

    blueprint.record_once(record)


def allow_framing_by(origins: Iterable[str]) -> None:
    """Let this response be framed by these origins (besides this site) and no others.

    Only plain http(s) origins pass: anything else could smuggle a directive into the CSP.
    """
    allowed = {o.strip().rstrip("/").lower() for o in origins}
    safe = sorted(o for o in allowed if _ORIGIN.fullmatch(o))
    setattr(g, _FRAMING_KEY, ("'self'", *safe))


def policy_for_request(app: Flask) -> HeaderPolicy:
    """The policy of the current request's response (see the module docstring)."""
    view = app.view_functions.get(request.endpoint or "")
    policy: HeaderPolicy | None = getattr(view, _VIEW_ATTRIBUTE, None)
    if policy is None and request.blueprint:
        policy = app.extensions.get(EXTENSION_KEY, {}).get(request.blueprint)
    if policy is None:
        if request.endpoint == "static":
            policy = STATIC
        elif wants_problem_json():
            policy = MACHINE
        else:
            policy = DASHBOARD
    framing = g.get(_FRAMING_KEY)
    return replace(policy, framed_by=framing) if framing is not None else policy


def add_security_headers(response: Response) -> Response:
    """after_request: the policy's headers, leaving alone any a view set itself."""
    production = current_app.config.get("ENV") == "production"
    for name, value in policy_for_request(current_app).headers(production).items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    """Send security headers on every response, errors included."""
    app.extensions.setdefault(EXTENSION_KEY, {})
    app.after_request(add_security_headers)
