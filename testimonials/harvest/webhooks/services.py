"""Use cases for webhook sources: create, list, map fields, rotate, deactivate, find by token."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from testimonials.db import get_in_workspace, utcnow
from testimonials.errors import ConflictError, InvalidInputError
from testimonials.harvest.webhooks.models import WebhookSource, WebhookSourceKind
from testimonials.harvest.webhooks.signatures import derive_secret

# 32 random bytes -> 43 URL-safe characters: the URL cannot be guessed.
TOKEN_BYTES = 32
SALT_BYTES = 16
MAX_NAME_LENGTH = 120
# Our fields a Typeform source's field_map may name (kept in step with the API schema).
TYPEFORM_MAPPED_FIELDS = ("score", "comment", "email", "name", "role", "company", "consent")
MAX_REF_LENGTH = 200


@dataclass
class IssuedWebhookSource:
    """A source with its signing secret: the only moment the secret is ever shown."""

    source: WebhookSource
    secret: str

    def __getattr__(self, name: str) -> object:
        # Reads like the source itself (id, name, token...) for serialisation, plus the secret.
        return getattr(self.source, name)


def signing_secret(source: WebhookSource, app_secret_key: str | bytes) -> str:
    """The source's current signing secret (derived, never stored)."""
    return derive_secret(app_secret_key, source.secret_salt)


def sources_query(workspace_id: int) -> Select[WebhookSource]:
    """The workspace's webhook sources, active first, newest first."""
    return (
        select(WebhookSource)
        .where(WebhookSource.workspace_id == workspace_id)
        .order_by(
            WebhookSource.is_active.desc(), WebhookSource.created_at.desc(), WebhookSource.id.desc()
        )
    )


def get_source(session: Session, workspace_id: int, source_id: int) -> WebhookSource:
    """One source of the workspace, or NotFoundError."""
    return get_in_workspace(session, WebhookSource, workspace_id, source_id)


def create_source(
    session: Session,
    workspace_id: int,
    name: str,
    app_secret_key: str | bytes,
    kind: WebhookSourceKind = WebhookSourceKind.TESTIMONIALS,
    field_map: dict[str, str] | None = None,
) -> IssuedWebhookSource:
    """Create a source with a fresh URL token and secret; the secret is returned this once."""
    kind = WebhookSourceKind(kind)
    field_map = _checked_field_map(kind, field_map)
    name = name.strip()
    if not name:
        raise InvalidInputError("A webhook source needs a name.", {"name": ["Must not be empty."]})
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInputError(
            "That name is too long.", {"name": [f"At most {MAX_NAME_LENGTH} characters."]}
        )
    # Items are keyed by (source name, response id): two live sources with one name would
    # merge each other's responses.
    clash = session.scalar(
        select(WebhookSource.id).where(
            WebhookSource.workspace_id == workspace_id,
            WebhookSource.name == name,
            WebhookSource.is_active.is_(True),
        )
    )
    if clash is not None:
        raise ConflictError(f"An active webhook source is already called {name!r}.")
    source = WebhookSource(
        workspace_id=workspace_id,
        name=name,
        token=secrets.token_urlsafe(TOKEN_BYTES),
        secret_salt=secrets.token_hex(SALT_BYTES),
        kind=kind.value,
        field_map=field_map,
    )
    session.add(source)
    session.flush()
    return IssuedWebhookSource(source, signing_secret(source, app_secret_key))


def set_field_map(
    session: Session, workspace_id: int, source_id: int, field_map: dict[str, str] | None
) -> WebhookSource:
    """Say which Typeform question feeds which field; None maps automatically only."""
    source = get_source(session, workspace_id, source_id)
    source.field_map = _checked_field_map(WebhookSourceKind(source.kind), field_map)
    session.flush()
    return source


def _checked_field_map(
    kind: WebhookSourceKind, field_map: dict[str, str] | None
) -> dict[str, str] | None:
    if not field_map:
        return None
    if kind is not WebhookSourceKind.TYPEFORM:
        raise InvalidInputError(
            "Only Typeform sources have a field map; our own format names its fields.",
            {"field_map": ["Only for kind 'typeform'."]},
        )
    errors = {
        str(key): [f"Not one of {', '.join(TYPEFORM_MAPPED_FIELDS)}."]
        for key in field_map
        if key not in TYPEFORM_MAPPED_FIELDS
    }
    errors |= {
        str(key): [f"A Typeform field ref of 1 to {MAX_REF_LENGTH} characters."]
        for key, ref in field_map.items()
        if not isinstance(ref, str) or not ref.strip() or len(ref) > MAX_REF_LENGTH
    }
    if errors:
        raise InvalidInputError("The field map is not valid.", {"field_map": errors})
    return {key: ref.strip() for key, ref in field_map.items()}


def rotate_secret(
    session: Session, workspace_id: int, source_id: int, app_secret_key: str | bytes
) -> IssuedWebhookSource:
    """Give a source a new secret at once; the old one stops working."""
    source = get_source(session, workspace_id, source_id)
    if not source.is_active:
        raise ConflictError("This webhook source is deactivated; create a new one instead.")
    source.secret_salt = secrets.token_hex(SALT_BYTES)
    session.flush()
    return IssuedWebhookSource(source, signing_secret(source, app_secret_key))


def deactivate_source(session: Session, workspace_id: int, source_id: int) -> WebhookSource:
    """Stop accepting deliveries for a source; its items and history stay."""
    source = get_source(session, workspace_id, source_id)
    source.is_active = False
    session.flush()
    return source


def source_for_token(session: Session, token: str) -> WebhookSource | None:
    """The source a delivery URL points at (active or not), or None."""
    if not token or len(token) > 64:
        return None
    return session.scalar(select(WebhookSource).where(WebhookSource.token == token))


def start_delivery(session: Session, source_id: int) -> WebhookSource | None:
    """Stamp the source's last delivery as the transaction's first write; None if inactive.

    Writing first takes the source's row lock (PostgreSQL) or the database write lock
    (SQLite) before anything is read, so one source's deliveries apply one at a time and
    never act on a stale read of each other's items.
    """
    stamped = session.execute(
        update(WebhookSource)
        .where(WebhookSource.id == source_id, WebhookSource.is_active.is_(True))
        .values(last_delivery_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if not stamped.rowcount:  # type: ignore[attr-defined]  # an UPDATE or DELETE gives a CursorResult
        return None
    return session.get(WebhookSource, source_id, populate_existing=True)
