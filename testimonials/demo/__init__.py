"""The demo workspace: a realistic mix of feedback so a first run shows the product at work."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.accounts import services as accounts
from testimonials.accounts.models import ApiKey, Role, Scope, Workspace
from testimonials.db import utcnow
from testimonials.errors import NotFoundError
from testimonials.harvest import services as harvest
from testimonials.harvest.models import Channel, ConsentState, FeedbackItem

DEMO_EMAIL = "demo@northwind.example"
DEMO_SLUG = "northwind-demo"
DEMO_KEY_NAME = "Demo (read)"


@dataclass(frozen=True)
class SeedSummary:
    """What the demo seeding did."""

    workspace_name: str
    items: int
    added: int
    api_token: str


def _sample() -> dict:
    return json.loads(resources.files(__package__).joinpath("feedback.json").read_text("utf-8"))


def seed_demo_workspace(
    session: Session,
    password: str,
    scorer: harvest.IntakeScorer | None = None,
    now: datetime | None = None,
) -> SeedSummary:
    """Create (or refresh) the demo workspace, its owner and sample feedback; idempotent."""
    now = now or utcnow()
    sample = _sample()
    try:
        workspace = accounts.find_workspace(session, DEMO_SLUG)
    except NotFoundError:
        workspace = accounts.create_workspace(session, sample["company"], slug=DEMO_SLUG)

    user = accounts.find_user_by_email(session, DEMO_EMAIL)
    if user is None:
        accounts.create_user(session, DEMO_EMAIL, password, workspace, Role.OWNER, "Demo Owner")
    else:
        accounts.set_password(session, user, password)
        accounts.add_member(session, workspace, user, Role.OWNER)

    new_items = [
        new
        for index, entry in enumerate(sample["items"])
        if (new := _new_item(session, workspace, index, entry, sample, now)) is not None
    ]
    harvest.record_feedback_batch(session, workspace.id, new_items, scorer)
    added = len(new_items)

    # A fresh read key per run; earlier demo keys stop working.
    for old_key in session.scalars(
        select(ApiKey).where(ApiKey.workspace_id == workspace.id, ApiKey.name == DEMO_KEY_NAME)
    ):
        accounts.revoke_api_key(session, workspace.id, old_key.id)
    issued = accounts.create_api_key(session, workspace.id, DEMO_KEY_NAME, Scope.READ)
    total = len(session.scalars(harvest.feedback_query(workspace.id)).all())
    return SeedSummary(workspace.name, total, added, issued.token)


def _new_item(
    session: Session, workspace: Workspace, index: int, entry: dict, sample: dict, now: datetime
) -> harvest.NewFeedback | None:
    external_id = f"demo-{index:03d}"
    exists = session.scalar(
        select(FeedbackItem.id).where(
            FeedbackItem.workspace_id == workspace.id,
            FeedbackItem.source_name == entry["source"],
            FeedbackItem.external_id == external_id,
        )
    )
    if exists is not None:
        return None
    # Spread items over the last four months, deterministically, so trends have a shape.
    received_at = now - timedelta(days=(index * 37) % 120, hours=(index * 7) % 24)
    consented = entry.get("consent", False)
    return harvest.NewFeedback(
        text=entry["text"],
        channel=Channel(entry["channel"]),
        source_name=entry["source"],
        external_id=external_id,
        rating=entry.get("rating"),
        nps_score=entry.get("nps"),
        author_name=entry.get("author"),
        author_role=entry.get("role"),
        author_company=entry.get("company"),
        language=entry.get("lang"),
        country=entry.get("country"),
        received_at=received_at,
        submitted_at=received_at,
        verified=entry.get("verified", False),
        consent_state=ConsentState.GRANTED if consented else ConsentState.NOT_ASKED,
        consent_text=sample["consent_text"] if consented else None,
        consent_version=sample["consent_version"] if consented else None,
        consent_at=received_at if consented else None,
    )
