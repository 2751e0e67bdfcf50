"""The in-page survey on customers' websites: the loader script, its settings, its answers.

Browsers on other sites call these, so every request is a CORS *simple* request: answers
arrive as JSON in a text/plain body, no cookies are read or set, and the response names
the caller's origin only when the survey allows it (an empty allow-list allows any site).
A request without an Origin header is not a browser on another site: it may read the
settings, but may not answer a survey that names its websites.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, g, jsonify, request
from werkzeug.wrappers import Response as SentResponse

from testimonials.config import settings_for
from testimonials.csrf import csrf
from testimonials.db import get_session
from testimonials.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from testimonials.extensions import limiter
from testimonials.harvest.intake import intake_scorer_for
from testimonials.harvest.models import Channel
from testimonials.harvest.personal_data import keyed_hash
from testimonials.harvest.surveys import services
from testimonials.harvest.surveys.models import Survey
from testimonials.json_limits import load_json
from testimonials.locales import DEFAULT_LANGUAGE, direction, localizable, supported, translate

bp = Blueprint("embed_pages", __name__, url_prefix="/embed")
csrf.exempt(bp)  # no cookies are involved, so there is no session to forge

MAX_ANSWER_BYTES = 64 * 1024  # a 5000-character comment in any script fits easily
LOADER_MAX_AGE = 300
CONFIG_MAX_AGE = 60
PREFLIGHT_MAX_AGE = 600
_CORS_ORIGIN = "embed_cors_origin"


# The in-page survey's own words (the loader keeps the English ones; others come with the
# settings of a survey in another language).
LABELS = {
    "close": localizable("Close survey"),
    "low": localizable("0 = Not at all likely"),
    "high": localizable("10 = Extremely likely"),
    "name": localizable("Your name (shown with your quote)"),
    "role": localizable("Your role (optional)"),
    "company": localizable("Your company (optional)"),
    "send": localizable("Send"),
    "sending": localizable("Sending…"),
    "failed": localizable("Something went wrong; please try again."),
    "offline": localizable("Your answer could not be sent. Please try again."),
    "thanks": localizable("Thank you!"),
    "sent": localizable("Your answer has been sent."),
}


def survey_settings(survey: Survey) -> dict[str, Any]:
    """What the loader needs to ask the survey: wording, extras, consent, trigger, sampling
    (and, in another language than English, its own words in that language)."""
    settings = _settings(survey)
    language = supported(survey.language)
    if language != DEFAULT_LANGUAGE:
        settings["language"] = language
        settings["dir"] = direction(language)
        settings["labels"] = {key: translate(language, text) for key, text in LABELS.items()}
    return settings


def _settings(survey: Survey) -> dict[str, Any]:
    return {
        "survey": survey.public_token,
        "question": services.question_text(survey),
        "comment_prompt": survey.comment_prompt.replace("{company}", survey.company_name),
        "extra_questions": [
            {
                "key": question["key"],
                "label": question.get("label") or question["key"],
                "type": question.get("type", "text"),
                "choices": list(question.get("choices") or []),
            }
            for question in survey.extra_questions
        ],
        "consent": {"text": services.consent_text(survey), "version": survey.consent_version},
        "trigger": {
            "type": survey.trigger,
            "delay_seconds": survey.delay_seconds,
            "scroll_percent": survey.scroll_percent,
        },
        "sample_rate": survey.sample_rate,
        "cooldown_days": survey.cooldown_days,
    }


def _normalise_origin(origin: str) -> str:
    return origin.strip().rstrip("/").lower()


def origin_allowed(survey: Survey, origin: str | None) -> bool:
    """Whether a page on `origin` may run this survey (no allow-list means any site)."""
    if not survey.allowed_origins:
        return True
    if origin is None:
        return False
    return _normalise_origin(origin) in {_normalise_origin(o) for o in survey.allowed_origins}


def _public_survey(public_token: str, answering: bool = False) -> Survey:
    """The survey, after checking the calling site; remembers the origin to echo in CORS."""
    survey = services.find_public_survey(get_session(), public_token)
    origin = request.headers.get("Origin")
    if origin is None and not answering:
        return survey
    if not origin_allowed(survey, origin):
        raise PermissionDeniedError("This survey is not set up to run on this website.")
    setattr(g, _CORS_ORIGIN, origin)
    return survey


def _rate_limit() -> str:
    return settings_for(current_app).embed_rate_limit


def _fingerprint_key() -> bytes:
    secret = settings_for(current_app).derived_secret_key
    return hashlib.sha256(b"fingerprint:" + secret.encode()).digest()


def _read_answer_body() -> dict[str, Any]:
    """The JSON object in the body (sent as text/plain), read no further than the limit."""
    if (request.content_length or 0) > MAX_ANSWER_BYTES:
        abort(413, f"An answer may be at most {MAX_ANSWER_BYTES // 1024} KB.")
    # Cached data: the app's input guard (problems.refuse_unstorable_text) read it first.
    raw = request.get_data(cache=True)
    if len(raw) > MAX_ANSWER_BYTES:
        abort(413, f"An answer may be at most {MAX_ANSWER_BYTES // 1024} KB.")
    try:
        body = load_json(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        abort(400, "The body must be a JSON object (UTF-8), sent as text/plain.")
    if not isinstance(body, dict):
        abort(400, "The body must be a JSON object.")
    return body


@bp.get("/survey.js")
def loader_script() -> SentResponse:
    """The loader customers embed; cached briefly so fixes reach every site within minutes."""
    path = Path(current_app.static_folder or "", "embed", "survey.js")
    body = path.read_bytes()
    response = Response(body, mimetype="application/javascript")
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    response.cache_control.public = True
    response.cache_control.max_age = LOADER_MAX_AGE
    # Lets customers load it with crossorigin + Subresource Integrity if they pin a copy.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)


@bp.route("/surveys/<public_token>/config", methods=["GET"], provide_automatic_options=False)
def survey_config(public_token: str) -> SentResponse:
    """The survey's wording and display rules, as the loader needs them."""
    survey = _public_survey(public_token)
    response = jsonify(survey_settings(survey))
    response.add_etag()
    response.cache_control.public = True
    response.cache_control.max_age = CONFIG_MAX_AGE
    return response.make_conditional(request)


@bp.route("/surveys/<public_token>/responses", methods=["POST"], provide_automatic_options=False)
@limiter.limit(_rate_limit, methods=["POST"])
def submit_response(public_token: str) -> tuple[Response, int]:
    """Store one visitor's answer; every score takes the same path."""
    survey = _public_survey(public_token, answering=True)
    raw = _read_answer_body()
    try:
        answer = services.read_answer(survey, raw)
    except InvalidInputError as error:
        # The visitor reads the messages in the survey's language (English: as they are).
        raise InvalidInputError(
            translate(survey.language, error.detail),
            {
                field: [translate(survey.language, message) for message in messages]
                for field, messages in (error.errors or {}).items()
            },
        ) from None
    version = raw.get("consent_version")
    if answer.consent and version is not None and str(version) != survey.consent_version:
        # They agreed to wording that has since changed; store nothing they did not see.
        raise ConflictError(
            "The permission wording changed while you were answering. "
            "Please reload the page and answer again."
        )
    key = _fingerprint_key()
    db = get_session()
    services.submit_answer(
        db,
        survey,
        answer,
        Channel.EMBEDDED_SURVEY,
        intake_scorer_for(current_app),
        client_fingerprint=keyed_hash(key, request.remote_addr),
        device_fingerprint=keyed_hash(key, request.headers.get("User-Agent")),
    )
    return jsonify(status="thanks"), 201


@bp.route("/surveys/<public_token>/config", methods=["OPTIONS"])
@bp.route("/surveys/<public_token>/responses", methods=["OPTIONS"])
def preflight(public_token: str) -> Response:
    """Answer a CORS preflight, should a browser send one (the loader never needs it)."""
    _public_survey(public_token, answering=True)
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type"
    response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return response


@bp.after_request
def _cors_headers(response: Response) -> Response:
    """Let an allowed site read the answer, errors included (422, 429 ...)."""
    if request.endpoint == "embed_pages.loader_script":
        return response
    response.vary.add("Origin")
    origin = request.headers.get("Origin")
    if origin is None:
        return response
    allowed = g.get(_CORS_ORIGIN)
    token = (request.view_args or {}).get("public_token")
    if allowed is None and token and response.status_code in (413, 429):
        # Refused before the view looked at the survey: decide now, so the widget can say why.
        try:
            survey = services.find_public_survey(get_session(), token)
        except NotFoundError:
            return response
        allowed = origin if origin_allowed(survey, origin) else None
    if allowed:
        response.headers["Access-Control-Allow-Origin"] = allowed
    return response
