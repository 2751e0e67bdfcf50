"""API: harvested feedback."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from testimonials.db import get_session
from testimonials.harvest import services
from testimonials.harvest.schemas import (
    FeedbackItemSchema,
    FeedbackQueryArgsSchema,
)
from testimonials.web import api_blueprint, current_workspace_id

blp = api_blueprint("harvest_api", __name__, "Harvested feedback")


@blp.route("/feedback")
class FeedbackItems(MethodView):
    @blp.paged(FeedbackItemSchema, args=FeedbackQueryArgsSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Harvested feedback, newest first, filtered by channel, NPS group or words."""
        return services.feedback_query(
            current_workspace_id(), args["channel"], args["group"], (args["q"] or "").strip()
        )


@blp.route("/feedback/<int:item_id>")
class FeedbackItem(MethodView):
    @blp.response(200, FeedbackItemSchema)
    def get(self, item_id: int) -> Any:
        """One harvested item."""
        return services.get_feedback(get_session(), current_workspace_id(), item_id)
