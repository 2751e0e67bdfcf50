"""Tracking storage: experiments, the daily visitor-day salts, and append-only events.

Events are never updated or deleted one by one: they are written once, read by the
analysis, and dropped a whole day at a time by retention (on PostgreSQL each day is its
own partition, so retention is a DROP TABLE, not a DELETE that bloats the table).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from testimonials.db import Base, UTCDateTime, utcnow

# SQLite only auto-numbers an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
EventId = BigInteger().with_variant(Integer(), "sqlite")
DEFAULT_HOLDOUT_SHARE = 0.2
DEFAULT_MINIMUM_DETECTABLE_LIFT = 0.1


class ExperimentStatus(enum.StrEnum):
    """An experiment is a draft (editable), running (frozen) or stopped (frozen, no new units)."""

    DRAFT = "draft"
    RUNNING = "running"
    STOPPED = "stopped"


class AnalysisMethod(enum.StrEnum):
    """How an experiment's report reads its lift."""

    SEQUENTIAL = "sequential"  # always-valid: safe to read every day (the default)
    FREQUENTIST = "frequentist"  # fixed horizon: valid once, at the planned end
    BAYESIAN = "bayesian"  # chance to win and a credible interval


class EventKind(enum.StrEnum):
    """What a tracking event records."""

    EXPOSURE = "exposure"  # the slot was requested: recorded by the server, both arms
    SLOT_REACHED = "slot_reached"  # the slot entered the viewport, both arms
    VIEWABLE = "viewable"  # >= 50% of the widget visible for >= 1 s in a focused tab
    CARD_VIEWABLE = "card_viewable"  # the same rule for one testimonial's own card
    INTERACTION = "interaction"  # carousel navigation, expand, play, click-through
    CONVERSION = "conversion"


class Exclusion(enum.StrEnum):
    """Why an event is kept out of the analysis (identically in both arms)."""

    PRIVACY_SIGNAL = "privacy_signal"  # Sec-GPC: 1 or DNT: 1
    BOT = "bot"


class Experiment(Base):
    """A randomised holdout for one widget: a share of units sees an empty slot."""

    __tablename__ = "experiments"
    __table_args__ = (
        UniqueConstraint("workspace_id", "key"),
        UniqueConstraint("public_key"),
        CheckConstraint("holdout_share > 0 AND holdout_share < 1", name="holdout_share"),
        CheckConstraint("status IN ('draft', 'running', 'stopped')", name="status"),
        CheckConstraint(
            "analysis_method IN ('sequential', 'frequentist', 'bayesian')", name="analysis_method"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(64))  # the hashing seed, as in GrowthBook
    public_key: Mapped[str] = mapped_column(String(32))  # what pages send; names nothing else
    name: Mapped[str] = mapped_column(String(200))
    widget_key: Mapped[str] = mapped_column(String(100))
    holdout_share: Mapped[float] = mapped_column(Float, default=DEFAULT_HOLDOUT_SHARE)
    status: Mapped[str] = mapped_column(String(10), default=ExperimentStatus.DRAFT.value)
    # Inside the treatment arm, each unit sees its own hash-chosen testimonials and order.
    randomise_testimonials: Mapped[bool] = mapped_column(Boolean, default=False)
    # URL patterns whose page view counts as a conversion (matched by the loader on the page).
    goal_urls: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(timezone=True))
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime(timezone=True))
    analysis_method: Mapped[str] = mapped_column(
        String(12), default=AnalysisMethod.SEQUENTIAL.value, server_default="sequential"
    )
    # The smallest relative lift worth detecting: what the report's power screen plans for.
    minimum_detectable_lift: Mapped[float] = mapped_column(
        Float, default=DEFAULT_MINIMUM_DETECTABLE_LIFT, server_default="0.1"
    )


class VisitorDaySalt(Base):
    """The random salt of one UTC day; destroyed 48 hours after its day began."""

    __tablename__ = "visitor_day_salts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    salt: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)


class TrackingEvent(Base):
    """One acknowledged event; append-only, partitioned by `day` on PostgreSQL."""

    __tablename__ = "tracking_events"
    __table_args__ = (
        # Idempotency: a retried beacon carries the same client event id.
        UniqueConstraint("day", "experiment_id", "client_event_id"),
        Index("ix_tracking_events_experiment_kind", "experiment_id", "kind", "unit_key"),
    )

    id: Mapped[int] = mapped_column(EventId, primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(Date)
    workspace_id: Mapped[int] = mapped_column(Integer)
    experiment_id: Mapped[int] = mapped_column(Integer)
    client_event_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str | None] = mapped_column(String(64))
    unit_key: Mapped[str] = mapped_column(String(32))
    arm: Mapped[str] = mapped_column(String(10))
    excluded: Mapped[str | None] = mapped_column(String(20))
    value: Mapped[float | None] = mapped_column(Float)
    order_id: Mapped[str | None] = mapped_column(String(100))
    # The testimonials the event concerns, comma-separated ids in display order: on an
    # exposure of a randomised treatment, every featured card (position 1 first); on an
    # interaction, the card acted on. Null otherwise.
    testimonial_ids: Mapped[str | None] = mapped_column(String(1000))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)


class UnitDay(Base):
    """Roll-up: what one visitor-day unit did in one experiment (rebuilt from its events)."""

    __tablename__ = "tracking_unit_days"

    experiment_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    unit_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(Integer)
    arm: Mapped[str] = mapped_column(String(10))
    excluded: Mapped[str | None] = mapped_column(String(20))
    exposures: Mapped[int] = mapped_column(Integer)
    slots_reached: Mapped[int] = mapped_column(Integer)
    viewables: Mapped[int] = mapped_column(Integer)
    interactions: Mapped[int] = mapped_column(Integer)
    conversions: Mapped[int] = mapped_column(Integer)
    revenue: Mapped[float] = mapped_column(Float)
    clicks: Mapped[int] = mapped_column(Integer, server_default="0")
    # The testimonials its exposures featured (tracking_events.testimonial_ids).
    featured: Mapped[str | None] = mapped_column(String(1000))


class ArmDay(Base):
    """Roll-up: one arm's day, with the sums a report and the statistics need."""

    __tablename__ = "tracking_arm_days"

    experiment_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    arm: Mapped[str] = mapped_column(String(10), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(Integer)
    units: Mapped[int] = mapped_column(Integer)  # exposed, not excluded
    excluded_units: Mapped[int] = mapped_column(Integer)
    converted_units: Mapped[int] = mapped_column(Integer)
    reached_units: Mapped[int] = mapped_column(Integer)
    viewable_units: Mapped[int] = mapped_column(Integer)
    viewables: Mapped[int] = mapped_column(Integer)
    viewables_squares: Mapped[int] = mapped_column(Integer)
    interactions: Mapped[int] = mapped_column(Integer)
    interactions_squares: Mapped[int] = mapped_column(Integer)
    interactions_x_viewables: Mapped[int] = mapped_column(Integer)
    revenue: Mapped[float] = mapped_column(Float)
    revenue_squares: Mapped[float] = mapped_column(Float)
    engaged_units: Mapped[int] = mapped_column(Integer, server_default="0")  # any interaction
    clicks: Mapped[int] = mapped_column(Integer, server_default="0")  # click-throughs
    clicks_squares: Mapped[int] = mapped_column(Integer, server_default="0")
    clicks_x_viewables: Mapped[int] = mapped_column(Integer, server_default="0")
    # Treatment units whose exposure recorded which testimonials it featured, and of those
    # the converted: the baseline of per-testimonial contribution.
    randomised_units: Mapped[int] = mapped_column(Integer, server_default="0")
    randomised_converted_units: Mapped[int] = mapped_column(Integer, server_default="0")


class TestimonialDay(Base):
    """Roll-up: one featured testimonial's day in the treatment arm (kept units only)."""

    __tablename__ = "tracking_testimonial_days"

    experiment_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    testimonial_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(Integer)
    units: Mapped[int] = mapped_column(Integer)  # units it was featured to
    first_units: Mapped[int] = mapped_column(Integer)  # ... in the first position
    viewable_units: Mapped[int] = mapped_column(Integer)
    engaged_units: Mapped[int] = mapped_column(Integer)
    converted_units: Mapped[int] = mapped_column(Integer)
    # Of the viewable units shown it, those that acted on this testimonial's own card.
    card_engaged_units: Mapped[int] = mapped_column(Integer, server_default="0")
    expand_units: Mapped[int] = mapped_column(Integer, server_default="0")
    play_units: Mapped[int] = mapped_column(Integer, server_default="0")
    click_units: Mapped[int] = mapped_column(Integer, server_default="0")


class ExperimentSnapshot(Base):
    """What the daily analysis read for a running experiment at the end of one day."""

    __tablename__ = "tracking_experiment_snapshots"

    experiment_id: Mapped[int] = mapped_column(
        ForeignKey("experiments.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(12))
    verdict_kind: Mapped[str] = mapped_column(String(30))
    verdict: Mapped[str] = mapped_column(String(1000))
    relative_lift: Mapped[float | None] = mapped_column(Float)
    ci_low: Mapped[float | None] = mapped_column(Float)
    ci_high: Mapped[float | None] = mapped_column(Float)
    p_value: Mapped[float | None] = mapped_column(Float)
    chance_to_win: Mapped[float | None] = mapped_column(Float)
    srm_p_value: Mapped[float] = mapped_column(Float)
    holdout_units: Mapped[int] = mapped_column(Integer)
    treatment_units: Mapped[int] = mapped_column(Integer)
    holdout_conversions: Mapped[int] = mapped_column(Integer)
    treatment_conversions: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)
