"""Record a surgery (or a revision of an earlier one) and a complication, each one audited transaction."""

from datetime import date, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.registry.complications import check_kind, check_reporter
from spinetrack.domain.registry.surgery import (
    check_approach,
    check_procedure,
    check_region,
    normalize_level,
)
from spinetrack.domain.vocabulary import vocabulary
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.clinic_calendar import clinic_today
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.records.read_models import ComplicationView, SurgeryView
from spinetrack.services.triage.status_change import refresh_and_assess
from spinetrack.storage.repositories.clinics import UserRepository
from spinetrack.storage.repositories.patients import PatientRepository
from spinetrack.storage.tables import Complication, Surgery
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

PLANNING_HORIZON = timedelta(days=366)
"""Surgeries may be registered ahead of the date, so the baseline questionnaire can be collected."""
RowId = Annotated[int, Field(ge=1, le=2_147_483_647)]
"""An id that can exist (ids are 32-bit in PostgreSQL); a larger one would fail in the query."""


class NewSurgery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    performed_on: date
    region: str
    procedure: str
    approach: str
    levels: list[str] = Field(default_factory=list, max_length=12)
    instrumented: bool = False
    surgeon_id: RowId | None = None
    revision_of_id: RowId | None = None
    revision_reason: str | None = None
    notes: str | None = Field(default=None, max_length=4000)
    planned: bool = False
    """Booked, not yet performed: the only kind of surgery that may carry a future date, and one
    that counts in no outcome, follow-up or cohort until it is done."""


class PerformedOn(BaseModel):
    """When a booked operation took place: what the timeline's form and the API send, validated
    by this one model so both refuse the same dates in the same way."""

    model_config = ConfigDict(extra="forbid")

    performed_on: date


class NewComplication(BaseModel):
    model_config = ConfigDict(extra="forbid")

    surgery_id: RowId
    kind: str
    reported_by: str
    occurred_on: date | None = None
    notes: str | None = Field(default=None, max_length=4000)


def _check_surgeon(users: UserRepository, clinic_id: int, surgeon_id: int | None) -> None:
    if surgeon_id is None:
        return
    if users.memberships(surgeon_id).get(clinic_id) not in {"clinician", "admin"}:
        raise InvalidInput("surgeon_id", f"user {surgeon_id} is not a surgeon in this clinic")


def check_after_birth(performed_on: date, birth_date: date) -> None:
    """An operation dated before the patient was born is a typing slip in one of the two dates."""
    if performed_on < birth_date:
        raise InvalidInput("performed_on", "the surgery cannot precede the date of birth")


def check_after_revised(performed_on: date, revised_on: date) -> None:
    """A revision is dated after the surgery it revises (the same day would make the revised one
    a failure before it could have been judged)."""
    if revised_on >= performed_on:
        raise InvalidInput("performed_on", "a revision must come after the surgery it revises")


def _check_revision(repo: PatientRepository, patient_id: int, surgery: NewSurgery) -> None:
    if surgery.revision_reason is not None and surgery.revision_reason not in vocabulary().causes:
        raise InvalidInput("revision_reason", f"unknown cause {surgery.revision_reason!r}")
    if surgery.revision_of_id is None:
        return
    earlier = {s.id: s for s in repo.surgeries(patient_id)}.get(surgery.revision_of_id)
    if earlier is None:
        raise InvalidInput("revision_of_id", "no such surgery for this patient")
    check_after_revised(surgery.performed_on, earlier.performed_on)


def check_surgery(birth_date: date, surgery: NewSurgery, today: date) -> list[str]:
    """The checks that need no database: vocabulary, dates and levels. Returns the levels, tidied."""
    check_region(surgery.region)
    check_procedure(surgery.procedure)
    check_approach(surgery.approach)
    check_after_birth(surgery.performed_on, birth_date)
    if surgery.performed_on > today + PLANNING_HORIZON:
        raise InvalidInput("performed_on", "a surgery more than a year ahead cannot be registered")
    if surgery.performed_on > today and not surgery.planned:
        raise InvalidInput(
            "performed_on",
            "this date is in the future; mark the operation as planned, or correct the date",
        )
    levels = [
        normalize_level(level, surgery.region, field=f"levels.{i}")
        for i, level in enumerate(surgery.levels)
    ]
    if len(set(levels)) != len(levels):
        raise InvalidInput("levels", "a level is listed twice")
    return levels


def register_surgery(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    patient_id: int,
    surgery: NewSurgery,
) -> SurgeryView:
    with audited(
        sessions, actor, "surgery.create", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id)
        repo = work.uow.patients(clinic_id)
        today = clinic_today(work.uow, clinic_id)
        levels = check_surgery(repo.get(patient_id).birth_date, surgery, today)
        _check_surgeon(work.uow.users, clinic_id, surgery.surgeon_id)
        _check_revision(repo, patient_id, surgery)
        row = Surgery(
            patient_id=patient_id, **surgery.model_dump(exclude={"levels"}), levels=levels
        )
        repo.add_row(row)
        refresh_and_assess(repo, patient_id, today)
        work.target = f"surgery:{row.id}"
        return SurgeryView.model_validate(row)


def record_performed(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    patient_id: int,
    surgery_id: int,
    performed_on: date,
) -> SurgeryView:
    """A booked operation took place: it gets its real date and starts counting in outcomes.

    Without this a planned surgery would stay out of every outcome and follow-up schedule for
    good, and registering it again would list the operation twice."""
    with audited(
        sessions, actor, "surgery.performed", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id)
        repo = work.uow.patients(clinic_id)
        patient = repo.get(patient_id)  # another clinic's patient is "not found", as elsewhere
        today = clinic_today(work.uow, clinic_id)
        surgeries = {s.id: s for s in repo.surgeries(patient_id)}
        row = surgeries.get(surgery_id)
        if row is None:
            raise InvalidInput("surgery_id", "no such surgery for this patient")
        if not row.planned:
            raise InvalidInput("surgery_id", "this operation is already recorded as performed")
        if performed_on > today:
            raise InvalidInput("performed_on", "an operation cannot be performed after today")
        check_after_birth(performed_on, patient.birth_date)
        earlier = surgeries.get(row.revision_of_id) if row.revision_of_id is not None else None
        if earlier is not None:
            check_after_revised(performed_on, earlier.performed_on)
        repo.mark_performed(row, performed_on)
        refresh_and_assess(repo, patient_id, today)
        work.target = f"surgery:{row.id}"
        return SurgeryView.model_validate(row)


def record_complication(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    patient_id: int,
    complication: NewComplication,
) -> ComplicationView:
    with audited(
        sessions, actor, "complication.create", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id)
        repo = work.uow.patients(clinic_id)
        repo.get(patient_id)
        check_kind(complication.kind)
        check_reporter(complication.reported_by)
        surgery = {s.id: s for s in repo.surgeries(patient_id)}.get(complication.surgery_id)
        if surgery is None:
            raise InvalidInput("surgery_id", "no such surgery for this patient")
        if complication.occurred_on and complication.occurred_on < surgery.performed_on:
            raise InvalidInput("occurred_on", "a complication cannot precede its surgery")
        row = Complication(patient_id=patient_id, **complication.model_dump())
        repo.add_row(row)
        work.target = f"complication:{row.id}"
        return ComplicationView.model_validate(row)
