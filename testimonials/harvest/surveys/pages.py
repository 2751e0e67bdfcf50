"""The hosted survey page (public) and the dashboard's surveys and follow-ups pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from testimonials.accounts.auth import current_membership, role_required
from testimonials.accounts.forms import ActionForm
from testimonials.accounts.models import Role
from testimonials.accounts.services import members_query
from testimonials.db import get_session, paginate
from testimonials.errors import ConflictError, InvalidInputError, NotFoundError
from testimonials.extensions import limiter
from testimonials.harvest.embed.snippets import QUEUE_STUB, embed_snippet
from testimonials.harvest.intake import intake_scorer_for
from testimonials.harvest.models import Channel
from testimonials.harvest.photos import MAX_PHOTO_BYTES, PHOTO_FIELD
from testimonials.harvest.surveys import follow_ups, invitations, services
from testimonials.harvest.surveys.forms import SurveyForm
from testimonials.harvest.surveys.models import FollowUpStatus, Survey
from testimonials.harvest.surveys.schemas import hosted_url
from testimonials.locales import (
    DEFAULT_LANGUAGE,
    direction,
    localizable,
    speaking,
    supported,
    translate,
)
from testimonials.problems import http_error_response
from testimonials.schemas import parse_id
from testimonials.security_headers import PUBLIC_PAGE, allow_framing_by, header_policy
from testimonials.web import current_role, current_workspace_id, discard_changes

bp = Blueprint("surveys_pages", __name__)


# --- Public: the hosted survey ------------------------------------------------------


@bp.route("/s/<public_token>", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
@header_policy(PUBLIC_PAGE)
def hosted_survey(public_token: str) -> Any:
    """The survey page customers link to; `?t=` marks a single-use, verified link."""
    db = get_session()
    try:
        survey = services.find_public_survey(db, public_token)
        # Framed only by the websites the survey names (none named: this site alone).
        allow_framing_by(survey.allowed_origins or ())
        token = request.values.get("t")
        invitation = invitations.find_invitation(db, survey, token) if token else None
    except NotFoundError as error:
        return _closed(services.survey_language(db, public_token), error.detail), 404
    if invitation is not None and invitation.answered_at is not None:
        return _public_page(survey.language, "surveys/thanks.html", survey=survey, already=True)

    form = ActionForm()
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not form.validate_on_submit():
            errors["_form"] = [
                localizable("This page was open too long; please send your answer again.")
            ]
        else:
            try:
                answer = services.read_answer(survey, request.form, _uploaded_photo())
                services.submit_answer(
                    db,
                    survey,
                    answer,
                    Channel.HOSTED_SURVEY,
                    intake_scorer_for(current_app),
                    invitation=invitation,
                )
            except InvalidInputError as error:
                discard_changes()  # refused, yet the form is shown again with 200
                errors = error.errors or {"_form": [error.detail]}
                photo = request.files.get(PHOTO_FIELD)
                if (
                    photo
                    and photo.filename
                    and request.form.get("consent")
                    and not errors.get(PHOTO_FIELD)
                ):
                    # Browsers never refill a file input: tell them before they send again.
                    errors[PHOTO_FIELD] = [
                        localizable("Your photo was fine; please choose it again.")
                    ]
            except ConflictError:
                discard_changes()  # answered already: thank them, store nothing new
                return _public_page(
                    survey.language, "surveys/thanks.html", survey=survey, already=True
                )
            else:
                return _public_page(
                    survey.language,
                    "surveys/thanks.html",
                    survey=survey,
                    already=False,
                    with_photo=answer.photo is not None,
                )
    return _hosted_form(survey, form, errors, request.form)


def _public_page(language: str, template: str, **context: Any) -> str:
    """A page customers see, in their survey's language (`lang`, `dir` and wording)."""
    language = supported(language)
    with speaking(language):
        return render_template(
            template, lang=language, text_direction=direction(language), **context
        )


def _closed(language: str, message: str) -> str:
    return _public_page(language, "surveys/closed.html", message=translate(language, message))


def _hosted_form(
    survey: Survey, form: ActionForm, errors: dict[str, list[str]], values: Mapping[str, Any]
) -> Any:
    language = supported(survey.language)
    errors = {
        field: [translate(language, message) for message in messages]
        for field, messages in errors.items()
    }
    return _public_page(
        language,
        "surveys/hosted.html",
        survey=survey,
        question=services.question_text(survey),
        consent_text=services.consent_text(survey),
        form=form,
        errors=errors,
        values=values,
        token=request.args.get("t", "") or values.get("t", ""),
        max_photo_mb=MAX_PHOTO_BYTES // 1_048_576,
    ), (422 if errors else 200)


def _uploaded_photo() -> bytes | None:
    """The photo file's bytes (one past the limit at most, so the size check still speaks)."""
    upload = request.files.get(PHOTO_FIELD)
    if upload is None or not upload.filename:
        return None
    return upload.stream.read(MAX_PHOTO_BYTES + 1)


@bp.errorhandler(RequestEntityTooLarge)
def _request_too_large(error: RequestEntityTooLarge) -> Any:
    """Past the request limit nothing of the form can be read; say so on the survey itself."""
    # The body was refused unread; nothing rendered from here may try to parse it again.
    request.form = request.files = ImmutableMultiDict()  # type: ignore[assignment]
    if request.endpoint != "surveys_pages.hosted_survey":
        return http_error_response(error)
    try:
        survey = services.find_public_survey(
            get_session(), (request.view_args or {})["public_token"]
        )
    except NotFoundError as missing:
        return _closed(DEFAULT_LANGUAGE, missing.detail), 404
    message = localizable(
        "That photo is far larger than %(limit)s MB, so your answer could not be read. "
        "Please answer again with a smaller photo, or without one.",
        limit=MAX_PHOTO_BYTES // 1_048_576,
    )
    page, _status = _hosted_form(survey, ActionForm(formdata=None), {"_form": [message]}, {})
    return page, 413


# --- Dashboard ------------------------------------------------------------------------


@bp.route("/surveys", methods=["GET", "POST"])
@role_required(Role.VIEWER)
def survey_list() -> Any:
    """Surveys, with a form for owners to create one."""
    membership = current_membership()
    assert membership is not None
    db = get_session()
    form = SurveyForm()
    if request.method == "GET":
        form.company_name.data = membership.workspace.name
        form.question.data = services.DEFAULT_QUESTION
        form.comment_prompt.data = services.DEFAULT_COMMENT_PROMPT
        form.consent_text.data = services.DEFAULT_CONSENT_TEXT
    elif current_role() is not Role.OWNER:
        abort(403, "Only owners can create surveys.")
    elif form.validate_on_submit():
        survey = services.create_survey(db, membership.workspace_id, form.settings())
        flash(f"Created the survey “{survey.name}”.")
        return redirect(url_for("surveys_pages.survey_detail", survey_id=survey.id))
    surveys = db.scalars(services.surveys_query(membership.workspace_id)).all()
    form.offer_new_questions()
    return render_template("surveys/list.html", surveys=surveys, form=form)


@bp.route("/surveys/<int:survey_id>", methods=["GET", "POST"])
@role_required(Role.VIEWER)
def survey_detail(survey_id: int) -> Any:
    """A survey's links, embed snippet and settings (owners edit them)."""
    db = get_session()
    survey = services.get_survey(db, current_workspace_id(), survey_id)
    form = SurveyForm(obj=survey)
    if request.method == "GET":
        form.allowed_origins.data = "\n".join(survey.allowed_origins or [])
    elif current_role() is not Role.OWNER:
        abort(403, "Only owners can change surveys.")
    elif form.validate_on_submit():
        services.update_survey(db, current_workspace_id(), survey_id, form.settings())
        flash("Saved.")
        return redirect(url_for("surveys_pages.survey_detail", survey_id=survey_id))
    form.offer_new_questions()
    return render_template(
        "surveys/detail.html",
        survey=survey,
        form=form,
        hosted_url=hosted_url(survey),
        embed_snippet=embed_snippet(survey.public_token),
        queue_stub=QUEUE_STUB,
    )


@bp.route("/follow-ups")
@role_required(Role.VIEWER)
def follow_up_list() -> Any:
    """Detractors (and passives, if asked) to get back to."""
    db = get_session()
    raw_status = request.args.get("status", "open")
    status = FollowUpStatus(raw_status) if raw_status in set(FollowUpStatus) else None
    page_number = max(1, request.args.get("page", 1, type=int) or 1)
    page = paginate(
        db, follow_ups.follow_ups_query(current_workspace_id(), status), page_number, 25
    )
    members = db.scalars(members_query(current_workspace_id())).all()
    return render_template(
        "surveys/follow_ups.html",
        page=page,
        status=status,
        statuses=list(FollowUpStatus),
        members=members,
        form=ActionForm(),
    )


@bp.route("/follow-ups/<int:follow_up_id>", methods=["POST"])
@role_required(Role.EDITOR)
def update_follow_up(follow_up_id: int) -> Any:
    """Assign, annotate or close a follow-up from the list."""
    if not ActionForm().validate_on_submit():
        abort(400, "The form expired; please try again.")
    changes: dict[str, Any] = {"notes": request.form.get("notes", "")}
    if request.form.get("status") in set(FollowUpStatus):
        changes["status"] = request.form["status"]
    owner = request.form.get("owner_id", "")
    changes["owner_id"] = parse_id(owner)
    if owner == "me":
        changes["owner_id"] = current_user.id
    db = get_session()
    try:
        follow_ups.update_follow_up(db, current_workspace_id(), follow_up_id, changes)
    except InvalidInputError as error:
        discard_changes()  # refused, yet answered with a redirect
        flash(error.detail)
    else:
        flash("Follow-up updated.")
    return redirect(url_for("surveys_pages.follow_up_list", status=request.args.get("status")))
