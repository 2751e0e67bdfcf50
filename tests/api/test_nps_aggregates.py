"""The NPS report read from its aggregates equals the report recomputed from every answer.

Random answers arrive every way the product stores them (intake, bulk import rows, which
PostgreSQL takes through COPY), then are edited, erased, withdrawn, tagged and untagged,
and deleted with their survey, testimonial, tag or workspace; after each round, reports
with every filter the report takes (dates across and within months, each dimension, a tag,
weeks and months, two, three and four filters at once) must equal the full recomputation.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from testimonials import migrate
from testimonials.bulk_insert import insert_rows
from testimonials.curation.models import Tag, testimonial_tags
from testimonials.curation.models import Testimonial as CuratedTestimonial
from testimonials.curation.services import Actor, set_tags
from testimonials.curation.tags import create_tag, delete_tag
from testimonials.db import make_engine
from testimonials.harvest.intake import NewFeedback, record_feedback_batch
from testimonials.harvest.models import Channel, FeedbackItem
from testimonials.harvest.surveys.models import Survey
from testimonials.privacy.services import erase_items, revoke_consent
from testimonials.report.models import NpsCount, NpsTaggedAnswer
from testimonials.report.services import NpsFilters, nps_report, recomputed_nps_report
from tests import factories
from tests.conftest import Tenant

START = datetime(2025, 11, 20, tzinfo=UTC)
SPAN_MINUTES = 120 * 24 * 60  # about four months: ranges within and across months
COUNTRIES = ["GB", "US", "DE", None]


def _moment(rng: random.Random) -> datetime:
    moment = START + timedelta(minutes=rng.randrange(SPAN_MINUTES))
    if rng.random() < 0.1:  # the last instant of a day, of a month
        moment = moment.replace(hour=23, minute=59, second=59, microsecond=999999)
    return moment


def _new(rng: random.Random, surveys: list[int]) -> NewFeedback:
    received = _moment(rng)
    return NewFeedback(
        text=f"Answer {rng.random()}",
        channel=rng.choice(list(Channel)),
        source_name="test",
        nps_score=rng.choice([*range(11), None]),
        country=rng.choice(COUNTRIES),
        received_at=received,
        submitted_at=received - timedelta(hours=rng.randrange(72)) if rng.random() < 0.5 else None,
        survey_id=rng.choice([*surveys, None]),
    )


def _imported_rows(rng: random.Random, workspace_id: int, surveys: list[int], n: int) -> list:
    rows = []
    for _ in range(n):
        new = _new(rng, surveys)
        rows.append(
            {
                "workspace_id": workspace_id,
                "channel": Channel.IMPORT.value,
                "source_name": "backlog.csv",
                "external_id": f"row-{rng.random()}",
                "content_hash": f"{rng.getrandbits(128):032x}",
                "text": new.text,
                "nps_score": new.nps_score,
                "country": new.country,
                "received_at": new.received_at,
                "submitted_at": new.submitted_at,
                "survey_id": new.survey_id,
            }
        )
    return rows


def _filters(rng: random.Random, surveys: list[int], tags: list[int]) -> list[NpsFilters]:
    days = [(START + timedelta(days=rng.randrange(125))).date() for _ in range(6)]
    ranges: list[tuple[date | None, date | None]] = [
        (None, None),
        (min(days[:2]), max(days[:2])),
        (days[2], None),
        (None, days[3]),
        (date(2025, 12, 1), date(2026, 1, 31)),  # whole months exactly
        (date(2026, 1, 3), date(2026, 1, 17)),  # within one month
        (date(2025, 12, 31), date(2026, 2, 1)),  # a day either side of whole months
    ]
    found = []
    for date_from, date_to in ranges:
        found += [
            NpsFilters(date_from=date_from, date_to=date_to),
            NpsFilters(date_from=date_from, date_to=date_to, survey_id=rng.choice(surveys)),
            NpsFilters(date_from=date_from, date_to=date_to, channel=rng.choice(list(Channel))),
            NpsFilters(date_from=date_from, date_to=date_to, country=rng.choice(["gb", "US"])),
        ]
        if tags:
            found.append(NpsFilters(date_from=date_from, date_to=date_to, tag_id=rng.choice(tags)))
        # Two dimensions: the trend from their pair's slice, the segments from the answers.
        one_of = {
            "survey_id": rng.choice(surveys),
            "channel": rng.choice(list(Channel)),
            "country": rng.choice(["gb", "US"]),
            **({"tag_id": rng.choice(tags)} if tags else {}),
        }
        # Two, three and four: counted from the answers and the tagged answers by index
        # (the trend of two from their pair's slice).
        for how_many in range(2, len(one_of) + 1):
            chosen = rng.sample(sorted(one_of), how_many)
            found.append(
                NpsFilters(date_from=date_from, date_to=date_to, **{k: one_of[k] for k in chosen})
            )
    found.append(NpsFilters(channel=Channel.API, country="DE"))
    found.append(NpsFilters(survey_id=surveys[0], channel=Channel.API, country="US"))
    if tags:
        found.append(NpsFilters(channel=Channel.API, country="US", tag_id=tags[0]))
    return found


def assert_reports_match(db: Session, workspace_id: int, filters: list[NpsFilters]) -> int:
    """Every report from the aggregates equals its recomputation; how many answers seen."""
    seen = 0
    for one in filters:
        for granularity in ("week", "month"):
            expected = recomputed_nps_report(db, workspace_id, one, granularity)
            assert nps_report(db, workspace_id, one, granularity) == expected, (one, granularity)
            seen += expected.overall.n
    return seen


def _tag_some(db: Session, rng: random.Random, tenant: Tenant, tags: list[int]) -> None:
    testimonials = db.scalars(
        select(CuratedTestimonial).where(CuratedTestimonial.workspace_id == tenant.workspace.id)
    ).all()
    by_id = {tag.id: tag for tag in db.scalars(select(Tag).where(Tag.id.in_(tags)))}
    for testimonial in rng.sample(testimonials, min(len(testimonials), 25)):
        chosen = rng.sample(tags, rng.randint(0, min(3, len(tags))))
        set_tags(db, testimonial, Actor(user_id=tenant.editor.id), [by_id[t] for t in chosen])
    db.flush()


def test_aggregates_equal_a_full_recomputation_through_every_kind_of_write(
    db: Session, make_tenant: Callable[[str], Tenant]
) -> None:
    rng = random.Random(20261204)
    tenant, neighbour = make_tenant("Alpha Co"), make_tenant("Beta Co")
    workspace_id = tenant.workspace.id
    surveys = [
        factories.survey(db, workspace_id, f"Survey {n}", company_name="Alpha Co").id
        for n in range(3)
    ]
    tags = [create_tag(db, workspace_id, f"Tag {n}").id for n in range(4)]
    record_feedback_batch(db, workspace_id, [_new(rng, surveys) for _ in range(120)])
    record_feedback_batch(db, neighbour.workspace.id, [_new(rng, []) for _ in range(30)])
    insert_rows(db, FeedbackItem, _imported_rows(rng, workspace_id, surveys, 80))
    # Imported rows get inbox entries as a backlog does, in bulk (links follow in bulk too).
    new_items = db.scalars(
        select(FeedbackItem.id).where(
            FeedbackItem.workspace_id == workspace_id,
            FeedbackItem.id.not_in(select(CuratedTestimonial.item_id)),
        )
    ).all()
    insert_rows(
        db,
        CuratedTestimonial,
        [{"workspace_id": workspace_id, "item_id": i, "rank_score": 0.0} for i in new_items],
    )
    links = [
        {"testimonial_id": t, "tag_id": tag}
        for t in db.scalars(
            select(CuratedTestimonial.id).where(CuratedTestimonial.item_id.in_(new_items))
        )
        for tag in rng.sample(tags, rng.randint(0, 3))
    ]
    db.execute(testimonial_tags.insert(), links)
    _tag_some(db, rng, tenant, tags)
    db.commit()
    assert assert_reports_match(db, workspace_id, _filters(rng, surveys, tags)) > 0

    items = db.scalars(select(FeedbackItem).where(FeedbackItem.workspace_id == workspace_id)).all()
    for item in rng.sample(items, 40):  # edits, as a webhook's later event makes them
        change = rng.choice(["score", "country", "date", "survey", "unscored"])
        if change == "score":
            item.nps_score = rng.randrange(11)
        elif change == "country":
            item.country = rng.choice(COUNTRIES)
        elif change == "date":
            item.submitted_at = _moment(rng)
        elif change == "survey":
            item.survey_id = rng.choice([*surveys, None])
        else:
            item.nps_score = None
    erase_items(db, rng.sample(items, 10))
    for item in rng.sample(items, 5):
        revoke_consent(db, workspace_id, item.id)
    _tag_some(db, rng, tenant, tags)
    db.commit()
    assert_reports_match(db, workspace_id, _filters(rng, surveys, tags))

    # Bulk edits past the ORM, then deletions cascading from every side.
    db.execute(
        update(FeedbackItem)
        .where(FeedbackItem.workspace_id == workspace_id, FeedbackItem.country == "GB")
        .values(nps_score=10, received_at=START)
    )
    gone = [item.id for item in rng.sample(items, 15)]
    db.execute(delete(FeedbackItem).where(FeedbackItem.id.in_(gone)))
    db.execute(
        delete(CuratedTestimonial).where(
            CuratedTestimonial.id.in_(
                select(CuratedTestimonial.id)
                .where(CuratedTestimonial.workspace_id == workspace_id)
                .order_by(CuratedTestimonial.id)
                .limit(10)
            )
        )
    )
    delete_tag(db, workspace_id, tags.pop())
    db.execute(delete(Survey).where(Survey.id == surveys.pop()))
    db.execute(
        delete(testimonial_tags).where(
            testimonial_tags.c.tag_id == tags[0],
            testimonial_tags.c.testimonial_id.in_(select(CuratedTestimonial.id).limit(30)),
        )
    )
    db.commit()
    assert_reports_match(db, workspace_id, _filters(rng, surveys, tags))
    # The neighbour's own report is right too, and goes with its workspace.
    assert_reports_match(db, neighbour.workspace.id, [NpsFilters()])
    db.execute(text("DELETE FROM workspaces WHERE id = :id"), {"id": neighbour.workspace.id})
    db.commit()
    assert_reports_match(db, workspace_id, [NpsFilters()])
    for kept in (NpsCount, NpsTaggedAnswer):
        left = db.scalar(
            select(kept.workspace_id).where(kept.workspace_id == neighbour.workspace.id).limit(1)
        )
        assert left is None, kept


@pytest.mark.parametrize("granularity", ["week", "month"])
def test_the_migration_counts_the_answers_already_stored(
    empty_database_url: Callable[[str], str], granularity: str
) -> None:
    url = empty_database_url(f"nps_backfill_{granularity}")
    migrate.upgrade(url, "0015")
    engine = make_engine(url)
    rng = random.Random(7)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO workspaces (id, name, slug, created_at) VALUES (1, 'A', 'a', :now)"),
            _bind(connection.dialect.name, {"now": START}),
        )
        for n in range(200):
            received = _moment(rng)
            connection.execute(
                text(
                    "INSERT INTO feedback_items (id, workspace_id, channel, source_name, "
                    "content_hash, text, nps_score, country, received_at, submitted_at, "
                    "verified, consent_state) VALUES (:id, 1, :channel, 's', :hash, 'x', "
                    ":score, :country, :received, :submitted, false, 'not_asked')"
                ),
                _bind(
                    connection.dialect.name,
                    {
                        "id": n + 1,
                        "channel": rng.choice(list(Channel)).value,
                        "hash": f"{n:064d}",
                        "score": rng.choice([*range(11), None]),
                        "country": rng.choice(COUNTRIES),
                        "received": received,
                        "submitted": received - timedelta(hours=5) if n % 3 else None,
                    },
                ),
            )
            connection.execute(
                text(
                    "INSERT INTO testimonials (id, workspace_id, item_id, status, rank_score, "
                    "created_at, updated_at) VALUES (:id, 1, :id, 'pending', 0, :now, :now)"
                ),
                _bind(connection.dialect.name, {"id": n + 1, "now": START}),
            )
        for tag in (1, 2):
            connection.execute(
                text(
                    "INSERT INTO tags (id, workspace_id, name, slug, is_collection, created_at) "
                    "VALUES (:id, 1, :n, :n, false, :now)"
                ),
                _bind(connection.dialect.name, {"id": tag, "n": f"tag-{tag}", "now": START}),
            )
        for n in range(1, 201):
            for tag in rng.sample([1, 2], rng.randint(0, 2)):
                connection.execute(
                    text("INSERT INTO testimonial_tags (testimonial_id, tag_id) VALUES (:t, :g)"),
                    {"t": n, "g": tag},
                )
    engine.dispose()
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            filters = [NpsFilters(), NpsFilters(tag_id=1), NpsFilters(country="US")]
            # Combined filters read the tagged answers that migration 0049 copies.
            filters += [
                NpsFilters(country="US", tag_id=2),
                NpsFilters(channel=Channel.API, country="US"),
            ]
            filters.append(NpsFilters(date_from=date(2025, 12, 10), date_to=date(2026, 2, 3)))
            for one in filters:
                expected = recomputed_nps_report(session, 1, one, granularity)
                assert nps_report(session, 1, one, granularity) == expected
            assert recomputed_nps_report(session, 1, NpsFilters(), granularity).overall.n > 100
    finally:
        engine.dispose()


def _bind(dialect: str, values: dict[str, Any]) -> dict[str, Any]:
    """Times as each database stores them (naive UTC text on SQLite)."""
    if dialect != "sqlite":
        return values
    return {
        k: v.astimezone(UTC).replace(tzinfo=None).isoformat(" ") if isinstance(v, datetime) else v
        for k, v in values.items()
    }
