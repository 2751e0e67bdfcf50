"""The lift report of one experiment (and of a widget's experiments), from roll-ups only.

What it adds to the tracking result: rates per arm, click-through with its delta-method
interval, the power screen and cautions (`planning`), per-testimonial engagement and
contribution (Benjamini-Hochberg adjusted), ROI from a value per conversion, and cautions
that keep the verdict from saying more than the data does.

Click-through and engagement exist only where the widget was shown: the holdout sees an
empty slot, so those rates are reported for the treatment arm alone (and never compared
with the holdout). Conversions are the causal comparison between the arms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.report.planning import PowerScreen, cautions, power_screen
from testimonials.stats import (
    MIN_VISITORS,
    LiftResult,
    RoiEstimate,
    Share,
    Verdict,
    benjamini_hochberg,
    roi_interval,
    wilson_share,
)
from testimonials.stats.assignment import HOLDOUT, TREATMENT
from testimonials.stats.distributions import normal_ppf
from testimonials.stats.summaries import Conversions
from testimonials.tracking.analysis import (
    ArmCounts,
    ExperimentResult,
    experiment_result,
    lift_test,
)
from testimonials.tracking.models import (
    AnalysisMethod,
    Experiment,
    ExperimentSnapshot,
    TestimonialDay,
)
from testimonials.tracking.snapshots import experiment_snapshots

# Experiments whose key starts so hold simulated traffic (the demo's): the report says so.
SIMULATED_KEY_PREFIX = "simulated-"
FDR = 0.05  # false discovery rate of the per-testimonial comparisons


@dataclass(frozen=True)
class RateInterval:
    """A rate with its 95% interval (delta method, visitor as the unit)."""

    value: float
    ci: tuple[float, float]


@dataclass(frozen=True)
class TestimonialContribution:
    """One featured testimonial: engagement among those shown it and its conversion effect."""

    testimonial_id: int
    units: int
    first_units: int
    viewable_units: int
    engaged_units: int
    converted_units: int
    others_units: int  # randomised treatment units not shown it
    others_converted: int
    lift: LiftResult | None
    adjusted_p_value: float | None
    discovered: bool
    card_engaged_units: int = 0  # units that saw its card and acted on it
    expand_units: int = 0
    play_units: int = 0
    click_units: int = 0
    randomised: bool = False  # the experiment randomised which testimonials were featured

    @property
    def card_engagement(self) -> Share:
        """Viewable units shown it that interacted with its card, with a Wilson interval."""
        return wilson_share(self.card_engaged_units, self.viewable_units)

    @property
    def expand(self) -> Share:
        """Viewable units shown it that expanded its card."""
        return wilson_share(self.expand_units, self.viewable_units)

    @property
    def play(self) -> Share:
        """Viewable units shown it that played its video."""
        return wilson_share(self.play_units, self.viewable_units)

    @property
    def click_through(self) -> Share:
        """Viewable units shown it that clicked through from its card."""
        return wilson_share(self.click_units, self.viewable_units)

    @property
    def engagement_note(self) -> str | None:
        """Plain words on how far the card's rates can be read, or None when they can."""
        n = self.viewable_units
        if n == 0:
            return "Not seen yet: no visitor shown it had its card in view."
        if n < MIN_VISITORS:
            return (
                f"Only {n} visitor{'s' if n != 1 else ''} had it in view: too few to compare "
                "with other testimonials; the intervals show how little is known."
            )
        if not self.randomised:
            return "Fixed selection and order: its position, not only its words, shapes its rates."
        return None

    @property
    def engagement_rate(self) -> float | None:
        """Units that interacted per unit with a viewable impression, among those shown it."""
        return self.engaged_units / self.viewable_units if self.viewable_units else None

    @property
    def conversion_rate(self) -> float | None:
        """Conversion rate of the units shown it."""
        return self.converted_units / self.units if self.units else None

    @property
    def others_conversion_rate(self) -> float | None:
        """Conversion rate of the randomised units not shown it."""
        return self.others_converted / self.others_units if self.others_units else None


@dataclass(frozen=True)
class ExperimentReport:
    """Everything the dashboard, the API and the CSV show for one experiment."""

    experiment: Experiment
    result: ExperimentResult
    click_through: RateInterval | None
    chance_to_win: float | None
    power: PowerScreen
    testimonials: list[TestimonialContribution]
    roi: RoiEstimate | None
    value_per_conversion: float | None
    cost: float | None
    cautions: list[str]
    simulated: bool
    snapshots: list[ExperimentSnapshot] = field(default_factory=list)

    @property
    def holdout(self) -> ArmCounts:
        return self.result.arms[HOLDOUT]

    @property
    def treatment(self) -> ArmCounts:
        return self.result.arms[TREATMENT]

    @property
    def verdict(self) -> Verdict:
        return self.result.verdict

    @property
    def days_run(self) -> int:
        return len(self.result.days)


def click_through(arm: ArmCounts) -> RateInterval | None:
    """Click-throughs per viewable impression with a 95% delta-method interval."""
    ratio = arm.click_through
    if ratio.units < 2 or not ratio.denominator_total:
        return None
    half = normal_ppf(0.975) * math.sqrt(max(ratio.variance, 0.0) / ratio.units)
    return RateInterval(ratio.mean, (max(0.0, ratio.mean - half), ratio.mean + half))


def testimonial_contributions(
    session: Session, experiment: Experiment, treatment: ArmCounts, method: str
) -> list[TestimonialContribution]:
    """Each featured testimonial against the randomised units not shown it, BH-adjusted."""
    t = TestimonialDay
    rows = session.execute(
        select(
            t.testimonial_id,
            func.sum(t.units),
            func.sum(t.first_units),
            func.sum(t.viewable_units),
            func.sum(t.engaged_units),
            func.sum(t.converted_units),
            func.sum(t.card_engaged_units),
            func.sum(t.expand_units),
            func.sum(t.play_units),
            func.sum(t.click_units),
        )
        .where(t.experiment_id == experiment.id)
        .group_by(t.testimonial_id)
        .order_by(t.testimonial_id)
    ).all()
    # Per-unit randomisation makes "not shown it" a fair control for "shown it"; the
    # always-valid test keeps the p-values valid however often the page is read.
    test_method = AnalysisMethod.FREQUENTIST if method == "frequentist" else "sequential"
    # Without randomisation "not shown it" means another time or another page, not chance:
    # no causal comparison is made, engagement is still reported.
    randomised = bool(experiment.randomise_testimonials)
    found = []
    for testimonial_id, units, first, viewable, engaged, converted, *card in rows:
        others = treatment.randomised_units - units
        others_converted = treatment.randomised_converted_units - converted
        lift = None
        if others > 0 and randomised:
            shown, not_shown = Conversions(units, converted), Conversions(others, others_converted)
            lift = lift_test(not_shown, shown, test_method)
        found.append(
            TestimonialContribution(
                testimonial_id,
                units,
                first,
                viewable,
                engaged,
                converted,
                others,
                others_converted,
                lift,
                adjusted_p_value=None,
                discovered=False,
                card_engaged_units=card[0] or 0,
                expand_units=card[1] or 0,
                play_units=card[2] or 0,
                click_units=card[3] or 0,
                randomised=randomised,
            )
        )
    tested = [c for c in found if c.lift is not None and c.lift.is_defined]
    adjusted = benjamini_hochberg([c.lift.p_value or 1.0 for c in tested if c.lift], FDR)
    by_id = {c.testimonial_id: a for c, a in zip(tested, adjusted, strict=True)}
    contributions = [
        replace(
            c,
            adjusted_p_value=by_id[c.testimonial_id].adjusted_p_value,
            discovered=by_id[c.testimonial_id].discovered,
        )
        if c.testimonial_id in by_id
        else c
        for c in found
    ]
    return contributions


def experiment_report(
    session: Session,
    experiment: Experiment,
    value_per_conversion: float | None = None,
    cost: float | None = None,
) -> ExperimentReport:
    """The full report of one experiment, read from its roll-ups."""
    result = experiment_result(session, experiment)
    holdout, treatment = result.arms[HOLDOUT], result.arms[TREATMENT]
    chance = None
    if result.method == AnalysisMethod.BAYESIAN and result.lift and result.lift.is_defined:
        chance = result.lift.chance_to_win
    power = power_screen(experiment, result)
    roi = None
    if value_per_conversion is not None and result.lift is not None and holdout.units:
        roi = roi_interval(
            result.lift,
            holdout.conversion_rate or 0.0,
            treatment.units,
            value_per_conversion,
            cost or 0.0,
        )
    return ExperimentReport(
        experiment=experiment,
        result=result,
        click_through=click_through(treatment),
        chance_to_win=chance,
        power=power,
        testimonials=testimonial_contributions(session, experiment, treatment, result.method),
        roi=roi if result.verdict.kind != "sample_ratio_mismatch" else None,
        value_per_conversion=value_per_conversion,
        cost=cost,
        cautions=cautions(len(result.days), result, power),
        simulated=experiment.key.startswith(SIMULATED_KEY_PREFIX),
        snapshots=experiment_snapshots(session, experiment),
    )


def workspace_experiments(
    session: Session, workspace_id: int, widget_key: str | None = None
) -> list[Experiment]:
    """The workspace's experiments (of one widget when given), newest first."""
    query = select(Experiment).where(Experiment.workspace_id == workspace_id)
    if widget_key is not None:
        query = query.where(Experiment.widget_key == widget_key)
    return list(session.scalars(query.order_by(Experiment.created_at.desc(), Experiment.id.desc())))


LABEL_WORDS = 60  # characters of a testimonial's words shown beside its author


def testimonial_labels(
    session: Session, workspace_id: int, testimonial_ids: list[int]
) -> dict[int, str]:
    """How a report names each testimonial: its author as shown, then its first words.

    Testimonials are named by what marketers recognise, not by id; an id of another
    workspace (or one since deleted) gets no label.
    """
    if not testimonial_ids:
        return {}
    from testimonials.curation.models import Testimonial
    from testimonials.harvest.models import FeedbackItem

    rows = session.execute(
        select(
            Testimonial.id,
            Testimonial.display_name,
            FeedbackItem.author_name,
            Testimonial.excerpt,
            FeedbackItem.text,
        )
        .join(FeedbackItem, FeedbackItem.id == Testimonial.item_id)
        .where(Testimonial.workspace_id == workspace_id, Testimonial.id.in_(testimonial_ids))
    )
    labels = {}
    for testimonial_id, display_name, author, excerpt, text in rows:
        words = " ".join((excerpt or text).split())
        if len(words) > LABEL_WORDS:
            words = words[:LABEL_WORDS].rsplit(" ", 1)[0] + "…"
        who = display_name or author
        labels[testimonial_id] = f"{who}: “{words}”" if who else f"“{words}”"
    return labels
