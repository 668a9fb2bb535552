"""Admin forms: input fields only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class TopicForm(FlaskForm):
    slug = StringField("Slug", validators=[DataRequired(), Length(max=60)])
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    summary = TextAreaField("Summary", validators=[Length(max=2000)])


class CommunityForm(FlaskForm):
    slug = StringField("Slug", validators=[DataRequired(), Length(max=60)])
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    topic = SelectField("Health topic", validators=[DataRequired()], choices=[])
    description = TextAreaField("Description", validators=[Length(max=2000)])
    rules = TextAreaField("Rules", validators=[Length(max=5000)])
    private = BooleanField("Private support group (members join on approval)")
    allow_anonymous = BooleanField("Members may post anonymously")


class ModeratorForm(FlaskForm):
    name = StringField("Member's public name", validators=[DataRequired(), Length(max=30)])
