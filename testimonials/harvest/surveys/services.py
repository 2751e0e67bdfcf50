"""Use cases for NPS surveys: settings, answers from every channel, consent.

Per-respondent links are in invitations.py.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from testimonials import signals
from testimonials.db import get_in_workspace, utcnow
from testimonials.errors import ConflictError, InvalidInputError, NotFoundError
from testimonials.harvest.intake import IntakeScorer, NewFeedback, record_feedback
from testimonials.harvest.models import Channel, ConsentState, FeedbackItem, VerifiedBy
from testimonials.harvest.photos import PHOTO_FIELD, ProcessedPhoto, process_photo
from testimonials.harvest.surveys.models import Survey, SurveyInvitation
from testimonials.locales import localizable, supported, translate

DEFAULT_QUESTION = localizable(
    "How likely are you to recommend {company} to a friend or colleague?"
)
DEFAULT_COMMENT_PROMPT = localizable("What is the main reason for your score?")
DEFAULT_CONSENT_TEXT = localizable(
    "{company} may quote my answer publicly, with the name, role, company and photo "
    "I give here, on its website and in its marketing."
)
# The wording a new survey starts with, written in the survey's language.
DEFAULT_WORDING = {
    "question": DEFAULT_QUESTION,
    "comment_prompt": DEFAULT_COMMENT_PROMPT,
    "consent_text": DEFAULT_CONSENT_TEXT,
}
MAX_COMMENT_LENGTH = 5000
SURVEY_FIELDS = (
    "name",
    "company_name",
    "question",
    "comment_prompt",
    "extra_questions",
    "consent_text",
    "follow_up_passives",
    "trigger",
    "delay_seconds",
    "scroll_percent",
    "sample_rate",
    "cooldown_days",
    "allowed_origins",
    "is_active",
    "language",
)
_EXTRA_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def question_text(survey: Survey) -> str:
    """The survey's question with the company's name filled in."""
    return survey.question.replace("{company}", survey.company_name)


def consent_text(survey: Survey) -> str:
    """The exact permission wording respondents see and agree to."""
    return survey.consent_text.replace("{company}", survey.company_name)


@dataclass(frozen=True)
class QuestionProblem:
    """Why one extra question breaks the rules: the field, the rule, and what was wrong."""

    index: int
    field: str
    rule: str
    found: str


def extra_question_problems(questions: Sequence[Any]) -> list[QuestionProblem]:
    """Every rule the extra questions break, in order (beyond their schema: keys, choices)."""
    problems = []
    seen: set[str] = set()
    for index, question in enumerate(questions):
        key = question.get("key", "") if isinstance(question, dict) else ""
        if not _EXTRA_KEY.match(key) or key in seen:
            problems.append(
                QuestionProblem(
                    index,
                    "key",
                    "Each extra question needs a unique key of lower-case letters, digits and _.",
                    f"Bad or repeated key {key!r}.",
                )
            )
        seen.add(key)
        kind = question.get("type", "text") if isinstance(question, dict) else None
        if kind not in ("text", "choice"):
            problems.append(
                QuestionProblem(
                    index,
                    "type",
                    "Extra questions are of type text or choice.",
                    f"Unknown type for {key!r}.",
                )
            )
        elif kind == "choice" and not question.get("choices"):
            problems.append(
                QuestionProblem(
                    index, "choices", "A choice question needs choices.", f"{key!r} has none."
                )
            )
    return problems


def _check_extra_questions(questions: Any) -> list[dict[str, Any]]:
    if not isinstance(questions, list):
        raise InvalidInputError("Extra questions must be a list.", {"extra_questions": ["List."]})
    problems = extra_question_problems(questions)
    if problems:
        raise InvalidInputError(problems[0].rule, {"extra_questions": [problems[0].found]})
    return questions


def default_wording(language: str, settings: Mapping[str, Any]) -> dict[str, str]:
    """The question, prompt and consent text in the survey's language: what the settings
    say, or the standard wording where they say nothing or the standard English."""
    language = supported(language)
    return {
        name: translate(language, english)
        if settings.get(name) in (None, "", english)
        else settings[name]
        for name, english in DEFAULT_WORDING.items()
    }


def create_survey(session: Session, workspace_id: int, settings: Mapping[str, Any]) -> Survey:
    """Create a survey with the standard NPS wording (in its language) unless told otherwise."""
    company = settings.get("company_name") or settings.get("name") or "us"
    language = supported(settings.get("language"))
    wording = default_wording(language, settings)
    survey = Survey(
        workspace_id=workspace_id,
        name=settings.get("name") or "NPS survey",
        company_name=company,
        question=wording["question"],
        comment_prompt=wording["comment_prompt"],
        extra_questions=_check_extra_questions(settings.get("extra_questions", [])),
        consent_text=wording["consent_text"],
        language=language,
        consent_version="1",
        public_token=secrets.token_urlsafe(16),
    )
    already_set = ("extra_questions", "name", "language", *DEFAULT_WORDING)
    for name in SURVEY_FIELDS:
        if name not in already_set and settings.get(name) is not None:
            setattr(survey, name, settings[name])
    session.add(survey)
    session.flush()
    return survey


def update_survey(
    session: Session, workspace_id: int, survey_id: int, changes: Mapping[str, Any]
) -> Survey:
    """Change a survey; new consent wording gets a new consent version."""
    survey = get_survey(session, workspace_id, survey_id)
    language = changes.get("language")
    if language and language != survey.language:
        # Wording still at the old language's standard moves to the new language's.
        changes = dict(changes)
        for name, english in DEFAULT_WORDING.items():
            current = changes.get(name) or getattr(survey, name)
            if current in (english, translate(survey.language, english)):
                changes[name] = translate(language, english)
    for name, value in changes.items():
        if name not in SURVEY_FIELDS or value is None:
            continue
        if name == "extra_questions":
            value = _check_extra_questions(value)
        if name == "consent_text" and value != survey.consent_text:
            # Past answers keep the wording they agreed to; the version says which.
            survey.consent_version = str(int(survey.consent_version) + 1)
        setattr(survey, name, value)
    session.flush()
    return survey


def surveys_query(workspace_id: int) -> Select[Survey]:
    """The workspace's surveys, newest first."""
    return select(Survey).where(Survey.workspace_id == workspace_id).order_by(Survey.id.desc())


def get_survey(session: Session, workspace_id: int, survey_id: int) -> Survey:
    """One survey of the workspace, or NotFoundError."""
    return get_in_workspace(session, Survey, workspace_id, survey_id)


def find_public_survey(session: Session, public_token: str) -> Survey:
    """The active survey behind a public link or embed, or NotFoundError."""
    survey = session.scalar(select(Survey).where(Survey.public_token == public_token))
    if survey is None or not survey.is_active:
        raise NotFoundError(localizable("This survey does not exist or is closed."))
    return survey


def survey_language(session: Session, public_token: str) -> str:
    """The language of the survey behind a link, closed or not (English if none)."""
    language = session.scalar(select(Survey.language).where(Survey.public_token == public_token))
    return supported(language)


@dataclass(frozen=True)
class Answer:
    """A respondent's validated answer, whatever the channel."""

    score: int
    comment: str = ""
    answers: Mapping[str, str] | None = None
    consent: bool = False
    name: str | None = None
    role: str | None = None
    company: str | None = None
    email: str | None = None
    language: str | None = None
    country: str | None = None
    # Kept only with permission to quote, beside words to quote (hosted page only).
    photo: ProcessedPhoto | None = None


def _text(raw: Mapping[str, Any], name: str, limit: int, errors: dict[str, list[str]]) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[name] = ["Must be text."]
        return ""
    value = value.strip()
    if len(value) > limit:
        errors[name] = [
            localizable(
                "At most %(limit)s characters (this has %(length)s).",
                limit=limit,
                length=len(value),
            )
        ]
    return value


def _read_photo(
    photo: bytes | None, consent: bool, comment: str, errors: dict[str, list[str]]
) -> ProcessedPhoto | None:
    """The respondent's photo, cleaned, when they let us quote them; else nothing is kept."""
    if not photo or not consent:
        return None
    if not comment:
        errors[PHOTO_FIELD] = [
            localizable(
                "A photo is shown beside your words: write a few above, or leave the photo out."
            )
        ]
        return None
    try:
        return process_photo(photo)
    except InvalidInputError as error:
        errors[PHOTO_FIELD] = [
            localizable("%(problem)s Choose another photo, or leave it out.", problem=error.detail)
        ]
        return None


def read_answer(survey: Survey, raw: Mapping[str, Any], photo: bytes | None = None) -> Answer:
    """Validate an answer from a form, the embed or JSON; InvalidInputError names each field."""
    errors: dict[str, list[str]] = {}
    score_raw = raw.get("score")
    score = None
    try:
        score = int(score_raw) if not isinstance(score_raw, bool | None) else None
    except (TypeError, ValueError):
        score = None
    if score is None or not 0 <= score <= 10:
        errors["score"] = [localizable("Choose a score from 0 to 10.")]
    comment = _text(raw, "comment", MAX_COMMENT_LENGTH, errors)
    extras: dict[str, str] = {}
    given = raw.get("answers") or {}
    for question in survey.extra_questions:
        key = question["key"]
        value = given.get(key) if isinstance(given, Mapping) else raw.get(f"answer_{key}")
        if value is None and isinstance(given, Mapping):
            value = raw.get(f"answer_{key}")
        if value in (None, ""):
            continue
        value = str(value).strip()[:1000]
        if question.get("type") == "choice" and value not in question.get("choices", []):
            errors[f"answer_{key}"] = [localizable("Pick one of the choices.")]
        extras[key] = value
    consent = raw.get("consent") in (True, "true", "on", "1", "yes", 1)
    fields = {name: _text(raw, name, 200, errors) or None for name in ("name", "role", "company")}
    email = _text(raw, "email", 254, errors) or None
    if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        errors["email"] = [localizable("That is not an e-mail address.")]
    if consent and not fields["name"]:
        errors["name"] = [
            localizable("Tell us the name to show with your quote, or untick the permission.")
        ]
    processed = _read_photo(photo, consent, comment, errors)
    if errors:
        raise InvalidInputError(localizable("Some answers need another look."), errors)
    assert score is not None
    return Answer(
        score=score,
        comment=comment,
        answers=extras or None,
        consent=consent,
        email=email,
        language=(_text(raw, "language", 16, errors) or None),
        country=(_text(raw, "country", 2, errors) or None),
        photo=processed,
        **fields,
    )


def submit_answer(
    session: Session,
    survey: Survey,
    answer: Answer,
    channel: Channel,
    scorer: IntakeScorer | None,
    invitation: SurveyInvitation | None = None,
    client_fingerprint: str | None = None,
    device_fingerprint: str | None = None,
) -> FeedbackItem:
    """Store an answer to a survey; every score takes the same path (no review gating)."""
    now = utcnow()
    if invitation is not None:
        if invitation.answered_at is not None:
            raise ConflictError(
                localizable("This link has already been used to answer. Thank you!")
            )
        invitation.answered_at = now
    item = record_feedback(
        session,
        survey.workspace_id,
        NewFeedback(
            text=answer.comment,
            channel=channel,
            source_name=survey.name,
            nps_score=answer.score,
            author_name=answer.name or (invitation.respondent_name if invitation else None),
            author_email=answer.email or (invitation.respondent_email if invitation else None),
            author_role=answer.role,
            author_company=answer.company,
            language=answer.language,
            country=answer.country,
            submitted_at=now,
            received_at=now,
            verified=invitation is not None,
            verified_by=VerifiedBy.TOKEN if invitation is not None else None,
            consent_state=ConsentState.GRANTED if answer.consent else ConsentState.DECLINED,
            consent_text=consent_text(survey) if answer.consent else None,
            consent_version=survey.consent_version if answer.consent else None,
            consent_at=now if answer.consent else None,
            survey_id=survey.id,
            invitation_id=invitation.id if invitation else None,
            answers=dict(answer.answers) if answer.answers else None,
            client_fingerprint=client_fingerprint,
            device_fingerprint=device_fingerprint,
            follow_up_passives=survey.follow_up_passives,
        ),
        scorer,
    )
    if answer.photo is not None and answer.consent:
        # Curation keeps it beside the quote, so the inbox shows them together.
        signals.photo_received.send(
            survey.workspace_id, session=session, item=item, photo=answer.photo
        )
    return item
