"""Register a patient in a clinic (and look patients up), each call one audited transaction."""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from spinetrack.domain.errors import InvalidInput
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.clinic_calendar import clinic_today, latest_today
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.records.read_models import PatientPage, PatientView
from spinetrack.storage.tables import Patient
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
EARLIEST_BIRTH = date(1900, 1, 1)


class NewPatient(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mrn: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    given_name: Name
    family_name: Name
    birth_date: date
    sex: str = Field(pattern="^(female|male|other|unknown)$")
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = Field(default=None, max_length=40, pattern=r"^[0-9+()\-. ]{5,40}$")
    referrer_name: str | None = Field(default=None, max_length=200)
    """The referring doctor, as the letter addresses them ("Dr A. Jones")."""
    referrer_practice: str | None = Field(default=None, max_length=200)
    referrer_address: str | None = Field(default=None, max_length=1000)

    @field_validator("birth_date")
    @classmethod
    def _plausible_birth(cls, value: date) -> date:
        if value > latest_today():
            raise ValueError("a date of birth cannot be in the future")
        if value < EARLIEST_BIRTH:
            raise ValueError("a date of birth before 1900 is not plausible")
        return value


def register_patient(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, patient: NewPatient
) -> PatientView:
    with audited(sessions, actor, "patient.create", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        repo = work.uow.patients(clinic_id)
        if patient.birth_date > clinic_today(work.uow, clinic_id):
            # The form could only refuse what is future everywhere; this is the clinic's day.
            raise InvalidInput("birth_date", "a date of birth cannot be in the future")
        if repo.by_mrn(patient.mrn) is not None:
            raise InvalidInput("mrn", f"a patient with MRN {patient.mrn!r} is already registered")
        row = repo.add(Patient(**patient.model_dump()))
        work.patient_id = row.id
        return PatientView.model_validate(row)


def list_patients(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, offset: int, limit: int
) -> PatientPage:
    with audited(sessions, actor, "patient.list", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        repo = work.uow.patients(clinic_id)
        items = [PatientView.model_validate(p) for p in repo.page(offset=offset, limit=limit)]
        work.detail = f"offset={offset} limit={limit} returned={len(items)}"
        work.saw(item.id for item in items)
        return PatientPage(total=repo.count(), offset=offset, limit=limit, items=items)
