"""Pill identifier forms: input fields only."""

from __future__ import annotations

from typing import Any

from wtforms import Form, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from forum.pills import vocabulary

IMPRINT_MAX = 40
SIZE_MAX = 40
SCORES = [
    SelectChoice("", "Any"),
    SelectChoice("1", "Not scored"),
    SelectChoice("2", "One line (breaks in 2)"),
    SelectChoice("3", "Two lines (breaks in 3)"),
    SelectChoice("4", "Breaks in 4"),
]


class PillSearchForm(Form):
    """The search: a reading page's GET form (no CSRF token, so visitors get no session)."""

    imprint = StringField(
        "Imprint",
        validators=[Optional(), Length(max=IMPRINT_MAX)],
        description="The letters and numbers on the pill, e.g. PD 155. Part of it is enough.",
    )
    color = SelectField("Color", validators=[Optional()])
    second_color = SelectField("Second color (two-tone pills)", validators=[Optional()])
    shape = SelectField("Shape", validators=[Optional()])
    size = IntegerField(
        "Size in mm (optional)",
        validators=[Optional(), NumberRange(1, SIZE_MAX, "Give the length in mm, 1 to 40.")],
        description="The longest side, in millimetres; pills 1 mm either side are found too.",
    )
    score = SelectField("Score lines", choices=SCORES, validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        colors = [SelectChoice(t.key, t.label) for t in vocabulary.colors()]
        shapes = [SelectChoice(t.key, t.label) for t in vocabulary.shapes()]
        self.color.choices = [SelectChoice("", "Any color"), *colors]
        self.second_color.choices = [SelectChoice("", "None"), *colors]
        self.shape.choices = [SelectChoice("", "Any shape"), *shapes]
