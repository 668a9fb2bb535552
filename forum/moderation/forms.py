"""Report and moderation forms: fields only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from forum.models import REASON_LABELS


class ReportForm(FlaskForm):
    reason = SelectField(
        "Why are you reporting this?",
        choices=[SelectChoice(reason.value, label) for reason, label in REASON_LABELS.items()],
        validators=[DataRequired()],
    )
    note = TextAreaField("Anything the moderators should know (optional)", [Length(max=1000)])


class ReasonForm(FlaskForm):
    reason = StringField("Reason", validators=[Optional(), Length(max=300)])


class SuspendForm(FlaskForm):
    days = IntegerField("Days", validators=[DataRequired(), NumberRange(min=1, max=365)])
    reason = StringField("Reason", validators=[DataRequired(), Length(max=300)])


class ModeratorEditForm(FlaskForm):
    body = TextAreaField("Text", validators=[DataRequired()])
    confirm_personal_info = BooleanField("I checked: share it as it is")
    reason = StringField(
        "Reason for the edit (shown under the post)", validators=[DataRequired(), Length(max=300)]
    )
