"""Admin forms: input fields only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from forum.forms_common import required_text


class TopicForm(FlaskForm):
    slug = required_text("Slug", 60)
    name = required_text("Name", 120)
    summary = TextAreaField("Summary", validators=[Length(max=2000)])


class CommunityForm(FlaskForm):
    slug = required_text("Slug", 60)
    name = required_text("Name", 120)
    topic = SelectField("Health topic", validators=[DataRequired()], choices=[])
    description = TextAreaField("Description", validators=[Length(max=2000)])
    rules = TextAreaField("Rules", validators=[Length(max=5000)])
    private = BooleanField("Private support group (members join on approval)")
    allow_anonymous = BooleanField("Members may post anonymously")


class ModeratorForm(FlaskForm):
    name = required_text("Member's public name", 30)
