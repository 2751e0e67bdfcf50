"""API: experiments (with an API key) and the public slot and beacon endpoints (no key).

The public endpoints are what the widget loader calls from other people's pages: they
take no cookies, set none, trust nothing the page claims about arms or visitors, and
answer quickly. `POST /api/v1/track/events` accepts `text/plain` so `navigator.sendBeacon`
can send it without a CORS preflight.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from flask import Response, current_app, jsonify, request
from flask.views import MethodView
from marshmallow import ValidationError

from testimonials.accounts.api_auth import api_caller, authenticate_api_request
from testimonials.api_spec import SchemaSharingBlueprint
from testimonials.db import get_session
from testimonials.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from testimonials.extensions import limiter
from testimonials.tracking import experiments as service
from testimonials.tracking.analysis import experiment_result
from testimonials.tracking.events import record_exposure
from testimonials.tracking.intake import (
    MAX_BEACON_BYTES,
    TRACKING_RATE_LIMIT,
    client_of,
    event_intake,
)
from testimonials.tracking.jobs import refresh_before_reading
from testimonials.tracking.models import ExperimentStatus
from testimonials.tracking.postback import (
    SIGNATURE_HEADER,
    postback_secret,
    record_postback_conversion,
    verify_postback,
)
from testimonials.tracking.schemas import (
    BeaconSchema,
    ExperimentCreateSchema,
    ExperimentSchema,
    ExperimentUpdateSchema,
    GoalArgsSchema,
    PostbackSchema,
    PostbackSecretSchema,
    ResultSchema,
    SlotArgsSchema,
)
from testimonials.tracking.visitor import Visitor, identify_visitor

GOALS_MAX_AGE = 60

blp = SchemaSharingBlueprint(
    "tracking_api", __name__, url_prefix="/api/v1", description="Measure: holdout experiments"
)
blp.before_request(authenticate_api_request)
public = SchemaSharingBlueprint(
    "tracking_public",
    __name__,
    url_prefix="/api/v1/track",
    description="Measure: public slot assignment and event beacons (no key, no cookies)",
)


def _now() -> datetime:
    return datetime.now(UTC)


@blp.route("/experiments")
class Experiments(MethodView):
    @blp.arguments(ExperimentCreateSchema)
    @blp.response(201, ExperimentSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Create a draft holdout experiment for a widget."""
        db = get_session()
        experiment = service.create_experiment(db, api_caller().workspace_id, **body)
        db.commit()
        return experiment


@blp.route("/experiments/<int:experiment_id>")
class ExperimentItem(MethodView):
    @blp.response(200, ExperimentSchema)
    def get(self, experiment_id: int) -> Any:
        """One experiment."""
        return service.get_experiment(get_session(), api_caller().workspace_id, experiment_id)

    @blp.arguments(ExperimentUpdateSchema)
    @blp.response(200, ExperimentSchema)
    def patch(self, body: dict[str, Any], experiment_id: int) -> Any:
        """Change a draft; a started experiment answers 409."""
        db = get_session()
        experiment = service.get_experiment(db, api_caller().workspace_id, experiment_id)
        service.update_experiment(db, experiment, body)
        db.commit()
        return experiment


@blp.route("/experiments/<int:experiment_id>/start", methods=["POST"])
@blp.response(200, ExperimentSchema)
def start(experiment_id: int) -> Any:
    """Start assigning visitors; the experiment is frozen from now on."""
    db = get_session()
    experiment = service.get_experiment(db, api_caller().workspace_id, experiment_id)
    service.start_experiment(db, experiment, _now())
    db.commit()
    return experiment


@blp.route("/experiments/<int:experiment_id>/stop", methods=["POST"])
@blp.response(200, ExperimentSchema)
def stop(experiment_id: int) -> Any:
    """Stop the experiment: every visitor sees the widget again."""
    db = get_session()
    experiment = service.get_experiment(db, api_caller().workspace_id, experiment_id)
    service.stop_experiment(db, experiment, _now())
    db.commit()
    return experiment


@blp.route("/experiments/<int:experiment_id>/result")
@blp.response(200, ResultSchema)
def result(experiment_id: int) -> Any:
    """Units and conversions per arm, the lift (always-valid by default), SRM and verdict."""
    db = get_session()
    experiment = service.get_experiment(db, api_caller().workspace_id, experiment_id)
    # Without a job queue today's and yesterday's roll-ups are refreshed here (one
    # experiment, two daily partitions); with one, the scheduled roll-ups keep them fresh.
    refresh_before_reading(current_app, experiment.id)
    found = experiment_result(db, experiment)
    lift = found.lift
    return {
        **{arm: counts for arm, counts in found.arms.items()},
        "method": found.method,
        "relative_lift": None if lift is None or not lift.is_defined else lift.relative_lift,
        "ci": None if lift is None or not lift.is_defined else list(lift.ci),
        "p_value": None if lift is None or not lift.is_defined else lift.p_value,
        "srm_p_value": found.srm.p_value,
        "sample_ratio_mismatch": found.srm.mismatch,
        "verdict": found.verdict.message,
        "verdict_kind": found.verdict.kind,
        "over_time": [
            {
                "day": point.day,
                "relative_lift": point.relative_lift,
                "ci": list(point.ci) if point.ci else None,
            }
            for point in found.over_time
        ],
    }


@blp.route("/experiments/postback-secret")
@blp.response(200, PostbackSecretSchema)
def secret() -> Any:
    """The secret your servers sign conversion postbacks with (needs a write key)."""
    if api_caller().scope != "write":
        raise PermissionDeniedError("Only a write key may read the postback secret.")
    workspace_secret = postback_secret(current_app.config["SECRET_KEY"], api_caller().workspace_id)
    return {"secret": workspace_secret, "header": SIGNATURE_HEADER}


def _visitor(workspace_id: int, webdriver: bool) -> Visitor:
    privacy = request.headers.get("Sec-GPC") == "1" or request.headers.get("DNT") == "1"
    return identify_visitor(
        get_session(),
        workspace_id,
        ip=request.remote_addr or "",
        user_agent=request.headers.get("User-Agent", ""),
        accept_language=request.headers.get("Accept-Language", ""),
        privacy_signal=privacy,
        automated_hint=webdriver,
        now=_now(),
    )


def _public_headers(response: Response) -> Response:
    # Per visitor and never to be cached; readable from any page that embeds a widget.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@public.route("/slot", methods=["GET"])
@public.arguments(SlotArgsSchema, location="query")
@limiter.limit(TRACKING_RATE_LIMIT)
def slot(args: dict[str, Any]) -> Response:
    """The arm of this visitor for an experiment; records the exposure in both arms."""
    db = get_session()
    experiment = service.experiment_by_public_key(db, args["experiment"])
    if experiment is None:
        raise NotFoundError("No such experiment.")
    visitor = _visitor(experiment.workspace_id, args["webdriver"])
    arm = record_exposure(db, experiment, visitor, args["event"])
    db.commit()
    # A stopped or draft experiment shows the widget to everyone.
    # `unit` is the visitor-day key: the page may pass it to its server for a postback.
    return _public_headers(
        jsonify(arm=arm or "treatment", render=arm != "holdout", unit=visitor.unit_key)
    )


@public.route("/goals", methods=["GET"])
@public.arguments(GoalArgsSchema, location="query")
def goals(args: dict[str, Any]) -> Response:
    """The goal URL patterns of a running experiment, for the loader to match on the page.

    The same for every visitor (cacheable for a minute); nothing is recorded.
    """
    experiment = service.experiment_by_public_key(get_session(), args["experiment"])
    running = experiment is not None and experiment.status == ExperimentStatus.RUNNING
    response = jsonify(goals=list(experiment.goal_urls or ()) if running and experiment else [])
    response.headers["Cache-Control"] = f"public, max-age={GOALS_MAX_AGE}"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@public.route("/events", methods=["POST"])
def events() -> Response:
    """A batch of page events as text/plain JSON (sendBeacon); idempotent by event id.

    Valid beacons are usually answered before Flask by intake.BeaconFastPath; this view
    reads the others with the schema, which accepts them or says what is wrong.
    """
    raw = request.get_data(cache=False)
    if len(raw) > MAX_BEACON_BYTES:
        raise InvalidInputError(f"A beacon carries at most {MAX_BEACON_BYTES} bytes.")
    try:
        body = BeaconSchema().load(json.loads(raw.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInputError(f"The beacon is not UTF-8 JSON: {error}") from None
    except ValidationError as error:
        raise InvalidInputError(
            "The beacon is not valid.", errors=error.normalized_messages()
        ) from None
    receipt = event_intake(current_app).accept(body, client_of(request.environ))
    return _public_headers(jsonify(accepted=receipt.accepted, duplicates=receipt.duplicates))


@public.route("/conversions", methods=["POST"])
def conversions() -> Response:
    """A conversion signed by the customer's server; idempotent by order id."""
    raw = request.get_data(cache=False)
    if len(raw) > MAX_BEACON_BYTES:
        raise InvalidInputError(f"A postback carries at most {MAX_BEACON_BYTES} bytes.")
    try:
        body = PostbackSchema().load(json.loads(raw.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInputError(f"The postback is not UTF-8 JSON: {error}") from None
    except ValidationError as error:
        raise InvalidInputError(
            "The postback is not valid.", errors=error.normalized_messages()
        ) from None
    db = get_session()
    experiment = service.experiment_by_public_key(db, body["experiment"])
    if experiment is None:
        raise NotFoundError("No such experiment.")
    workspace_secret = postback_secret(current_app.config["SECRET_KEY"], experiment.workspace_id)
    verify_postback(
        workspace_secret,
        request.headers.get(SIGNATURE_HEADER, ""),
        body["timestamp"],
        raw,
        _now(),
    )
    receipt = record_postback_conversion(
        db,
        experiment,
        body["unit"],
        order_id=body["order_id"],
        value=body["value"],
        name=body["name"],
    )
    db.commit()
    return jsonify(accepted=receipt.accepted, duplicates=receipt.duplicates)
