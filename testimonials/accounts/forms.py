"""Dashboard forms for signing in and managing members and API keys (CSRF via Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from testimonials.accounts.models import Role, Scope
from testimonials.accounts.services import MIN_PASSWORD_LENGTH, normalise_email
from testimonials.errors import InvalidInputError


def email_address(_form: FlaskForm, field: EmailField) -> None:
    """WTForms validator using the same e-mail rule as the services."""
    try:
        normalise_email(field.data or "")
    except InvalidInputError as error:
        raise ValidationError(error.detail) from None


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), email_address])
    password = PasswordField("Password", validators=[DataRequired()])


class ApiKeyForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    scope = SelectField(
        "Scope",
        choices=[
            SelectChoice(Scope.READ.value, "Read only"),
            SelectChoice(Scope.WRITE.value, "Read and write"),
        ],
    )


class MemberForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), email_address])
    display_name = StringField("Name", validators=[Length(max=120)])
    password = PasswordField(
        "Initial password", validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)]
    )
    role = SelectField("Role", choices=[SelectChoice(r.value, r.value.title()) for r in Role])


class ActionForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change state."""
