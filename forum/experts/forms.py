"""Expert application, review and endorsement forms: fields only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from forum.forms_common import enum_choices, required_text
from forum.models import EVIDENCE_LABELS


class TopicChoices(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ApplicationForm(FlaskForm):
    credentials = required_text(
        "Credentials", 60, "As shown after your name, e.g. MD, RN, PharmD, RD."
    )
    profession = required_text("Profession", 120, "e.g. Pharmacist")
    specialty = required_text("Specialty", 120, "e.g. Oncology")
    topics = TopicChoices("Health topics you will speak to", coerce=int, choices=[])
    licence_number = required_text(
        "Licence or registry number", 80, "Private: only admins and editors see it, to check it."
    )
    licence_issuer = required_text("Issuing body", 120, "e.g. State Board")


class VerifyForm(FlaskForm):
    credentials = required_text("Credentials", 60)
    specialty = StringField("Specialty", validators=[Length(max=120)])
    topics = TopicChoices("Scope: health topics", coerce=int, choices=[])
    months = IntegerField("Valid for (months)", validators=[Optional(), NumberRange(min=1, max=60)])
    reason = TextAreaField("Note (optional)", validators=[Length(max=1000)])


class ReasonForm(FlaskForm):
    reason = required_text("Reason (the applicant sees it)", 1000, field=TextAreaField)


class EndorseForm(FlaskForm):
    evidence_level = SelectField(
        "Level of evidence",
        choices=enum_choices(EVIDENCE_LABELS),
        validators=[DataRequired()],
    )
    note = StringField("Short note (optional)", validators=[Length(max=280)])
