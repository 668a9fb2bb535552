"""Token pages' forms: input fields only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length


class TokenForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[DataRequired(), Length(max=60)],
        description="What the token is for, so you can tell your tokens apart.",
    )
    scope = RadioField(
        "Scope",
        choices=[
            SelectChoice("read", "Read: see what you see on the site"),
            SelectChoice("write", "Read and write: also post, reply, vote, join and report as you"),
        ],
        default="read",
        validators=[DataRequired()],
    )
