"""Read and write a patient's pre-operative record: one audited transaction, checked by the domain
(knowledge/registry/preop.yaml), clinic-scoped. A write replaces the whole record: a field left
out is unknown, so a form and an API body mean the same thing."""

from dataclasses import asdict, fields
from datetime import UTC, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.registry.preop import PREOP_FIELDS, PreopRecord, check_preop
from spinetrack.services.access.actor import Actor
from spinetrack.services.audit.audit_log import audited
from spinetrack.storage.tables import PreopRecord as PreopRow
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

Pain = Annotated[int, Field(ge=0, le=10)]


class NewPreop(BaseModel):
    """The pre-operative record as the API and the forms send it (every field optional)."""

    model_config = ConfigDict(extra="forbid")

    bmi: float | None = Field(default=None, description="kg/m²")
    asa: int | None = Field(default=None, description="ASA physical status 1–4")
    smoker: bool | None = Field(default=None, description="current tobacco smoker")
    diabetes: bool | None = None
    symptom_duration_months: float | None = Field(
        default=None, description="duration of the main symptom before surgery, months"
    )
    prior_spine_surgery: bool | None = None
    compensation_claim: bool | None = Field(
        default=None, description="workers' compensation claim or litigation"
    )
    psychological_distress: bool | None = Field(
        default=None,
        description="depression, anxiety or catastrophizing; when absent, a PHQ-9 or GAD-7 total "
        "at or above 10 counts as distress",
    )
    phq9: int | None = Field(default=None, description="PHQ-9 total 0–27")
    gad7: int | None = Field(default=None, description="GAD-7 total 0–21")
    opioid_use: bool | None = Field(default=None, description="regular opioid use")
    baseline_pain_axial: Pain | None = Field(default=None, description="back or neck pain NRS")
    baseline_pain_limb: Pain | None = Field(default=None, description="leg or arm pain NRS")


class PreopView(NewPreop):
    model_config = ConfigDict(extra="forbid", from_attributes=True)

    patient_id: int
    distress: bool | None = Field(description="psychological distress as the model reads it")
    updated_at: datetime | None = None
    updated_by: str | None = None


def _view(patient_id: int, row: PreopRow | None) -> PreopView:
    values = {name: getattr(row, name) for name in PREOP_FIELDS} if row else {}
    record = PreopRecord(**values)
    return PreopView(
        patient_id=patient_id,
        distress=record.distress(),
        updated_at=row.updated_at if row else None,
        updated_by=row.updated_by if row else None,
        **values,
    )


def as_record(row: PreopRow | None) -> PreopRecord:
    if row is None:
        return PreopRecord()
    return PreopRecord(**{name: getattr(row, name) for name in PREOP_FIELDS})


def save_preop(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    patient_id: int,
    preop: NewPreop,
) -> PreopView:
    with audited(sessions, actor, "preop.save", clinic_id=clinic_id, patient_id=patient_id) as work:
        actor.require(clinic_id)
        work.uow.patients(clinic_id).get(patient_id)
        record = check_preop(PreopRecord(**preop.model_dump()))
        repo = work.uow.risk(clinic_id)
        row = PreopRow(
            patient_id=patient_id,
            updated_at=datetime.now(UTC),
            updated_by=actor.name,
            **asdict(record),
        )
        repo.save_preop(row)
        work.target = f"preop:{patient_id}"
        return _view(patient_id, repo.preop(patient_id))


def read_preop(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, patient_id: int
) -> PreopView:
    with audited(sessions, actor, "preop.read", clinic_id=clinic_id, patient_id=patient_id) as work:
        actor.require(clinic_id)
        work.uow.patients(clinic_id).get(patient_id)
        return _view(patient_id, work.uow.risk(clinic_id).preop(patient_id))


def import_preop(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    records: dict[str, PreopRecord],
) -> int:
    """Store many patients' records at once, by MRN (the demo and bulk loads): every record is
    checked first, then all are written in one audited transaction; returns how many."""
    with audited(sessions, actor, "preop.import", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        patients = work.uow.patients(clinic_id)
        repo = work.uow.risk(clinic_id)
        now = datetime.now(UTC)
        ids = patients.ids_by_mrn(list(records))
        checked = []
        names = [f.name for f in fields(PreopRecord)]  # scalars all: asdict's deep copy not needed
        for mrn, record in records.items():
            if mrn not in ids:
                raise InvalidInput("mrn", f"no patient with MRN {mrn!r} in this clinic")
            checked.append((ids[mrn], check_preop(record)))
        repo.save_preops(
            [
                {"patient_id": patient_id, "updated_at": now, "updated_by": actor.name}
                | {name: getattr(record, name) for name in names}
                for patient_id, record in checked
            ]
        )
        work.detail = f"{len(checked)} records"
        return len(checked)
