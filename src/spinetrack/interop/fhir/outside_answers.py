"""Answers to an outside Questionnaire (a hospital's own ODI form, an EHR's NDI) read into one of
our instruments. The instrument is recognised by a mapping the clinic configured (canonical URL and
linkId -> our item) or by the LOINC panel code on the Questionnaire in the Bundle; each answer's
level comes from our coded level, the SDC `ordinalValue` of the chosen option (on the answer's
coding or on the Questionnaire's answerOption), or a plain integer or decimal."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.questionnaire import Questionnaire, QuestionnaireItem
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer,
)

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.instruments import get_instrument
from spinetrack.interop.fhir.codes import LOINC, LOINC_SCORES, ORDINAL_VALUE
from spinetrack.interop.fhir.questionnaire import ANSWER_LEVEL
from spinetrack.interop.records import Answer

ORDINAL_URLS = (
    ORDINAL_VALUE,
    "http://hl7.org/fhir/StructureDefinition/iso21090-CO-value",
    "http://hl7.org/fhir/StructureDefinition/itemWeight",
)
"""Where R4 SDC forms (and their R3 and R5 forebears) put an option's numeric score."""
PANELS = {panel: instrument for instrument, (_, _, panel) in LOINC_SCORES.items() if panel}


@dataclass(frozen=True)
class QuestionnaireMap:
    """How an outside Questionnaire's items map onto one of our instruments."""

    instrument: str
    items: Mapping[str, str]
    """Outside linkId -> our item id."""
    how: str
    """Why this mapping is used (the clinic's setting, or the LOINC panel code)."""


def canonical_url(canonical: str | None) -> str:
    return str(canonical or "").partition("|")[0]


def _question_items(items: list[QuestionnaireItem] | None) -> list[QuestionnaireItem]:
    found: list[QuestionnaireItem] = []
    for item in items or []:
        if item.type == "group":
            found += _question_items(item.item)
        elif item.type not in ("display",) and not item.readOnly:
            found.append(item)
    return found


def loinc_map(questionnaire: Questionnaire) -> QuestionnaireMap | None:
    """Our instrument for a Questionnaire coded with a LOINC panel we know, items taken in order
    (the published section order) when there are exactly as many answerable items."""
    codes = [c.code for c in questionnaire.code or [] if c.system == LOINC]
    instrument = next((PANELS[str(c)] for c in codes if str(c) in PANELS), None)
    if instrument is None:
        return None
    ours = [item.id for item in get_instrument(instrument).items]
    theirs = [str(item.linkId) for item in _question_items(questionnaire.item)]
    if len(theirs) != len(ours):
        raise InvalidInput(
            "questionnaire",
            f"LOINC panel {codes[0]} ({instrument}) has {len(theirs)} answerable items, "
            f"ours {len(ours)}; configure a mapping of its linkIds",
        )
    return QuestionnaireMap(
        instrument, dict(zip(theirs, ours, strict=True)), f"LOINC panel {codes[0]}"
    )


def _ordinal(extensions: list[Extension] | None) -> Decimal | None:
    for ext in extensions or []:
        if ext.url in ORDINAL_URLS:
            if ext.valueDecimal is not None:
                return Decimal(ext.valueDecimal)
            if ext.valueInteger is not None:
                return Decimal(ext.valueInteger)
    return None


def _options(questionnaire: Questionnaire | None) -> dict[tuple[str, str, str], Decimal]:
    """(linkId, system, code) -> ordinal value of every scored answer option."""
    found: dict[tuple[str, str, str], Decimal] = {}
    for item in _question_items(questionnaire.item if questionnaire else None):
        for option in item.answerOption or []:
            coding = option.valueCoding
            value = _ordinal(option.extension)
            if coding is not None and value is None:
                value = _ordinal(coding.extension)
            if coding is not None and value is not None:
                found[(str(item.linkId), str(coding.system or ""), str(coding.code or ""))] = value
    return found


def _number(value: Decimal) -> Answer:
    return int(value) if value == value.to_integral_value() else float(value)


def _coded(link_id: str, coding: Coding, options: Mapping[tuple[str, str, str], Decimal]) -> Answer:
    code = str(coding.code or "")
    if coding.system == ANSWER_LEVEL and code.lstrip("-").isdigit():
        return int(code)
    value = _ordinal(coding.extension)
    if value is None:
        value = options.get((link_id, str(coding.system or ""), code))
    if value is None:
        raise InvalidInput(
            f"answers.{link_id}",
            f"the coded answer {coding.system}|{code} has no ordinalValue to score it by",
        )
    return _number(value)


def _value(
    link_id: str,
    answer: QuestionnaireResponseItemAnswer,
    options: Mapping[tuple[str, str, str], Decimal],
) -> Answer:
    if answer.valueCoding is not None:
        return _coded(link_id, answer.valueCoding, options)
    if answer.valueInteger is not None:
        return int(answer.valueInteger)
    if answer.valueDecimal is not None:
        return _number(Decimal(answer.valueDecimal))
    raise InvalidInput(f"answers.{link_id}", "an answer must be coded, an integer or a decimal")


def _walk(items: list[QuestionnaireResponseItem] | None) -> list[QuestionnaireResponseItem]:
    found: list[QuestionnaireResponseItem] = []
    for item in items or []:
        found.append(item)
        found += _walk(item.item)
        for answer in item.answer or []:
            found += _walk(answer.item)
    return found


def outside_answers(
    response: QuestionnaireResponse,
    mapping: QuestionnaireMap,
    questionnaire: Questionnaire | None,
) -> dict[str, Answer]:
    """Our item id -> level for every mapped item the response answers; other items (a form's own
    total, a comment) are not ours to store and are left out."""
    options = _options(questionnaire)
    answers: dict[str, Answer] = {}
    for item in _walk(response.item):
        link_id = str(item.linkId)
        ours = mapping.items.get(link_id)
        if ours is None or not item.answer:
            continue
        if len(item.answer) > 1:
            raise InvalidInput(f"answers.{link_id}", "one answer per item")
        if ours in answers:
            raise InvalidInput(f"answers.{link_id}", f"{ours} is answered twice")
        answers[ours] = _value(link_id, item.answer[0], options)
    return answers
