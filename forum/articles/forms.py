"""Article forms: input fields only (the services check the rules)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from forum.articles.content import (
    BODY_MAX,
    CITATION_TEXT_MAX,
    CITATIONS_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    TITLE_MIN,
    URL_MAX,
    is_web_url,
)
from forum.articles.services import NOTE_MAX, CitationInput
from forum.models import EvidenceLevel

BLANK_CITATIONS = 3
EVIDENCE_CHOICES = [
    SelectChoice("", "Choose…"),
    *(SelectChoice(level.value, level.label) for level in EvidenceLevel),
]


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class CitationForm(Form):
    """One row of the reference list (a sub-form: the outer form carries the CSRF token)."""

    text = StringField("Source", validators=[Length(max=CITATION_TEXT_MAX)], filters=[_strip])
    url = StringField(
        "Link (optional)", validators=[Optional(), Length(max=URL_MAX)], filters=[_strip]
    )
    evidence_level = SelectField("Level of evidence", choices=EVIDENCE_CHOICES, default="")

    def validate_text(self, field: StringField) -> None:
        if self.url.data and not field.data:
            raise ValidationError("Describe the source, not just its link.")

    def validate_url(self, field: StringField) -> None:
        if field.data and not is_web_url(field.data):
            raise ValidationError("Use a web address starting with http:// or https://.")

    def validate_evidence_level(self, field: SelectField) -> None:
        if self.text.data and not field.data:
            raise ValidationError("Choose the level of evidence.")


class ArticleForm(FlaskForm):
    topic = SelectField("Health topic", validators=[DataRequired()], choices=[])
    title = StringField(
        "Title",
        validators=[
            DataRequired(message="Write a title."),
            Length(min=TITLE_MIN, max=TITLE_MAX),
        ],
        description=f"{TITLE_MIN}-{TITLE_MAX} characters.",
    )
    summary = TextAreaField(
        "Summary",
        validators=[DataRequired(message="Write a short summary."), Length(max=SUMMARY_MAX)],
        description=f"Up to {SUMMARY_MAX} characters: what a reader will learn.",
    )
    body = TextAreaField(
        "Article",
        validators=[DataRequired(message="Write the article first.")],
        description=f"Up to {BODY_MAX:,} characters of Markdown: ## headings, lists, "
        "**bold**, [links](https://…). Cite a reference by its number, like [1].",
    )
    citations = FieldList(
        FormField(CitationForm), min_entries=BLANK_CITATIONS, max_entries=CITATIONS_MAX
    )

    def fill_citations(self, rows: list[dict[str, Any]]) -> None:
        """Show the saved references, then a few empty rows for new ones."""
        while self.citations.entries:
            self.citations.pop_entry()
        for row in rows[:CITATIONS_MAX]:
            self.citations.append_entry(row)
        while len(self.citations.entries) < min(len(rows) + BLANK_CITATIONS, CITATIONS_MAX):
            self.citations.append_entry()

    def citation_inputs(self) -> list[CitationInput]:
        return [
            CitationInput(
                entry.form.text.data or "",
                entry.form.url.data or "",
                entry.form.evidence_level.data or "",
            )
            for entry in self.citations.entries
        ]


class ReturnForm(FlaskForm):
    note = TextAreaField(
        "Note to the author",
        validators=[DataRequired(message="Say what needs to change."), Length(max=NOTE_MAX)],
        description="The author sees this note on the draft.",
    )


class RetireForm(FlaskForm):
    reason = TextAreaField("Reason (optional)", validators=[Length(max=NOTE_MAX)])


class AcceptChangesForm(FlaskForm):
    """The author accepts the editors' changes: the revision they read, so none slips in."""

    revision = HiddenField()

    def revision_number(self) -> int:
        raw = self.revision.data or ""
        return int(raw) if raw.isdigit() and len(raw) < 10 else -1
