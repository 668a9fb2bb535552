"""Account forms: input fields and their field-level checks only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from forum.auth.passwords import MAX_LENGTH, MIN_LENGTH
from forum.forms_common import EMAIL_MAX, current_password_field, email_address, required_text

PASSWORD_HELP = f"At least {MIN_LENGTH} characters; avoid common passwords."
PASSWORD_LENGTH = Length(
    min=MIN_LENGTH,
    max=MAX_LENGTH,
    message=f"Use at least {MIN_LENGTH} and at most {MAX_LENGTH} characters.",
)


def chosen_password(label: str) -> PasswordField:
    """A password being chosen: the length rules, with their help text."""
    return PasswordField(
        label, validators=[DataRequired(), PASSWORD_LENGTH], description=PASSWORD_HELP
    )


def chosen_password_again(label: str, of: str) -> PasswordField:
    """The chosen password typed again: it must match the field named `of`."""
    return PasswordField(
        label, validators=[DataRequired(), EqualTo(of, message="The passwords do not match.")]
    )


class RegisterForm(FlaskForm):
    name = StringField(
        "Public name",
        validators=[
            DataRequired(message="Choose a public name."),
            Length(min=3, max=30, message="Use 3 to 30 letters, digits, '_' or '-'."),
        ],
        description="3-30 letters, digits, '_' or '-'. Shown on everything you post.",
    )
    email = email_address("E-mail", "Private: never shown to anyone.")
    password = chosen_password("Password")
    confirm = chosen_password_again("Repeat the password", "password")
    # Separate from the account and never ticked in advance: a free, explicit choice.
    health_consent = BooleanField(
        "I agree that the forum stores and shows the health information I choose to post.",
        default=False,
    )


class LoginForm(FlaskForm):
    login = required_text("Public name or e-mail", EMAIL_MAX)
    password = required_text("Password", MAX_LENGTH, field=PasswordField)
    remember = BooleanField("Keep me logged in on this device (30 days)")


class ResetRequestForm(FlaskForm):
    login = required_text("Public name or e-mail", EMAIL_MAX)


class ResetForm(FlaskForm):
    new_password = chosen_password("New password")
    confirm = chosen_password_again("Repeat the new password", "new_password")


class ChangePasswordForm(ResetForm):
    current_password = current_password_field()


class ChangeEmailForm(FlaskForm):
    email = email_address("New e-mail")
    current_password = current_password_field()
