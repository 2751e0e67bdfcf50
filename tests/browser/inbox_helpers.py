"""A seeded inbox, signed-in users and the triage status line, for the inbox's browser tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from testimonials.accounts import services as accounts
from testimonials.accounts.models import Role
from testimonials.curation import services
from testimonials.curation.models import Testimonial as Curated
from testimonials.db import utcnow
from testimonials.demo import DEMO_SLUG, seed_demo_workspace
from testimonials.harvest.intake import NewFeedback, intake_scorer_for, record_feedback
from testimonials.harvest.models import Channel, ConsentState, FeedbackItem
from tests.browser.conftest import LiveServer

PASSWORD = "browser test password"


EDITOR = "editor@northwind.example"


VIEWER = "viewer@northwind.example"


_ids = itertools.count(1)


@dataclass
class Seeded:
    workspace_id: int
    ids: dict[str, int]


def _testimonial(session: Any, workspace_id: int, key: str, text: str, rank: float, **kw: Any):
    consent = kw.pop("consent", ConsentState.GRANTED)
    suspicion = kw.pop("suspicion", 0.05)
    item = record_feedback(
        session,
        workspace_id,
        NewFeedback(
            text=text,
            channel=Channel.API,
            source_name="Browser test",
            external_id=f"{key}-{next(_ids)}",
            consent_state=consent,
            consent_version="2" if consent is ConsentState.GRANTED else None,
            **kw,
        ),
    )
    item.specificity, item.suspicion, item.scored_at = 0.8, suspicion, utcnow()
    testimonial = session.scalar(select(Curated).where(Curated.item_id == item.id))
    testimonial = testimonial or services.create_testimonials(session, [item])[0]
    testimonial.rank_score = rank
    session.flush()
    return testimonial


def seed(server: LiveServer, *extra: tuple[str, str, dict[str, Any]]) -> Seeded:
    """The demo workspace (with an inbox), an editor and a viewer, plus items on top."""
    session = server.session()
    seed_demo_workspace(session, PASSWORD, intake_scorer_for(server.app))
    workspace = accounts.find_workspace(session, DEMO_SLUG)
    accounts.create_user(session, EDITOR, PASSWORD, workspace, Role.EDITOR, "Eddie Editor")
    accounts.create_user(session, VIEWER, PASSWORD, workspace, Role.VIEWER)
    items = session.scalars(
        select(FeedbackItem).where(
            FeedbackItem.workspace_id == workspace.id,
            ~select(Curated.id).where(Curated.item_id == FeedbackItem.id).exists(),
        )
    ).all()
    services.create_testimonials(session, items)
    ids = {}
    for rank, (key, text, options) in enumerate(reversed(extra)):
        ids[key] = _testimonial(session, workspace.id, key, text, 10.0 + rank, **options).id
    session.commit()
    session.close()
    return Seeded(workspace.id, ids)


def stored(server: LiveServer, testimonial_id: int) -> Curated:
    session = server.session()
    try:
        found = session.get(Curated, testimonial_id)
        assert found is not None
        _ = found.item.text, found.tags
        return found
    finally:
        session.close()


def sign_in(page: Any, server: LiveServer, email: str, path: str = "/inbox") -> None:
    page.goto(f"{server.url}/login?next={path}")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}{path}")


def wait_status(page: Any, fragment: str) -> None:
    page.wait_for_function(
        "f => document.getElementById('inbox-status').textContent.includes(f)", arg=fragment
    )
