"""Expert application, review and endorsement forms: fields only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from forum.models import EVIDENCE_LABELS


class TopicChoices(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ApplicationForm(FlaskForm):
    credentials = StringField(
        "Credentials",
        validators=[DataRequired(), Length(max=60)],
        description="As shown after your name, e.g. MD, RN, PharmD, RD.",
    )
    profession = StringField(
        "Profession", validators=[DataRequired(), Length(max=120)], description="e.g. Pharmacist"
    )
    specialty = StringField(
        "Specialty", validators=[DataRequired(), Length(max=120)], description="e.g. Oncology"
    )
    topics = TopicChoices("Health topics you will speak to", coerce=int, choices=[])
    licence_number = StringField(
        "Licence or registry number",
        validators=[DataRequired(), Length(max=80)],
        description="Private: only admins and editors see it, to check it.",
    )
    licence_issuer = StringField(
        "Issuing body", validators=[DataRequired(), Length(max=120)], description="e.g. State Board"
    )


class VerifyForm(FlaskForm):
    credentials = StringField("Credentials", validators=[DataRequired(), Length(max=60)])
    specialty = StringField("Specialty", validators=[Length(max=120)])
    topics = TopicChoices("Scope: health topics", coerce=int, choices=[])
    months = IntegerField("Valid for (months)", validators=[Optional(), NumberRange(min=1, max=60)])
    reason = TextAreaField("Note (optional)", validators=[Length(max=1000)])


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        "Reason (the applicant sees it)", validators=[DataRequired(), Length(max=1000)]
    )


class EndorseForm(FlaskForm):
    evidence_level = SelectField(
        "Level of evidence",
        choices=[SelectChoice(level.value, label) for level, label in EVIDENCE_LABELS.items()],
        validators=[DataRequired()],
    )
    note = StringField("Short note (optional)", validators=[Length(max=280)])
