"""Form fields that several features' forms share: the same input, checked the same way."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from forum.models import REASON_LABELS

E = TypeVar("E", bound=Enum)

# The longest e-mail address (RFC 5321 path limit); a login that may be one is as long.
EMAIL_MAX = 254


def enum_choices(labels: Mapping[E, str]) -> list[SelectChoice]:
    """Choices for an enum's members, in the mapping's order, each with the text shown for it."""
    return [SelectChoice(member.value, text) for member, text in labels.items()]


def required_text(
    label: str, max_length: int, description: str = "", field: type[StringField] = StringField
) -> StringField:
    """A text field (or `field`, a kind of text field) that must be filled in, up to a length."""
    validators = [DataRequired(), Length(max=max_length)]
    return field(label, validators=validators, description=description)


def email_address(label: str, description: str = "") -> EmailField:
    """A required e-mail address."""
    return required_text(label, EMAIL_MAX, description, EmailField)


def current_password_field() -> PasswordField:
    """The member's password, asked again before a change to the account."""
    return PasswordField("Current password", validators=[DataRequired()])


def report_reason(label: str) -> SelectField:
    """Why something is reported: one of the reasons every report offers."""
    return SelectField(label, choices=enum_choices(REASON_LABELS), validators=[DataRequired()])


def report_note() -> TextAreaField:
    """What else the reporter tells the moderators (optional)."""
    return TextAreaField("Anything the moderators should know (optional)", [Length(max=1000)])
