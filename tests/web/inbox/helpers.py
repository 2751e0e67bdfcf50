"""Scored inbox entries and the inbox pages' HTML read back, as the inbox page tests need them."""

from __future__ import annotations

import itertools
import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.curation import services
from testimonials.curation.models import Testimonial as Curated
from testimonials.db import utcnow
from testimonials.harvest.intake import NewFeedback, record_feedback
from testimonials.harvest.models import Channel, ConsentState
from tests.conftest import Tenant, csrf_token

_ids = itertools.count(1)


JSON = {"Accept": "application/json"}


def add_testimonial(
    db: Session,
    tenant: Tenant,
    text: str,
    *,
    rank: float = 0.5,
    consent: ConsentState = ConsentState.GRANTED,
    suspicion: float = 0.1,
    excerpt: str | None = None,
    channel: Channel = Channel.API,
    source: str = "CRM sync",
    **fields: Any,
) -> Curated:
    """A scored item and its inbox entry (whether or not intake already opened one)."""
    item = record_feedback(
        db,
        tenant.workspace.id,
        NewFeedback(
            text=text,
            channel=channel,
            source_name=source,
            external_id=f"t-{next(_ids)}",
            consent_state=consent,
            consent_version="3" if consent is ConsentState.GRANTED else None,
            **fields,
        ),
    )
    item.specificity, item.suspicion = 0.7, suspicion
    item.suggested_excerpt = excerpt
    item.score_reasons = [
        {"code": "number", "message": "mentions a number or a time span", "kind": "specificity"}
    ]
    item.scored_at = utcnow()
    testimonial = db.scalar(select(Curated).where(Curated.item_id == item.id))
    if testimonial is None:
        testimonial = services.create_testimonials(db, [item])[0]
    testimonial.rank_score = rank
    db.commit()
    return testimonial


def page_text(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def token(client: FlaskClient, url: str = "/inbox") -> str:
    return csrf_token(client.get(url).get_data(as_text=True))


def card_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="card inbox-card[^"]*" id="t-(\d+)"', html)]
