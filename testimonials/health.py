"""Health endpoints for load balancers and orchestrators: liveness and readiness."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from testimonials.db import database_for
from testimonials.problems import problem_response

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def liveness() -> Any:
    """The process answers (touches nothing else, so a slow database never restarts it)."""
    return {"status": "ok"}


@bp.get("/readyz")
def readiness() -> Any:
    """Ready for traffic: the database answers a trivial query."""
    try:
        with database_for(current_app).engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError):
        current_app.logger.exception("Readiness check: the database did not answer")
        return problem_response(
            503,
            "The database cannot be reached; this instance should not receive traffic.",
            headers={"Retry-After": "5"},
        )
    return {"status": "ready", "checks": {"database": "ok"}}
