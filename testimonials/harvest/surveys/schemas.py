"""API representations of surveys, invitations, answers and follow-ups."""

from __future__ import annotations

import marshmallow as ma
from flask import url_for

from testimonials.harvest.surveys.models import FollowUpStatus, Survey
from testimonials.locales import LANGUAGES
from testimonials.schemas import PageArgsSchema, id_field

_TRIGGERS = ("delay", "scroll", "manual")


def hosted_url(survey: Survey, token: str | None = None) -> str:
    """The survey's hosted page, as a full URL (with a per-respondent token if given)."""
    return url_for(
        "surveys_pages.hosted_survey", public_token=survey.public_token, t=token, _external=True
    )


class ExtraQuestionSchema(ma.Schema):
    """An optional question asked after the comment."""

    key = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[a-z][a-z0-9_]{0,39}$"))
    label = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=300),
        error_messages={"required": "Write the question to ask."},
    )
    type = ma.fields.String(load_default="text", validate=ma.validate.OneOf(["text", "choice"]))
    choices = ma.fields.List(ma.fields.String(validate=ma.validate.Length(max=100)))


class SurveyCreateSchema(ma.Schema):
    """A new survey; everything but the name has a sensible default."""

    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=120))
    company_name = ma.fields.String(validate=ma.validate.Length(min=1, max=120))
    question = ma.fields.String(validate=ma.validate.Length(min=10, max=300))
    comment_prompt = ma.fields.String(validate=ma.validate.Length(min=3, max=300))
    extra_questions = ma.fields.List(ma.fields.Nested(ExtraQuestionSchema))
    consent_text = ma.fields.String(validate=ma.validate.Length(min=20, max=2000))
    follow_up_passives = ma.fields.Boolean()
    trigger = ma.fields.String(validate=ma.validate.OneOf(_TRIGGERS))
    delay_seconds = ma.fields.Integer(validate=ma.validate.Range(min=0, max=3600))
    scroll_percent = ma.fields.Integer(validate=ma.validate.Range(min=0, max=100))
    sample_rate = ma.fields.Float(validate=ma.validate.Range(min=0, max=1))
    cooldown_days = ma.fields.Integer(validate=ma.validate.Range(min=0, max=3650))
    allowed_origins = ma.fields.List(ma.fields.Url(schemes={"http", "https"}, require_tld=False))
    is_active = ma.fields.Boolean()
    language = ma.fields.String(
        validate=ma.validate.OneOf(list(LANGUAGES)),
        metadata={
            "description": "What customers read: the hosted page, thanks and closed pages, "
            "their messages; a new survey's question, prompt and consent text default to it "
            "(default en)"
        },
    )


class SurveyUpdateSchema(SurveyCreateSchema):
    """Changes to a survey (all fields optional)."""

    name = ma.fields.String(validate=ma.validate.Length(min=1, max=120))


class SurveySchema(ma.Schema):
    """A survey with its public link and embed snippet."""

    id = ma.fields.Integer()
    name = ma.fields.String()
    company_name = ma.fields.String()
    question = ma.fields.String()
    comment_prompt = ma.fields.String()
    extra_questions = ma.fields.List(ma.fields.Nested(ExtraQuestionSchema))
    consent_text = ma.fields.String()
    consent_version = ma.fields.String()
    follow_up_passives = ma.fields.Boolean()
    public_token = ma.fields.String()
    trigger = ma.fields.String()
    delay_seconds = ma.fields.Integer()
    scroll_percent = ma.fields.Integer()
    sample_rate = ma.fields.Float()
    cooldown_days = ma.fields.Integer()
    allowed_origins = ma.fields.List(ma.fields.String())
    is_active = ma.fields.Boolean()
    language = ma.fields.String()
    created_at = ma.fields.DateTime()
    hosted_url = ma.fields.Function(lambda survey: hosted_url(survey))


class RecipientSchema(ma.Schema):
    """Who an invitation is for (all optional; the e-mail stays private)."""

    email = ma.fields.Email(load_default=None)
    name = ma.fields.String(load_default=None, validate=ma.validate.Length(max=200))
    external_ref = ma.fields.String(load_default=None, validate=ma.validate.Length(max=200))


class InvitationsCreateSchema(ma.Schema):
    """Recipients to create single-use links for."""

    recipients = ma.fields.List(
        ma.fields.Nested(RecipientSchema),
        required=True,
        validate=ma.validate.Length(min=1, max=10_000),
    )


class InvitationSchema(ma.Schema):
    """A per-respondent link (its token is never shown again after creation)."""

    id = ma.fields.Integer()
    respondent_email = ma.fields.String(allow_none=True)
    respondent_name = ma.fields.String(allow_none=True)
    external_ref = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    answered_at = ma.fields.DateTime(allow_none=True)


class IssuedInvitationSchema(InvitationSchema):
    """A new link with its token and URL, shown once."""

    token = ma.fields.String()
    url = ma.fields.Function(lambda issued: hosted_url(issued.survey, issued.token))


class ConsentSchema(ma.Schema):
    """Permission to quote, as given where the answer was collected."""

    granted = ma.fields.Boolean(required=True)
    text = ma.fields.String(validate=ma.validate.Length(min=10, max=2000))
    version = ma.fields.String(validate=ma.validate.Length(min=1, max=40))
    given_at = ma.fields.AwareDateTime(default_timezone=None)

    @ma.validates_schema
    def _wording_when_granted(self, data: dict, **_kwargs: object) -> None:
        if data.get("granted") and not (data.get("text") and data.get("version")):
            raise ma.ValidationError(
                "Granted consent needs the exact text the person agreed to and its version.",
                "text",
            )


class ResponseCreateSchema(ma.Schema):
    """An NPS answer or review gathered elsewhere and sent through the API."""

    score = ma.fields.Integer(validate=ma.validate.Range(min=0, max=10), load_default=None)
    rating = ma.fields.Integer(validate=ma.validate.Range(min=1, max=5), load_default=None)
    comment = ma.fields.String(load_default="", validate=ma.validate.Length(max=5000))
    title = ma.fields.String(load_default=None, validate=ma.validate.Length(max=300))
    survey_id = id_field(load_default=None)
    source_name = ma.fields.String(load_default="API", validate=ma.validate.Length(min=1, max=120))
    external_id = ma.fields.String(load_default=None, validate=ma.validate.Length(max=200))
    email = ma.fields.Email(load_default=None)
    name = ma.fields.String(load_default=None, validate=ma.validate.Length(max=200))
    role = ma.fields.String(load_default=None, validate=ma.validate.Length(max=200))
    company = ma.fields.String(load_default=None, validate=ma.validate.Length(max=200))
    language = ma.fields.String(load_default=None, validate=ma.validate.Length(max=16))
    country = ma.fields.String(load_default=None, validate=ma.validate.Length(equal=2))
    submitted_at = ma.fields.AwareDateTime(load_default=None)
    verified = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "True only if you matched the person to a known customer"},
    )
    consent = ma.fields.Nested(ConsentSchema, load_default=None)

    @ma.validates_schema
    def _something_to_record(self, data: dict, **_kwargs: object) -> None:
        if data.get("score") is None and data.get("rating") is None and not data.get("comment"):
            raise ma.ValidationError("Send a score, a rating or a comment.", "score")


class FollowUpSchema(ma.Schema):
    """A detractor or passive answer the team should close the loop on."""

    id = ma.fields.Integer()
    item_id = ma.fields.Integer()
    status = ma.fields.String()
    owner_id = id_field(allow_none=True)
    notes = ma.fields.String()
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    closed_at = ma.fields.DateTime(allow_none=True)
    nps_score = ma.fields.Integer(attribute="item.nps_score")
    comment = ma.fields.String(attribute="item.text")
    author_name = ma.fields.String(attribute="item.author_name", allow_none=True)


class FollowUpUpdateSchema(ma.Schema):
    """Changes to a follow-up."""

    status = ma.fields.Enum(FollowUpStatus, by_value=True)
    owner_id = id_field(allow_none=True)
    notes = ma.fields.String(validate=ma.validate.Length(max=10_000))


class FollowUpQueryArgsSchema(PageArgsSchema):
    """Filters for follow-ups."""

    status = ma.fields.Enum(FollowUpStatus, by_value=True, load_default=None)
