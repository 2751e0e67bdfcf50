"""Dashboard form for survey settings, extra questions included."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import marshmallow as ma
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from testimonials.harvest.surveys.schemas import ExtraQuestionSchema
from testimonials.harvest.surveys.services import extra_question_problems
from testimonials.locales import LANGUAGES

NEW_QUESTION_ROWS = 2


def _origins(_form: FlaskForm, field: TextAreaField) -> None:
    for line in (field.data or "").split():
        parts = urlsplit(line)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            raise ValidationError(f"{line!r} is not an origin like https://www.example.com")


class LinesField(TextAreaField):
    """A list of short texts, one per line."""

    def process_data(self, value: Any) -> None:
        self.data = "\n".join(value) if isinstance(value, list | tuple) else value

    def lines(self) -> list[str]:
        """The non-blank lines, trimmed."""
        return [line.strip() for line in (self.data or "").splitlines() if line.strip()]


class ExtraQuestionForm(Form):
    """One extra question; a row left blank adds nothing."""

    label = StringField("Question")
    key = StringField("Key (for reports; left blank, made from the question)")
    type = SelectField(
        "Answer",
        choices=[SelectChoice("text", "free text"), SelectChoice("choice", "one of these choices")],
    )
    choices = LinesField("Choices (one per line)")
    position = IntegerField("Order", validators=[Optional()])
    remove = BooleanField("Remove this question")

    def is_blank(self) -> bool:
        return not (self.label.data or "").strip() and not (self.key.data or "").strip()


def _key_from(label: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:40].rstrip("_")
    return f"q_{key}"[:40] if key[:1].isdigit() else key


class SurveyForm(FlaskForm):
    name = StringField("Survey name", validators=[DataRequired(), Length(max=120)])
    language = SelectField(
        "Customers' language (the page, its messages and the standard wording below)",
        choices=[SelectChoice(code, f"{name} ({code})") for code, name in LANGUAGES.items()],
        default="en",
    )
    company_name = StringField(
        "Company name in the question", validators=[DataRequired(), Length(max=120)]
    )
    question = StringField("Question", validators=[DataRequired(), Length(min=10, max=300)])
    comment_prompt = StringField(
        "Follow-up prompt", validators=[DataRequired(), Length(min=3, max=300)]
    )
    extra_questions = FieldList(
        FormField(ExtraQuestionForm), label="Extra questions (asked after the comment)"
    )
    consent_text = TextAreaField(
        "Permission to quote (shown to everyone, whatever their score)",
        validators=[DataRequired(), Length(min=20, max=2000)],
    )
    follow_up_passives = BooleanField("Put passives (7–8) on the follow-up list too")
    trigger = SelectField(
        "Show the in-page survey",
        choices=[
            SelectChoice("delay", "after a delay"),
            SelectChoice("scroll", "after scrolling"),
            SelectChoice("manual", "when our code calls Testimonials.survey.open()"),
        ],
    )
    delay_seconds = IntegerField("Delay (seconds)", validators=[NumberRange(0, 3600)], default=5)
    scroll_percent = IntegerField("Scroll depth (%)", validators=[NumberRange(0, 100)], default=50)
    sample_rate = DecimalField(
        "Share of visitors asked (0–1)", places=2, validators=[NumberRange(0, 1)], default=1
    )
    cooldown_days = IntegerField(
        "Days before asking the same visitor again", validators=[NumberRange(0, 3650)], default=90
    )
    allowed_origins = TextAreaField(
        "Websites allowed to embed it (one origin per line; empty = any)",
        validators=[Optional(), _origins],
    )
    is_active = BooleanField("Open for answers", default=True)

    def offer_new_questions(self) -> None:
        """Number the questions as shown and add blank rows for new ones."""
        for number, entry in enumerate(self.extra_questions, start=1):
            if entry.form.position.data is None:
                entry.form.position.data = number
        blank = sum(1 for entry in self.extra_questions if entry.form.is_blank())
        for _ in range(NEW_QUESTION_ROWS - blank):
            self.extra_questions.append_entry()

    def _kept_questions(self) -> list[tuple[ExtraQuestionForm, dict[str, Any]]]:
        """The rows to keep, in the chosen order, each with the question it stands for."""
        rows = []
        for index, entry in enumerate(self.extra_questions):
            row = entry.form
            if row.remove.data or row.is_blank():
                continue
            label = (row.label.data or "").strip()
            if not (row.key.data or "").strip():
                row.key.data = _key_from(label)
            question: dict[str, Any] = {"key": row.key.data.strip(), "type": row.type.data}
            if label:  # else the schema says the question is missing
                question["label"] = label
            if row.type.data == "choice":
                question["choices"] = row.choices.lines()
            order = row.position.data if row.position.data is not None else float("inf")
            rows.append((order, index, row, question))
        rows.sort(key=lambda kept: kept[:2])
        return [(row, question) for _order, _index, row, question in rows]

    def validate_extra_questions(self, _field: FieldList) -> None:
        """The API's rules (the survey service's, then its schema's), beside each field."""
        rows = self._kept_questions()
        for problem in extra_question_problems([question for _row, question in rows]):
            rows[problem.index][0][problem.field].errors.append(problem.rule)
        for row, question in rows:
            try:
                ExtraQuestionSchema().load(question)
            except ma.ValidationError as error:
                for name, messages in error.normalized_messages().items():
                    if not row[name].errors:  # one clear message per field is enough
                        row[name].errors.extend(_flat(messages))
        if any(row.errors for row, _question in rows):
            raise ValidationError("Some extra questions need another look (see below).")

    def settings(self) -> dict:
        """The form's values as survey settings."""
        data = {
            name: field.data
            for name, field in self._fields.items()
            if name not in ("csrf_token", "extra_questions")
        }
        data["extra_questions"] = [question for _row, question in self._kept_questions()]
        data["sample_rate"] = float(data["sample_rate"] or 0)
        data["allowed_origins"] = (self.allowed_origins.data or "").split()
        return data


def _flat(messages: Any) -> list[str]:
    """Marshmallow's messages for one field (choices nest theirs by line) as plain text."""
    if isinstance(messages, dict):
        return [f"Line {i + 1}: {m}" for i, inner in messages.items() for m in _flat(inner)]
    return [str(m) for m in messages]
