"""Report and moderation forms: fields only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from forum.forms_common import report_note, report_reason, required_text


class ReportForm(FlaskForm):
    reason = report_reason("Why are you reporting this?")
    note = report_note()


class ReasonForm(FlaskForm):
    reason = StringField("Reason", validators=[Optional(), Length(max=300)])


class SuspendForm(FlaskForm):
    days = IntegerField("Days", validators=[DataRequired(), NumberRange(min=1, max=365)])
    reason = required_text("Reason", 300)


class ModeratorEditForm(FlaskForm):
    body = TextAreaField("Text", validators=[DataRequired()])
    confirm_personal_info = BooleanField("I checked: share it as it is")
    reason = required_text("Reason for the edit (shown under the post)", 300)
