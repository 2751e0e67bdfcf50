"""Shared test factories: workspaces, users, surveys, answers, feedback items, testimonials.

Plain functions over a session, so a test reads as the story it tells. They only `flush()`
unless they say otherwise; the test commits when the data must be visible to requests.

Users get a password hash made once, cheaply (one PBKDF2 round): signing in still checks
the password for real, but no test pays for scrypt unless it is about passwords.
"""

from __future__ import annotations

import itertools
import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from testimonials.accounts import services as accounts
from testimonials.accounts.models import Role, User, Workspace
from testimonials.curation import services as curation
from testimonials.curation.models import Testimonial
from testimonials.harvest.intake import NewFeedback, record_feedback_batch
from testimonials.harvest.models import Channel, ConsentState, FeedbackItem
from testimonials.harvest.surveys.models import Survey

PASSWORD = "correct horse battery"
# Werkzeug reads the method back from the hash, so checking it is as cheap as making it.
CHEAP_PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
CONSENTED_AT = datetime(2026, 1, 1, tzinfo=UTC)
_serial = itertools.count(1)


def workspace(db: Session, name: str = "Acme Clinics") -> Workspace:
    """A new workspace (its slug made from the name, as sign-up makes it)."""
    return accounts.create_workspace(db, name)


def user(
    db: Session,
    in_workspace: Workspace,
    role: Role = Role.EDITOR,
    email: str | None = None,
    display_name: str = "",
) -> User:
    """A member of `in_workspace` whose password is PASSWORD (hashed cheaply)."""
    email = accounts.normalise_email(email or f"user{next(_serial)}@{in_workspace.slug}.example")
    member = User(
        email=email,
        display_name=display_name or email.split("@")[0],
        password_hash=CHEAP_PASSWORD_HASH,
    )
    db.add(member)
    db.flush()
    accounts.add_member(db, in_workspace, member, role)
    return member


def survey(db: Session, workspace_id: int, name: str = "Checkout NPS", **fields: Any) -> Survey:
    """A survey with the usual wording and a public link."""
    values: dict[str, Any] = {
        "company_name": "Acme Clinics",
        "question": "How likely are you to recommend us to a friend?",
        "comment_prompt": "What is the main reason for your score?",
        "consent_text": "You may quote my words with my first name.",
        "consent_version": "v1",
        "public_token": secrets.token_urlsafe(32),
        **fields,
    }
    made = Survey(workspace_id=workspace_id, name=name, **values)
    db.add(made)
    db.flush()
    return made


def feedback(
    db: Session,
    workspace_id: int,
    text: str = "Booking took 2 minutes instead of 20; Dana at the front desk was great.",
    *,
    consent: ConsentState = ConsentState.GRANTED,
    **fields: Any,
) -> FeedbackItem:
    """One item harvested through intake, as the API would store it (unscored)."""
    return answers(db, workspace_id, [text], consent=consent, **fields)[0]


def answers(
    db: Session,
    workspace_id: int,
    texts: list[str],
    *,
    consent: ConsentState = ConsentState.NOT_ASKED,
    **fields: Any,
) -> list[FeedbackItem]:
    """Many items harvested through intake in one batch, in order."""
    fields.setdefault("channel", Channel.API)
    fields.setdefault("source_name", "test")
    granted = consent is ConsentState.GRANTED
    fields.setdefault("consent_version", "v1" if granted else None)
    fields.setdefault("consent_at", CONSENTED_AT if granted else None)
    return record_feedback_batch(
        db,
        workspace_id,
        [NewFeedback(text=text, consent_state=consent, **fields) for text in texts],
    )


def testimonial_for(db: Session, item: FeedbackItem) -> Testimonial:
    """The inbox entry of `item`: the one intake opened, or a new one if it opened none."""
    found = db.scalar(select(Testimonial).where(Testimonial.item_id == item.id))
    return found if found is not None else curation.create_testimonials(db, [item])[0]


def scored_testimonial(
    db: Session,
    workspace_id: int,
    text: str = "Booking took 2 minutes instead of 20; Dana at the front desk was great.",
    *,
    specificity: float | None = 0.5,
    suspicion: float | None = 0.1,
    rank: float | None = None,
    **fields: Any,
) -> Testimonial:
    """A harvested item with scores set by hand, and its inbox entry ranked by them."""
    item = feedback(db, workspace_id, text, **fields)
    item.specificity, item.suspicion = specificity, suspicion
    testimonial = testimonial_for(db, item)
    testimonial.rank_score = curation.base_rank(specificity, suspicion) if rank is None else rank
    db.flush()
    return testimonial


def demo_workspace(app: Any, db: Session) -> Workspace:
    """The demo command's workspace, as `flask demo` seeds it: feedback from every channel,
    its widgets, a simulated month of experiment traffic and a webhook source; committed."""
    from testimonials.accounts.models import Actor
    from testimonials.demo import DEMO_EMAIL, DEMO_SLUG, seed_demo_workspace
    from testimonials.demo.traffic import demo_testimonial_ids, seed_simulated_month
    from testimonials.harvest.intake import intake_scorer_for
    from testimonials.harvest.webhooks.services import create_source
    from testimonials.widgets.demo import seed_demo_widgets

    seed_demo_workspace(db, PASSWORD, intake_scorer_for(app))
    workspace = accounts.find_workspace(db, DEMO_SLUG)
    owner = accounts.find_user_by_email(db, DEMO_EMAIL)
    assert workspace is not None and owner is not None
    keys = seed_demo_widgets(db, workspace.id, Actor(user_id=owner.id))
    seed_simulated_month(db, workspace.id, keys["carousel"], demo_testimonial_ids(db, workspace.id))
    create_source(db, workspace.id, "Typeform", app.secret_key)
    db.commit()
    return workspace
