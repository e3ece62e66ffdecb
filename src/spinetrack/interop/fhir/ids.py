"""Resource ids derived from what identifies a record (MRN, date, instrument), never from row ids,
so the same records give the same ids in every database and an export can be compared with another."""

import hashlib
import uuid
from datetime import datetime

from spinetrack.interop.records import SurgeryRef

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://spinetrack.example/fhir")


_PREFIX = _NAMESPACE.bytes


def _id(*parts: str) -> str:
    """uuid5(_NAMESPACE, "a|b|..."), computed without the UUID object: reads by id compute one
    per stored row of a type, so this is the hot path (about a fifth of uuid.uuid5's cost)."""
    raw = bytearray(hashlib.sha1(_PREFIX + "|".join(parts).encode()).digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x50
    raw[8] = (raw[8] & 0x3F) | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def patient_id(mrn: str) -> str:
    return _id("Patient", mrn)


def practitioner_id(account: str) -> str:
    """By the account's e-mail (lower case: the same person however it was typed)."""
    return _id("Practitioner", account.lower())


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
