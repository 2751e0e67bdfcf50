"""API: webhook sources (survey tools that post responses), their URLs and secrets."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from testimonials.accounts.auth import api_caller, authenticate_api_request
from testimonials.db import get_session, paginate
from testimonials.harvest.webhooks import services
from testimonials.harvest.webhooks.schemas import (
    IssuedWebhookSourceSchema,
    WebhookSourceCreateSchema,
    WebhookSourceSchema,
    WebhookSourceUpdateSchema,
)
from testimonials.schemas import PageArgsSchema, page_schema

blp = Blueprint(
    "webhooks_api",
    __name__,
    url_prefix="/api/v1",
    description="Webhook sources: survey tools that post signed responses to /hooks/{token}",
)
blp.before_request(authenticate_api_request)


@blp.route("/webhook-sources")
class WebhookSources(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_schema(WebhookSourceSchema))
    def get(self, args: dict[str, Any]) -> Any:
        """The workspace's webhook sources (secrets are never shown again)."""
        query = services.sources_query(api_caller().workspace_id)
        return paginate(get_session(), query, args["page"], args["per_page"])

    @blp.arguments(WebhookSourceCreateSchema)
    @blp.response(201, IssuedWebhookSourceSchema)
    @blp.alt_response(409, description="An active source already has this name")
    def post(self, data: dict[str, Any]) -> Any:
        """Create a source; the response holds its URL and signing secret, this once."""
        db = get_session()
        issued = services.create_source(
            db,
            api_caller().workspace_id,
            data["name"],
            current_app.config["SECRET_KEY"],
            kind=data["kind"],
            field_map=data["field_map"],
        )
        db.commit()
        return issued


@blp.route("/webhook-sources/<int:source_id>")
class WebhookSource(MethodView):
    @blp.response(200, WebhookSourceSchema)
    def get(self, source_id: int) -> Any:
        """One webhook source."""
        return services.get_source(get_session(), api_caller().workspace_id, source_id)

    @blp.arguments(WebhookSourceUpdateSchema)
    @blp.response(200, WebhookSourceSchema)
    def patch(self, data: dict[str, Any], source_id: int) -> Any:
        """Change a Typeform source's field map (which question feeds which field)."""
        db = get_session()
        source = services.set_field_map(db, api_caller().workspace_id, source_id, data["field_map"])
        db.commit()
        return source

    @blp.response(204)
    def delete(self, source_id: int) -> None:
        """Deactivate a source: its URL answers 410 from now on; its feedback stays."""
        db = get_session()
        services.deactivate_source(db, api_caller().workspace_id, source_id)
        db.commit()


@blp.route("/webhook-sources/<int:source_id>/rotate-secret")
class WebhookSourceSecret(MethodView):
    @blp.response(200, IssuedWebhookSourceSchema)
    @blp.alt_response(409, description="The source is deactivated; create a new one instead")
    def post(self, source_id: int) -> Any:
        """Replace the signing secret at once; the response holds the new one, this once."""
        db = get_session()
        issued = services.rotate_secret(
            db, api_caller().workspace_id, source_id, current_app.config["SECRET_KEY"]
        )
        db.commit()
        return issued
