"""Typeform's own webhooks: turn a verified `form_response` body into our internal event.

Typeform cannot send our event format, so a source of kind `typeform` accepts Typeform's
body as is and this adapter maps it onto the same `WebhookEvent` our schema produces; the
rest of the pipeline (upsert by response id, duplicates, follow-ups, scoring) is shared.

Mapping, per source `field_map` (our field -> Typeform field `ref`) first, then defaults:
- score: the `nps` answer, else an `opinion_scale` whose definition runs 0-10;
- comment: the first `long_text` answer, else the first `short_text` one that is not a
  name, role, company or e-mail;
- email: an `email` answer, else the hidden field `email`;
- name / role / company: a `short_text` answer with that ref, else that hidden field;
- consent: a `yes_no` or `legal` answer with ref `consent`; its question is the text.
Every other answer is kept in `answers` by field ref, hidden fields under `hidden`.

Typeform signs the body but no timestamp, so a captured delivery could be replayed at any
time with a valid signature. Event ids are de-duplicated per source, and a response whose
`submitted_at` is more than MAX_AGE old (or ahead of our clock) is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import marshmallow as ma

from testimonials.harvest.webhooks.deliveries import EventType, WebhookEvent
from testimonials.harvest.webhooks.schemas import WebhookEventSchema
from testimonials.harvest.webhooks.services import TYPEFORM_MAPPED_FIELDS
from testimonials.harvest.webhooks.signatures import TOLERANCE_SECONDS

FORM_RESPONSE = "form_response"
MAX_AGE = timedelta(days=7)
CLOCK_SKEW = timedelta(seconds=TOLERANCE_SECONDS)
IDENTITY_FIELDS = ("name", "role", "company")
HIDDEN_KEY = "hidden"
_CONSENT_TYPES = ("yes_no", "legal")
_event_schema = WebhookEventSchema()


class TypeformPayloadError(Exception):
    """The body is signed but cannot become a response (answered 422)."""

    def __init__(self, detail: str, errors: dict[str, Any]) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


class StaleTypeformResponse(Exception):
    """The response was submitted too long ago, or in the future (answered 401)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class _FormResponseSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    token = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    form_id = ma.fields.String(load_default=None, allow_none=True)
    submitted_at = ma.fields.AwareDateTime(required=True, default_timezone=UTC)
    hidden = ma.fields.Dict(keys=ma.fields.String(), load_default=dict, allow_none=True)
    definition = ma.fields.Dict(load_default=dict, allow_none=True)
    answers = ma.fields.List(ma.fields.Dict(), load_default=list, allow_none=True)


class _TypeformEventSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    event_id = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    event_type = ma.fields.String(
        required=True,
        validate=ma.validate.OneOf([FORM_RESPONSE], error="Only form_response events are read."),
    )
    form_response = ma.fields.Nested(_FormResponseSchema, required=True)


_envelope_schema = _TypeformEventSchema()


def typeform_event(
    payload: object, field_map: Mapping[str, str] | None, now: datetime
) -> WebhookEvent:
    """Our internal event for a verified Typeform body; raise if it can't be one."""
    if not isinstance(payload, dict):
        raise TypeformPayloadError(
            "The body is not a Typeform webhook event.", {"_body": ["Expected a JSON object."]}
        )
    try:
        envelope = _envelope_schema.load(payload)
    except ma.ValidationError as error:
        raise TypeformPayloadError(
            "The Typeform event failed validation; see `errors`.", _mapping(error.messages)
        ) from None
    form = envelope["form_response"]
    _check_fresh(form["submitted_at"], now)

    mapped = _TypeformResponse(form, dict(field_map or {}))
    fields, origins = mapped.fields()
    if fields.get("score") is None and fields.get("comment") is None:
        raise TypeformPayloadError(
            "The Typeform response has neither a score nor a comment.",
            {
                "form_response.answers": [
                    "No score: expected an nps answer, or an opinion_scale from 0 to 10"
                    + _configured(field_map, "score"),
                    "No comment: expected a long_text or short_text answer"
                    + _configured(field_map, "comment"),
                ]
            },
        )
    ours = {
        "event_id": envelope["event_id"],
        "type": EventType.CREATED.value,
        "occurred_at": form["submitted_at"].isoformat(),
        "response": {
            "id": form["token"],
            "submitted_at": form["submitted_at"].isoformat(),
            **fields,
        },
    }
    try:
        event: WebhookEvent = _event_schema.load(ours)
    except ma.ValidationError as error:
        messages = _mapping(error.messages).get("response", {})
        raise TypeformPayloadError(
            "Some Typeform answers do not fit the fields they map to; see `errors`.",
            {origins.get(name, name): problem for name, problem in _mapping(messages).items()},
        ) from None
    return replace(event, response=replace(event.response, answers=mapped.other_answers() or None))


def _check_fresh(submitted_at: datetime, now: datetime) -> None:
    age = now - submitted_at
    if age > MAX_AGE:
        raise StaleTypeformResponse(
            f"form_response.submitted_at is {age.days} days old; responses older than "
            f"{MAX_AGE.days} days are refused (Typeform signs no timestamp, so an old, "
            "validly signed body could be a replay). Import older responses from a file."
        )
    if -age > CLOCK_SKEW:
        raise StaleTypeformResponse(
            f"form_response.submitted_at is {int(-age.total_seconds())} s in the future; the "
            f"limit is {int(CLOCK_SKEW.total_seconds())} s."
        )


class _TypeformResponse:
    """One form_response: finds our fields among its answers, remembers which it used."""

    def __init__(self, form: dict[str, Any], field_map: dict[str, str]) -> None:
        self.answers = [answer for answer in form["answers"] or [] if isinstance(answer, dict)]
        self.hidden = dict(form["hidden"] or {})
        self.field_map = field_map
        definition = form["definition"] or {}
        fields = definition.get("fields") if isinstance(definition, dict) else None
        self.definitions = {
            str(field.get("id")): field for field in fields or [] if isinstance(field, dict)
        }
        self.used_answers: set[int] = set()
        self.used_hidden: set[str] = set()

    def fields(self) -> tuple[dict[str, Any], dict[str, str]]:
        """Our response fields found in the answers, and where each one came from."""
        found: dict[str, Any] = {}
        origins: dict[str, str] = {}

        def keep(name: str, value: object, origin: str) -> None:
            if value is not None and name not in found:
                found[name] = value
                origins[name] = origin

        # Configured refs first, so defaults never take an answer a mapping names.
        for name in TYPEFORM_MAPPED_FIELDS:
            ref = self.field_map.get(name)
            if not ref:
                continue
            index = self._by_ref(ref)
            if index is not None:
                self.used_answers.add(index)
                answer = self.answers[index]
                if name == "consent":
                    keep(name, self._consent(answer), f"answers[ref={ref}]")
                else:
                    keep(name, _value(answer), f"answers[ref={ref}]")
            elif ref in self.hidden and name != "consent":
                self.used_hidden.add(ref)
                keep(name, self.hidden[ref], f"hidden.{ref}")

        if "score" not in found:
            index = self._first(lambda a: _field_type(a) == "nps", self._is_zero_to_ten_scale)
            if index is not None:
                keep("score", self._take(index), self._origin(index))
        if "email" not in found:
            index = self._first(lambda a: a.get("type") == "email" or _field_type(a) == "email")
            if index is not None:
                keep("email", self._take(index), self._origin(index))
            elif _is_email(self.hidden.get("email")):
                # A link without the value leaves a placeholder: that stays in `hidden`.
                self.used_hidden.add("email")
                keep("email", self.hidden["email"], "hidden.email")
        for name in IDENTITY_FIELDS:
            if name in found:
                continue
            index = self._first(partial(_is_short_text_for, name))
            if index is not None:
                keep(name, self._take(index), self._origin(index))
            elif self.hidden.get(name):
                self.used_hidden.add(name)
                keep(name, self.hidden[name], f"hidden.{name}")
        if "comment" not in found:
            index = self._first(
                lambda a: _field_type(a) == "long_text",
                lambda a: (
                    _field_type(a) == "short_text" and _ref(a) not in (*IDENTITY_FIELDS, "email")
                ),
            )
            if index is not None:
                keep("comment", self._take(index), self._origin(index))
        if "consent" not in found:
            index = self._first(lambda a: _ref(a) == "consent" and _field_type(a) in _CONSENT_TYPES)
            if index is not None:
                self.used_answers.add(index)
                keep("consent", self._consent(self.answers[index]), self._origin(index))
        return found, origins

    def other_answers(self) -> dict[str, Any]:
        """Every answer and hidden field not mapped to one of our fields, by field ref."""
        others: dict[str, Any] = {}
        for index, answer in enumerate(self.answers):
            if index in self.used_answers:
                continue
            key = _ref(answer) or _field_id(answer) or f"answer_{index + 1}"
            while key in others or key == HIDDEN_KEY:
                key += "_"
            value = _value(answer)
            # An answer type we don't know is kept whole rather than lost.
            others[key] = value if value is not None else _without_field(answer)
        hidden = {k: v for k, v in self.hidden.items() if k not in self.used_hidden}
        if hidden:
            others[HIDDEN_KEY] = hidden
        return others

    def _first(self, *preferences: Callable[[dict[str, Any]], bool]) -> int | None:
        """The first unused answer the first preference accepts, else the next one's."""
        for accepts in preferences:
            for index, answer in enumerate(self.answers):
                if index not in self.used_answers and accepts(answer):
                    return index
        return None

    def _by_ref(self, ref: str) -> int | None:
        return self._first(lambda answer: _ref(answer) == ref)

    def _take(self, index: int) -> object:
        self.used_answers.add(index)
        return _value(self.answers[index])

    def _origin(self, index: int) -> str:
        answer = self.answers[index]
        return f"answers[ref={_ref(answer)}]" if _ref(answer) else f"answers[{index}]"

    def _is_zero_to_ten_scale(self, answer: dict[str, Any]) -> bool:
        if _field_type(answer) != "opinion_scale":
            return False
        properties = self.definitions.get(_field_id(answer) or "", {}).get("properties") or {}
        return properties.get("steps") == 11 and not properties.get("start_at_one", False)

    def _consent(self, answer: dict[str, Any]) -> dict[str, Any]:
        granted = answer.get("boolean")
        title = self.definitions.get(_field_id(answer) or "", {}).get("title")
        # A consent that isn't a yes/no is passed on as is, so validation names it.
        return {"granted": granted, "text": title if isinstance(title, str) else None}


def _field(answer: dict[str, Any]) -> dict[str, Any]:
    field = answer.get("field")
    return field if isinstance(field, dict) else {}


def _field_type(answer: dict[str, Any]) -> str | None:
    return _field(answer).get("type")


def _field_id(answer: dict[str, Any]) -> str | None:
    value = _field(answer).get("id")
    return str(value) if value else None


def _ref(answer: dict[str, Any]) -> str | None:
    value = _field(answer).get("ref")
    return str(value) if value else None


def _value(answer: dict[str, Any]) -> object:
    """The answer's value: Typeform keys it by the answer's own type (text, number...)."""
    kind = answer.get("type")
    value = answer.get(kind) if isinstance(kind, str) else None
    if kind == "choice" and isinstance(value, dict):
        return value.get("label") or value.get("other")
    if kind == "choices" and isinstance(value, dict):
        labels = list(value.get("labels") or [])
        return [*labels, value["other"]] if value.get("other") else labels
    return value


def _without_field(answer: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in answer.items() if key != "field"}


def _configured(field_map: Mapping[str, str] | None, name: str) -> str:
    ref = (field_map or {}).get(name)
    return f", or the answer with ref {ref!r} this source maps to {name}" if ref else ""


def _mapping(messages: object) -> dict[str, Any]:
    return messages if isinstance(messages, dict) else {"_body": messages}


def _is_email(value: object) -> bool:
    try:
        ma.validate.Email()(value)  # type: ignore[arg-type]
    except (ma.ValidationError, TypeError):
        return False
    return True


def _is_short_text_for(name: str, answer: dict[str, Any]) -> bool:
    """A short-text answer whose field's ref is `name` (e.g. `name`, `role`)."""
    return _field_type(answer) == "short_text" and _ref(answer) == name
