"""De-identification of an export: identifiers replaced by keyed pseudonyms (HMAC-SHA256 with a
secret for each clinic), every date of a patient moved by the same patient-specific number of days,
names, contact details and free text dropped. Intervals between a patient's dates are kept, so
outcome windows and statuses still hold."""

import hashlib
import hmac
from dataclasses import replace
from datetime import timedelta

from spinetrack.domain.errors import InvalidInput
from spinetrack.interop.records import (
    AssessmentRecord,
    ComplicationRecord,
    PractitionerRecord,
    Registry,
    RegistryPatient,
    ResponseRecord,
    StatusRecord,
    SurgeryRecord,
    SurgeryRef,
)

MAX_SHIFT_DAYS = 182
"""Dates move 1 to 182 days earlier, never by zero. Always earlier: a date moved later could pass
the export day, and a date in the future would give away the direction of that patient's shift."""


class Pseudonymizer:
    def __init__(self, secret_key: str | None, clinic_id: int) -> None:
        if not secret_key:
            raise InvalidInput(
                "SPINETRACK_SECRET_KEY", "a de-identified export needs a secret key; set it first"
            )
        self._secret = hmac.digest(
            secret_key.encode(),
            f"spinetrack de-identification, clinic {clinic_id}".encode(),
            "sha256",
        )
        self._shifts: dict[str, timedelta] = {}

    def _mac(self, purpose: str, value: str) -> bytes:
        return hmac.new(self._secret, f"{purpose}:{value}".encode(), hashlib.sha256).digest()

    def pseudonym(self, purpose: str, value: str) -> str:
        return self._mac(purpose, value).hex()[:24]

    def shift(self, mrn: str) -> timedelta:
        if mrn not in self._shifts:
            number = int.from_bytes(self._mac("shift", mrn)[:4], "big")
            self._shifts[mrn] = timedelta(days=-(number % MAX_SHIFT_DAYS + 1))
        return self._shifts[mrn]

    def patient(self, mrn: str) -> str:
        return self.pseudonym("patient", mrn)

    def ref(self, ref: SurgeryRef) -> SurgeryRef:
        return SurgeryRef(
            self.patient(ref.mrn), ref.performed_on + self.shift(ref.mrn), ref.ordinal
        )


def _patient(p: Pseudonymizer, record: RegistryPatient) -> RegistryPatient:
    return RegistryPatient(
        mrn=p.patient(record.mrn),
        given_name=None,
        family_name=None,
        birth_date=record.birth_date + p.shift(record.mrn),
        sex=record.sex,
    )


def _surgery(p: Pseudonymizer, record: SurgeryRecord) -> SurgeryRecord:
    return replace(
        record,
        ref=p.ref(record.ref),
        surgeon=p.pseudonym("surgeon", record.surgeon) if record.surgeon else None,
        surgeon_name=None,
        revises=p.ref(record.revises) if record.revises else None,
        notes=None,
    )


def _complication(p: Pseudonymizer, record: ComplicationRecord) -> ComplicationRecord:
    shift = p.shift(record.surgery.mrn)
    return replace(
        record,
        surgery=p.ref(record.surgery),
        occurred_on=record.occurred_on + shift if record.occurred_on else None,
        notes=None,
    )


def _response(p: Pseudonymizer, record: ResponseRecord) -> ResponseRecord:
    return replace(
        record,
        mrn=p.patient(record.mrn),
        completed_at=record.completed_at + p.shift(record.mrn),
        entered_by=p.pseudonym("surgeon", record.entered_by) if record.entered_by else None,
    )


def _practitioner(p: Pseudonymizer, record: PractitionerRecord) -> PractitionerRecord:
    """Under the same pseudonym as on the surgeries they performed; no name, no NPI."""
    return PractitionerRecord(account=p.pseudonym("surgeon", record.account))


def _status(p: Pseudonymizer, record: StatusRecord) -> StatusRecord:
    return replace(record, mrn=p.patient(record.mrn))


def _assessment(p: Pseudonymizer, record: AssessmentRecord) -> AssessmentRecord:
    return replace(
        record,
        mrn=p.patient(record.mrn),
        evaluation_date=record.evaluation_date + p.shift(record.mrn),
    )


def deidentify(registry: Registry, *, secret_key: str | None, clinic_id: int) -> Registry:
    p = Pseudonymizer(secret_key, clinic_id)
    return replace(
        registry,
        patients=tuple(sorted((_patient(p, r) for r in registry.patients), key=lambda r: r.mrn)),
        surgeries=tuple(sorted((_surgery(p, r) for r in registry.surgeries), key=lambda r: r.ref)),
        complications=tuple(
            sorted((_complication(p, r) for r in registry.complications), key=lambda r: r.surgery)
        ),
        responses=tuple(
            sorted(
                (_response(p, r) for r in registry.responses),
                key=lambda r: (r.mrn, r.completed_at, r.instrument),
            )
        ),
        statuses=tuple(sorted((_status(p, r) for r in registry.statuses), key=lambda r: r.mrn)),
        assessments=tuple(_assessment(p, r) for r in registry.assessments),
        practitioners=tuple(
            sorted((_practitioner(p, r) for r in registry.practitioners), key=lambda r: r.account)
        ),
        deidentified=True,
    )
