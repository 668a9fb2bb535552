"""Privacy forms: consent, profile fields, export and account deletion (fields only)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length

from forum.forms_common import current_password_field, enum_choices
from forum.models import Visibility
from forum.privacy.services import ABOUT_MAX, CONDITIONS_MAX, LOCATION_MAX

VISIBILITY_CHOICES = enum_choices(
    {
        Visibility.NOBODY: "Only me",
        Visibility.MEMBERS: "Logged-in members",
        Visibility.PUBLIC: "Everyone, also visitors",
    }
)


def _visibility(label: str) -> SelectField:
    return SelectField(label, choices=VISIBILITY_CHOICES, default=Visibility.NOBODY.value)


class ConsentForm(FlaskForm):
    # Never ticked in advance: giving consent is an explicit act.
    health_consent = BooleanField(
        "I agree that the forum stores and shows the health information I choose to post."
    )
    withdraw = SubmitField("Withdraw my consent")


class ProfileForm(FlaskForm):
    about = TextAreaField(
        "About me",
        validators=[Length(max=ABOUT_MAX)],
        description=f"Plain text, up to {ABOUT_MAX:,} characters.",
    )
    about_visibility = _visibility("Who sees “About me”")
    conditions = StringField(
        "Conditions I am interested in",
        validators=[Length(max=CONDITIONS_MAX)],
        description=f"Up to {CONDITIONS_MAX} characters, e.g. type 2 diabetes, migraine.",
    )
    conditions_visibility = _visibility("Who sees my conditions")
    location = StringField(
        "Location",
        validators=[Length(max=LOCATION_MAX)],
        description="A region is enough, e.g. Northern England.",
    )
    location_visibility = _visibility("Who sees my location")


class DeleteAccountForm(FlaskForm):
    current_password = current_password_field()
    delete_posts = BooleanField("Also delete my posts (otherwise they stay, by “Former member”)")
