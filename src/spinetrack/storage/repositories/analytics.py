"""What the registry dashboard reads of one clinic: plain rows, column by column (no ORM objects).

Every query filters by the clinic given to the constructor, surgeons' names included (only the
people who operated on this clinic's patients are read, not every account of every clinic). The
counted score of a response is the domain's rule, applied here to the stored columns, so the
dashboard counts exactly what the patient page charts.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from spinetrack.domain.outcomes.counted_score import counted_score
from spinetrack.storage.tables import (
    AnalyticsChange,
    AnalyticsPrepared,
    Clinic,
    Patient,
    PromResponse,
    Surgery,
    TriageAssessment,
    User,
)

PatientRow = tuple[int, str, date]
"""id, sex, birth date"""
SurgeryRow = tuple[int, int, date, str, str, int, str | None, int | None]
"""id, patient, date, region, procedure, number of levels, surgeon's name, revision of"""
ResponseRow = tuple[int, str, date, float]
"""patient, instrument, day completed, counted score"""
CauseRow = tuple[int, str]
"""patient, confirmed cause (in order of confirmation)"""
_CHUNK = 500
"""Patient ids per IN list when reading only some patients."""


@dataclass(frozen=True)
class StoredPrepared:
    """The clinic's kept prepared aggregates and what they were computed from."""

    data_version: int
    threshold: int
    read_on: date
    rules: str
    payload: bytes


@dataclass(frozen=True)
class RegistryRows:
    patients: list[PatientRow]
    surgeries: list[SurgeryRow]
    responses: list[ResponseRow]
    causes: list[CauseRow]


class AnalyticsRepository:
    def __init__(self, session: Session, clinic_id: int) -> None:
        self._session = session
        self.clinic_id = clinic_id

    def version_and_threshold(self) -> tuple[int | None, int | None] | None:
        """The clinic's data version and its own disclosure threshold; None for no such clinic."""
        row = self._session.execute(
            select(Clinic.data_version, Clinic.disclosure_threshold).where(
                Clinic.id == self.clinic_id
            )
        ).one_or_none()
        return None if row is None else (row[0], row[1])

    def stored_prepared(self) -> StoredPrepared | None:
        """The clinic's kept prepared aggregates, whatever they were computed from."""
        row = self._session.execute(
            select(
                AnalyticsPrepared.data_version,
                AnalyticsPrepared.threshold,
                AnalyticsPrepared.read_on,
                AnalyticsPrepared.rules,
                AnalyticsPrepared.payload,
            ).where(AnalyticsPrepared.clinic_id == self.clinic_id)
        ).one_or_none()
        return None if row is None else StoredPrepared(row[0], row[1], row[2], row[3], row[4])

    def keep_prepared(self, stored: StoredPrepared) -> None:
        """Keep these aggregates as the clinic's (one upsert: two processes that prepared the
        same clinic at once do not collide); a row computed from a later data version stays."""
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        values = {
            "clinic_id": self.clinic_id,
            "data_version": stored.data_version,
            "threshold": stored.threshold,
            "read_on": stored.read_on,
            "rules": stored.rules,
            "payload": stored.payload,
            "built_at": datetime.now(UTC),
        }
        statement = insert(AnalyticsPrepared).values(values)
        self._session.execute(
            statement.on_conflict_do_update(
                index_elements=["clinic_id"],
                set_={k: statement.excluded[k] for k in values if k != "clinic_id"},
                where=AnalyticsPrepared.data_version <= statement.excluded.data_version,
            )
        )

    def changes_since(self, after: int) -> set[int] | None:
        """The patients whose registry data writes after data version `after` touched; None when
        one of them did not say (every patient).

        No upper bound: the log keeps one row per patient at the newest version that touched
        them, so a write committed since the caller read the clinic's version may have moved a
        patient's row past it; preparing that patient again is harmless (their records are read
        afterwards), missing them would not be."""
        query = select(AnalyticsChange.patient_id).where(
            AnalyticsChange.clinic_id == self.clinic_id, AnalyticsChange.data_version > after
        )
        found: set[int] = set()
        for (patient,) in self._session.execute(query):
            if patient is None:
                return None
            found.add(patient)
        return found

    def forget_changes(self, upto: int) -> None:
        """Drop the log up to a data version whose aggregates are kept (they include it)."""
        self._session.execute(
            delete(AnalyticsChange).where(
                AnalyticsChange.clinic_id == self.clinic_id, AnalyticsChange.data_version <= upto
            )
        )

    def registry_rows(self, only: Collection[int] | None = None) -> RegistryRows:
        """Every operated patient's rows, or only the listed patients' (bringing kept aggregates
        up to date after a few writes)."""
        chunks: list[list[int] | None] = [None]
        if only is not None:
            ids = sorted(only)
            chunks = [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]
        rows = RegistryRows(patients=[], surgeries=[], responses=[], causes=[])
        for chunk in chunks:
            rows.patients.extend(self._patients(chunk))
            rows.surgeries.extend(self._surgeries(chunk))
            rows.responses.extend(self._responses(chunk))
            rows.causes.extend(self._causes(chunk))
        return rows

    def _patients(self, chunk: list[int] | None) -> list[PatientRow]:
        query = select(Patient.id, Patient.sex, Patient.birth_date).where(
            Patient.clinic_id == self.clinic_id
        )
        if chunk is not None:
            query = query.where(Patient.id.in_(chunk))
        return [(row[0], row[1], row[2]) for row in self._session.execute(query)]

    def _surgeon_names(self, chunk: list[int] | None) -> dict[int, str]:
        operated = select(Surgery.surgeon_id).where(
            Surgery.clinic_id == self.clinic_id, Surgery.surgeon_id.is_not(None)
        )
        if chunk is not None:
            operated = operated.where(Surgery.patient_id.in_(chunk))
        query = select(User.id, User.full_name).where(User.id.in_(operated))
        return {row[0]: row[1] for row in self._session.execute(query)}

    def _surgeries(self, chunk: list[int] | None) -> list[SurgeryRow]:
        surgeons = self._surgeon_names(chunk)
        query = select(
            Surgery.id,
            Surgery.patient_id,
            Surgery.performed_on,
            Surgery.region,
            Surgery.procedure,
            Surgery.levels,
            Surgery.surgeon_id,
            Surgery.revision_of_id,
        ).where(Surgery.clinic_id == self.clinic_id, Surgery.planned.is_(False))
        if chunk is not None:
            query = query.where(Surgery.patient_id.in_(chunk))
        return [
            (s[0], s[1], s[2], s[3], s[4], len(s[5] or ()), surgeons.get(s[6]), s[7])
            for s in self._session.execute(query)
        ]

    def _responses(self, chunk: list[int] | None) -> list[ResponseRow]:
        query = select(
            PromResponse.patient_id,
            PromResponse.instrument,
            PromResponse.completed_at,
            PromResponse.score_status,
            PromResponse.score_raw,
            PromResponse.score_percent,
        ).where(PromResponse.clinic_id == self.clinic_id)
        if chunk is not None:
            query = query.where(PromResponse.patient_id.in_(chunk))
        rows: list[ResponseRow] = []
        for patient_id, instrument, completed_at, status, raw, percent in self._session.execute(
            query
        ):
            score = counted_score(status, raw, percent)
            if score is not None:
                rows.append((patient_id, instrument, _day(completed_at), float(score)))
        return rows

    def _causes(self, chunk: list[int] | None) -> list[CauseRow]:
        query = select(TriageAssessment.patient_id, TriageAssessment.confirmed_cause).where(
            TriageAssessment.clinic_id == self.clinic_id,
            TriageAssessment.confirmed_cause.is_not(None),
        )
        if chunk is not None:
            query = query.where(TriageAssessment.patient_id.in_(chunk))
        ordered = query.order_by(
            TriageAssessment.patient_id, TriageAssessment.confirmed_at, TriageAssessment.id
        )
        return [(row[0], row[1]) for row in self._session.execute(ordered)]


def _day(moment: datetime) -> date:
    return moment.date()
