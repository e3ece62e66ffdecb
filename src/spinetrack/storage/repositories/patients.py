"""Patient records within one clinic: the scope is a constructor argument and every query uses it."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from spinetrack.domain.errors import NotFound
from spinetrack.storage.tables import (
    ClinicalFinding,
    Complication,
    Patient,
    PatientOutcome,
    PromResponse,
    Surgery,
    TriageAssessment,
)


class PatientRepository:
    def __init__(self, session: Session, clinic_id: int) -> None:
        self._session = session
        self.clinic_id = clinic_id

    def add(self, patient: Patient) -> Patient:
        patient.clinic_id = self.clinic_id
        self._session.add(patient)
        self._session.flush()
        return patient

    def get(self, patient_id: int) -> Patient:
        """The patient if it belongs to this clinic; otherwise NotFound, never another clinic's row."""
        patient = self._session.scalar(
            select(Patient).where(Patient.id == patient_id, Patient.clinic_id == self.clinic_id)
        )
        if patient is None:
            raise NotFound("patient", patient_id)
        return patient

    def by_mrn(self, mrn: str) -> Patient | None:
        return self._session.scalar(
            select(Patient).where(Patient.clinic_id == self.clinic_id, Patient.mrn == mrn)
        )

    def existing_mrns(self, mrns: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(mrns), 1000):
            chunk = list(mrns[start : start + 1000])
            found.update(
                self._session.scalars(
                    select(Patient.mrn).where(
                        Patient.clinic_id == self.clinic_id, Patient.mrn.in_(chunk)
                    )
                )
            )
        return found

    def page(self, *, offset: int, limit: int) -> list[Patient]:
        query = (
            select(Patient)
            .where(Patient.clinic_id == self.clinic_id)
            .order_by(Patient.id)
            .offset(offset)
            .limit(limit)
        )
        return list(self._session.scalars(query))

    def count(self) -> int:
        query = select(func.count()).select_from(Patient).where(Patient.clinic_id == self.clinic_id)
        return int(self._session.scalar(query) or 0)

    def surgeries(self, patient_id: int) -> list[Surgery]:
        query = (
            select(Surgery)
            .where(Surgery.clinic_id == self.clinic_id, Surgery.patient_id == patient_id)
            .order_by(Surgery.performed_on, Surgery.id)
        )
        return list(self._session.scalars(query))

    def responses(self, patient_id: int) -> list[PromResponse]:
        query = (
            select(PromResponse)
            .where(PromResponse.clinic_id == self.clinic_id, PromResponse.patient_id == patient_id)
            .order_by(PromResponse.completed_at, PromResponse.id)
        )
        return list(self._session.scalars(query))

    def complications(self, patient_id: int) -> list[Complication]:
        query = (
            select(Complication)
            .where(Complication.clinic_id == self.clinic_id, Complication.patient_id == patient_id)
            .order_by(Complication.id)
        )
        return list(self._session.scalars(query))

    def findings(self, patient_id: int) -> list[ClinicalFinding]:
        query = (
            select(ClinicalFinding)
            .where(
                ClinicalFinding.clinic_id == self.clinic_id,
                ClinicalFinding.patient_id == patient_id,
            )
            .order_by(ClinicalFinding.observed_on, ClinicalFinding.id)
        )
        return list(self._session.scalars(query))

    def assessments(self, patient_id: int) -> list[TriageAssessment]:
        query = (
            select(TriageAssessment)
            .where(
                TriageAssessment.clinic_id == self.clinic_id,
                TriageAssessment.patient_id == patient_id,
            )
            .order_by(TriageAssessment.id)
        )
        return list(self._session.scalars(query))

    def assessment(self, patient_id: int, assessment_id: int) -> TriageAssessment:
        row = self._session.scalar(
            select(TriageAssessment).where(
                TriageAssessment.clinic_id == self.clinic_id,
                TriageAssessment.patient_id == patient_id,
                TriageAssessment.id == assessment_id,
            )
        )
        if row is None:
            raise NotFound("assessment", assessment_id)
        return row

    def latest_assessment(self, patient_id: int) -> TriageAssessment | None:
        return self._session.scalar(
            select(TriageAssessment)
            .where(
                TriageAssessment.clinic_id == self.clinic_id,
                TriageAssessment.patient_id == patient_id,
            )
            .order_by(TriageAssessment.id.desc())
            .limit(1)
        )

    def ids_by_mrn(self, mrns: Sequence[str]) -> dict[str, int]:
        """Patient id of each listed MRN registered in this clinic."""
        found: dict[str, int] = {}
        for start in range(0, len(mrns), 1000):
            chunk = list(mrns[start : start + 1000])
            rows = self._session.execute(
                select(Patient.mrn, Patient.id).where(
                    Patient.clinic_id == self.clinic_id, Patient.mrn.in_(chunk)
                )
            )
            found.update((mrn, patient_id) for mrn, patient_id in rows)
        return found

    def by_ids(self, patient_ids: Sequence[int]) -> list[Patient]:
        """The listed patients of this clinic (others are silently absent)."""
        found: list[Patient] = []
        for start in range(0, len(patient_ids), 1000):
            chunk = list(patient_ids[start : start + 1000])
            query = select(Patient).where(
                Patient.clinic_id == self.clinic_id, Patient.id.in_(chunk)
            )
            found.extend(self._session.scalars(query))
        return found

    def rows_of(self, table: type[Any], patient_ids: Sequence[int]) -> list[Any]:
        """Rows of a patient-data table for the listed patients, oldest first (bulk work)."""
        rows: list[Any] = []
        for start in range(0, len(patient_ids), 1000):
            chunk = list(patient_ids[start : start + 1000])
            query = (
                select(table)
                .where(table.clinic_id == self.clinic_id, table.patient_id.in_(chunk))
                .order_by(table.id)
            )
            rows.extend(self._session.scalars(query))
        return rows

    def latest_assessments(self, patient_ids: Sequence[int]) -> dict[int, TriageAssessment]:
        """The latest assessment of each listed patient that has one (for bulk recomputation)."""
        found: dict[int, TriageAssessment] = {}
        for start in range(0, len(patient_ids), 1000):
            chunk = list(patient_ids[start : start + 1000])
            newest = (
                select(func.max(TriageAssessment.id))
                .where(
                    TriageAssessment.clinic_id == self.clinic_id,
                    TriageAssessment.patient_id.in_(chunk),
                )
                .group_by(TriageAssessment.patient_id)
            )
            rows = self._session.scalars(
                select(TriageAssessment).where(TriageAssessment.id.in_(newest))
            )
            found.update((row.patient_id, row) for row in rows)
        return found

    def set_assessment_columns(self, columns: dict[int, dict[str, Any]]) -> None:
        """Store `red_flag` / `latest_assessment_id` on many outcome rows (patient id -> values)."""
        if not columns:
            return
        table = PatientOutcome.__table__
        statement = (
            update(PatientOutcome.__table__)  # type: ignore[arg-type]
            .where(table.c.clinic_id == self.clinic_id, table.c.patient_id == bindparam("pid"))
            .values(red_flag=bindparam("flag"), latest_assessment_id=bindparam("assessment_id"))
        )
        self._session.execute(
            statement,
            [
                {
                    "pid": pid,
                    "flag": values["red_flag"],
                    "assessment_id": values["latest_assessment_id"],
                }
                for pid, values in columns.items()
            ],
        )

    def outcome(self, patient_id: int) -> PatientOutcome | None:
        return self._session.scalar(
            select(PatientOutcome).where(
                PatientOutcome.clinic_id == self.clinic_id, PatientOutcome.patient_id == patient_id
            )
        )

    def add_row(
        self, row: Surgery | PromResponse | Complication | ClinicalFinding | TriageAssessment
    ) -> None:
        row.clinic_id = self.clinic_id
        self._session.add(row)
        self._session.flush()

    def save_outcome(self, outcome: PatientOutcome) -> None:
        outcome.clinic_id = self.clinic_id
        self._session.merge(outcome)
        self._session.flush()

    def bulk_insert(self, table: type[Any], rows: list[dict[str, Any]]) -> None:
        """Insert many rows of a patient-data table in this clinic (used by imports and the demo)."""
        if rows:
            for row in rows:
                row["clinic_id"] = self.clinic_id
            self._session.execute(insert(table), rows)

    def every(self, table: type[Any]) -> list[Any]:
        """Every row of a patient-data table in this clinic, oldest first (for whole-clinic work)."""
        query = select(table).where(table.clinic_id == self.clinic_id).order_by(table.id)
        return list(self._session.scalars(query))

    def status_counts(self) -> dict[str, int]:
        rows = self._session.execute(
            select(PatientOutcome.status, func.count())
            .where(PatientOutcome.clinic_id == self.clinic_id)
            .group_by(PatientOutcome.status)
        )
        return {status: int(n) for status, n in rows}
