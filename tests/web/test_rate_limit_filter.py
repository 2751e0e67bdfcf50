"""The limiter's before_request check runs only where a limit it enforces exists
(extensions.Limiter); every limit still answers 429."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Blueprint, Flask
from flask.views import MethodView

from testimonials.extensions import limiter

probe = Blueprint("limits_probe", __name__)
limited_blueprint = Blueprint("limits_probe_blueprint", __name__)
limiter.limit("2 per minute")(limited_blueprint)


@probe.route("/probe/free")
def free() -> str:
    return "ok"


@probe.route("/probe/view")
@limiter.limit("2 per minute")
def limited_view() -> str:
    return "ok"


class LimitedMethod(MethodView):
    @limiter.limit("2 per minute")
    def get(self) -> str:
        return "ok"


probe.add_url_rule("/probe/method", view_func=LimitedMethod.as_view("method"))


@limiter.limit("2 per minute")
def limited_helper() -> str:
    return "ok"


@probe.route("/probe/helper")
def uses_helper() -> str:
    return limited_helper()


@limited_blueprint.route("/probe/blueprint")
def in_limited_blueprint() -> str:
    return "ok"


def test_every_limit_holds_and_unlimited_requests_skip_the_check(
    app_factory: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_factory()
    app.register_blueprint(probe)
    app.register_blueprint(limited_blueprint)
    client = app.test_client()
    resolved: list[str | None] = []
    resolve = limiter.limit_manager.resolve_limits

    def spy(app: Flask, endpoint: str | None = None, *args: object, **kwargs: object) -> object:
        resolved.append(endpoint)
        return resolve(app, endpoint, *args, **kwargs)

    monkeypatch.setattr(limiter.limit_manager, "resolve_limits", spy)

    assert all(client.get("/probe/free").status_code == 200 for _ in range(5))
    assert resolved == []  # nothing to check, nothing resolved
    for path in ("/probe/view", "/probe/method", "/probe/helper", "/probe/blueprint"):
        assert [client.get(path).status_code for _ in range(3)] == [200, 200, 429], path
    assert "limits_probe_blueprint.in_limited_blueprint" in resolved
