"""Experiments: a holdout per widget, editable as a draft, frozen once started.

Changing the split or the hashing key of a running experiment would move units between
arms mid-test and silently corrupt the comparison, so a started experiment refuses every
change except being stopped.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials import signals
from testimonials.db import get_in_workspace
from testimonials.errors import ConflictError
from testimonials.stats.assignment import assign_arm
from testimonials.tracking.models import (
    DEFAULT_HOLDOUT_SHARE,
    DEFAULT_MINIMUM_DETECTABLE_LIFT,
    AnalysisMethod,
    Experiment,
    ExperimentStatus,
)

EDITABLE = (
    "name",
    "widget_key",
    "holdout_share",
    "key",
    "randomise_testimonials",
    "goal_urls",
    "analysis_method",
    "minimum_detectable_lift",
)


class ExperimentLike(Protocol):
    """What recording an event needs of its experiment (a model or a cached snapshot)."""

    @property
    def id(self) -> int: ...
    @property
    def workspace_id(self) -> int: ...
    @property
    def key(self) -> str: ...
    @property
    def holdout_share(self) -> float: ...


def create_experiment(
    session: Session,
    workspace_id: int,
    *,
    name: str,
    widget_key: str,
    holdout_share: float = DEFAULT_HOLDOUT_SHARE,
    key: str | None = None,
    randomise_testimonials: bool = False,
    goal_urls: list[str] | None = None,
    analysis_method: str = AnalysisMethod.SEQUENTIAL.value,
    minimum_detectable_lift: float = DEFAULT_MINIMUM_DETECTABLE_LIFT,
) -> Experiment:
    """A draft experiment; its key (the hashing seed) defaults to a fresh random one."""
    key = key or f"exp-{secrets.token_hex(6)}"
    taken = session.scalar(
        select(Experiment.id).where(Experiment.workspace_id == workspace_id, Experiment.key == key)
    )
    if taken is not None:
        raise ConflictError(f"An experiment with key {key!r} already exists in this workspace.")
    experiment = Experiment(
        workspace_id=workspace_id,
        key=key,
        public_key=secrets.token_urlsafe(18)[:24],
        name=name,
        widget_key=widget_key,
        holdout_share=holdout_share,
        randomise_testimonials=randomise_testimonials,
        goal_urls=list(goal_urls or ()),
        status=ExperimentStatus.DRAFT.value,
        analysis_method=analysis_method,
        minimum_detectable_lift=minimum_detectable_lift,
    )
    session.add(experiment)
    session.flush()
    return experiment


def get_experiment(session: Session, workspace_id: int, experiment_id: int) -> Experiment:
    """The workspace's experiment, or 404 (another workspace's experiment does not exist)."""
    return get_in_workspace(session, Experiment, workspace_id, experiment_id)


def experiment_by_public_key(session: Session, public_key: str) -> Experiment | None:
    """The experiment a page names by its public key, if any."""
    return session.scalar(select(Experiment).where(Experiment.public_key == public_key))


def update_experiment(session: Session, experiment: Experiment, changes: dict[str, Any]) -> None:
    """Apply `changes` to a draft; a started experiment is immutable (409)."""
    if experiment.status != ExperimentStatus.DRAFT:
        raise ConflictError(
            "This experiment has started: its split, key and widget can no longer change "
            "(that would move visitors between arms mid-test). Stop it and start a new one."
        )
    for name in EDITABLE:
        if name in changes:
            setattr(experiment, name, changes[name])
    session.flush()


def start_experiment(session: Session, experiment: Experiment, now: datetime) -> None:
    """Freeze the experiment and begin assigning units."""
    if experiment.status != ExperimentStatus.DRAFT:
        raise ConflictError(f"This experiment is already {experiment.status}.")
    if running_experiment_for_widget(session, experiment.workspace_id, experiment.widget_key):
        raise ConflictError(
            "Another experiment is already running on this widget: stop it first (a slot "
            "can only be in one experiment, or the arms would mix)."
        )
    experiment.status = ExperimentStatus.RUNNING.value
    experiment.started_at = now
    session.flush()
    _slot_changed(session, experiment)


def stop_experiment(session: Session, experiment: Experiment, now: datetime) -> None:
    """Stop assigning: every slot renders the widget again; the results stay readable."""
    if experiment.status != ExperimentStatus.RUNNING:
        raise ConflictError("Only a running experiment can be stopped.")
    experiment.status = ExperimentStatus.STOPPED.value
    experiment.stopped_at = now
    session.flush()
    _slot_changed(session, experiment)


def _slot_changed(session: Session, experiment: Experiment) -> None:
    # The widget's slot becomes (or stops being) decided per visitor: its cache must know.
    signals.experiments_changed.send(
        experiment.workspace_id, session=session, widget_key=experiment.widget_key
    )


def running_experiment_for_widget(
    session: Session, workspace_id: int, widget_key: str
) -> Experiment | None:
    """The running experiment of a widget, if any (the latest started, should there be two)."""
    return session.scalars(
        select(Experiment)
        .where(
            Experiment.workspace_id == workspace_id,
            Experiment.widget_key == widget_key,
            Experiment.status == ExperimentStatus.RUNNING.value,
        )
        .order_by(Experiment.started_at.desc(), Experiment.id.desc())
        .limit(1)
    ).first()


def arm_for(experiment: ExperimentLike, unit_key: str) -> str:
    """'holdout' or 'treatment': GrowthBook's v2 bucketing of the unit, seeded by the key."""
    return assign_arm(experiment.key, unit_key, experiment.holdout_share)
