"""API: erasure of a person or one answer, its record, and withdrawn consent."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import current_app
from flask.views import MethodView
from sqlalchemy.orm import Session

from testimonials.db import Page, get_session
from testimonials.harvest.personal_data import subject_key_for
from testimonials.harvest.schemas import FeedbackItemSchema
from testimonials.privacy import services
from testimonials.privacy.schemas import ErasureCreateSchema, ErasureRecordSchema, ErasureSchema
from testimonials.web import api_blueprint, current_actor, current_workspace_id

blp = api_blueprint(
    "privacy_api", __name__, "Privacy: erasure of personal data, its record, withdrawn consent"
)


@blp.route("/feedback/<int:item_id>/revoke-consent")
class RevokeConsent(MethodView):
    @blp.response(200, FeedbackItemSchema)
    def post(self, item_id: int) -> Any:
        """The author withdrew permission to be quoted: take it out of every public place."""
        return services.revoke_consent(get_session(), current_workspace_id(), item_id)


def _with_history(session: Session, page: Page[Any]) -> Page[Any]:
    return replace(page, items=services.erasure_history(session, page.items))


@blp.route("/erasures")
class Erasures(MethodView):
    @blp.paged(ErasureRecordSchema, present=_with_history)
    def get(self, args: dict[str, Any]) -> Any:
        """The workspace's erasures, newest first: proof each request was carried out."""
        return services.erasures_query(current_workspace_id())

    @blp.arguments(ErasureCreateSchema)
    @blp.response(201, ErasureSchema)
    @blp.alt_response(404, description="No such item in this workspace")
    @blp.alt_response(409, description="The item was already erased")
    def post(self, data: dict[str, Any]) -> Any:
        """Erase a person's personal data everywhere (`email`), or one answer's (`item_id`)."""
        db = get_session()
        workspace_id, api_key_id = current_workspace_id(), current_actor().api_key_id
        if "item_id" in data:
            receipt = services.erase_item(
                db,
                workspace_id,
                data["item_id"],
                requested_by_id=None,
                requested_by_api_key_id=api_key_id,
            )
        else:
            erasure = services.erase_respondent(
                db,
                workspace_id,
                data["email"],
                subject_key_for(current_app),
                requested_by_id=None,
                requested_by_api_key_id=api_key_id,
            )
            receipt = services.ErasureReceipt(erasure)
        return receipt
