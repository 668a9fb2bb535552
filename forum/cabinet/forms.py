"""My Medicine forms: input fields only (the services check the rules)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from forum.cabinet.services import LABEL_MAX


class ProfileForm(FlaskForm):
    label = StringField(
        "Whose medicines?",
        validators=[DataRequired(message="Give the profile a name.")],
        description=f"A private name such as “Me” or “Mom” (up to {LABEL_MAX} characters).",
    )
    birth_year = IntegerField("Year of birth (optional)", validators=[Optional()])


ALERTS_LABEL = "Alert me when a safety notice names this medicine"


class EntryForm(FlaskForm):
    drug = StringField(
        "Medicine",
        validators=[DataRequired(message="Name the medicine.")],
        description="Its generic or brand name, e.g. Lipitor or atorvastatin.",
    )
    dose = StringField("Dose (optional)", description="For example: 20 mg.")
    schedule = StringField("When (optional)", description="For example: once a day at night.")
    start_date = DateField("Started on (optional)", validators=[Optional()])
    notes = TextAreaField("Notes (optional)", description="Only you can see them.")
    safety_alerts = BooleanField(ALERTS_LABEL, default=True)


class EntryEditForm(FlaskForm):
    dose = StringField("Dose (optional)")
    schedule = StringField("When (optional)")
    start_date = DateField("Started on (optional)", validators=[Optional()])
    notes = TextAreaField("Notes (optional)", description="Only you can see them.")
    safety_alerts = BooleanField(ALERTS_LABEL)


class NewsForm(FlaskForm):
    wants_news = BooleanField(
        "Tell me about new expert-endorsed answers and reviewed articles about my medicines"
    )


class AddPillForm(FlaskForm):
    """Which list a pill from the identifier goes into (the product travels beside it)."""

    profile = SelectField(
        "Add to the list of", coerce=int, validators=[DataRequired("Choose a list.")]
    )
    safety_alerts = BooleanField(ALERTS_LABEL, default=True)
