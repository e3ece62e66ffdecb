"""One way to read a posted form: the service's own pydantic model validates it, and every problem
becomes a message that names the field as its label on the form does, in plain words.

A clinician who typed a bad value should read "Levels: write adjacent vertebrae such as L4-L5",
not "0: 'L4-L6' is not a spinal level" or "String should match pattern". The messages are keyed
by the form field's name, so the page can highlight that field (`aria-invalid`, and
`aria-describedby` pointing at the message) and list the message in the summary above the form.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from spinetrack.domain.errors import InvalidInput

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Label:
    """A form field as the page shows it: its label and, for values that must take a certain
    shape, how to write one (used instead of the validator's own words)."""

    text: str
    hint: str | None = None


@dataclass(frozen=True)
class FormWords:
    """The labels of one form, by field name (the model's field, which is also the input's name)."""

    labels: Mapping[str, Label] = field(default_factory=dict)
    renamed: Mapping[str, str] = field(default_factory=dict)
    """Model fields that the form shows under another input name (`completed_at` -> `completed_on`)."""
    lookup: Callable[[str], Label | None] | None = None
    """Labels of fields the form builds from data (one per questionnaire item)."""

    def _known(self, name: str) -> Label | None:
        found = self.labels.get(name)
        if found is None and self.lookup is not None:
            found = self.lookup(name)
        return found

    def label(self, name: str) -> Label:
        found = self._known(name)
        if found is not None:
            return found
        head = name.split(".")[0]
        return self.labels.get(head, Label(head.replace("_", " ").capitalize()))

    def field_of(self, location: Iterable[int | str]) -> str:
        """The form field a pydantic location or an `InvalidInput.field` points at: list positions
        dropped (`levels.0` is the Levels box), renamed fields mapped to their input."""
        parts = [str(p) for p in location if not (isinstance(p, int) or str(p).isdigit())]
        name = ".".join(parts)
        if self._known(name) is None and parts and parts[0] in self.labels:
            name = parts[0]
        return self.renamed.get(name, name) or "form"

    def say(self, name: str, reason: str) -> str:
        """`Label: reason.` with the reason made a sentence."""
        text = reason.strip().rstrip(".")
        if name == "form":  # a refusal of the whole form, not of one field
            return f"{text[:1].upper()}{text[1:]}."
        return f"{self.label(name).text}: {text}."

    def messages(self, exc: ValidationError | InvalidInput) -> dict[str, str]:
        """One message per form field (the first problem of each), in the form's words."""
        if isinstance(exc, InvalidInput):
            name = self.field_of(exc.field.split(".")) if exc.field else "form"
            return {name: self.say(name, self._plain_reason(name, exc.reason))}
        found: dict[str, str] = {}
        for error in exc.errors():
            name, reason = self._explain(error)
            found.setdefault(name, self.say(name, reason))
        return found

    def _plain_reason(self, name: str, reason: str) -> str:
        hint = self.label(name).hint
        return hint if hint and _is_shape_complaint(reason) else reason

    def _explain(self, error: ErrorDetails) -> tuple[str, str]:
        location = error["loc"]
        kind = error["type"]
        message = str(error["msg"]).removeprefix("Value error, ")
        if not location and ":" in message:  # a rule across fields names its field first
            head, _, rest = message.partition(":")
            name = self.field_of(head.strip().split("."))
            return name, rest.strip()
        name = self.field_of(location)
        hint = self.label(name).hint
        blank = error.get("input", "") in (None, "")
        context: dict[str, Any] = dict(error.get("ctx") or {})
        if kind == "missing" or (blank and kind not in _KEEP_WHEN_BLANK):
            return name, "please fill this in"
        if kind in _SHAPE_KINDS:
            return name, hint or _SHAPE_KINDS[kind]
        if kind in _BOUND_KINDS:
            return name, hint or _BOUND_KINDS[kind].format(**context)
        return name, hint if hint and _is_shape_complaint(message) else message

    def parse(self, model: type[M], data: Mapping[str, Any]) -> M:
        """Validate `data` with the service's model; refused input raises `FormRefused` carrying
        the messages in the form's words."""
        try:
            return model.model_validate(dict(data))
        except ValidationError as exc:
            raise FormRefused(self.messages(exc)) from exc


class FormRefused(Exception):
    """A form that cannot be accepted as typed; `errors` holds one message per field."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = dict(errors)


def refuse(field_name: str, words: FormWords, reason: str) -> FormRefused:
    """A refusal of one field decided by the page itself (a choice left blank, a bad number)."""
    return FormRefused({field_name: words.say(field_name, reason)})


_KEEP_WHEN_BLANK = frozenset({"too_short", "list_type"})
_SHAPE_KINDS = {
    "string_pattern_mismatch": "this is not written in a form spinetrack can use",
    "literal_error": "choose one of the options",
    "enum": "choose one of the options",
    "int_parsing": "enter a whole number",
    "int_type": "enter a whole number",
    "int_from_float": "enter a whole number",
    "float_parsing": "enter a number",
    "float_type": "enter a number",
    "date_parsing": "enter a date such as 2026-03-31",
    "date_from_datetime_parsing": "enter a date such as 2026-03-31",
    "date_from_datetime_inexact": "enter a date without a time",
    "date_type": "enter a date such as 2026-03-31",
    "datetime_parsing": "enter a date such as 2026-03-31",
    "datetime_from_date_parsing": "enter a date such as 2026-03-31",
    "bool_parsing": "choose yes or no",
    "bool_type": "choose yes or no",
    "extra_forbidden": "this field is not part of the form",
    "dict_type": "this is not written in a form spinetrack can use",
    "list_type": "choose at least one",
}
_BOUND_KINDS = {
    "string_too_long": "at most {max_length} characters",
    "string_too_short": "at least {min_length} characters",
    "too_long": "at most {max_length}",
    "too_short": "choose at least {min_length}",
    "greater_than_equal": "at least {ge}",
    "greater_than": "more than {gt}",
    "less_than_equal": "at most {le}",
    "less_than": "less than {lt}",
}
_SHAPE_WORDS = ("should match pattern", "input should", "should be a valid")
"""How pydantic phrases a complaint about shape; a field's hint says it in the form's words."""


def _is_shape_complaint(reason: str) -> bool:
    lowered = reason.lower()
    return any(words in lowered for words in _SHAPE_WORDS)
