"""The demo workspace: a realistic mix of feedback so a first run shows the product at work."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from importlib import resources

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from testimonials.accounts import services as accounts
from testimonials.accounts.models import ApiKey, Role, Scope, Workspace
from testimonials.db import utcnow
from testimonials.errors import NotFoundError
from testimonials.harvest import services as harvest
from testimonials.harvest.customers.files import entries_from_json
from testimonials.harvest.customers.services import add_known_customers
from testimonials.harvest.models import Channel, ConsentState, FeedbackItem, VerifiedBy
from testimonials.harvest.surveys.invitations import create_invitations
from testimonials.harvest.surveys.models import Survey
from testimonials.harvest.surveys.services import create_survey

DEMO_EMAIL = "demo@northwind.example"
DEMO_SLUG = "northwind-demo"
DEMO_KEY_NAME = "Demo (read)"
# The surveys the demo's survey answers came through, by channel.
DEMO_SURVEYS = {
    Channel.HOSTED_SURVEY: "Quarterly NPS",
    Channel.EMBEDDED_SURVEY: "In-app survey",
}


@dataclass(frozen=True)
class SeedSummary:
    """What the demo seeding did, so the command can say it plainly."""

    workspace_name: str
    workspace_created: bool
    items: int
    added: int
    surveys_added: int
    updated: int
    api_token: str
    api_keys_revoked: int


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
        created = False
    except NotFoundError:
        workspace = accounts.create_workspace(session, sample["company"], slug=DEMO_SLUG)
        created = True

    user = accounts.find_user_by_email(session, DEMO_EMAIL)
    if user is None:
        accounts.create_user(session, DEMO_EMAIL, password, workspace, Role.OWNER, "Demo Owner")
    else:
        accounts.set_password(session, user, password)
        accounts.add_member(session, workspace, user, Role.OWNER)

    surveys, surveys_added = _demo_surveys(session, workspace, sample)
    updated = _update_earlier_demo_items(session, workspace.id, sample, surveys)
    if scorer is not None and scorer.customer_key is not None:
        # Known customers first, so their answers are verified on arrival like real ones.
        emails = [e["email"] for e in sample["items"] if e.get("verified_by") == "customer_email"]
        add_known_customers(
            session, workspace.id, entries_from_json(emails), scorer.customer_key, scorer
        )
    new_items = [
        _answered_through_personal_link(session, workspace.id, new)
        for index, entry in enumerate(sample["items"])
        if (new := _new_item(session, workspace, index, entry, sample, surveys, now)) is not None
    ]
    harvest.record_feedback_batch(session, workspace.id, new_items, scorer)

    # A fresh read key per run; earlier demo keys stop working.
    old_keys = session.scalars(
        select(ApiKey).where(
            ApiKey.workspace_id == workspace.id,
            ApiKey.name == DEMO_KEY_NAME,
            ApiKey.revoked_at.is_(None),
        )
    ).all()
    for old_key in old_keys:
        accounts.revoke_api_key(session, workspace.id, old_key.id)
    issued = accounts.create_api_key(session, workspace.id, DEMO_KEY_NAME, Scope.READ)
    total = len(session.scalars(harvest.feedback_query(workspace.id)).all())
    return SeedSummary(
        workspace.name,
        created,
        total,
        len(new_items),
        surveys_added,
        updated,
        issued.token,
        len(old_keys),
    )


def _demo_surveys(
    session: Session, workspace: Workspace, sample: dict
) -> tuple[dict[Channel, Survey], int]:
    """The demo's surveys by channel, created when missing; and how many were created."""
    existing = {
        survey.name: survey
        for survey in session.scalars(
            select(Survey).where(
                Survey.workspace_id == workspace.id, Survey.name.in_(DEMO_SURVEYS.values())
            )
        )
    }
    surveys, added = {}, 0
    for channel, name in DEMO_SURVEYS.items():
        if name not in existing:
            settings = {
                "name": name,
                "company_name": workspace.name,
                "consent_text": sample["consent_text"],
            }
            existing[name] = create_survey(session, workspace.id, settings)
            added += 1
        surveys[channel] = existing[name]
    return surveys, added


def _update_earlier_demo_items(
    session: Session, workspace_id: int, sample: dict, surveys: dict[Channel, Survey]
) -> int:
    """Give items seeded by an older demo their survey and how they were verified."""
    demo_item = (FeedbackItem.workspace_id == workspace_id) & FeedbackItem.external_id.like(
        "demo-%"
    )
    updated: set[int] = set()
    for channel, survey in surveys.items():
        updated.update(
            session.scalars(
                update(FeedbackItem)
                .where(demo_item, FeedbackItem.channel == channel, FeedbackItem.survey_id.is_(None))
                .values(survey_id=survey.id)
                .returning(FeedbackItem.id)
            )
        )
    for index, entry in enumerate(sample["items"]):
        if "verified_by" in entry:
            updated.update(
                session.scalars(
                    update(FeedbackItem)
                    .where(
                        demo_item,
                        FeedbackItem.external_id == f"demo-{index:03d}",
                        FeedbackItem.verified.is_(True),
                        FeedbackItem.verified_by.is_(None),
                    )
                    .values(verified_by=entry["verified_by"])
                    .returning(FeedbackItem.id)
                )
            )
    return len(updated)


def _answered_through_personal_link(
    session: Session, workspace_id: int, new: harvest.NewFeedback
) -> harvest.NewFeedback:
    """A token-verified answer, with the single-use invitation it was answered through."""
    if new.verified_by is not VerifiedBy.TOKEN or new.survey_id is None:
        return new
    recipient = {"name": new.author_name, "external_ref": new.external_id}
    (issued,) = create_invitations(session, workspace_id, new.survey_id, [recipient])
    issued.invitation.answered_at = new.received_at
    return replace(new, invitation_id=issued.invitation.id)


def _new_item(
    session: Session,
    workspace: Workspace,
    index: int,
    entry: dict,
    sample: dict,
    surveys: dict[Channel, Survey],
    now: datetime,
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
    channel = Channel(entry["channel"])
    survey = surveys.get(channel)
    consented = entry.get("consent", False)
    # Answers through a survey agreed to that survey's wording; other channels to their own.
    consent_text = survey.consent_text if survey else sample["consent_text"]
    consent_version = survey.consent_version if survey else sample["consent_version"]
    # Only a per-respondent link or the sender's word is claimed here; the known-customer
    # list verifies the rest on arrival, as it would for real answers.
    claimed = entry.get("verified_by") in {VerifiedBy.TOKEN, VerifiedBy.SENDER}
    return harvest.NewFeedback(
        text=entry["text"],
        channel=channel,
        source_name=entry["source"],
        external_id=external_id,
        rating=entry.get("rating"),
        nps_score=entry.get("nps"),
        author_name=entry.get("author"),
        author_email=entry.get("email"),
        author_role=entry.get("role"),
        author_company=entry.get("company"),
        language=entry.get("lang"),
        country=entry.get("country"),
        received_at=received_at,
        submitted_at=received_at,
        verified=claimed,
        verified_by=VerifiedBy(entry["verified_by"]) if claimed else None,
        consent_state=ConsentState.GRANTED if consented else ConsentState.NOT_ASKED,
        consent_text=consent_text if consented else None,
        consent_version=consent_version if consented else None,
        consent_at=received_at if consented else None,
        survey_id=survey.id if survey else None,
    )
