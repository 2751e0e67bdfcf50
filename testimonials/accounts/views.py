"""API: the caller's workspace, its members and its API keys."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from testimonials.accounts import services
from testimonials.accounts.api_auth import forget_recent_api_keys
from testimonials.accounts.models import Workspace
from testimonials.accounts.schemas import (
    ApiKeyCreateSchema,
    ApiKeySchema,
    IssuedApiKeySchema,
    MemberSchema,
    MemberUpdateSchema,
    WorkspaceSchema,
)
from testimonials.db import get_session
from testimonials.web import api_blueprint, current_workspace_id

blp = api_blueprint("accounts_api", __name__, "Workspace, members, API keys")


@blp.route("/workspace")
class CurrentWorkspace(MethodView):
    @blp.response(200, WorkspaceSchema)
    def get(self) -> Any:
        """The workspace the API key belongs to."""
        return get_session().get(Workspace, current_workspace_id())


@blp.route("/members")
class Members(MethodView):
    @blp.paged(MemberSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Members of the workspace and their roles."""
        return services.members_query(current_workspace_id())


@blp.route("/members/<int:member_id>")
class Member(MethodView):
    @blp.response(200, MemberSchema)
    def get(self, member_id: int) -> Any:
        """One member of the workspace."""
        return services.get_member(get_session(), current_workspace_id(), member_id)

    @blp.arguments(MemberUpdateSchema)
    @blp.response(200, MemberSchema)
    @blp.alt_response(409, description="It would leave the workspace without an owner")
    def patch(self, data: dict[str, Any], member_id: int) -> Any:
        """Change a member's role (owner, editor or viewer)."""
        db = get_session()
        membership = services.change_member_role(
            db, current_workspace_id(), member_id, data["role"]
        )
        return membership

    @blp.response(204)
    @blp.alt_response(409, description="It would leave the workspace without an owner")
    def delete(self, member_id: int) -> None:
        """Remove a member from the workspace; their account and other workspaces stay."""
        db = get_session()
        services.remove_member(db, current_workspace_id(), member_id)


@blp.route("/api-keys")
class ApiKeys(MethodView):
    @blp.paged(ApiKeySchema)
    def get(self, args: dict[str, Any]) -> Any:
        """The workspace's API keys (secrets are never shown again)."""
        return services.api_keys_query(current_workspace_id())

    @blp.arguments(ApiKeyCreateSchema)
    @blp.response(201, IssuedApiKeySchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Create an API key; the response holds its secret this one time."""
        return services.create_api_key(
            get_session(), current_workspace_id(), data["name"], data["scope"]
        )


@blp.route("/api-keys/<int:key_id>")
class ApiKey(MethodView):
    @blp.response(200, ApiKeySchema)
    def get(self, key_id: int) -> Any:
        """One API key."""
        return services.get_api_key(get_session(), current_workspace_id(), key_id)

    @blp.response(204)
    def delete(self, key_id: int) -> None:
        """Revoke an API key: it stops working within 5 s (at once here) and cannot be restored."""
        services.revoke_api_key(get_session(), current_workspace_id(), key_id)
        forget_recent_api_keys()  # this process; others within RECENT_API_KEY_SECONDS
