"""The words a patient reads for each question: the clinic's licensed text when it has loaded one
(`spinetrack instruments load`), otherwise spinetrack's neutral descriptions.

Licensed wording is never shipped, so the phone pages and the paper forms both ask here; the
loaded file was checked against the built-in structure when it was loaded and is checked again
on reading, so a damaged file falls back to the neutral text instead of mis-scoring answers.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spinetrack.config import get_settings
from spinetrack.domain.errors import SpinetrackError
from spinetrack.domain.instruments import InstrumentDefinition, get_instrument
from spinetrack.domain.instruments.licensed_text import check_questionnaire
from spinetrack.services.patient_side.catalogues import DEFAULT_LANGUAGE

LICENSED_FOLDER = "instruments"
"""Under SPINETRACK_VAR_DIR, where `spinetrack instruments load` keeps a clinic's licensed text."""


@dataclass(frozen=True)
class Option:
    value: int
    label: str
    """The wording of this answer, or "" for an unlabelled step of a rating scale."""


@dataclass(frozen=True)
class Question:
    id: str
    title: str
    prompt: str | None
    """The licensed question text; None when only the neutral description is available."""
    recall: str
    options: tuple[Option, ...]

    @property
    def when(self) -> str:
        """The recall period in a patient's words: "today" when the instrument asks about the day
        of completion, otherwise the period without the definition's note in brackets; "" when the
        built-in definition does not know it."""
        if '"today"' in self.recall:
            return "today"
        if self.recall.startswith("not stated"):
            return ""  # the period is in the clinic's licensed text; never show our note
        return self.recall.split(" (")[0]

    @property
    def scale(self) -> bool:
        """A numeric rating scale (only some steps labelled), shown as a row of numbers."""
        return any(not option.label for option in self.options)


@dataclass(frozen=True)
class QuestionnaireText:
    id: str
    title: str
    licensed: bool
    questions: tuple[Question, ...]


def licensed_path(instrument_id: str, language: str | None = None) -> Path:
    """Where a clinic's licensed text is kept: `<id>.json` in the source language, `<id>.<lang>.json`
    for a licensed translation (loaded with `spinetrack instruments load --language`)."""
    suffix = f".{language}" if language and language != DEFAULT_LANGUAGE else ""
    return get_settings().var_dir / LICENSED_FOLDER / f"{instrument_id}{suffix}.json"


def _licensed_items(
    definition: InstrumentDefinition, language: str | None
) -> dict[str, dict[str, Any]] | None:
    path = licensed_path(definition.id, language)
    if not path.is_file():
        return None
    try:
        document = json.loads(path.read_bytes())
        check_questionnaire(document, definition.id)
    except (OSError, ValueError, SpinetrackError):
        return None
    found: dict[str, dict[str, Any]] = {}
    stack = list(document.get("item") or [])
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("linkId"), str):
                found[item["linkId"]] = item
            stack.extend(item.get("item") or [])
    return found


def _option_label(option: dict[str, Any]) -> tuple[int | None, str]:
    if "valueInteger" in option:
        return int(option["valueInteger"]), str(option["valueInteger"])
    coding = option.get("valueCoding")
    if isinstance(coding, dict):
        value = None
        for extension in coding.get("extension") or []:
            if isinstance(extension, dict) and "valueInteger" in extension:
                value = int(extension["valueInteger"])
        if value is None and str(coding.get("code", "")).lstrip("-").isdigit():
            value = int(coding["code"])
        return value, str(coding.get("display") or coding.get("code") or "")
    text = str(option.get("valueString", ""))
    return (int(text) if text.strip().lstrip("-").isdigit() else None), text


def questionnaire_text(instrument_id: str, language: str | None = None) -> QuestionnaireText:
    """The questions of an instrument in the words to show; raises UnknownInstrument.

    Licensed wording is used only in the language it was licensed in: a patient reading another
    language gets spinetrack's own neutral descriptions, which the catalogue translates, rather
    than the clinic's text in a language they did not choose."""
    definition = get_instrument(instrument_id)
    licensed = _licensed_items(definition, language)
    questions = []
    for item in definition.items:
        neutral = definition.levels_of(item)
        labels = {value: neutral.get(value, "") for value in range(item.min, item.max + 1)}
        prompt = None
        source = (licensed or {}).get(item.id)
        if source is not None:
            prompt = str(source.get("text", "")).strip() or None
            for option in source.get("answerOption") or []:
                value, label = _option_label(option) if isinstance(option, dict) else (None, "")
                if value in labels and label:
                    labels[value] = label
        questions.append(
            Question(
                id=item.id,
                title=item.title,
                prompt=prompt,
                recall=item.recall or definition.recall,
                options=tuple(Option(value, label) for value, label in labels.items()),
            )
        )
    return QuestionnaireText(
        id=definition.id,
        title=definition.title,
        licensed=licensed is not None,
        questions=tuple(questions),
    )
