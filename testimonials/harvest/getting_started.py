"""The setup checklist a new workspace opens on: a small declarative list of steps.

Each step says what to do, which page does it, who may do it, and how to tell it is done
(one cheap EXISTS query). Features higher up add their own step with `add_setup_step`
from their `init_app` (widgets will add "Create a widget"), so this module never imports
them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.accounts.models import Membership, Role
from testimonials.harvest.imports.models import ImportRun
from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.surveys.models import Survey
from testimonials.harvest.webhooks.models import WebhookSource

EXTENSION_KEY = "testimonials.setup_steps"


@dataclass(frozen=True)
class SetupStep:
    """One thing a new workspace should do, the page that does it, and how to see it done."""

    key: str
    title: str
    why: str
    endpoint: str  # the dashboard page that does it (a url_for endpoint)
    is_done: Callable[[Session, int], bool]  # (session, workspace_id) -> done?
    role: Role = Role.EDITOR  # the least role that can do it
    order: int = 100


@dataclass(frozen=True)
class ChecklistEntry:
    """A step as one member sees it: done or not, and whether their role lets them do it."""

    step: SetupStep
    done: bool
    can_do: bool


def _exists(session: Session, model: type[Any], workspace_id: int, *criteria: Any) -> bool:
    query = select(model.id).where(model.workspace_id == workspace_id, *criteria).limit(1)
    return session.scalar(query) is not None


DEFAULT_STEPS = (
    SetupStep(
        "survey",
        "Create a survey",
        "Ask customers how likely they are to recommend you, on your site or by link.",
        "surveys_pages.survey_list",
        lambda session, ws: _exists(session, Survey, ws),
        order=10,
    ),
    SetupStep(
        "import",
        "Import reviews",
        "Bring in reviews you already have: a CSV or Excel export, JSON.",
        "imports_pages.imports",
        lambda session, ws: _exists(session, ImportRun, ws, ImportRun.rows_added > 0),
        order=20,
    ),
    SetupStep(
        "webhook",
        "Connect a survey tool",
        "Have Typeform or your own tool send each new answer here by webhook.",
        "webhooks_pages.webhook_sources",
        lambda session, ws: _exists(session, WebhookSource, ws),
        role=Role.OWNER,
        order=30,
    ),
    SetupStep(
        "teammate",
        "Invite a teammate",
        "Curating is quicker with two: add a colleague as editor or viewer.",
        "accounts_pages.members",
        lambda session, ws: (
            (
                session.scalar(
                    select(func.count())
                    .select_from(Membership)
                    .where(Membership.workspace_id == ws)
                )
                or 0
            )
            > 1
        ),
        role=Role.OWNER,
        order=40,
    ),
)


def setup_steps(app: Flask) -> list[SetupStep]:
    """The app's setup steps in order (the defaults plus any a feature added)."""
    steps = app.extensions.setdefault(EXTENSION_KEY, list(DEFAULT_STEPS))
    return sorted(steps, key=lambda step: step.order)


def add_setup_step(app: Flask, step: SetupStep) -> None:
    """Add a feature's step to the checklist (a step with the same key is replaced)."""
    steps = [s for s in setup_steps(app) if s.key != step.key]
    app.extensions[EXTENSION_KEY] = [*steps, step]


def setup_checklist(
    session: Session, workspace_id: int, role: Role, steps: list[SetupStep]
) -> list[ChecklistEntry]:
    """Each step for this workspace: done or not, and whether this role can do it."""
    return [
        ChecklistEntry(step, step.is_done(session, workspace_id), role.allows(step.role))
        for step in steps
    ]


def has_feedback(session: Session, workspace_id: int) -> bool:
    """Whether anything was harvested yet (an empty workspace opens on the checklist)."""
    return _exists(session, FeedbackItem, workspace_id)
