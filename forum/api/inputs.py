"""Reading API input strictly: a wrong type or value is a 400 naming the field, never a 500."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import current_app, request

from forum.errors import InvalidAction, NotFound

MAX_PAGE = 1_000_000
MAX_PER_PAGE = 100
MAX_ID = 2**31 - 1
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


class BadInput(InvalidAction):
    """One or more fields are wrong; `fields` maps each to its message."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("Some fields are not right: see `fields`.")
        self.fields = fields


def clean_text(value: str) -> str:
    """Without NUL characters (PostgreSQL refuses them in text)."""
    return value.replace("\x00", "")


def is_encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def key(value: str, max_length: int = 100) -> str:
    """A slug or name from the path; anything that cannot name a row is "not found"."""
    if not value or len(value) > max_length or "\x00" in value or not is_encodable(value):
        raise NotFound()
    return value


def row_id(value: int) -> int:
    """An id from the path, inside the range a database column holds."""
    if not 0 < value <= MAX_ID:
        raise NotFound()
    return value


def int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name, "")
    if raw == "":
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9 and low <= int(raw) <= high):
        raise BadInput({name: f"Use a whole number from {low} to {high}."})
    return int(raw)


def page_args(default_per_page: int | None = None) -> tuple[int, int]:
    per_page = default_per_page or int(current_app.config["PER_PAGE"])
    return (
        int_arg("page", 1, 1, MAX_PAGE),
        int_arg("per_page", min(per_page, MAX_PER_PAGE), 1, MAX_PER_PAGE),
    )


def choice_arg(name: str, choices: Sequence[str], default: str) -> str:
    raw = request.args.get(name, "")
    if raw == "":
        return default
    if raw not in choices:
        raise BadInput({name: f"Use one of: {', '.join(choices)}."})
    return raw


def bool_arg(name: str) -> bool:
    raw = request.args.get(name, "").lower()
    if raw in ("", *FALSE):
        return False
    if raw in TRUE:
        return True
    raise BadInput({name: "Use true or false."})


def text_arg(name: str, max_length: int) -> str:
    raw = clean_text(request.args.get(name, ""))
    if len(raw) > max_length:
        raise BadInput({name: f"Use at most {max_length} characters."})
    return raw


class JsonBody:
    """The request's JSON object; collect field errors, then `done()` raises them together."""

    def __init__(self, required: bool = True) -> None:
        data: Any = request.get_json(force=True, silent=True)
        if data is None and not required and not request.get_data():
            data = {}
        if not isinstance(data, dict):
            raise BadInput({"body": "Send a JSON object (Content-Type: application/json)."})
        self.data: dict[str, Any] = data
        self.errors: dict[str, str] = {}

    def text(self, name: str, *, required: bool = True, max_length: int = 20_000) -> str:
        value = self.data.get(name)
        if value is None:
            if required:
                self.errors[name] = "This field is required."
            return ""
        if not isinstance(value, str) or not is_encodable(value):
            self.errors[name] = "Use a string."
            return ""
        value = clean_text(value)
        if len(value) > max_length:
            self.errors[name] = f"Use at most {max_length:,} characters."
            return ""
        return value

    def optional_text(self, name: str, max_length: int = 20_000) -> str | None:
        if self.data.get(name) is None:
            return None
        return self.text(name, max_length=max_length)

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.data.get(name, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.errors[name] = "Use true or false."
            return default
        return value

    def text_list(self, name: str, max_items: int = 20, max_length: int = 100) -> list[str]:
        value = self.data.get(name)
        if value is None:
            return []
        if not (
            isinstance(value, list)
            and len(value) <= max_items
            and all(isinstance(v, str) and len(v) <= max_length and is_encodable(v) for v in value)
        ):
            self.errors[name] = f"Use a list of at most {max_items} short strings."
            return []
        return [clean_text(v) for v in value]

    def choice(self, name: str, choices: Sequence[str], default: str | None = None) -> str:
        value = self.data.get(name, default)
        if value is None and default is None:
            self.errors[name] = "This field is required."
            return ""
        if value not in choices:
            self.errors[name] = f"Use one of: {', '.join(choices)}."
            return ""
        return str(value)

    def optional_id(self, name: str) -> int | None:
        """An id, or null; the field must be present."""
        if name not in self.data:
            self.errors[name] = "This field is required (null to clear)."
            return None
        value = self.data[name]
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
            self.errors[name] = "Use a positive whole number or null."
            return None
        return value

    def done(self) -> None:
        if self.errors:
            raise BadInput(self.errors)
