"""The curation audit log: who changed what, when, before and after."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from testimonials.accounts.services import actor_names
from testimonials.curation.models import AuditEntry, Tag
from testimonials.curation.services import RESPONDENT_PHOTO

SHOWN_FIELDS = (
    "status",
    "excerpt",
    "display_name",
    "display_role",
    "display_company",
    "disclosure",
)
SHOWN_FIELDS += ("rejection_reason", "override_reason", "snoozed_until", "tags")


def audit_query(workspace_id: int, testimonial_id: int | None = None) -> Select[tuple[AuditEntry]]:
    """The workspace's audit entries (or one testimonial's), newest first."""
    statement = select(AuditEntry).where(AuditEntry.workspace_id == workspace_id)
    if testimonial_id is not None:
        statement = statement.where(AuditEntry.testimonial_id == testimonial_id)
    return statement.order_by(AuditEntry.id.desc())


def _shown(field: str, value: Any, tag_names: dict[int, str]) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if field == "tags":
        return ", ".join(tag_names.get(i, f"deleted tag #{i}") for i in value)
    if field == "snoozed_until":
        return str(value)[:10]
    text = str(value)
    return text if len(text) <= 160 else text[:157] + "…"


def audit_rows(session: Session, workspace_id: int, entries: Sequence[AuditEntry]) -> list[dict]:
    """Entries with who did it and what changed (before -> after), in three queries at most."""
    names = actor_names(session, ((e.actor_user_id, e.actor_api_key_id) for e in entries))
    tag_names = dict(
        session.execute(select(Tag.id, Tag.name).where(Tag.workspace_id == workspace_id)).all()
    )
    rows = []
    for entry in entries:
        who = names.get((entry.actor_user_id, entry.actor_api_key_id)) or (
            "the respondent, with their survey answer"
            if entry.action == RESPONDENT_PHOTO
            else "someone (account removed)"
        )
        before, after = entry.before or {}, entry.after or {}
        changes = [
            (
                field.replace("_", " "),
                _shown(field, before.get(field), tag_names),
                _shown(field, after.get(field), tag_names),
            )
            for field in SHOWN_FIELDS
            if before.get(field) != after.get(field)
        ]
        rows.append({"entry": entry, "who": who, "changes": changes})
    return rows
