"""Per-respondent survey links: one single-use token each, created in bulk, stored hashed."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from testimonials.errors import ConflictError, InvalidInputError, NotFoundError
from testimonials.harvest.surveys.models import Survey, SurveyInvitation
from testimonials.harvest.surveys.services import get_survey

MAX_INVITATIONS_PER_REQUEST = 10_000


def hash_token(token: str) -> str:
    """The stored form of an invitation token."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedInvitation:
    """A new per-respondent link; the token exists only in this answer."""

    invitation: SurveyInvitation
    token: str

    def __getattr__(self, name: str) -> object:
        # Reads like the invitation itself for serialisation, plus the token.
        return getattr(self.invitation, name)


def create_invitations(
    session: Session, workspace_id: int, survey_id: int, recipients: Sequence[Mapping[str, Any]]
) -> list[IssuedInvitation]:
    """Create one single-use token per recipient (for the customer's own e-mail/SMS tool)."""
    survey = get_survey(session, workspace_id, survey_id)
    if len(recipients) > MAX_INVITATIONS_PER_REQUEST:
        raise InvalidInputError(
            f"At most {MAX_INVITATIONS_PER_REQUEST} invitations per request.",
            {"recipients": [f"{len(recipients)} given."]},
        )
    refs = [r.get("external_ref") for r in recipients if r.get("external_ref")]
    if len(refs) != len(set(refs)):
        raise InvalidInputError(
            "Each external_ref may appear once.", {"recipients": ["Repeated external_ref."]}
        )
    if refs:
        taken = set(
            session.scalars(
                select(SurveyInvitation.external_ref).where(
                    SurveyInvitation.survey_id == survey.id,
                    SurveyInvitation.external_ref.in_(refs),
                )
            )
        )
        if taken:
            raise ConflictError(
                "Invitations already exist for external_ref "
                f"{sorted(str(ref) for ref in taken)[:10]}; "
                "nothing was created."
            )
    issued = []
    for recipient in recipients:
        token = secrets.token_urlsafe(24)
        invitation = SurveyInvitation(
            workspace_id=workspace_id,
            survey_id=survey.id,
            token_hash=hash_token(token),
            respondent_email=(recipient.get("email") or None),
            respondent_name=(recipient.get("name") or None),
            external_ref=(recipient.get("external_ref") or None),
        )
        session.add(invitation)
        issued.append(IssuedInvitation(invitation, token))
    session.flush()
    return issued


def find_invitation(session: Session, survey: Survey, token: str) -> SurveyInvitation:
    """The invitation of this survey behind a link token, or NotFoundError."""
    invitation = session.scalar(
        select(SurveyInvitation).where(
            SurveyInvitation.survey_id == survey.id,
            SurveyInvitation.token_hash == hash_token(token),
        )
    )
    if invitation is None:
        raise NotFoundError("This survey link is not valid. Check that it was copied whole.")
    return invitation


def invitations_query(workspace_id: int, survey_id: int) -> Select[SurveyInvitation]:
    """A survey's invitations, newest first."""
    return (
        select(SurveyInvitation)
        .where(
            SurveyInvitation.workspace_id == workspace_id,
            SurveyInvitation.survey_id == survey_id,
        )
        .order_by(SurveyInvitation.id.desc())
    )
