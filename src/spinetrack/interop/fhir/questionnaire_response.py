"""QuestionnaireResponse <-> ResponseRecord: one answer per item, coded with the item's numeric
level. Reading accepts what renderers produce: a coded level, an integer or a decimal answer."""

from decimal import Decimal

from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer,
)
from fhir.resources.R4B.reference import Reference

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.instruments import get_instrument
from spinetrack.interop.fhir.codes import (
    BASE,
    STORED_RESPONSE_STATUSES,
    check_code,
    questionnaire_url,
)
from spinetrack.interop.fhir.elements import as_moment, reference
from spinetrack.interop.fhir.ids import patient_id, practitioner_id, response_id
from spinetrack.interop.fhir.questionnaire import ANSWER_LEVEL, score_link_id
from spinetrack.interop.records import Answer, ResponseRecord


def _answer(value: int, label: str | None) -> QuestionnaireResponseItemAnswer:
    return QuestionnaireResponseItemAnswer(
        valueCoding=Coding(
            system=ANSWER_LEVEL,
            code=str(value),
            display=f"{value}: {label}" if label else str(value),
        )
    )


def _author(record: ResponseRecord) -> Reference | None:
    """Who put the answers in: the account that typed them (a paper form entered by staff), the
    patient for answers they submitted by a link; unknown (None) for imported ones. The patient
    is the source (who answered) in every case."""
    if record.entered_by:
        return reference("Practitioner", practitioner_id(record.entered_by))
    if record.source == "patient_link":
        return reference("Patient", patient_id(record.mrn))
    return None


def to_response(record: ResponseRecord) -> QuestionnaireResponse:
    definition = get_instrument(record.instrument)
    items = []
    for item in definition.items:
        value = record.answers.get(item.id)
        if value is None:
            continue
        level = int(value)
        items.append(
            QuestionnaireResponseItem(
                linkId=item.id,
                text=item.title,
                answer=[_answer(level, definition.levels_of(item).get(level))],
            )
        )
    version = record.instrument_version or definition.version
    return QuestionnaireResponse(
        id=response_id(record.mrn, record.instrument, record.completed_at),
        questionnaire=f"{questionnaire_url(record.instrument)}|{version}",
        status="completed",
        subject=reference("Patient", patient_id(record.mrn)),
        authored=record.completed_at,
        source=reference("Patient", patient_id(record.mrn)),
        author=_author(record),
        item=items or None,
    )


def instrument_of(response: QuestionnaireResponse) -> str:
    """The instrument a response answers, from its canonical Questionnaire URL (and version)."""
    canonical = str(response.questionnaire or "")
    url, _, version = canonical.partition("|")
    prefix = f"{BASE}/Questionnaire/"
    if not url.startswith(prefix):
        raise InvalidInput("questionnaire", f"{canonical!r} is not one of our Questionnaires")
    instrument = url.removeprefix(prefix)
    definition = get_instrument(instrument)
    if version and version != definition.version:
        raise InvalidInput(
            "questionnaire",
            f"version {version} of {instrument}; this registry scores {definition.version}",
        )
    return instrument


def _value(link_id: str, answer: QuestionnaireResponseItemAnswer) -> Answer:
    if answer.valueCoding is not None:
        code = str(answer.valueCoding.code or "")
        if answer.valueCoding.system not in (None, ANSWER_LEVEL) or not code.lstrip("-").isdigit():
            raise InvalidInput(f"answers.{link_id}", f"the coded answer {code!r} is not a level")
        return int(code)
    if answer.valueInteger is not None:
        return int(answer.valueInteger)
    if answer.valueDecimal is not None:
        value = Decimal(answer.valueDecimal)
        return int(value) if value == value.to_integral_value() else float(value)
    raise InvalidInput(f"answers.{link_id}", "an answer must be a coded level, integer or decimal")


def _collect(items: list[QuestionnaireResponseItem] | None, answers: dict[str, Answer]) -> None:
    for item in items or []:
        link_id = str(item.linkId)
        given = item.answer or []
        if len(given) > 1:
            raise InvalidInput(f"answers.{link_id}", "one answer per item")
        if given:
            if link_id in answers:
                raise InvalidInput(f"answers.{link_id}", "the item is answered twice")
            answers[link_id] = _value(link_id, given[0])
            _collect(given[0].item, answers)
        _collect(item.item, answers)


def from_response(response: QuestionnaireResponse, mrn: str) -> ResponseRecord:
    check_code(response.status, STORED_RESPONSE_STATUSES, "status")
    if response.authored is None:
        raise InvalidInput("authored", "a response needs the date and time it was completed")
    answers: dict[str, Answer] = {}
    _collect(response.item, answers)
    instrument = instrument_of(response)
    answers.pop(score_link_id(instrument), None)  # a renderer's calculated score: ours is computed
    return ResponseRecord(
        mrn=mrn,
        instrument=instrument,
        completed_at=as_moment(response.authored, "authored"),
        answers=answers,
    )
