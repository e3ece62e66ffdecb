"""Small FHIR Bundles for import tests, built with the R4B models (never hand-written JSON)."""

from datetime import UTC, date, datetime

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.resource import Resource

from spinetrack.interop.fhir.bundle_out import collection
from spinetrack.interop.fhir.patient import to_patient
from spinetrack.interop.fhir.procedure import to_procedure
from spinetrack.interop.fhir.questionnaire_response import to_response
from spinetrack.interop.records import RegistryPatient, ResponseRecord, SurgeryRecord, SurgeryRef

MRN = "N-1001"
SURGERY_DAY = date(2025, 3, 3)


def patient(mrn: str = MRN, given: str = "Ada", phone: str | None = None) -> RegistryPatient:
    return RegistryPatient(mrn, given, "Lind", date(1961, 5, 2), "female", None, phone)


def surgery(mrn: str = MRN, procedure: str = "discectomy") -> SurgeryRecord:
    return SurgeryRecord(
        ref=SurgeryRef(mrn, SURGERY_DAY),
        region="lumbar",
        procedure=procedure,
        approach="posterior",
        levels=("L4-L5",),
        instrumented=False,
    )


def odi(mrn: str = MRN, day: date = date(2025, 2, 20), answer: int = 3) -> ResponseRecord:
    moment = datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC)
    return ResponseRecord(mrn, "odi", moment, {f"odi_{i}": answer for i in range(1, 11)})


def bundle(*resources: Resource) -> bytes:
    return collection(list(resources)).model_dump_json().encode()


def record_bundle(clinic: str, *, given: str = "Ada", answer: int = 3) -> bytes:
    """One patient with a surgery, a baseline and a 3-month ODI, in the clinic's MRN system."""
    return bundle(
        to_patient(patient(given=given), clinic=clinic),
        to_procedure(surgery(), today=date(2026, 1, 1)),
        to_response(odi()),
        to_response(odi(day=date(2025, 6, 5), answer=answer)),
    )


def parsed(raw: bytes) -> Bundle:
    return Bundle.model_validate_json(raw)
