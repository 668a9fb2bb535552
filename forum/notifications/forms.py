"""Notification settings: a channel per kind and the full-text opt-in."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Form,
    FormField,
    RadioField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from forum.forms_common import email_address, enum_choices, required_text
from forum.models import Channel

CHANNEL_CHOICES = enum_choices(
    {
        Channel.OFF: "Off",
        Channel.FORUM: "In the forum",
        Channel.EMAIL: "E-mail at once",
        Channel.DAILY: "Daily digest",
        Channel.WEEKLY: "Weekly digest",
    }
)


def settings_form(labels: dict[str, str], **kwargs: Any) -> FlaskForm:
    """A form with one radio group per kind of event."""

    class ChannelsForm(Form):
        pass

    for kind, label in labels.items():
        setattr(ChannelsForm, kind, RadioField(label, choices=CHANNEL_CHOICES))

    class SettingsForm(FlaskForm):
        channels = FormField(ChannelsForm, label="Channels")
        full_text = BooleanField("Put titles and text in my e-mails (they may show health details)")

    return SettingsForm(**kwargs)


class MarkAllReadForm(FlaskForm):
    """Only the CSRF token."""


class UnsubscribeForm(FlaskForm):
    """Only the CSRF token (the link's token is the authority)."""


class NewsletterForm(FlaskForm):
    email = email_address("E-mail address")


class PicksField(SelectMultipleField):
    """Checkboxes for a list of ids (choices set by the view)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class IssueForm(FlaskForm):
    subject = required_text("Subject", 150)
    text = TextAreaField(
        "Your introduction (plain text; the picks below follow it with their links)",
        validators=[Optional(), Length(max=50_000)],
    )
    articles = PicksField("Published articles", coerce=int, validators=[Optional()])
    answers = PicksField("Expert-endorsed answers", coerce=int, validators=[Optional()])


class NewsletterChoiceForm(FlaskForm):
    """Only the CSRF token (the URL says join or leave)."""
