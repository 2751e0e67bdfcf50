"""API: widgets (/api/v1/widgets) — define, change, delete, and get their embed codes."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView

from testimonials.accounts.api_auth import api_caller, authenticate_api_request
from testimonials.api_spec import SchemaSharingBlueprint
from testimonials.db import get_session, paginate
from testimonials.schemas import page_schema
from testimonials.widgets import services
from testimonials.widgets.models import Widget
from testimonials.widgets.schemas import (
    RatingBasisSchema,
    WidgetListArgsSchema,
    WidgetSchema,
    WidgetUpdateSchema,
)
from testimonials.widgets.snippets import embed_codes

blp = SchemaSharingBlueprint(
    "widgets_api",
    __name__,
    url_prefix="/api/v1",
    description="Widgets: approved testimonials on your pages, and their embed codes",
)
blp.before_request(authenticate_api_request)


def _with_codes(widget: Widget) -> Widget:
    widget.embed = embed_codes(widget)  # type: ignore[attr-defined]
    return widget


def _changed(workspace_id: int) -> None:
    """Pages showing the workspace's widgets render afresh from the next request."""
    current_app.extensions["widget_cache"].invalidate(workspace_id)


@blp.route("/widgets")
class Widgets(MethodView):
    @blp.arguments(WidgetListArgsSchema, location="query")
    @blp.response(200, page_schema(WidgetSchema))
    def get(self, args: dict[str, Any]) -> Any:
        """The workspace's widgets, by name, with their embed codes."""
        query = services.widgets_query(api_caller().workspace_id)
        page = paginate(get_session(), query, args["page"], args["per_page"])
        for widget in page.items:
            _with_codes(widget)
        return page

    @blp.arguments(WidgetSchema)
    @blp.response(201, WidgetSchema)
    def post(self, values: dict[str, Any]) -> Any:
        """Create a widget; only approved testimonials with consent ever appear in it."""
        db = get_session()
        widget = services.create_widget(db, api_caller().workspace_id, values)
        db.commit()
        return _with_codes(widget)


@blp.route("/widgets/<int:widget_id>")
class WidgetView(MethodView):
    @blp.response(200, WidgetSchema)
    def get(self, widget_id: int) -> Any:
        """One widget with its embed codes."""
        return _with_codes(services.get_widget(get_session(), api_caller().workspace_id, widget_id))

    @blp.arguments(WidgetUpdateSchema(partial=True))
    @blp.response(200, WidgetSchema)
    def patch(self, changes: dict[str, Any], widget_id: int) -> Any:
        """Change some settings; nested settings (selection, theme, fields) are replaced whole."""
        db = get_session()
        widget = services.get_widget(db, api_caller().workspace_id, widget_id)
        services.update_widget(db, widget, changes)
        db.commit()
        _changed(widget.workspace_id)
        return _with_codes(widget)

    @blp.response(204)
    def delete(self, widget_id: int) -> None:
        """Delete; pages that embed it show nothing from the next request on."""
        db = get_session()
        widget = services.get_widget(db, api_caller().workspace_id, widget_id)
        services.delete_widget(db, widget)
        db.commit()
        _changed(api_caller().workspace_id)


@blp.route("/widgets/rating-basis")
class RatingBasis(MethodView):
    @blp.response(200, RatingBasisSchema)
    def get(self) -> Any:
        """The rating badges show: every genuine rating, and each exclusion with its reason."""
        summary = services.rating_summary(get_session(), api_caller().workspace_id)
        return {
            "average": summary.shown_average or None,
            "count": summary.count,
            "distribution": {str(k): v for k, v in summary.distribution.items()},
            "exclusions": summary.exclusions,
        }
