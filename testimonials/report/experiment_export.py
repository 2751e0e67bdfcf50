"""The lift report as plain data (what the API returns) and as CSV (one row per day)."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from testimonials.harvest.spreadsheets import spreadsheet_cell
from testimonials.report.experiments import ExperimentReport, TestimonialContribution
from testimonials.stats import LiftResult, Share, Verdict
from testimonials.stats.assignment import HOLDOUT, TREATMENT
from testimonials.tracking.analysis import ARMS, ArmCounts

SHOWN_TO_ALL = "Shown to every randomised visitor: there is no one to compare with."
NOT_RANDOMISED = (
    "The experiment does not randomise which testimonials are featured: visitors not shown "
    "it differ in more than this testimonial, so no contribution is estimated."
)
CARD_ACTIONS = ("card_engagement", "expand", "play", "click_through")
TESTIMONIAL_CSV_COLUMNS = (
    "testimonial_id",
    "testimonial",
    "shown_units",
    "first_position_units",
    "viewable_units",
    *(f"{action}_{part}" for action in CARD_ACTIONS for part in ("units", "rate", "low", "high")),
    "engagement_note",
    "converted_units",
    "others_units",
    "others_converted_units",
    "relative_lift",
    "ci_low",
    "ci_high",
    "adjusted_p_value",
    "finding",
    "simulated",
)
CSV_ARM_COLUMNS = (
    "units",
    "excluded_units",
    "viewable_units",
    "engaged_units",
    "clicks",
    "conversions",
    "revenue",
)
CSV_COLUMNS = (
    "day",
    *(f"{arm}_{name}" for arm in ARMS for name in CSV_ARM_COLUMNS),
    "cumulative_holdout_units",
    "cumulative_treatment_units",
    "cumulative_relative_lift",
    "cumulative_ci_low",
    "cumulative_ci_high",
    "method",
    "simulated",
    "snapshot_verdict",
    "snapshot_relative_lift",
    "snapshot_ci_low",
    "snapshot_ci_high",
    "snapshot_p_value",
    "snapshot_chance_to_win",
)


def arm_document(arm: ArmCounts) -> dict[str, Any]:
    """One arm's figures as the API gives them."""
    return {
        "units": arm.units,
        "excluded_units": arm.excluded_units,
        "excluded_share": arm.excluded_share,
        "reached_units": arm.reached_units,
        "viewable_units": arm.viewable_units,
        "viewable_rate": arm.viewable_rate,
        "engaged_units": arm.engaged_units,
        "engagement_rate": arm.engagement_rate,
        "clicks": arm.clicks,
        "conversions": arm.conversions,
        "conversion_rate": arm.conversion_rate,
        "revenue": arm.revenue,
    }


def lift_document(lift: LiftResult | None) -> dict[str, Any] | None:
    """A lift result; its numbers are null while it is undefined (the reason says why)."""
    if lift is None:
        return None
    defined = lift.is_defined
    return {
        "method": lift.method,
        "alpha": lift.alpha,
        "relative_lift": lift.relative_lift if defined else None,
        "ci": list(lift.ci) if defined else None,
        "p_value": lift.p_value if defined else None,
        "chance_to_win": lift.chance_to_win if defined else None,
        "undefined_reason": lift.undefined_reason,
    }


def verdict_document(verdict: Verdict) -> dict[str, Any]:
    return {
        "kind": verdict.kind,
        "message": verdict.message,
        "interval": list(verdict.interval) if verdict.interval else None,
    }


def share_document(share: Share) -> dict[str, Any]:
    """A share of visitors with its Wilson interval."""
    return {
        "units": share.successes,
        "rate": share.rate,
        "ci": list(share.ci) if share.ci else None,
    }


def testimonial_finding(item: TestimonialContribution) -> str:
    """What the contribution column says, in words."""
    lift = item.lift
    if not item.randomised:
        return NOT_RANDOMISED
    if lift is None:
        return SHOWN_TO_ALL
    if not lift.is_defined:
        return lift.undefined_reason or "undefined"
    if item.discovered:
        return "helps" if lift.relative_lift > 0 else "hurts"
    return "no detectable difference"


def report_document(report: ExperimentReport) -> dict[str, Any]:
    """The whole report as plain values (ExperimentReportSchema documents it)."""
    result, power = report.result, report.power
    srm = result.srm
    testimonials = []
    for item in report.testimonials:
        lift = lift_document(item.lift) or {}
        testimonials.append(
            {
                **{action: share_document(getattr(item, action)) for action in CARD_ACTIONS},
                "engagement_note": item.engagement_note,
                "randomised": item.randomised,
                "finding": testimonial_finding(item),
                "testimonial_id": item.testimonial_id,
                "units": item.units,
                "first_units": item.first_units,
                "viewable_units": item.viewable_units,
                "engaged_units": item.engaged_units,
                "engagement_rate": item.engagement_rate,
                "converted_units": item.converted_units,
                "conversion_rate": item.conversion_rate,
                "others_units": item.others_units,
                "others_conversion_rate": item.others_conversion_rate,
                "relative_lift": lift.get("relative_lift"),
                "ci": lift.get("ci"),
                "p_value": lift.get("p_value"),
                "adjusted_p_value": item.adjusted_p_value,
                "discovered": item.discovered,
                "undefined_reason": lift.get("undefined_reason")
                or (None if item.lift else SHOWN_TO_ALL if item.randomised else NOT_RANDOMISED),
            }
        )
    roi = report.roi
    return {
        "experiment": report.experiment,
        "simulated": report.simulated,
        "method": result.method,
        "days": report.days_run,
        HOLDOUT: arm_document(report.holdout),
        TREATMENT: arm_document(report.treatment),
        "click_through": (
            {"value": report.click_through.value, "ci": list(report.click_through.ci)}
            if report.click_through
            else None
        ),
        "lift": lift_document(result.lift),
        "srm": {
            "p_value": srm.p_value,
            "mismatch": srm.mismatch,
            "expected_holdout_share": srm.expected_control_share,
            "observed_holdout_share": srm.observed_control_share,
            "diagnostic": srm.diagnostic,
        },
        "power": {
            "minimum_detectable_lift": power.minimum_detectable_lift,
            "units_needed": power.plan.units if power.plan else None,
            "days_needed": power.plan.days if power.plan else None,
            "daily_units": power.daily_units,
            "expected_end": power.expected_end,
            "progress": power.progress,
            "note": power.note,
        },
        "verdict": verdict_document(result.verdict),
        "cautions": report.cautions,
        "over_time": [
            {
                "day": point.day,
                "relative_lift": point.relative_lift,
                "ci": list(point.ci) if point.ci else None,
                "holdout_units": point.holdout_units,
                "treatment_units": point.treatment_units,
            }
            for point in result.over_time
        ],
        "testimonials": testimonials,
        "snapshots": [
            {
                "day": snapshot.day,
                "method": snapshot.method,
                "verdict": {"kind": snapshot.verdict_kind, "message": snapshot.verdict},
                "relative_lift": snapshot.relative_lift,
                "ci": [snapshot.ci_low, snapshot.ci_high] if snapshot.ci_low is not None else None,
                "p_value": snapshot.p_value,
                "chance_to_win": snapshot.chance_to_win,
                "srm_p_value": snapshot.srm_p_value,
                "holdout_units": snapshot.holdout_units,
                "treatment_units": snapshot.treatment_units,
                "holdout_conversions": snapshot.holdout_conversions,
                "treatment_conversions": snapshot.treatment_conversions,
                "recorded_at": snapshot.recorded_at,
            }
            for snapshot in report.snapshots
        ],
        "roi": (
            {
                "value_per_conversion": report.value_per_conversion,
                "cost": report.cost,
                "extra_conversions": list(roi.extra_conversions),
                "extra_value": list(roi.extra_value),
                "roi": list(roi.roi) if roi.roi else None,
            }
            if roi
            else None
        ),
    }


def report_csv(report: ExperimentReport) -> str:
    """One row per rolled-up day: both arms' counts and the cumulative lift at its end.

    The `snapshot_*` columns are what the daily analysis said at that day's end (empty on
    a day without a snapshot).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    snapshots = {snapshot.day: snapshot for snapshot in report.snapshots}
    for day, point in zip(report.result.days, report.result.over_time, strict=True):
        counts = [getattr(day.arms[arm], name) for arm in ARMS for name in CSV_ARM_COLUMNS]
        low, high = point.ci if point.ci else (None, None)
        snap = snapshots.get(day.day)
        writer.writerow(
            [
                day.day.isoformat(),
                *counts,
                point.holdout_units,
                point.treatment_units,
                _number(point.relative_lift),
                _number(low),
                _number(high),
                report.result.method,
                "yes" if report.simulated else "no",
                snap.verdict if snap else "",
                _number(snap.relative_lift if snap else None),
                _number(snap.ci_low if snap else None),
                _number(snap.ci_high if snap else None),
                _number(snap.p_value if snap else None),
                _number(snap.chance_to_win if snap else None),
            ]
        )
    return "\ufeff" + out.getvalue()


def testimonials_csv(report: ExperimentReport, labels: dict[int, str]) -> str:
    """One row per featured testimonial: card engagement with intervals, contribution.

    Labels are customers' words: every text cell goes through the spreadsheet formula guard.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TESTIMONIAL_CSV_COLUMNS)
    for item in report.testimonials:
        shares = []
        for action in CARD_ACTIONS:
            share: Share = getattr(item, action)
            low, high = share.ci if share.ci else (None, None)
            shares += [share.successes, _number(share.rate), _number(low), _number(high)]
        lift = item.lift if item.lift is not None and item.lift.is_defined else None
        writer.writerow(
            [
                item.testimonial_id,
                spreadsheet_cell(labels.get(item.testimonial_id, "")),
                item.units,
                item.first_units,
                item.viewable_units,
                *shares,
                spreadsheet_cell(item.engagement_note or ""),
                item.converted_units,
                item.others_units,
                item.others_converted,
                _number(lift.relative_lift if lift else None),
                _number(lift.ci[0] if lift else None),
                _number(lift.ci[1] if lift else None),
                _number(item.adjusted_p_value),
                spreadsheet_cell(testimonial_finding(item)),
                "yes" if report.simulated else "no",
            ]
        )
    return "\ufeff" + out.getvalue()


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}"


def csv_filename(report: ExperimentReport) -> str:
    """A safe download name from the experiment's name (letters, digits and dashes only)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", report.experiment.name).strip("-").lower()[:60]
    return f"experiment-{report.experiment.id}-{slug or 'report'}.csv"


def testimonials_csv_filename(report: ExperimentReport) -> str:
    """The per-testimonial CSV's download name."""
    return csv_filename(report).removesuffix(".csv") + "-testimonials.csv"
