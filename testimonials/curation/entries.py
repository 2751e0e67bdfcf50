"""The inbox follows harvest: entries opened for new feedback, re-ranked when it is verified,
and blanked when its author's data is erased; and where given items stand in it.

Harvest announces these events (testimonials.signals); `receivers.py` hands them here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, inspect, select, update
from sqlalchemy.orm import Session

from testimonials.bulk_insert import insert_rows
from testimonials.curation.groups import item_standing, stored_item_standing
from testimonials.curation.learning import rank_stored_items
from testimonials.curation.models import AuditEntry, Status, Tag, Testimonial, testimonial_tags
from testimonials.db import utcnow
from testimonials.harvest.models import FeedbackItem

_UNDECIDED = (Status.PENDING.value, Status.SNOOZED.value)


def open_inbox_entries(session: Session, items: Sequence[FeedbackItem]) -> None:
    """Give each item with words to quote (and no entry yet) a pending testimonial."""
    wanted = [i for i in items if i.text.strip() and i.erased_at is None]
    if not wanted:
        return
    existing = set(
        session.scalars(
            select(Testimonial.item_id).where(Testimonial.item_id.in_([i.id for i in wanted]))
        )
    )
    wanted = [i for i in wanted if i.id not in existing]
    ranks = rank_stored_items(
        session,
        wanted[0].workspace_id if wanted else 0,
        [
            (i.specificity, i.suspicion, i.score_reasons, i.text, stored_item_standing(i))
            for i in wanted
        ],
    )
    session.add_all(
        Testimonial(workspace_id=item.workspace_id, item_id=item.id, rank_score=rank)
        for item, rank in zip(wanted, ranks, strict=True)
    )
    session.flush()


def open_imported_entries(
    session: Session, workspace_id: int, rows: Sequence[tuple[int, dict[str, Any]]]
) -> None:
    """Inbox entries for a backlog stored without ORM objects: (item id, stored values)."""
    quotable = [(item_id, values) for item_id, values in rows if values["text"].strip()]
    ranks = rank_stored_items(
        session,
        workspace_id,
        [
            (
                v["specificity"],
                v["suspicion"],
                v["score_reasons"],
                v["text"],
                item_standing(
                    v["consent_state"],
                    v["rating"],
                    v["nps_score"],
                    v["text"],
                    v.get("language"),
                    suspicion=v["suspicion"],
                ),
            )
            for _, v in quotable
        ],
    )
    entries = [
        {"workspace_id": workspace_id, "item_id": item_id, "rank_score": rank}
        for (item_id, _values), rank in zip(quotable, ranks, strict=True)
    ]
    insert_rows(session, Testimonial, entries)


def rerank_undecided(session: Session, workspace_id: int, items: Sequence[FeedbackItem]) -> None:
    """Move the rescored items' pending and snoozed inbox entries to their new rank."""
    rerank_entries(session, workspace_id, items, undecided_only=True)


def rerank_entries(
    session: Session,
    workspace_id: int,
    items: Sequence[FeedbackItem],
    undecided_only: bool = False,
) -> None:
    """Give these items' inbox entries the rank their stored score, consent and words say.

    Consent granted or withdrawn moves an entry between the inbox's groups whatever its
    status: an approved one that is un-approved later returns to the right place.
    """
    by_id = {item.id: item for item in items}
    if not by_id:
        return
    statuses = _UNDECIDED if undecided_only else tuple(s.value for s in Status)
    entries = session.execute(
        select(Testimonial.id, Testimonial.item_id).where(
            Testimonial.workspace_id == workspace_id,
            Testimonial.item_id.in_(list(by_id)),
            Testimonial.status.in_(statuses),
        )
    ).all()
    if not entries:
        return
    stored = [
        (
            item.specificity,
            item.suspicion,
            item.score_reasons,
            item.text,
            stored_item_standing(item),
        )
        for item in (by_id[item_id] for _id, item_id in entries)
    ]
    ranks = rank_stored_items(session, workspace_id, stored)
    table = cast(Table, Testimonial.__table__)
    # Core UPDATE: a new rank is not a person's change, so `updated_at` stays as it was.
    session.connection().execute(
        update(table)
        .where(table.c.id == bindparam("testimonial_id"))
        .values(rank_score=bindparam("rank"), updated_at=table.c.updated_at),
        [
            {"testimonial_id": testimonial_id, "rank": rank}
            for (testimonial_id, _item_id), rank in zip(entries, ranks, strict=True)
        ],
    )
    reranked = {testimonial_id for testimonial_id, _item_id in entries}
    for obj in list(session.identity_map.values()):
        identity = inspect(obj).identity
        if isinstance(obj, Testimonial) and identity and identity[0] in reranked:
            session.expire(obj, ["rank_score"])


def blank_erased(session: Session, item_ids: Sequence[int], now: datetime) -> None:
    """Curated words, display names, photos and the audit log's copies of them go too."""
    testimonial_ids = list(
        session.scalars(select(Testimonial.id).where(Testimonial.item_id.in_(item_ids)))
    )
    if not testimonial_ids:
        return
    session.execute(
        update(Testimonial)
        .where(Testimonial.id.in_(testimonial_ids))
        .values(
            status=Status.REJECTED.value,
            rejection_reason="The respondent's personal data was erased.",
            excerpt=None,
            display_name=None,
            honesty_problem=None,
            display_role=None,
            display_company=None,
            photo=None,
            photo_etag=None,
            override_reason=None,
            # Nothing left to quote: the very end of the inbox, should it ever be undone.
            rank_score=0.0,
            updated_at=now,
        )
    )
    session.execute(
        update(AuditEntry)
        .where(AuditEntry.testimonial_id.in_(testimonial_ids))
        .values(before=None, after=None, reason=None)
    )


@dataclass(frozen=True)
class InboxEntry:
    """Where one harvested item stands in the inbox: its status and its tags' names."""

    status: Status
    tags: tuple[str, ...]


def inbox_entries(
    session: Session, workspace_id: int, item_ids: Sequence[int], now: datetime | None = None
) -> dict[int, InboxEntry]:
    """The inbox entries of these items, by item id (items without one are left out)."""
    if not item_ids:
        return {}
    now = now or utcnow()
    rows = session.execute(
        select(
            Testimonial.id, Testimonial.item_id, Testimonial.status, Testimonial.snoozed_until
        ).where(Testimonial.workspace_id == workspace_id, Testimonial.item_id.in_(item_ids))
    ).all()
    tags: dict[int, list[str]] = {testimonial_id: [] for testimonial_id, *_ in rows}
    if tags:
        tag_rows = session.execute(
            select(testimonial_tags.c.testimonial_id, Tag.name)
            .join(Tag, Tag.id == testimonial_tags.c.tag_id)
            .where(
                Tag.workspace_id == workspace_id,
                testimonial_tags.c.testimonial_id.in_(list(tags)),
            )
            .order_by(Tag.name, Tag.id)
        )
        for testimonial_id, name in cast(Iterable[tuple[int, str]], tag_rows):
            tags[testimonial_id].append(name)
    entries = {}
    for testimonial_id, item_id, status, snoozed_until in rows:
        # As the inbox shows it: a snooze past its date is pending again.
        woke_up = (
            status == Status.SNOOZED.value and snoozed_until is not None and snoozed_until <= now
        )
        entries[item_id] = InboxEntry(
            Status.PENDING if woke_up else Status(status), tuple(tags[testimonial_id])
        )
    return entries
