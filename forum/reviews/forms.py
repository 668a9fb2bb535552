"""Review and review report forms: input fields only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from forum.drugs.forms import MARKDOWN_HELP
from forum.forms_common import report_note, report_reason
from forum.reviews.services import COMMENT_MAX, CONDITION_MAX, SIDE_EFFECTS_MAX


class ReviewForm(FlaskForm):
    condition = StringField(
        "Condition you took it for",
        validators=[DataRequired(message="Name the condition you took it for.")],
        description=f"For example: high blood pressure. Up to {CONDITION_MAX} characters.",
    )
    # Checked from 1 to 5 by the service, which names the field that is wrong.
    effectiveness = IntegerField("Effectiveness", validators=[Optional()])
    ease_of_use = IntegerField("Ease of use", validators=[Optional()])
    satisfaction = IntegerField("Satisfaction", validators=[Optional()])
    side_effects = StringField(
        "Side effects you noticed (optional)",
        description=f"Separated by commas. Up to {SIDE_EFFECTS_MAX} characters.",
    )
    comment = TextAreaField(
        "Your experience (optional)",
        description=f"Up to {COMMENT_MAX:,} characters. {MARKDOWN_HELP} "
        "Do not share your full name, phone number or address.",
    )


class ReportReviewForm(FlaskForm):
    reason = report_reason("Why are you reporting this review?")
    note = report_note()
