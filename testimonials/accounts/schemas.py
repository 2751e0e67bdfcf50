"""API representations of workspaces, members and API keys."""

from __future__ import annotations

import marshmallow as ma

from testimonials.accounts.models import Role, Scope


class WorkspaceSchema(ma.Schema):
    """The caller's workspace."""

    id = ma.fields.Integer(dump_only=True)
    name = ma.fields.String()
    slug = ma.fields.String()
    created_at = ma.fields.DateTime(dump_only=True)


class UserSchema(ma.Schema):
    """A person, as their colleagues see them."""

    id = ma.fields.Integer()
    email = ma.fields.Email()
    display_name = ma.fields.String()


class MemberSchema(ma.Schema):
    """A user's role in the workspace."""

    id = ma.fields.Integer()
    role = ma.fields.String()
    created_at = ma.fields.DateTime()
    user = ma.fields.Nested(UserSchema)


class MemberUpdateSchema(ma.Schema):
    """A change to a member: their role."""

    role = ma.fields.Enum(Role, by_value=True, required=True)


class ApiKeySchema(ma.Schema):
    """An API key, without its secret."""

    id = ma.fields.Integer()
    name = ma.fields.String()
    prefix = ma.fields.String(metadata={"description": "Non-secret start of the key"})
    scope = ma.fields.String()
    created_at = ma.fields.DateTime()
    last_used_at = ma.fields.DateTime(allow_none=True)
    revoked_at = ma.fields.DateTime(allow_none=True)
    is_active = ma.fields.Boolean()


class ApiKeyCreateSchema(ma.Schema):
    """A request for a new API key."""

    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=120))
    scope = ma.fields.Enum(Scope, by_value=True, load_default=Scope.READ)


class IssuedApiKeySchema(ApiKeySchema):
    """A new API key with its secret, shown this once only."""

    token = ma.fields.String(metadata={"description": "The key; it is not shown again"})
