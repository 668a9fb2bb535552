"""Account forms: input fields and their field-level checks only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from forum.auth.passwords import MAX_LENGTH, MIN_LENGTH

PASSWORD_HELP = f"At least {MIN_LENGTH} characters; avoid common passwords."
PASSWORD_LENGTH = Length(
    min=MIN_LENGTH,
    max=MAX_LENGTH,
    message=f"Use at least {MIN_LENGTH} and at most {MAX_LENGTH} characters.",
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
    email = EmailField(
        "E-mail",
        validators=[DataRequired(), Length(max=254)],
        description="Private: never shown to anyone.",
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired(), PASSWORD_LENGTH],
        description=PASSWORD_HELP,
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")],
    )
    # Separate from the account and never ticked in advance: a free, explicit choice.
    health_consent = BooleanField(
        "I agree that the forum stores and shows the health information I choose to post.",
        default=False,
    )


class LoginForm(FlaskForm):
    login = StringField("Public name or e-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField("Keep me logged in on this device (30 days)")


class ResetRequestForm(FlaskForm):
    login = StringField("Public name or e-mail", validators=[DataRequired(), Length(max=254)])


class ResetForm(FlaskForm):
    new_password = PasswordField(
        "New password",
        validators=[DataRequired(), PASSWORD_LENGTH],
        description=PASSWORD_HELP,
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[
            DataRequired(),
            EqualTo("new_password", message="The passwords do not match."),
        ],
    )


class ChangePasswordForm(ResetForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])


class ChangeEmailForm(FlaskForm):
    email = EmailField("New e-mail", validators=[DataRequired(), Length(max=254)])
    current_password = PasswordField("Current password", validators=[DataRequired()])
