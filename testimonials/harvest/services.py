"""Use cases for harvested feedback: recording items and finding them again."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from testimonials import signals
from testimonials.db import get_in_workspace, utcnow
from testimonials.errors import NotFoundError
from testimonials.harvest.intake import (
    IntakeScorer,
    NewFeedback,
    record_feedback,
    record_feedback_batch,
    score_items,
)
from testimonials.harvest.models import Channel, ConsentState, FeedbackItem, NpsGroup, VerifiedBy
from testimonials.harvest.search import feedback_matches
from testimonials.harvest.surveys.models import Survey

__all__ = [
    "IntakeScorer",
    "NewFeedback",
    "feedback_query",
    "get_feedback",
    "record_api_response",
    "record_feedback",
    "record_feedback_batch",
    "rescore_workspace",
    "score_items",
]


def feedback_query(
    workspace_id: int,
    channel: Channel | None = None,
    group: NpsGroup | None = None,
    search: str | None = None,
) -> Select[FeedbackItem]:
    """The workspace's feedback, newest first, optionally by channel, NPS group and words
    (the inbox's search: text, author name or company; `harvest.search`)."""
    statement = select(FeedbackItem).where(FeedbackItem.workspace_id == workspace_id)
    if channel is not None:
        statement = statement.where(FeedbackItem.channel == channel.value)
    if group is not None:
        statement = statement.where(FeedbackItem.in_nps_group(group))
    if search:
        statement = statement.where(*feedback_matches(search))
    return statement.order_by(FeedbackItem.received_at.desc(), FeedbackItem.id.desc())


def distinct_item_values(
    session: Session, workspace_id: int, column: InstrumentedAttribute[str | None]
) -> list[str]:
    """The distinct values of an item column in the workspace, in order, NULL left out.

    One index seek per value on an index that starts (workspace, column), each for the
    next value up: a DISTINCT would read every item of the workspace, a million of them.
    """
    first = select(func.min(column).label("value")).where(FeedbackItem.workspace_id == workspace_id)
    values = first.cte(f"distinct_{column.key}", recursive=True)
    following = (
        select(column)
        .where(FeedbackItem.workspace_id == workspace_id, column > values.c.value)
        .order_by(column)
        .limit(1)
        .scalar_subquery()
    )
    values = values.union_all(select(following).where(values.c.value.is_not(None)))
    return list(session.scalars(select(values.c.value).where(values.c.value.is_not(None))))


def workspace_languages(session: Session, workspace_id: int) -> list[str]:
    """The language codes the workspace's feedback is in, in code order (one index seek
    per language on (workspace, language, received))."""
    return distinct_item_values(session, workspace_id, FeedbackItem.language)


@functools.cache
def _language_names() -> dict[str, str]:
    """English names of bare language codes, from ICU (language_names.json)."""
    path = Path(__file__).with_name("language_names.json")
    names: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))["names"]
    return names


def language_name(code: str) -> str:
    """A language code's English name ("Khmer", "Portuguese (Brazil)"), or the code itself."""
    # A bare code's name from ICU's names, written to a file by tools/build_language_names.py:
    # loading ICU costs a worker ~11 MiB.
    if (name := _language_names().get(code)) is not None:
        return name
    # ICU only here (a dashboard page, a code with a region): API workers never load it.
    try:
        import icu
    except ImportError:  # pragma: no cover - PyICU is a dependency
        return code
    name = str(icu.Locale(code.replace("_", "-")).getDisplayName(icu.Locale("en")))
    return name if name and name.lower() != code.lower() else code


def get_feedback(session: Session, workspace_id: int, item_id: int) -> FeedbackItem:
    """One item of the workspace, or NotFoundError."""
    return get_in_workspace(session, FeedbackItem, workspace_id, item_id)


def record_api_response(
    session: Session, workspace_id: int, data: dict, scorer: IntakeScorer | None
) -> tuple[FeedbackItem, bool]:
    """Store an answer or review gathered elsewhere, with the consent its sender vouches for.

    Returns the item and whether it is new. With an `external_id`, sending the same answer
    again (a client's retry) returns the item already stored instead of a second one.
    """
    survey = None
    if data.get("survey_id") is not None:
        survey = session.scalar(
            select(Survey).where(
                Survey.workspace_id == workspace_id, Survey.id == data["survey_id"]
            )
        )
        if survey is None:
            raise NotFoundError(f"No survey {data['survey_id']} in this workspace.")
    source_name = survey.name if survey else data["source_name"]
    external_id = (data.get("external_id") or "").strip() or None
    if external_id is not None:
        stored = _by_external_id(session, workspace_id, source_name, external_id)
        if stored is not None:
            return stored, False
    consent = data.get("consent") or {}
    granted = consent.get("granted")
    state = {
        True: ConsentState.GRANTED,
        False: ConsentState.DECLINED,
        None: ConsentState.NOT_ASKED,
    }[granted]
    new = NewFeedback(
        text=data.get("comment") or "",
        channel=Channel.API,
        source_name=source_name,
        external_id=external_id,
        title=data.get("title"),
        rating=data.get("rating"),
        nps_score=data.get("score"),
        author_name=data.get("name"),
        author_email=data.get("email"),
        author_role=data.get("role"),
        author_company=data.get("company"),
        language=data.get("language"),
        country=data.get("country"),
        submitted_at=data.get("submitted_at"),
        verified=bool(data.get("verified")),
        verified_by=VerifiedBy.SENDER if data.get("verified") else None,
        consent_state=state,
        consent_text=consent.get("text") if granted else None,
        consent_version=consent.get("version") if granted else None,
        consent_at=(consent.get("given_at") or utcnow()) if granted else None,
        survey_id=survey.id if survey else None,
        follow_up_passives=bool(survey and survey.follow_up_passives),
    )
    try:
        with session.begin_nested():
            return record_feedback(session, workspace_id, new, scorer), True
    except IntegrityError:
        # The same external id stored by a concurrent request since we looked.
        if external_id is None:
            raise
        stored = _by_external_id(session, workspace_id, source_name, external_id)
        if stored is None:
            raise
        return stored, False


def _by_external_id(
    session: Session, workspace_id: int, source_name: str, external_id: str
) -> FeedbackItem | None:
    return session.scalar(
        select(FeedbackItem).where(
            FeedbackItem.workspace_id == workspace_id,
            FeedbackItem.source_name == source_name,
            FeedbackItem.external_id == external_id,
        )
    )


def rescore_workspace(
    session: Session, workspace_id: int, scorer: IntakeScorer, batch_size: int = 1000
) -> Iterator[int]:
    """Score every item again (after a model update), yielding how many are done so far."""
    last_id, done = 0, 0
    while True:
        batch = session.scalars(
            select(FeedbackItem)
            .where(FeedbackItem.workspace_id == workspace_id, FeedbackItem.id > last_id)
            .order_by(FeedbackItem.id)
            .limit(batch_size)
        ).all()
        if not batch:
            return
        score_items(session, workspace_id, batch, scorer)
        session.flush()
        signals.feedback_rescored.send(workspace_id, session=session, items=batch)
        last_id = batch[-1].id
        done += len(batch)
        yield done


def count_feedback(session: Session, workspace_id: int) -> int:
    """How many items the workspace has."""
    return (
        session.scalar(
            select(func.count())
            .select_from(FeedbackItem)
            .where(FeedbackItem.workspace_id == workspace_id)
        )
        or 0
    )
