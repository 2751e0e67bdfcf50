"""How long an experiment must run, and what a reader must know before acting on a verdict.

The power screen plans the visitors the experiment's minimum detectable lift needs at the
holdout's observed rate (`stats.plan_experiment`) and, while it runs, when that is reached;
a stopped experiment gains no visitors, so it has no end date, only how far it got. The
cautions keep the verdict from saying more than the data does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from testimonials.stats import PowerPlan, plan_experiment
from testimonials.stats.assignment import HOLDOUT, TREATMENT
from testimonials.stats.power import MINIMUM_DAYS
from testimonials.tracking.analysis import ExperimentResult
from testimonials.tracking.models import AnalysisMethod, Experiment, ExperimentStatus


@dataclass(frozen=True)
class PowerScreen:
    """How many visitors the minimum detectable lift needs and when that is reached.

    A stopped experiment gains no visitors, so it has no expected end: `stopped` says the
    progress is final.
    """

    minimum_detectable_lift: float
    plan: PowerPlan | None
    daily_units: float | None
    expected_end: date | None
    progress: float | None  # units so far / units needed
    note: str | None  # why there is no plan yet
    stopped: bool = False


def power_screen(experiment: Experiment, result: ExperimentResult) -> PowerScreen:
    """The plan for the experiment's minimum detectable lift at the observed baseline."""
    mde = experiment.minimum_detectable_lift
    holdout, treatment = result.arms[HOLDOUT], result.arms[TREATMENT]
    units = holdout.units + treatment.units
    days = len(result.days)
    daily = units / days if days else None
    baseline = holdout.conversion_rate
    if not baseline or not daily:
        note = "The plan needs a baseline: the holdout has no conversions yet."
        return PowerScreen(mde, None, daily, None, None, note)
    try:
        plan = plan_experiment(
            baseline,
            mde,
            control_share=experiment.holdout_share,
            daily_units=max(1, round(daily)),
            sequential=result.method == AnalysisMethod.SEQUENTIAL,
        )
    except ValueError as error:
        return PowerScreen(mde, None, daily, None, None, f"No plan: {error}.")
    if experiment.status == ExperimentStatus.STOPPED.value:
        return PowerScreen(mde, plan, daily, None, units / plan.units, None, stopped=True)
    start = experiment.started_at.date() if experiment.started_at else result.days[0].day
    end = start + timedelta(days=plan.days or MINIMUM_DAYS)
    return PowerScreen(mde, plan, daily, end, units / plan.units, None)


def cautions(report_days: int, result: ExperimentResult, power: PowerScreen) -> list[str]:
    """What a reader must know before acting on the verdict."""
    cautions = []
    decided = result.verdict.kind in {"lift", "loss"}
    if decided and report_days < MINIMUM_DAYS:
        cautions.append(
            f"The experiment has run {report_days} day{'s' if report_days != 1 else ''}: "
            "wait for at least one full week before acting (weekday and weekend visitors differ)."
        )
    plan, end = power.plan, power.expected_end
    if plan and power.progress is not None and power.progress < 1 and power.stopped:
        if result.method == AnalysisMethod.FREQUENTIST:
            cautions.append(
                "This is a fixed-horizon interval: it is valid only at the planned end, and "
                "the experiment stopped before it. It overstates certainty."
            )
        if result.verdict.kind == "no_difference":
            cautions.append(
                f"Stopped before the planned run: {power.progress:.0%} of the "
                f"{plan.units:,} visitors needed to detect a "
                f"{power.minimum_detectable_lift:+.0%} lift. A real effect may have gone "
                "undetected."
            )
    elif plan and power.progress is not None and power.progress < 1:
        when = f" (about {end:%d %b %Y})" if end else ""
        if result.method == AnalysisMethod.FREQUENTIST:
            cautions.append(
                "This is a fixed-horizon interval: it is valid once, at the planned end"
                f"{when}. Reading it before then overstates certainty."
            )
        if result.verdict.kind == "no_difference":
            cautions.append(
                f"Planned run not reached: {power.progress:.0%} of the {plan.units:,} visitors "
                f"needed to detect a {power.minimum_detectable_lift:+.0%} lift{when}. "
                "A real effect may still show."
            )
    return cautions
