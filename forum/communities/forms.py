"""Community forms: input fields only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length


class JoinForm(FlaskForm):
    message = TextAreaField(
        "Message to the moderators (optional)",
        validators=[Length(max=500)],
        description="A line about why you would like to join helps moderators decide.",
    )


class DecisionForm(FlaskForm):
    message = TextAreaField("Message to the applicant (optional)", validators=[Length(max=500)])
