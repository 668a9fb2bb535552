"""Review, report, safety notice and interaction check forms: input fields only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from forum.drugs.services.reviews import COMMENT_MAX, CONDITION_MAX, SIDE_EFFECTS_MAX
from forum.models import REASON_LABELS

MARKDOWN_HELP = "Markdown works: **bold**, *italic*, lists, > quotes."


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
    reason = SelectField(
        "Why are you reporting this review?",
        choices=[SelectChoice(reason.value, label) for reason, label in REASON_LABELS.items()],
        validators=[DataRequired()],
    )
    note = TextAreaField("Anything the moderators should know (optional)", [Length(max=1000)])


class ReasonForm(FlaskForm):
    reason = StringField("Reason", validators=[Optional(), Length(max=300)])


class NoticeForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(message="Write a title.")])
    drugs = TextAreaField(
        "Drugs concerned",
        validators=[DataRequired(message="Name the drugs concerned.")],
        description="One name per line (generic or brand names).",
    )
    body = TextAreaField(
        "Notice", validators=[DataRequired(message="Write the notice.")], description=MARKDOWN_HELP
    )
    source_url = StringField("Source (optional web address)")


class CheckForm(FlaskForm):
    names = TextAreaField(
        "Medicines to check",
        validators=[DataRequired(message="Name at least two medicines.")],
        description="One per line, by generic or brand name (up to 20).",
    )
