"""Use cases for workspaces, users, memberships and API keys."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, bindparam, or_, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from testimonials.accounts.models import ApiKey, Membership, Role, Scope, User, Workspace
from testimonials.accounts.sessions import end_all_sessions
from testimonials.db import get_in_workspace, utcnow
from testimonials.errors import ConflictError, InvalidInputError, NotFoundError

MIN_PASSWORD_LENGTH = 10
API_KEY_MARKER = "tsk"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Checked when the e-mail is unknown, so a failed login takes as long either way.
_DUMMY_HASH = generate_password_hash("not-a-real-password")
# How stale last_used_at may get before a request writes it again (avoids a write per call).
_LAST_USED_RESOLUTION = timedelta(minutes=5)


def slugify(name: str) -> str:
    """A URL-safe slug from a workspace name."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:50] or "workspace"


def create_workspace(session: Session, name: str, slug: str | None = None) -> Workspace:
    """Create a workspace with a unique slug derived from its name unless one is given."""
    name = name.strip()
    if not name:
        raise InvalidInputError("A workspace needs a name.", {"name": ["Must not be empty."]})
    base = slugify(slug or name)
    candidate, n = base, 1
    while session.scalar(select(Workspace.id).where(Workspace.slug == candidate)) is not None:
        if slug:
            raise ConflictError(f"The workspace slug {candidate!r} is taken.")
        n += 1
        candidate = f"{base}-{n}"
    workspace = Workspace(name=name, slug=candidate)
    session.add(workspace)
    session.flush()
    return workspace


def find_workspace(session: Session, slug: str) -> Workspace:
    """The workspace with this slug, or NotFoundError."""
    workspace = session.scalar(select(Workspace).where(Workspace.slug == slug))
    if workspace is None:
        raise NotFoundError(f"No workspace with slug {slug!r}.")
    return workspace


def normalise_email(email: str) -> str:
    """Lower-case and strip an e-mail address, or raise InvalidInputError."""
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise InvalidInputError("That is not an e-mail address.", {"email": ["Not valid."]})
    return email


def check_password_strength(password: str) -> None:
    """Refuse passwords too short to resist guessing."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInputError(
            f"Passwords need at least {MIN_PASSWORD_LENGTH} characters.",
            {"password": [f"At least {MIN_PASSWORD_LENGTH} characters."]},
        )


def create_user(
    session: Session,
    email: str,
    password: str,
    workspace: Workspace,
    role: Role,
    display_name: str = "",
) -> User:
    """Create a user with a hashed password and make them a member of `workspace`."""
    email = normalise_email(email)
    check_password_strength(password)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise ConflictError(f"A user with e-mail {email} already exists.")
    user = User(
        email=email,
        display_name=display_name.strip() or email.split("@")[0],
        password_hash=generate_password_hash(password),
    )
    session.add(user)
    session.flush()
    add_member(session, workspace, user, role)
    return user


def set_password(session: Session, user: User, password: str) -> None:
    """Replace a user's password."""
    check_password_strength(password)
    user.password_hash = generate_password_hash(password)
    session.flush()
    # The cookie id's fingerprint changes too; ending the records also clears the list.
    end_all_sessions(session, user.id)


def add_member(session: Session, workspace: Workspace, user: User, role: Role) -> Membership:
    """Give `user` a role in `workspace`, or change the role they have."""
    membership = session.scalar(
        select(Membership).where(
            Membership.workspace_id == workspace.id, Membership.user_id == user.id
        )
    )
    if membership is None:
        membership = Membership(workspace_id=workspace.id, user_id=user.id, role=role.value)
        session.add(membership)
    else:
        membership.role = role.value
    session.flush()
    return membership


def find_user_by_email(session: Session, email: str) -> User | None:
    """The user with this e-mail address, if any."""
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None (timing does not reveal which part)."""
    user = find_user_by_email(session, email)
    if user is None or not user.is_active:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def memberships_of(session: Session, user_id: int) -> list[Membership]:
    """A user's memberships, oldest first."""
    statement = select(Membership).where(Membership.user_id == user_id).order_by(Membership.id)
    return list(session.scalars(statement))


def membership_in(session: Session, user_id: int, workspace_id: int) -> Membership | None:
    """The user's membership of one workspace, if any."""
    return session.scalar(
        select(Membership).where(
            Membership.user_id == user_id, Membership.workspace_id == workspace_id
        )
    )


def members_query(workspace_id: int) -> Select[Membership]:
    """Members of a workspace, for listing."""
    return select(Membership).where(Membership.workspace_id == workspace_id).order_by(Membership.id)


def get_member(session: Session, workspace_id: int, membership_id: int) -> Membership:
    """One membership of the workspace, or NotFoundError."""
    return get_in_workspace(session, Membership, workspace_id, membership_id)


def _keep_an_owner(session: Session, membership: Membership) -> None:
    """Refuse to take away the workspace's last owner (nobody could manage it then)."""
    if membership.role != Role.OWNER:
        return
    # Locked, so two owners demoting each other at once cannot both succeed.
    owners = session.scalars(
        select(Membership.id)
        .where(
            Membership.workspace_id == membership.workspace_id,
            Membership.role == Role.OWNER.value,
        )
        .with_for_update()
    ).all()
    if len(owners) <= 1:
        raise ConflictError(
            "A workspace needs at least one owner: make someone else an owner first."
        )


def change_member_role(
    session: Session, workspace_id: int, membership_id: int, role: Role
) -> Membership:
    """Give a member another role; never leaves the workspace without an owner."""
    membership = get_member(session, workspace_id, membership_id)
    if membership.role != role.value:
        if role != Role.OWNER:
            _keep_an_owner(session, membership)
        membership.role = role.value
        session.flush()
    return membership


def remove_member(session: Session, workspace_id: int, membership_id: int) -> Membership:
    """Take a member out of the workspace (their account and other workspaces stay)."""
    membership = get_member(session, workspace_id, membership_id)
    _keep_an_owner(session, membership)
    session.delete(membership)
    session.flush()
    return membership


@dataclass(frozen=True)
class IssuedApiKey:
    """A freshly created key: `token` is the only time the secret is ever available."""

    api_key: ApiKey
    token: str

    def __getattr__(self, name: str) -> object:
        # Reads like the key itself (id, name, scope...) for serialisation, plus the token.
        return getattr(self.api_key, name)


def _hash_token(token: str) -> str:
    # Keys carry 256 random bits, so a fast hash is enough: no dictionary to slow down.
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_key(
    session: Session,
    workspace_id: int,
    name: str,
    scope: Scope,
    created_by_id: int | None = None,
) -> IssuedApiKey:
    """Create an API key; the returned token is shown once and stored only as a hash."""
    name = name.strip()
    if not name:
        raise InvalidInputError("An API key needs a name.", {"name": ["Must not be empty."]})
    prefix = f"{API_KEY_MARKER}_{secrets.token_hex(6)}"
    token = f"{prefix}_{secrets.token_urlsafe(32)}"
    api_key = ApiKey(
        workspace_id=workspace_id,
        name=name,
        prefix=prefix,
        secret_hash=_hash_token(token),
        scope=scope.value,
        created_by_id=created_by_id,
    )
    session.add(api_key)
    session.flush()
    return IssuedApiKey(api_key, token)


@dataclass(frozen=True)
class PresentedKey:
    """What a request needs of the active API key it presented."""

    id: int
    workspace_id: int
    scope: str
    last_used_at: datetime | None


# Built once: every API request runs it.
_PRESENTED_KEY = select(
    ApiKey.id,
    ApiKey.workspace_id,
    ApiKey.scope,
    ApiKey.last_used_at,
    ApiKey.secret_hash,
    ApiKey.revoked_at,
).where(ApiKey.prefix == bindparam("prefix"))


def resolve_api_key(session: Session, token: str) -> PresentedKey | None:
    """The active key matching a presented bearer token, or None. Reads only.

    Every API request runs this first: one indexed row of plain columns, no ORM object.
    """
    parts = token.split("_")
    if len(parts) < 3 or parts[0] != API_KEY_MARKER:
        return None
    prefix = "_".join(parts[:2])
    row = session.connection().execute(_PRESENTED_KEY, {"prefix": prefix}).first()
    if row is None or not hmac.compare_digest(row.secret_hash, _hash_token(token)):
        return None
    if row.revoked_at is not None:
        return None
    return PresentedKey(row.id, row.workspace_id, row.scope, row.last_used_at)


def api_key_use_is_due(api_key: PresentedKey, now: datetime) -> bool:
    """Whether the key's last use is stale enough to be written again."""
    return api_key.last_used_at is None or now - api_key.last_used_at > _LAST_USED_RESOLUTION


def record_api_key_use(session: Session, api_key_id: int, now: datetime) -> None:
    """Set the key's last use to `now` unless another request already did, lately."""
    session.execute(
        update(ApiKey)
        .where(
            ApiKey.id == api_key_id,
            or_(
                ApiKey.last_used_at.is_(None),
                ApiKey.last_used_at < now - _LAST_USED_RESOLUTION,
            ),
        )
        .values(last_used_at=now)
    )


def api_keys_query(workspace_id: int) -> Select[ApiKey]:
    """A workspace's API keys, newest first."""
    return select(ApiKey).where(ApiKey.workspace_id == workspace_id).order_by(ApiKey.id.desc())


def get_api_key(session: Session, workspace_id: int, key_id: int) -> ApiKey:
    """One API key of the workspace, or NotFoundError."""
    return get_in_workspace(session, ApiKey, workspace_id, key_id)


def revoke_api_key(session: Session, workspace_id: int, key_id: int) -> ApiKey:
    """Revoke a key of the workspace; revoking twice keeps the first revocation time."""
    api_key = get_api_key(session, workspace_id, key_id)
    if api_key.revoked_at is None:
        api_key.revoked_at = utcnow()
        session.flush()
    return api_key


def actor_names(
    session: Session, actors: Iterable[tuple[int | None, int | None]]
) -> dict[tuple[int | None, int | None], str]:
    """How the dashboard names whoever did something: a member, or an API key.

    Takes (user id, API key id) pairs and answers in two queries at most; a pair whose user
    and key are both gone (or were never recorded) is left out, for the caller to word.
    """
    pairs = set(actors)
    user_ids = {user_id for user_id, _key in pairs if user_id}
    key_ids = {key_id for _user, key_id in pairs if key_id}
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))}
    keys = {k.id: k for k in session.scalars(select(ApiKey).where(ApiKey.id.in_(key_ids)))}
    names: dict[tuple[int | None, int | None], str] = {}
    for user_id, key_id in pairs:
        if user_id in users:
            user = users[user_id]
            names[user_id, key_id] = (
                f"{user.display_name} ({user.email})" if user.display_name else user.email
            )
        elif key_id in keys:
            names[user_id, key_id] = f"API key “{keys[key_id].name}”"
    return names
