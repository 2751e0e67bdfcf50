"""API: surveys, invitations, answers gathered elsewhere, consent, follow-ups, erasure."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from testimonials.accounts.auth import api_caller, authenticate_api_request
from testimonials.db import get_session, paginate
from testimonials.harvest import services as harvest
from testimonials.harvest.intake import intake_scorer_for
from testimonials.harvest.privacy import (
    ErasureReceipt,
    erase_item,
    erase_respondent,
    erasure_history,
    erasures_query,
    subject_key_for,
)
from testimonials.harvest.schemas import FeedbackItemSchema
from testimonials.harvest.surveys import follow_ups, invitations, services
from testimonials.harvest.surveys.schemas import (
    ErasureCreateSchema,
    ErasureRecordSchema,
    ErasureSchema,
    FollowUpQueryArgsSchema,
    FollowUpSchema,
    FollowUpUpdateSchema,
    InvitationSchema,
    InvitationsCreateSchema,
    IssuedInvitationSchema,
    ResponseCreateSchema,
    SurveyCreateSchema,
    SurveySchema,
    SurveyUpdateSchema,
)
from testimonials.schemas import PageArgsSchema, page_schema

blp = Blueprint(
    "surveys_api",
    __name__,
    url_prefix="/api/v1",
    description="NPS surveys, invitations, responses, follow-ups and erasure",
)
blp.before_request(authenticate_api_request)


@blp.route("/surveys")
class Surveys(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_schema(SurveySchema))
    def get(self, args: dict[str, Any]) -> Any:
        """The workspace's surveys."""
        query = services.surveys_query(api_caller().workspace_id)
        return paginate(get_session(), query, args["page"], args["per_page"])

    @blp.arguments(SurveyCreateSchema)
    @blp.response(201, SurveySchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Create a survey (standard NPS wording unless you give your own)."""
        db = get_session()
        survey = services.create_survey(db, api_caller().workspace_id, data)
        db.commit()
        return survey


@blp.route("/surveys/<int:survey_id>")
class SurveyOne(MethodView):
    @blp.response(200, SurveySchema)
    def get(self, survey_id: int) -> Any:
        """One survey with its hosted link."""
        return services.get_survey(get_session(), api_caller().workspace_id, survey_id)

    @blp.arguments(SurveyUpdateSchema)
    @blp.response(200, SurveySchema)
    def patch(self, data: dict[str, Any], survey_id: int) -> Any:
        """Change a survey; new consent wording gets a new version."""
        db = get_session()
        survey = services.update_survey(db, api_caller().workspace_id, survey_id, data)
        db.commit()
        return survey


@blp.route("/surveys/<int:survey_id>/invitations")
class Invitations(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_schema(InvitationSchema))
    def get(self, args: dict[str, Any], survey_id: int) -> Any:
        """The survey's per-respondent links (tokens are never shown again)."""
        workspace_id = api_caller().workspace_id
        services.get_survey(get_session(), workspace_id, survey_id)
        query = invitations.invitations_query(workspace_id, survey_id)
        return paginate(get_session(), query, args["page"], args["per_page"])

    @blp.arguments(InvitationsCreateSchema)
    @blp.response(201, IssuedInvitationSchema(many=True))
    @blp.alt_response(
        409, description="Invitations already exist for some `external_ref`; none was created"
    )
    def post(self, data: dict[str, Any], survey_id: int) -> Any:
        """Create single-use links in bulk, for campaigns sent by your own e-mail/SMS tool."""
        db = get_session()
        issued = invitations.create_invitations(
            db, api_caller().workspace_id, survey_id, data["recipients"]
        )
        db.commit()
        return issued


@blp.route("/responses")
class Responses(MethodView):
    @blp.arguments(ResponseCreateSchema)
    @blp.response(201, FeedbackItemSchema)
    @blp.alt_response(
        200,
        schema=FeedbackItemSchema,
        description="Already recorded: the "
        "same `external_id` from the same source (a retry); nothing changes",
    )
    def post(self, data: dict[str, Any]) -> Any:
        """Record an answer or review gathered elsewhere (scored on arrival).

        Give `external_id` to make retries safe: the same id from the same source returns
        the stored item with 200 instead of recording it twice.
        """
        db = get_session()
        item, created = harvest.record_api_response(
            db, api_caller().workspace_id, data, intake_scorer_for(current_app)
        )
        db.commit()
        return item, 201 if created else 200


@blp.route("/feedback/<int:item_id>/revoke-consent")
class RevokeConsent(MethodView):
    @blp.response(200, FeedbackItemSchema)
    def post(self, item_id: int) -> Any:
        """The author withdrew permission to be quoted: take it out of every public place."""
        db = get_session()
        item = harvest.revoke_consent(db, api_caller().workspace_id, item_id)
        db.commit()
        return item


@blp.route("/follow-ups")
class FollowUps(MethodView):
    @blp.arguments(FollowUpQueryArgsSchema, location="query")
    @blp.response(200, page_schema(FollowUpSchema))
    def get(self, args: dict[str, Any]) -> Any:
        """Detractors (and passives, if the survey asks) waiting for a reply."""
        query = follow_ups.follow_ups_query(api_caller().workspace_id, args["status"])
        return paginate(get_session(), query, args["page"], args["per_page"])


@blp.route("/follow-ups/<int:follow_up_id>")
class FollowUpOne(MethodView):
    @blp.response(200, FollowUpSchema)
    def get(self, follow_up_id: int) -> Any:
        """One follow-up."""
        return follow_ups.get_follow_up(get_session(), api_caller().workspace_id, follow_up_id)

    @blp.arguments(FollowUpUpdateSchema)
    @blp.response(200, FollowUpSchema)
    def patch(self, data: dict[str, Any], follow_up_id: int) -> Any:
        """Assign, annotate or close a follow-up."""
        db = get_session()
        follow_up = follow_ups.update_follow_up(db, api_caller().workspace_id, follow_up_id, data)
        db.commit()
        return follow_up


@blp.route("/erasures")
class Erasures(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_schema(ErasureRecordSchema))
    def get(self, args: dict[str, Any]) -> Any:
        """The workspace's erasures, newest first: proof each request was carried out."""
        db = get_session()
        page = paginate(
            db, erasures_query(api_caller().workspace_id), args["page"], args["per_page"]
        )
        return replace(page, items=erasure_history(db, page.items))

    @blp.arguments(ErasureCreateSchema)
    @blp.response(201, ErasureSchema)
    @blp.alt_response(404, description="No such item in this workspace")
    @blp.alt_response(409, description="The item was already erased")
    def post(self, data: dict[str, Any]) -> Any:
        """Erase a person's personal data everywhere (`email`), or one answer's (`item_id`)."""
        db = get_session()
        caller = api_caller()
        if "item_id" in data:
            receipt = erase_item(
                db,
                caller.workspace_id,
                data["item_id"],
                requested_by_id=None,
                requested_by_api_key_id=caller.api_key_id,
            )
        else:
            erasure = erase_respondent(
                db,
                caller.workspace_id,
                data["email"],
                subject_key_for(current_app),
                requested_by_id=None,
                requested_by_api_key_id=caller.api_key_id,
            )
            receipt = ErasureReceipt(erasure)
        db.commit()
        # The duplicate index remembers the erased words' fingerprints: drop it.
        intake_scorer_for(current_app).forget(caller.workspace_id)
        return receipt
