"""The clinician's worklist queries: one clinic's outcome rows in sections, filtered and paged.

The worklist reads only `patient_outcomes` (which carries the index surgery's region, procedure,
surgeon and date, the next follow-up and the red flag) so counting and paging use its indexes and
never join surgeries or responses; only the rows of the page shown are joined to their patients.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, and_, false, func, not_, or_, select, true
from sqlalchemy.orm import Session

from spinetrack.storage.tables import (
    ConsultationRequest,
    Membership,
    Patient,
    PatientOutcome,
    Surgery,
    User,
)

Section = Literal["red_flags", "failing", "losing_ground", "followups"]
SECTIONS: tuple[Section, ...] = ("red_flags", "failing", "losing_ground", "followups")
FAILING = ("failing", "relapsed")


@dataclass(frozen=True, slots=True)
class WorklistFilters:
    surgeon_id: int | None = None
    region: str | None = None
    procedure: str | None = None
    status: str | None = None


@dataclass(frozen=True, slots=True)
class Window:
    """The follow-up dates that make a row "due this week or overdue" on a given day."""

    today: date
    due_until: date
    """Nominal days up to this one are due (today plus the due-soon days)."""


@dataclass(frozen=True, slots=True)
class WorklistRow:
    outcome: PatientOutcome
    patient: Patient
    surgeon: str | None


class WorklistRepository:
    def __init__(self, session: Session, clinic_id: int) -> None:
        self._session = session
        self.clinic_id = clinic_id

    def _where(
        self, section: Section, filters: WorklistFilters, window: Window
    ) -> list[ColumnElement[bool]]:
        o = PatientOutcome
        conditions: list[ColumnElement[bool]] = [o.clinic_id == self.clinic_id]
        if filters.surgeon_id is not None:
            conditions.append(o.surgeon_id == filters.surgeon_id)
        if filters.region:
            conditions.append(o.region == filters.region)
        if filters.procedure:
            conditions.append(o.procedure == filters.procedure)
        if filters.status:
            conditions.append(o.status == filters.status)
        not_flagged = o.red_flag == false()
        if section == "red_flags":
            conditions.append(o.red_flag == true())
        elif section == "failing":
            conditions += [not_flagged, o.status.in_(FAILING)]
        elif section == "losing_ground":
            conditions += [not_flagged, not_(o.status.in_(FAILING)), o.losing_ground == true()]
        else:
            conditions += [
                not_flagged,
                not_(o.status.in_(FAILING)),
                o.next_due_on <= window.due_until,
                o.next_window_closes_on >= window.today,
            ]
        return conditions

    def count(self, section: Section, filters: WorklistFilters, window: Window) -> int:
        query = select(func.count()).select_from(PatientOutcome)
        query = query.where(*self._where(section, filters, window))
        return int(self._session.scalar(query) or 0)

    def page(
        self, section: Section, filters: WorklistFilters, window: Window, *, offset: int, limit: int
    ) -> list[WorklistRow]:
        o = PatientOutcome
        query: Select[Any] = select(o).where(*self._where(section, filters, window))
        if section == "red_flags":
            query = query.order_by(o.latest_assessment_id.desc(), o.patient_id)
        elif section == "failing":
            # Most urgent first: the worst change from baseline (most points worse) leads,
            # whichever of failing or relapsed the patient is; unmeasured changes go last.
            query = query.order_by(o.disability_improvement.asc().nulls_last(), o.patient_id)
        elif section == "losing_ground":
            query = query.order_by(o.disability_improvement.asc().nulls_last(), o.patient_id)
        else:
            query = query.order_by(o.next_due_on, o.patient_id)
        outcomes = list(self._session.scalars(query.offset(offset).limit(limit)))
        return self._with_patients(outcomes)

    def _with_patients(self, outcomes: Sequence[PatientOutcome]) -> list[WorklistRow]:
        ids = [o.patient_id for o in outcomes]
        patients = {
            p.id: p
            for p in self._session.scalars(
                select(Patient).where(Patient.clinic_id == self.clinic_id, Patient.id.in_(ids))
            )
        }
        surgeon_ids = {o.surgeon_id for o in outcomes if o.surgeon_id is not None}
        rows = self._session.execute(
            select(User.id, User.full_name).where(User.id.in_(surgeon_ids))
        )
        names = {user_id: name for user_id, name in rows}
        return [
            WorklistRow(o, patients[o.patient_id], names.get(o.surgeon_id or -1))
            for o in outcomes
            if o.patient_id in patients
        ]

    def stale_followups(self, today: date, limit: int) -> list[int]:
        """Patients whose stored next follow-up window closed before today (to recompute)."""
        o = PatientOutcome
        query = (
            select(o.patient_id)
            .where(
                o.clinic_id == self.clinic_id,
                o.next_due_on < today,
                o.next_window_closes_on < today,
            )
            .limit(limit)
        )
        return list(self._session.scalars(query))

    def surgeons(self) -> list[tuple[int, str]]:
        """Who operates in the clinic, by name, for the surgeon filter and the surgery form: its
        clinicians, and anyone already recorded as a surgeon of one of its operations (an
        administrator who operates); an administrator who does not is no surgeon."""
        operated = select(Surgery.surgeon_id).where(
            Surgery.clinic_id == self.clinic_id, Surgery.surgeon_id.is_not(None)
        )
        query = (
            select(User.id, User.full_name)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.clinic_id == self.clinic_id,
                or_(Membership.role == "clinician", User.id.in_(operated)),
            )
            .order_by(User.full_name, User.id)
        )
        return [(user_id, name) for user_id, name in self._session.execute(query)]

    def new_consultations(self, limit: int) -> tuple[int, list[ConsultationRequest]]:
        """How many consultation requests are still `new`, and the newest of them, urgent first."""
        c = ConsultationRequest
        mine = and_(c.clinic_id == self.clinic_id, c.status == "new")
        total = int(self._session.scalar(select(func.count()).select_from(c).where(mine)) or 0)
        rows = self._session.scalars(
            select(c)
            .where(mine)
            .order_by(c.urgent.desc(), c.received_at.desc(), c.id.desc())
            .limit(limit)
        )
        return total, list(rows)
