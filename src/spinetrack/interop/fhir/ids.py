"""Resource ids derived from what identifies a record (MRN, date, instrument), never from row ids,
so the same records give the same ids in every database and an export can be compared with another."""

import uuid
from datetime import datetime

from spinetrack.interop.records import SurgeryRef

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://spinetrack.example/fhir")


def _id(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "|".join(parts)))


def patient_id(mrn: str) -> str:
    return _id("Patient", mrn)


def procedure_id(ref: SurgeryRef) -> str:
    return _id("Procedure", ref.mrn, ref.performed_on.isoformat(), str(ref.ordinal))


def complication_id(ref: SurgeryRef, kind: str, reported_by: str, ordinal: int) -> str:
    return _id("Condition", procedure_id(ref), kind, reported_by, str(ordinal))


def response_id(mrn: str, instrument: str, completed_at: datetime) -> str:
    return _id("QuestionnaireResponse", mrn, instrument, completed_at.isoformat())


def observation_id(response: str) -> str:
    return _id("Observation", response)


def psps2_id(mrn: str) -> str:
    return _id("Condition", "psps2", mrn)


def assessment_id(mrn: str, ordinal: int) -> str:
    return _id("RiskAssessment", mrn, str(ordinal))


def questionnaire_id(instrument: str) -> str:
    """Instrument ids use underscores, which FHIR ids do not allow."""
    return instrument.replace("_", "-")


def instrument_of(questionnaire: str) -> str:
    return questionnaire.replace("-", "_")
