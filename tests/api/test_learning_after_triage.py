"""Triage through the API teaches the ranking by itself, after the response is sent."""

from __future__ import annotations

import random

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.curation.models import Testimonial as Entry
from testimonials.curation.models import WorkspaceModel
from testimonials.harvest.intake import NewFeedback, record_feedback_batch
from testimonials.harvest.models import Channel, ConsentState
from testimonials.scoring.standing import rank_within
from tests.api.test_workspace_learning import enthusiastic, specific
from tests.conftest import Tenant


def test_the_fiftieth_decision_fits_the_workspace_model(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    rng = random.Random(7)
    texts = [enthusiastic(rng) if n % 2 else specific(rng) for n in range(60)]
    scorer = client.application.extensions["testimonials.intake_scorer"]
    items = record_feedback_batch(
        db,
        tenant.workspace.id,
        [
            NewFeedback(
                text=text,
                channel=Channel.IMPORT,
                source_name="seed",
                consent_state=ConsentState.GRANTED,
                consent_text="Quote me.",
                consent_version="1",
            )
            for text in texts
        ],
        scorer,
    )
    db.commit()
    ids = db.scalars(select(Entry.id).where(Entry.item_id.in_([i.id for i in items]))).all()
    assert len(ids) == 60, "intake opened an inbox entry per item"
    # This team likes short enthusiasm and rejects long stories: the opposite of the base.
    by_item = dict(db.execute(select(Entry.item_id, Entry.id)).all())
    for n, item in enumerate(items[:50]):
        action = "approve" if n % 2 else "reject"
        body = {"override_reason": "Known customer."} if action == "approve" else {}
        response = client.post(
            f"/api/v1/testimonials/{by_item[item.id]}/{action}",
            json=body,
            headers=tenant.headers("write"),
        )
        assert response.status_code == 200, response.json
        response.close()
    model = db.scalar(
        select(WorkspaceModel).where(WorkspaceModel.workspace_id == tenant.workspace.id)
    )
    assert model is not None and model.decisions == 50 and model.ranker is not None
    assert model.held_out_accuracy > model.majority_baseline
    pending = db.scalars(
        select(Entry)
        .where(Entry.id.in_([by_item[i.id] for i in items[50:]]))
        .execution_options(populate_existing=True)
    ).all()
    # The learned taste orders items within their inbox group; the short texts repeat
    # earlier ones, so they are flagged as duplicates and sit a group lower (standing).
    pending = sorted(pending, key=lambda entry: rank_within(entry.rank_score), reverse=True)
    assert len(pending[0].item.text) < len(pending[-1].item.text), "learned order: short first"
