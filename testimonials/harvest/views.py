"""API: harvested feedback."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from testimonials.accounts.auth import api_caller, authenticate_api_request
from testimonials.db import get_session, paginate
from testimonials.harvest import services
from testimonials.harvest.schemas import FeedbackItemSchema, FeedbackQueryArgsSchema
from testimonials.schemas import page_schema

blp = Blueprint("harvest_api", __name__, url_prefix="/api/v1", description="Harvested feedback")
blp.before_request(authenticate_api_request)


@blp.route("/feedback")
class FeedbackItems(MethodView):
    @blp.arguments(FeedbackQueryArgsSchema, location="query")
    @blp.response(200, page_schema(FeedbackItemSchema))
    def get(self, args: dict[str, Any]) -> Any:
        """Harvested feedback, newest first, filtered by channel or NPS group."""
        query = services.feedback_query(api_caller().workspace_id, args["channel"], args["group"])
        return paginate(get_session(), query, args["page"], args["per_page"])


@blp.route("/feedback/<int:item_id>")
class FeedbackItem(MethodView):
    @blp.response(200, FeedbackItemSchema)
    def get(self, item_id: int) -> Any:
        """One harvested item."""
        return services.get_feedback(get_session(), api_caller().workspace_id, item_id)
