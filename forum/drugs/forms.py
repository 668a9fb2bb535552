"""Drug page and interaction check forms: input fields only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

# Reviews and safety notices are written in Markdown too.
MARKDOWN_HELP = "Markdown works: **bold**, *italic*, lists, > quotes."


class ReasonForm(FlaskForm):
    """A moderator's reason for hiding a review (the drug page and the review queue)."""

    reason = StringField("Reason", validators=[Optional(), Length(max=300)])


class CheckForm(FlaskForm):
    names = TextAreaField(
        "Medicines to check",
        validators=[DataRequired(message="Name at least two medicines.")],
        description="One per line, by generic or brand name (up to 20).",
    )
