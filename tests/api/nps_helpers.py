"""Surveys, NPS answers and tags seeded for the NPS report, and the report read back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.curation.models import Testimonial as CuratedTestimonial
from testimonials.curation.services import Actor, set_tags
from testimonials.curation.tags import create_tag, tags_by_id
from testimonials.harvest.intake import NewFeedback, record_feedback_batch
from testimonials.harvest.models import Channel
from tests import factories
from tests.conftest import Tenant

URL = "/api/v1/reports/nps"


JAN = datetime(2026, 1, 5, 12, tzinfo=UTC)  # a Monday


def make_survey(db: Session, tenant: Tenant, name: str) -> int:
    survey = factories.survey(db, tenant.workspace.id, name, company_name=tenant.workspace.name)
    db.commit()
    return survey.id


def seed(db: Session, tenant: Tenant, scores: list[int], **fields: Any) -> list[int]:
    """Store one answer per score (1 hour apart from `received_at`, default JAN); their ids."""
    start = fields.pop("received_at", JAN)
    items = record_feedback_batch(
        db,
        tenant.workspace.id,
        [
            NewFeedback(
                text=f"Answer {n}",
                channel=fields.get("channel", Channel.API),
                source_name="test",
                nps_score=score,
                received_at=start + timedelta(hours=n),
                **{k: v for k, v in fields.items() if k != "channel"},
            )
            for n, score in enumerate(scores)
        ],
    )
    db.commit()
    return [item.id for item in items]


def make_tag(db: Session, tenant: Tenant, name: str) -> int:
    tag = create_tag(db, tenant.workspace.id, name)
    db.commit()
    return tag.id


def tag_answers(db: Session, tenant: Tenant, item_ids: list[int], *tag_ids: int) -> None:
    """Tag the answers' testimonials the way the inbox does (adding to their tags)."""
    tags = tags_by_id(db, tenant.workspace.id, list(tag_ids))
    testimonials = db.scalars(
        select(CuratedTestimonial).where(CuratedTestimonial.item_id.in_(item_ids))
    )
    for testimonial in testimonials:
        set_tags(db, testimonial, Actor(user_id=tenant.editor.id), [*testimonial.tags, *tags])
    db.commit()


def report(client: FlaskClient, tenant: Tenant, query: str = "") -> dict[str, Any]:
    response = client.get(f"{URL}?{query}", headers=tenant.headers())
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json
