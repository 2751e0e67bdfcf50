"""Dashboard form for uploading a review file (CSRF via Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from testimonials.harvest.imports.files import ENCODINGS
from testimonials.harvest.imports.layouts import FIELDS


class ImportForm(FlaskForm):
    file = FileField(
        "File (CSV, JSON, JSON Lines or Excel .xlsx)",
        validators=[FileRequired()],
        render_kw={"accept": ".csv,.tsv,.txt,.json,.jsonl,.ndjson,.xlsx"},
    )
    # Optional: a recognised export names its platform (Trustpilot, Google Play...).
    source_name = StringField(
        "Source (optional)",
        validators=[Optional(), Length(max=120)],
        description="e.g. Trustpilot; a recognised export names itself",
    )
    encoding = SelectField(
        "Encoding",
        choices=[SelectChoice("", "Detect (UTF-8, else Windows-1252; not for .xlsx)")]
        + [SelectChoice(codec, label) for codec, label in ENCODINGS.items()],
        validators=[Optional()],
    )

    def mapping(self) -> dict[str, str]:
        """The columns typed into the mapping fields, {field: column}."""
        return {
            name: (self[f"map_{name}"].data or "").strip()
            for name in FIELDS
            if (self[f"map_{name}"].data or "").strip()
        }

    def mapping_fields(self) -> list[StringField]:
        """The mapping inputs, in the order of FIELDS."""
        return [self[f"map_{name}"] for name in FIELDS]


for _name, _description in FIELDS.items():
    setattr(
        ImportForm,
        f"map_{_name}",
        StringField(
            _name.replace("_", " "),
            validators=[Optional(), Length(max=200)],
            description=_description,
        ),
    )
