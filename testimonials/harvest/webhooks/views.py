"""API: webhook sources (survey tools that post responses), their URLs and secrets."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView

from testimonials.config import settings_for
from testimonials.db import get_session
from testimonials.harvest.webhooks import services
from testimonials.harvest.webhooks.schemas import (
    IssuedWebhookSourceSchema,
    WebhookSourceCreateSchema,
    WebhookSourceSchema,
    WebhookSourceUpdateSchema,
)
from testimonials.web import api_blueprint, current_workspace_id

blp = api_blueprint(
    "webhooks_api",
    __name__,
    "Webhook sources: survey tools that post signed responses to /hooks/{token}",
)


@blp.route("/webhook-sources")
class WebhookSources(MethodView):
    @blp.paged(WebhookSourceSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """The workspace's webhook sources (secrets are never shown again)."""
        return services.sources_query(current_workspace_id())

    @blp.arguments(WebhookSourceCreateSchema)
    @blp.response(201, IssuedWebhookSourceSchema)
    @blp.alt_response(409, description="An active source already has this name")
    def post(self, data: dict[str, Any]) -> Any:
        """Create a source; the response holds its URL and signing secret, this once."""
        db = get_session()
        issued = services.create_source(
            db,
            current_workspace_id(),
            data["name"],
            settings_for(current_app).derived_secret_key,
            kind=data["kind"],
            field_map=data["field_map"],
        )
        return issued


@blp.route("/webhook-sources/<int:source_id>")
class WebhookSource(MethodView):
    @blp.response(200, WebhookSourceSchema)
    def get(self, source_id: int) -> Any:
        """One webhook source."""
        return services.get_source(get_session(), current_workspace_id(), source_id)

    @blp.arguments(WebhookSourceUpdateSchema)
    @blp.response(200, WebhookSourceSchema)
    def patch(self, data: dict[str, Any], source_id: int) -> Any:
        """Change a Typeform source's field map (which question feeds which field)."""
        db = get_session()
        source = services.set_field_map(db, current_workspace_id(), source_id, data["field_map"])
        return source

    @blp.response(204)
    def delete(self, source_id: int) -> None:
        """Deactivate a source: its URL answers 410 from now on; its feedback stays."""
        db = get_session()
        services.deactivate_source(db, current_workspace_id(), source_id)


@blp.route("/webhook-sources/<int:source_id>/rotate-secret")
class WebhookSourceSecret(MethodView):
    @blp.response(200, IssuedWebhookSourceSchema)
    @blp.alt_response(409, description="The source is deactivated; create a new one instead")
    def post(self, source_id: int) -> Any:
        """Replace the signing secret at once; the response holds the new one, this once."""
        db = get_session()
        issued = services.rotate_secret(
            db, current_workspace_id(), source_id, settings_for(current_app).derived_secret_key
        )
        return issued
