"""API representations of the lift reports: one experiment, and a widget's experiments."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from testimonials.tracking.schemas import ExperimentSchema

_interval = {"description": "[low, high] of the 95% interval"}


class ExperimentReportArgsSchema(ma.Schema):
    """`?value_per_conversion=&cost=`: what a conversion is worth, what the widgets cost."""

    value_per_conversion = ma.fields.Float(
        load_default=None,
        allow_nan=False,
        validate=validate.Range(min=0, max=1e9),
        metadata={"description": "Value of one conversion (any currency); gives the ROI"},
    )
    cost = ma.fields.Float(
        load_default=None,
        allow_nan=False,
        validate=validate.Range(min=0, max=1e12),
        metadata={"description": "Cost of the widgets over the experiment, same currency"},
    )


class ArmReportSchema(ma.Schema):
    """One arm, summed over every rolled-up day (kept units only, but `excluded_units`)."""

    units = ma.fields.Integer(metadata={"description": "Exposed visitor-days analysed"})
    excluded_units = ma.fields.Integer(
        metadata={"description": "Exposed units left out: bots and Sec-GPC/DNT visitors"}
    )
    excluded_share = ma.fields.Float()
    reached_units = ma.fields.Integer(metadata={"description": "Units whose slot was reached"})
    viewable_units = ma.fields.Integer()
    viewable_rate = ma.fields.Float(allow_none=True)
    engaged_units = ma.fields.Integer(metadata={"description": "Units with an interaction"})
    engagement_rate = ma.fields.Float(
        allow_none=True, metadata={"description": "engaged / viewable units"}
    )
    clicks = ma.fields.Integer()
    conversions = ma.fields.Integer(metadata={"description": "Units that converted"})
    conversion_rate = ma.fields.Float(allow_none=True)
    revenue = ma.fields.Float()


class RateIntervalSchema(ma.Schema):
    value = ma.fields.Float()
    ci = ma.fields.List(ma.fields.Float(), metadata=_interval)


class LiftSchema(ma.Schema):
    """Relative lift of conversion rate, treatment over holdout."""

    method = ma.fields.String()
    alpha = ma.fields.Float()
    relative_lift = ma.fields.Float(allow_none=True)
    ci = ma.fields.List(ma.fields.Float(), allow_none=True, metadata=_interval)
    p_value = ma.fields.Float(allow_none=True)
    chance_to_win = ma.fields.Float(allow_none=True)
    undefined_reason = ma.fields.String(allow_none=True)


class SrmSchema(ma.Schema):
    p_value = ma.fields.Float()
    mismatch = ma.fields.Boolean(metadata={"description": "p < 0.001: the verdict is blocked"})
    expected_holdout_share = ma.fields.Float()
    observed_holdout_share = ma.fields.Float(allow_none=True)
    diagnostic = ma.fields.String(allow_none=True)


class PowerSchema(ma.Schema):
    minimum_detectable_lift = ma.fields.Float()
    units_needed = ma.fields.Integer(allow_none=True)
    days_needed = ma.fields.Integer(allow_none=True, metadata={"description": "At least 7"})
    daily_units = ma.fields.Float(allow_none=True)
    expected_end = ma.fields.Date(allow_none=True)
    progress = ma.fields.Float(allow_none=True, metadata={"description": "units / needed"})
    note = ma.fields.String(allow_none=True)


class VerdictSchema(ma.Schema):
    kind = ma.fields.String(
        metadata={
            "description": "sample_ratio_mismatch, not_enough_data, undefined, lift, loss "
            "or no_difference"
        }
    )
    message = ma.fields.String()
    interval = ma.fields.List(ma.fields.Float(), allow_none=True)


class DayPointSchema(ma.Schema):
    """The cumulative lift at the end of a day (the chart's points)."""

    day = ma.fields.Date()
    relative_lift = ma.fields.Float(allow_none=True)
    ci = ma.fields.List(ma.fields.Float(), allow_none=True, metadata=_interval)
    holdout_units = ma.fields.Integer()
    treatment_units = ma.fields.Integer()


class ShareSchema(ma.Schema):
    """Viewable units shown the testimonial that did this on its card (Wilson interval)."""

    units = ma.fields.Integer()
    rate = ma.fields.Float(allow_none=True, metadata={"description": "units / viewable_units"})
    ci = ma.fields.List(ma.fields.Float(), allow_none=True, metadata=_interval)


class TestimonialContributionSchema(ma.Schema):
    """A featured testimonial: its card's engagement, and shown vs not shown (randomised)."""

    testimonial_id = ma.fields.Integer()
    randomised = ma.fields.Boolean(
        metadata={"description": "The experiment randomised which testimonials were featured"}
    )
    card_engagement = ma.fields.Nested(
        ShareSchema, metadata={"description": "Any interaction with this testimonial's card"}
    )
    expand = ma.fields.Nested(ShareSchema, metadata={"description": "Expanded its card"})
    play = ma.fields.Nested(ShareSchema, metadata={"description": "Played its video"})
    click_through = ma.fields.Nested(
        ShareSchema, metadata={"description": "Clicked through from its card"}
    )
    engagement_note = ma.fields.String(
        allow_none=True,
        metadata={"description": "How far the card's rates can be read (few visitors, ...)"},
    )
    finding = ma.fields.String(
        metadata={"description": "helps, hurts, no detectable difference, or why not tested"}
    )
    units = ma.fields.Integer(metadata={"description": "Units it was featured to"})
    first_units = ma.fields.Integer(metadata={"description": "... in the first position"})
    viewable_units = ma.fields.Integer(
        metadata={
            "description": "Units that had its own card in view (>= 50% of the card for 1 s); "
            "for pages whose loader predates per-card measurement, the widget"
        }
    )
    engaged_units = ma.fields.Integer()
    engagement_rate = ma.fields.Float(allow_none=True)
    converted_units = ma.fields.Integer()
    conversion_rate = ma.fields.Float(allow_none=True)
    others_units = ma.fields.Integer(metadata={"description": "Randomised units not shown it"})
    others_conversion_rate = ma.fields.Float(allow_none=True)
    relative_lift = ma.fields.Float(allow_none=True)
    ci = ma.fields.List(ma.fields.Float(), allow_none=True, metadata=_interval)
    p_value = ma.fields.Float(allow_none=True)
    adjusted_p_value = ma.fields.Float(
        allow_none=True, metadata={"description": "Benjamini-Hochberg across testimonials"}
    )
    discovered = ma.fields.Boolean(metadata={"description": "adjusted p <= 0.05"})
    undefined_reason = ma.fields.String(allow_none=True)


class SnapshotVerdictSchema(ma.Schema):
    kind = ma.fields.String()
    message = ma.fields.String()


class SnapshotSchema(ma.Schema):
    """What the daily analysis said at the end of one day (kept, never recomputed)."""

    day = ma.fields.Date()
    method = ma.fields.String()
    verdict = ma.fields.Nested(SnapshotVerdictSchema)
    relative_lift = ma.fields.Float(allow_none=True)
    ci = ma.fields.List(ma.fields.Float(), allow_none=True, metadata=_interval)
    p_value = ma.fields.Float(allow_none=True)
    chance_to_win = ma.fields.Float(allow_none=True)
    srm_p_value = ma.fields.Float()
    holdout_units = ma.fields.Integer()
    treatment_units = ma.fields.Integer()
    holdout_conversions = ma.fields.Integer()
    treatment_conversions = ma.fields.Integer()
    recorded_at = ma.fields.DateTime()


class RoiSchema(ma.Schema):
    """Each as [low, estimate, high], mapped from the lift's interval."""

    value_per_conversion = ma.fields.Float()
    cost = ma.fields.Float(allow_none=True)
    extra_conversions = ma.fields.List(ma.fields.Float())
    extra_value = ma.fields.List(ma.fields.Float())
    roi = ma.fields.List(ma.fields.Float(), allow_none=True)


class ExperimentReportSchema(ma.Schema):
    """The lift report of one experiment."""

    experiment = ma.fields.Nested(ExperimentSchema)
    simulated = ma.fields.Boolean(metadata={"description": "The demo's simulated traffic"})
    method = ma.fields.String()
    days = ma.fields.Integer(metadata={"description": "Days rolled up"})
    holdout = ma.fields.Nested(ArmReportSchema)
    treatment = ma.fields.Nested(ArmReportSchema)
    click_through = ma.fields.Nested(
        RateIntervalSchema,
        allow_none=True,
        metadata={"description": "Treatment: clicks per viewable impression (delta method)"},
    )
    lift = ma.fields.Nested(LiftSchema, allow_none=True)
    srm = ma.fields.Nested(SrmSchema)
    power = ma.fields.Nested(PowerSchema)
    verdict = ma.fields.Nested(VerdictSchema)
    cautions = ma.fields.List(ma.fields.String())
    over_time = ma.fields.List(ma.fields.Nested(DayPointSchema))
    testimonials = ma.fields.List(ma.fields.Nested(TestimonialContributionSchema))
    snapshots = ma.fields.List(
        ma.fields.Nested(SnapshotSchema),
        metadata={"description": "The daily analysis's reading at each day's end, oldest first"},
    )
    roi = ma.fields.Nested(RoiSchema, allow_none=True)


class WidgetExperimentSchema(ma.Schema):
    experiment = ma.fields.Nested(ExperimentSchema)
    units = ma.fields.Integer()
    verdict = ma.fields.Nested(VerdictSchema)


class WidgetReportSchema(ma.Schema):
    """A widget's experiments, newest first, each with its verdict."""

    widget_key = ma.fields.String()
    experiments = ma.fields.List(ma.fields.Nested(WidgetExperimentSchema))
