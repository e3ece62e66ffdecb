"""Condition <-> ComplicationRecord: a complication of a surgery, coded in our complication list,
with who reported it (surgeon or patient, kept apart). Its Procedure lists it in complicationDetail."""

from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.extension import Extension

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.registry.complications import catalogue
from spinetrack.interop.fhir.codes import extension
from spinetrack.interop.fhir.elements import (
    as_day,
    find_extension,
    note,
    note_text,
    our_code,
    ours,
    reference,
)
from spinetrack.interop.fhir.ids import patient_id
from spinetrack.interop.records import ComplicationRecord, SurgeryRef

REPORTED_BY = extension("reported-by")
COMPLICATION = "complication"
"""The category code (in our condition-category system) that marks a Condition as a complication."""


def to_complication(record: ComplicationRecord, condition_id: str) -> Condition:
    return Condition(
        id=condition_id,
        extension=[Extension(url=REPORTED_BY, valueCode=record.reported_by)],
        category=[ours("condition-category", COMPLICATION, "complication of a surgery")],
        code=ours("complication", record.kind, catalogue().kinds.get(record.kind)),
        subject=reference("Patient", patient_id(record.surgery.mrn)),
        onsetDateTime=record.occurred_on,
        note=note(record.notes),
    )


def is_complication(condition: Condition) -> bool:
    return any(our_code(c, "condition-category") == COMPLICATION for c in condition.category or [])


def from_complication(condition: Condition, surgery: SurgeryRef) -> ComplicationRecord:
    kind = our_code(condition.code, "complication")
    if kind is None:
        raise InvalidInput("code", "a complication needs a code from our complication list")
    reporter = find_extension(condition.extension, REPORTED_BY)
    if reporter is None or not reporter.valueCode:
        raise InvalidInput("extension", f"a complication needs the {REPORTED_BY} extension")
    onset = condition.onsetDateTime
    return ComplicationRecord(
        surgery=surgery,
        kind=kind,
        reported_by=str(reporter.valueCode),
        occurred_on=as_day(onset, "onsetDateTime") if onset is not None else None,
        notes=note_text(condition.note),
    )
