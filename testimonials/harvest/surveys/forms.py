"""Dashboard form for survey settings."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError


def _origins(_form: FlaskForm, field: TextAreaField) -> None:
    for line in (field.data or "").split():
        parts = urlsplit(line)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            raise ValidationError(f"{line!r} is not an origin like https://www.example.com")


class SurveyForm(FlaskForm):
    name = StringField("Survey name", validators=[DataRequired(), Length(max=120)])
    company_name = StringField(
        "Company name in the question", validators=[DataRequired(), Length(max=120)]
    )
    question = StringField("Question", validators=[DataRequired(), Length(min=10, max=300)])
    comment_prompt = StringField(
        "Follow-up prompt", validators=[DataRequired(), Length(min=3, max=300)]
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

    def settings(self) -> dict:
        """The form's values as survey settings."""
        data = {name: field.data for name, field in self._fields.items() if name != "csrf_token"}
        data["sample_rate"] = float(data["sample_rate"] or 0)
        data["allowed_origins"] = (self.allowed_origins.data or "").split()
        return data
