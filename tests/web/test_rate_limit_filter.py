"""The limiter is skipped only where no rate limit can apply (extensions._no_limit_applies)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Flask
from flask.views import MethodView

from testimonials.extensions import _UNLIMITED_ENDPOINTS, limiter

probe = Blueprint("limits_probe", __name__)


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


def test_only_endpoints_without_any_limit_skip_the_limiter(
    app_factory: Callable[..., Flask],
) -> None:
    app = app_factory()
    app.register_blueprint(probe)
    client = app.test_client()

    assert all(client.get("/probe/free").status_code == 200 for _ in range(5))
    for path in ("/probe/view", "/probe/method", "/probe/helper"):
        assert [client.get(path).status_code for _ in range(3)] == [200, 200, 429], path

    skipped = app.extensions[_UNLIMITED_ENDPOINTS]
    assert skipped["limits_probe.free"] is True
    assert skipped["limits_probe.limited_view"] is False
