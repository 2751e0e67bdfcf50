"""API: share images of a testimonial and its public share page."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import url_for
from flask.views import MethodView
from flask_smorest import abort

from testimonials.accounts.api_auth import api_caller, authenticate_api_request
from testimonials.accounts.models import Workspace
from testimonials.api_spec import SchemaSharingBlueprint
from testimonials.db import get_session
from testimonials.widgets.share import services
from testimonials.widgets.share.render import ShareFormat
from testimonials.widgets.share.serving import image_response

blp = SchemaSharingBlueprint(
    "share_api",
    __name__,
    url_prefix="/api/v1",
    description="Share images (social card, square) and public share pages of testimonials",
)
blp.before_request(authenticate_api_request)


class ShareImageArgsSchema(ma.Schema):
    format = ma.fields.Enum(
        ShareFormat,
        by_value=True,
        load_default=ShareFormat.CARD,
        metadata={"description": "card: 1200x630 link preview; square: 1080x1080 post"},
    )


class SharePageSchema(ma.Schema):
    token = ma.fields.String(dump_only=True)
    url = ma.fields.String(dump_only=True, metadata={"description": "The public page"})
    card_url = ma.fields.String(dump_only=True)
    square_url = ma.fields.String(dump_only=True)


class BrandColorSchema(ma.Schema):
    brand_color = ma.fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "#rrggbb, or null for the default colour"},
    )


def _page_body(token: str) -> dict[str, str]:
    return {
        "token": token,
        "url": url_for("share_public.page", token=token, _external=True),
        "card_url": url_for("share_public.image", token=token, share_format="card", _external=True),
        "square_url": url_for(
            "share_public.image", token=token, share_format="square", _external=True
        ),
    }


@blp.route("/testimonials/<int:testimonial_id>/share-image")
class ShareImage(MethodView):
    @blp.arguments(ShareImageArgsSchema, location="query")
    @blp.response(200, description="The share image, a PNG", content_type="image/png")
    @blp.alt_response(304, description="Not modified (If-None-Match)")
    @blp.alt_response(409, description="Not approved, no publishing consent, or suspicious")
    def get(self, args: dict[str, Any], testimonial_id: int) -> Any:
        """A share image of an approved testimonial: its excerpt, author and brand colour."""
        db = get_session()
        testimonial = services.get_shareable(db, api_caller().workspace_id, testimonial_id)
        return image_response(db, testimonial, args["format"], public=False)


@blp.route("/testimonials/<int:testimonial_id>/share-page")
class SharePage(MethodView):
    @blp.response(200, SharePageSchema)
    def get(self, testimonial_id: int) -> Any:
        """The testimonial's public share page, if it is open."""
        db = get_session()
        testimonial = services.get_shareable(db, api_caller().workspace_id, testimonial_id)
        page = services.share_page_of(db, testimonial)
        if page is None or services.why_not_shareable(testimonial):
            abort(404, message="This testimonial has no open share page.")
        assert page is not None  # abort() raised: flask_smorest's abort is untyped
        return _page_body(page.token)

    @blp.response(200, SharePageSchema)
    @blp.alt_response(409, description="Not approved, no publishing consent, or suspicious")
    def put(self, testimonial_id: int) -> Any:
        """Open the public share page (idempotent: an open page keeps its link)."""
        db = get_session()
        testimonial = services.get_shareable(db, api_caller().workspace_id, testimonial_id)
        page = services.open_share_page(db, testimonial)
        db.commit()
        return _page_body(page.token)

    @blp.response(204)
    def delete(self, testimonial_id: int) -> None:
        """Close the public share page; its link stops working for good."""
        db = get_session()
        testimonial = services.get_shareable(db, api_caller().workspace_id, testimonial_id)
        services.close_share_page(db, testimonial)
        db.commit()


@blp.route("/workspace/brand-color")
class BrandColor(MethodView):
    @blp.response(200, BrandColorSchema)
    def get(self) -> Any:
        """The workspace's brand colour (share images are drawn in it)."""
        workspace = get_session().get_one(Workspace, api_caller().workspace_id)
        return {"brand_color": workspace.brand_color}

    @blp.arguments(BrandColorSchema)
    @blp.response(200, BrandColorSchema)
    def put(self, body: dict[str, Any]) -> Any:
        """Set the brand colour ("#rrggbb"), or null for the default."""
        db = get_session()
        workspace = db.get_one(Workspace, api_caller().workspace_id)
        services.set_brand_color(db, workspace, body["brand_color"])
        db.commit()
        return {"brand_color": workspace.brand_color}
