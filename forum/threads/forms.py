"""Thread and reply forms: input fields only (the services check the rules)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired

from forum.forms_common import enum_choices
from forum.models import ThreadKind
from forum.threads.content import BODY_MAX, TITLE_MAX, TITLE_MIN

MARKDOWN_HELP = "Markdown works: **bold**, *italic*, lists, > quotes, `code`, [links](https://…)."


class ThreadForm(FlaskForm):
    community = SelectField("Community", validators=[DataRequired()], choices=[])
    kind = RadioField(
        "This is",
        choices=enum_choices(
            {ThreadKind.QUESTION: "A question", ThreadKind.DISCUSSION: "A discussion"}
        ),
        default=ThreadKind.QUESTION.value,
    )
    title = StringField(
        "Title",
        validators=[DataRequired(message="Write a title.")],
        description=f"{TITLE_MIN}-{TITLE_MAX} characters: the question in one line.",
    )
    body = TextAreaField(
        "Details",
        validators=[DataRequired(message="Write something first.")],
        description=f"Up to {BODY_MAX:,} characters. {MARKDOWN_HELP} "
        "Do not share your full name, phone number or address.",
    )
    tags = StringField(
        "Tags (optional)",
        description="Up to 5, separated by spaces or commas, e.g. blood-sugar diet.",
    )
    anonymous = BooleanField("Post as “Anonymous member”")
    confirm_personal_info = BooleanField("I checked: share it as it is")


class ReplyForm(FlaskForm):
    body = TextAreaField(
        "Your reply",
        validators=[DataRequired(message="Write something first.")],
        description=MARKDOWN_HELP,
    )
    anonymous = BooleanField("Reply as “Anonymous member”")
    confirm_personal_info = BooleanField("I checked: share it as it is")


class EditForm(FlaskForm):
    title = StringField("Title")
    body = TextAreaField("Text", validators=[DataRequired(message="Write something first.")])
    confirm_personal_info = BooleanField("I checked: share it as it is")
