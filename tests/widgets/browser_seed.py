"""Seed a live server's database with published testimonials and one widget per type."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from testimonials.accounts import services as accounts
from testimonials.accounts.models import Role
from testimonials.curation import services as curation
from testimonials.harvest import services as harvest
from testimonials.harvest.models import Channel, ConsentState
from testimonials.widgets import services as widgets
from testimonials.widgets.models import WidgetKind
from tests.conftest import PASSWORD

QUOTES = [
    (
        "Booking took 2 minutes instead of 20; the nurse called back within the hour.",
        "en",
        "Dana Whitfield",
    ),
    ("ការណាត់ជួបងាយស្រួល ហើយបុគ្គលិកជួយខ្ញុំបានលឿន។", "km", "សុខ ចាន់"),
    ("ການນັດໝາຍງ່າຍ ແລະ ພະນັກງານຊ່ວຍໄວ.", "lo", "ສົມພອນ"),
    ("الحجز استغرق دقيقتين فقط، والطاقم كان لطيفاً جداً.", "ar", "ليلى حداد"),
    ("We moved 14 clinics onto it in a week and no appointment was lost.", "en", "Marco Ruiz"),
    (
        "Support answered at 2 a.m. on a Sunday and fixed our sync in 10 minutes.",
        "en",
        "Aiko Tanaka",
    ),
]


def seed(
    session: Any,
    texts: list[tuple[str, str, str]] | None = None,
    language: str = "en",
    **person: Any,
) -> dict[str, str]:
    """A workspace with published testimonials and one widget per kind in the visitors'
    `language`; returns {kind: public key}."""
    workspace = accounts.create_workspace(session, "Acme Clinics")
    owner = accounts.create_user(session, "owner@acme.example", PASSWORD, workspace, Role.OWNER)
    actor = curation.Actor(user_id=owner.id)
    for n, (text, quote_language, name) in enumerate(texts or QUOTES):
        item = harvest.record_feedback(
            session,
            workspace.id,
            harvest.NewFeedback(
                text=text,
                channel=Channel.API,
                source_name="test",
                language=quote_language,
                author_name=name,
                author_role=person.get("author_role", "Practice manager"),
                author_company=person.get("author_company", "Clinic"),
                rating=5 - n % 2,
                consent_state=ConsentState.GRANTED,
                consent_version="v1",
                consent_at=datetime(2026, 1, 1, tzinfo=UTC),
            ),
        )
        item.suspicion, item.specificity = 0.05, 0.5
        testimonial = curation.create_testimonials(session, [item])[0]
        curation.approve(session, testimonial, actor)
    keys = {}
    for kind in WidgetKind:
        widget = widgets.create_widget(
            session,
            workspace.id,
            {"name": kind.value, "kind": kind.value, "selection": {}, "language": language},
        )
        keys[kind.value] = widget.public_key
    session.commit()
    return keys
