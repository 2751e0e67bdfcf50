"""A webhook's later answers move the item between the inbox's groups (consent, score)."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.curation.models import Status
from testimonials.curation.models import Testimonial as Entry
from testimonials.scoring.standing import Standing, rank_group
from tests.api.webhooks.helpers import COMMENT, T0, Source, _event, _item, _send

CONSENT = {"granted": True, "text": "You may quote me", "version": "v2"}


def _group(db: Session) -> Standing:
    item = _item(db)
    assert item is not None
    db.expire_all()
    rank = db.scalar(select(Entry.rank_score).where(Entry.item_id == item.id))
    assert rank is not None
    return rank_group(rank)


def test_consent_given_later_moves_a_promoter_up_and_withdrawal_moves_it_down(
    client: FlaskClient, db: Session, source: Source
) -> None:
    _send(client, source, _event("created", "evt_1", T0, score=10, comment=COMMENT))
    assert _group(db) is Standing.NO_CONSENT

    _send(client, source, _event("updated", "evt_2", T0 + timedelta(minutes=1), consent=CONSENT))
    assert _group(db) is Standing.PRAISE

    declined = {**CONSENT, "granted": False}
    _send(client, source, _event("updated", "evt_3", T0 + timedelta(minutes=2), consent=declined))
    assert _group(db) is Standing.NO_CONSENT

    _send(client, source, _event("updated", "evt_4", T0 + timedelta(minutes=3), consent=CONSENT))
    assert _group(db) is Standing.PRAISE
    _send(client, source, _event("deleted", "evt_5", T0 + timedelta(minutes=4)))
    assert _group(db) is Standing.NO_CONSENT


def test_a_newer_detractor_score_moves_the_item_to_the_end(
    client: FlaskClient, db: Session, source: Source
) -> None:
    created = _event("created", "evt_1", T0, score=9, comment=COMMENT, consent=CONSENT)
    _send(client, source, created)
    assert _group(db) is Standing.PRAISE

    _send(client, source, _event("updated", "evt_2", T0 + timedelta(minutes=5), score=3))
    assert _group(db) is Standing.UNHAPPY
    item = _item(db)
    assert item is not None
    testimonial = db.scalar(select(Entry).where(Entry.item_id == item.id))
    assert testimonial is not None and testimonial.status == Status.PENDING.value
