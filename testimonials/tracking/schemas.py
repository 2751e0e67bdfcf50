"""Schemas of the tracking API: experiments both ways, beacons in, results out."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from testimonials.tracking.goals import MAX_PATTERN, check_goal_urls
from testimonials.tracking.models import (
    DEFAULT_HOLDOUT_SHARE,
    DEFAULT_MINIMUM_DETECTABLE_LIFT,
    AnalysisMethod,
    EventKind,
)

MAX_BATCH = 50
PAGE_EVENT_KINDS = [k.value for k in EventKind if k is not EventKind.EXPOSURE]
IDENTIFIER_PATTERN = r"^[A-Za-z0-9_.:-]+$"
_token = validate.Regexp(IDENTIFIER_PATTERN, error="Use letters, digits and _ . : - only.")
METHODS = [m.value for m in AnalysisMethod]
_method_doc = (
    "How the report reads the lift: `sequential` (always-valid, safe to read daily; "
    "default), `frequentist` (fixed horizon: valid once, at the planned end) or `bayesian` "
    "(chance to win)."
)
_mde_doc = "The smallest relative lift worth detecting (0.1 = +10%), for the power screen."


def _goal_urls(patterns: list[str]) -> None:
    problems = check_goal_urls(patterns)
    if problems:
        raise ma.ValidationError(problems)


def _goal_url_field() -> ma.fields.List:
    return ma.fields.List(
        ma.fields.String(validate=validate.Length(max=MAX_PATTERN)), validate=_goal_urls
    )


class ExperimentSchema(ma.Schema):
    """An experiment as the API shows it."""

    id = ma.fields.Integer(dump_only=True)
    key = ma.fields.String(dump_only=True)
    public_key = ma.fields.String(dump_only=True)
    name = ma.fields.String(dump_only=True)
    widget_key = ma.fields.String(dump_only=True)
    holdout_share = ma.fields.Float(dump_only=True)
    randomise_testimonials = ma.fields.Boolean(dump_only=True)
    goal_urls = ma.fields.List(ma.fields.String(), dump_only=True)
    status = ma.fields.String(dump_only=True)
    created_at = ma.fields.DateTime(dump_only=True)
    started_at = ma.fields.DateTime(dump_only=True, allow_none=True)
    stopped_at = ma.fields.DateTime(dump_only=True, allow_none=True)
    analysis_method = ma.fields.String(dump_only=True)
    minimum_detectable_lift = ma.fields.Float(dump_only=True)


class ExperimentCreateSchema(ma.Schema):
    """A new draft experiment."""

    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=200))
    widget_key = ma.fields.String(required=True, validate=[validate.Length(min=1, max=100), _token])
    holdout_share = ma.fields.Float(
        load_default=DEFAULT_HOLDOUT_SHARE,
        validate=validate.Range(min=0.01, max=0.99),
    )
    key = ma.fields.String(validate=[validate.Length(min=1, max=64), _token])
    randomise_testimonials = ma.fields.Boolean(load_default=False)
    goal_urls = _goal_url_field()
    analysis_method = ma.fields.String(
        load_default=AnalysisMethod.SEQUENTIAL.value,
        validate=validate.OneOf(METHODS),
        metadata={"description": _method_doc},
    )
    minimum_detectable_lift = ma.fields.Float(
        load_default=DEFAULT_MINIMUM_DETECTABLE_LIFT,
        validate=validate.Range(min=0.005, max=5),
        metadata={"description": _mde_doc},
    )


class ExperimentUpdateSchema(ma.Schema):
    """Changes to a draft experiment."""

    name = ma.fields.String(validate=validate.Length(min=1, max=200))
    widget_key = ma.fields.String(validate=[validate.Length(min=1, max=100), _token])
    holdout_share = ma.fields.Float(validate=validate.Range(min=0.01, max=0.99))
    key = ma.fields.String(validate=[validate.Length(min=1, max=64), _token])
    randomise_testimonials = ma.fields.Boolean()
    goal_urls = _goal_url_field()
    analysis_method = ma.fields.String(
        validate=validate.OneOf(METHODS), metadata={"description": _method_doc}
    )
    minimum_detectable_lift = ma.fields.Float(
        validate=validate.Range(min=0.005, max=5), metadata={"description": _mde_doc}
    )


class PageEventSchema(ma.Schema):
    """One event a page reports; exposures are recorded by the server only."""

    id = ma.fields.String(required=True, validate=[validate.Length(min=8, max=64), _token])
    type = ma.fields.String(required=True, validate=validate.OneOf(PAGE_EVENT_KINDS))
    name = ma.fields.String(validate=[validate.Length(min=1, max=64), _token])
    value = ma.fields.Float(
        allow_nan=False, validate=validate.Range(min=0, max=1e9), load_default=None
    )
    order_id = ma.fields.String(validate=validate.Length(min=1, max=100), load_default=None)
    # The card an interaction or a card_viewable concerns (its testimonial id, as the
    # widget's markup names it).
    testimonial = ma.fields.Integer(strict=True, validate=validate.Range(min=1), load_default=None)

    @ma.validates_schema
    def _card_named(self, data: dict, **_: object) -> None:
        if data.get("type") == EventKind.CARD_VIEWABLE.value and not data.get("testimonial"):
            raise ma.ValidationError("A card_viewable event names its card.", "testimonial")


class BeaconSchema(ma.Schema):
    """A batch of events from one page view, sent as text/plain JSON."""

    experiment = ma.fields.String(required=True, validate=validate.Length(min=1, max=32))
    events = ma.fields.List(
        ma.fields.Nested(PageEventSchema), required=True, validate=validate.Length(1, MAX_BATCH)
    )
    webdriver = ma.fields.Boolean(load_default=False)


class SlotArgsSchema(ma.Schema):
    """The loader's slot request: which experiment, and the id of this exposure."""

    experiment = ma.fields.String(required=True, validate=validate.Length(min=1, max=32))
    event = ma.fields.String(required=True, validate=[validate.Length(min=8, max=64), _token])
    webdriver = ma.fields.Boolean(load_default=False)


class GoalArgsSchema(ma.Schema):
    """Which experiment's goal URLs a page asks for."""

    experiment = ma.fields.String(required=True, validate=validate.Length(min=1, max=32))


class ArmSchema(ma.Schema):
    """One arm's counts."""

    units = ma.fields.Integer()
    conversions = ma.fields.Integer()
    excluded_units = ma.fields.Integer()
    excluded_share = ma.fields.Float()
    conversion_rate = ma.fields.Float(allow_none=True)
    viewable_units = ma.fields.Integer()
    interactions = ma.fields.Integer()
    revenue = ma.fields.Float()


class LiftPointSchema(ma.Schema):
    """The cumulative always-valid lift at the end of one day (the chart's points)."""

    day = ma.fields.Date()
    relative_lift = ma.fields.Float(allow_none=True)
    ci = ma.fields.List(ma.fields.Float(), allow_none=True)


class ResultSchema(ma.Schema):
    """An experiment's result: arms, lift, SRM and the plain-language verdict."""

    holdout = ma.fields.Nested(ArmSchema)
    treatment = ma.fields.Nested(ArmSchema)
    method = ma.fields.String()
    relative_lift = ma.fields.Float(allow_none=True)
    ci = ma.fields.List(ma.fields.Float(), allow_none=True)
    p_value = ma.fields.Float(allow_none=True)
    srm_p_value = ma.fields.Float()
    sample_ratio_mismatch = ma.fields.Boolean()
    verdict = ma.fields.String()
    verdict_kind = ma.fields.String()
    over_time = ma.fields.List(ma.fields.Nested(LiftPointSchema))


class PostbackSchema(ma.Schema):
    """A signed server-side conversion."""

    experiment = ma.fields.String(required=True, validate=validate.Length(min=1, max=32))
    unit = ma.fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{32}$"))
    order_id = ma.fields.String(required=True, validate=validate.Length(min=1, max=100))
    value = ma.fields.Float(
        allow_nan=False, validate=validate.Range(min=0, max=1e9), load_default=None
    )
    name = ma.fields.String(validate=[validate.Length(min=1, max=64), _token], load_default=None)
    timestamp = ma.fields.Integer(required=True, strict=True)


class PostbackSecretSchema(ma.Schema):
    """The secret a workspace's servers sign conversion postbacks with."""

    secret = ma.fields.String()
    header = ma.fields.String()
