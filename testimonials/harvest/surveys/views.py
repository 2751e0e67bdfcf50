"""API: surveys, invitations, answers gathered elsewhere, and follow-ups."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView

from testimonials.db import get_session
from testimonials.harvest import services as harvest
from testimonials.harvest.intake import intake_scorer_for
from testimonials.harvest.schemas import FeedbackItemSchema
from testimonials.harvest.surveys import follow_ups, invitations, services
from testimonials.harvest.surveys.schemas import (
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
from testimonials.web import api_blueprint, current_workspace_id

blp = api_blueprint("surveys_api", __name__, "NPS surveys, invitations, responses and follow-ups")


@blp.route("/surveys")
class Surveys(MethodView):
    @blp.paged(SurveySchema)
    def get(self, args: dict[str, Any]) -> Any:
        """The workspace's surveys."""
        return services.surveys_query(current_workspace_id())

    @blp.arguments(SurveyCreateSchema)
    @blp.response(201, SurveySchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Create a survey (standard NPS wording unless you give your own)."""
        db = get_session()
        survey = services.create_survey(db, current_workspace_id(), data)
        return survey


@blp.route("/surveys/<int:survey_id>")
class SurveyOne(MethodView):
    @blp.response(200, SurveySchema)
    def get(self, survey_id: int) -> Any:
        """One survey with its hosted link."""
        return services.get_survey(get_session(), current_workspace_id(), survey_id)

    @blp.arguments(SurveyUpdateSchema)
    @blp.response(200, SurveySchema)
    def patch(self, data: dict[str, Any], survey_id: int) -> Any:
        """Change a survey; new consent wording gets a new version."""
        db = get_session()
        survey = services.update_survey(db, current_workspace_id(), survey_id, data)
        return survey


@blp.route("/surveys/<int:survey_id>/invitations")
class Invitations(MethodView):
    @blp.paged(InvitationSchema)
    def get(self, args: dict[str, Any], survey_id: int) -> Any:
        """The survey's per-respondent links (tokens are never shown again)."""
        workspace_id = current_workspace_id()
        services.get_survey(get_session(), workspace_id, survey_id)
        return invitations.invitations_query(workspace_id, survey_id)

    @blp.arguments(InvitationsCreateSchema)
    @blp.response(201, IssuedInvitationSchema(many=True))
    @blp.alt_response(
        409, description="Invitations already exist for some `external_ref`; none was created"
    )
    def post(self, data: dict[str, Any], survey_id: int) -> Any:
        """Create single-use links in bulk, for campaigns sent by your own e-mail/SMS tool."""
        db = get_session()
        issued = invitations.create_invitations(
            db, current_workspace_id(), survey_id, data["recipients"]
        )
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
            db, current_workspace_id(), data, intake_scorer_for(current_app)
        )
        return item, 201 if created else 200


@blp.route("/follow-ups")
class FollowUps(MethodView):
    @blp.paged(FollowUpSchema, args=FollowUpQueryArgsSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Detractors (and passives, if the survey asks) waiting for a reply."""
        return follow_ups.follow_ups_query(current_workspace_id(), args["status"])


@blp.route("/follow-ups/<int:follow_up_id>")
class FollowUpOne(MethodView):
    @blp.response(200, FollowUpSchema)
    def get(self, follow_up_id: int) -> Any:
        """One follow-up."""
        return follow_ups.get_follow_up(get_session(), current_workspace_id(), follow_up_id)

    @blp.arguments(FollowUpUpdateSchema)
    @blp.response(200, FollowUpSchema)
    def patch(self, data: dict[str, Any], follow_up_id: int) -> Any:
        """Assign, annotate or close a follow-up."""
        db = get_session()
        follow_up = follow_ups.update_follow_up(db, current_workspace_id(), follow_up_id, data)
        return follow_up
