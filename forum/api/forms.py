"""Token pages' forms: input fields only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import DataRequired

from forum.forms_common import enum_choices, required_text
from forum.models import TokenScope


class TokenForm(FlaskForm):
    name = required_text("Name", 60, "What the token is for, so you can tell your tokens apart.")
    scope = RadioField(
        "Scope",
        choices=enum_choices(
            {
                TokenScope.READ: "Read: see what you see on the site",
                TokenScope.WRITE: "Read and write: also post, reply, vote, join and report as you",
            }
        ),
        default=TokenScope.READ.value,
        validators=[DataRequired()],
    )
