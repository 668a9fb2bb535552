"""The safety notice form: input fields only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired

from forum.drugs.forms import MARKDOWN_HELP


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
