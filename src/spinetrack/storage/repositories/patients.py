"""Patient records within one clinic: the scope is a constructor argument and every query uses it."""

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import (
    Integer,
    Row,
    String,
    Table,
    bindparam,
    cast,
    delete,
    func,
    insert,
    literal_column,
    null,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, defer

from spinetrack.domain.errors import NotFound
from spinetrack.storage.bulk_frames import insert_frame
from spinetrack.storage.bulk_rows import insert_rows, insert_rows_returning_ids
from spinetrack.storage.data_version import AUDIT_COLUMNS, bump_part, note_inserted, take_bump
from spinetrack.storage.driver_sql import DriverStatement
from spinetrack.storage.name_index import names_indexed_at_end
from spinetrack.storage.tables import (
    AuditEntry,
    Clinic,
    ClinicalFinding,
    Complication,
    Patient,
    PatientOutcome,
    PromResponse,
    ReportFinding,
    ReportText,
    Surgery,
    TriageAssessment,
)
from spinetrack.storage.tables.base import utcnow

if TYPE_CHECKING:
    import polars as pl


@dataclass(frozen=True)
class LockedPatient:
    """What locking a patient also reads (`PatientRepository.lock`)."""

    zone: str | None
    """The clinic's own time zone (None: the configured default)."""


_LOCKED_ALREADY = "spinetrack.patient_locked"


def remember_lock(session: Session, clinic_id: int, patient_id: int, locked: LockedPatient) -> None:
    """Note that the session's current transaction already holds this patient's lock (taken by
    a statement that also did other work: `AccessRepository.token_holder_locking`), so
    `PatientRepository.lock` in the same transaction hands it back without a statement. The
    note names the transaction: after a rollback or commit it no longer applies."""
    session.info[_LOCKED_ALREADY] = (session.get_transaction(), clinic_id, patient_id, locked)


class FindingFacts(NamedTuple):
    finding: str
    observed_on: date


class ComplicationFacts(NamedTuple):
    kind: str
    surgery_id: int
    occurred_on: date | None


@dataclass(frozen=True)
class AssessmentRecord:
    """What an assessment reads of the record, as bare columns (`PatientRepository.assessment_record`).
    Report texts are only counted: the few records with any read them as rows."""

    birth_date: date
    surgeries: list[Any]
    """Rows of (id, performed_on, planned, region, procedure, levels, instrumented, surgeon_id),
    oldest first."""
    responses: list[Any]
    """Rows of (id, instrument, completed_at, score_status, score_raw, score_percent), oldest
    first."""
    findings: list[FindingFacts]
    complications: list[ComplicationFacts]
    reports: int
    """How many report texts the record holds."""


@dataclass(frozen=True)
class StatusInputs:
    """What a patient's outcome status is computed from, read in one statement after the lock
    (`PatientRepository.status_inputs`)."""

    stored: bool
    """Whether the patient has an outcome row."""
    status: str | None
    """Its stored status (None: no row yet)."""
    surgeries: Sequence[Row[Any]]
    """(id, performed_on, region, procedure, surgeon_id) of each performed surgery, oldest first."""
    scored: Sequence[Row[Any]]
    """(id, instrument, completed_at, score_status, score_raw, score_percent) of each response,
    oldest first (by moment, then id)."""


# The statements every questionnaire submission runs, built once. Building a statement costs more
# Python than running it, and the same SQL text lets the PostgreSQL driver prepare it once. They
# run on the session's connection (SQLAlchemy Core), past the ORM's per-object bookkeeping.
_outcomes = PatientOutcome.__table__
_LOCK_PATIENT = DriverStatement(
    select(Patient.id, Clinic.time_zone)
    .join(Clinic, Clinic.id == Patient.clinic_id)
    .where(Patient.id == bindparam("patient_id"), Patient.clinic_id == bindparam("clinic_id"))
    .with_for_update(of=Patient)
)
_INSERT_RESPONSE = insert(PromResponse).returning(PromResponse.id)
_SCORED = (
    select(
        PromResponse.instrument,
        PromResponse.completed_at,
        PromResponse.score_status,
        PromResponse.score_raw,
        PromResponse.score_percent,
    )
    .where(
        PromResponse.clinic_id == bindparam("clinic_id"),
        PromResponse.patient_id == bindparam("patient_id"),
    )
    .order_by(PromResponse.completed_at, PromResponse.id)
)
_SURGERY_FACTS = (
    select(Surgery.id, Surgery.performed_on, Surgery.region, Surgery.procedure, Surgery.surgeon_id)
    .where(
        Surgery.clinic_id == bindparam("clinic_id"),
        Surgery.patient_id == bindparam("patient_id"),
        Surgery.planned.is_(False),  # a booked operation is no outcome yet
    )
    .order_by(Surgery.performed_on, Surgery.id)
)


def _nothing(column: Any) -> Any:
    """A NULL of `column`'s type, cast: PostgreSQL would take a bare NULL in the union below for
    text, and the union takes its columns' types (so how SQLite's text dates are read back) from
    its first branch, which has none of the other branches' columns."""
    return cast(null(), column.type)


_HISTORY_COLUMNS = (
    (Surgery.performed_on, "performed_on"),
    (Surgery.region, "region"),
    (Surgery.procedure, "procedure"),
    (Surgery.surgeon_id, "surgeon_id"),
    (PromResponse.instrument, "instrument"),
    (PromResponse.completed_at, "completed_at"),
    (PromResponse.score_status, "score_status"),
    (PromResponse.score_raw, "score_raw"),
    (PromResponse.score_percent, "score_percent"),
)


def _branch(kind: int, given: dict[str, Any]) -> Any:
    """One branch of the status inputs' union: the columns it has, NULLs of the right type for the
    others."""
    return select(
        literal_column(str(kind), Integer).label("kind"),
        given.get("id", _nothing(Surgery.id)).label("id"),
        given.get("status", _nothing(PatientOutcome.status)).label("status"),
        *(given.get(name, _nothing(column)).label(name) for column, name in _HISTORY_COLUMNS),
    )


_OUTCOME_ROW, _SURGERY_ROW, _RESPONSE_ROW = 0, 1, 2
_STATUS_INPUTS = DriverStatement(
    union_all(
        _branch(_OUTCOME_ROW, {"status": PatientOutcome.status}).where(
            PatientOutcome.clinic_id == bindparam("clinic_id"),
            PatientOutcome.patient_id == bindparam("patient_id"),
        ),
        _branch(
            _SURGERY_ROW,
            {
                "id": Surgery.id,
                "performed_on": Surgery.performed_on,
                "region": Surgery.region,
                "procedure": Surgery.procedure,
                "surgeon_id": Surgery.surgeon_id,
            },
        ).where(
            Surgery.clinic_id == bindparam("clinic_id"),
            Surgery.patient_id == bindparam("patient_id"),
            Surgery.planned.is_(False),  # a booked operation is no outcome yet
        ),
        _branch(
            _RESPONSE_ROW,
            {
                "id": PromResponse.id,
                "instrument": PromResponse.instrument,
                "completed_at": PromResponse.completed_at,
                "score_status": PromResponse.score_status,
                "score_raw": PromResponse.score_raw,
                "score_percent": PromResponse.score_percent,
            },
        ).where(
            PromResponse.clinic_id == bindparam("clinic_id"),
            PromResponse.patient_id == bindparam("patient_id"),
        ),
    ).order_by("kind", "performed_on", "completed_at", "id"),
    named_rows=True,
)
"""The stored status, the surgeries and the scored responses in one round trip (a submission
read them in three: the status with the lock, where it could be stale, then two SELECTs)."""

_SURGERY_RECORD = DriverStatement(
    select(
        Surgery.id,
        Surgery.performed_on,
        Surgery.planned,
        Surgery.region,
        Surgery.procedure,
        Surgery.levels,
        Surgery.instrumented,
        Surgery.surgeon_id,
    )
    .where(
        Surgery.clinic_id == bindparam("clinic_id"), Surgery.patient_id == bindparam("patient_id")
    )
    .order_by(Surgery.performed_on, Surgery.id),
    named_rows=True,
)
_RESPONSE_SCORES = DriverStatement(_SCORED.add_columns(PromResponse.id), named_rows=True)
_PATIENT_FACT, _FINDING_FACT, _COMPLICATION_FACT, _REPORT_COUNT = 0, 1, 2, 3
_RECORD_FACTS = DriverStatement(
    union_all(
        select(
            literal_column(str(_PATIENT_FACT), Integer).label("kind"),
            Patient.birth_date.label("day"),
            _nothing(Complication.kind).label("name"),
            _nothing(Surgery.id).label("number"),
        ).where(Patient.id == bindparam("patient_id"), Patient.clinic_id == bindparam("clinic_id")),
        select(
            literal_column(str(_FINDING_FACT), Integer),
            ClinicalFinding.observed_on,
            ClinicalFinding.finding,
            _nothing(Surgery.id),
        ).where(
            ClinicalFinding.clinic_id == bindparam("clinic_id"),
            ClinicalFinding.patient_id == bindparam("patient_id"),
        ),
        select(
            literal_column(str(_COMPLICATION_FACT), Integer),
            Complication.occurred_on,
            Complication.kind,
            Complication.surgery_id,
        ).where(
            Complication.clinic_id == bindparam("clinic_id"),
            Complication.patient_id == bindparam("patient_id"),
        ),
        select(
            literal_column(str(_REPORT_COUNT), Integer),
            _nothing(Patient.birth_date),
            _nothing(Complication.kind),
            func.count(ReportText.id),
        ).where(
            ReportText.clinic_id == bindparam("clinic_id"),
            ReportText.patient_id == bindparam("patient_id"),
        ),
    ),
    named_rows=True,
)
"""The patient's birth date, recorded findings and complications and a count of its report texts,
in one round trip: an assessment read them as four ORM queries, most of them finding nothing."""

_LATEST_ASSESSMENT_FLAGS = (
    select(TriageAssessment.id, TriageAssessment.red_flags, TriageAssessment.confirmed_at)
    .where(
        TriageAssessment.clinic_id == bindparam("clinic_id"),
        TriageAssessment.patient_id == bindparam("patient_id"),
    )
    .order_by(TriageAssessment.id.desc())
    .limit(1)
)

_OUTCOME_STATUS = select(PatientOutcome.status).where(
    PatientOutcome.clinic_id == bindparam("clinic_id"),
    PatientOutcome.patient_id == bindparam("patient_id"),
)


_OUTCOME_COLUMNS = tuple(c.key for c in PatientOutcome.__table__.columns)
_UPDATE_OUTCOME = (
    update(PatientOutcome)
    .where(PatientOutcome.patient_id == bindparam("row_patient_id"))
    .values({key: bindparam(key) for key in _OUTCOME_COLUMNS if key != "patient_id"})
)
_ASSESSMENT_COLUMNS = frozenset({"latest_assessment_id", "red_flag"})
_UPDATE_OUTCOME_BUT_ASSESSMENT = (
    update(PatientOutcome)
    .where(PatientOutcome.patient_id == bindparam("row_patient_id"))
    .values(
        {
            key: bindparam(key)
            for key in _OUTCOME_COLUMNS
            if key != "patient_id" and key not in _ASSESSMENT_COLUMNS
        }
    )
)
_RESPONSE_COLUMNS = tuple(c.key for c in PromResponse.__table__.columns if c.key != "id")
_NEW_RESPONSE = (
    insert(PromResponse)
    .values({key: bindparam(f"new_{key}") for key in _RESPONSE_COLUMNS})
    .returning(PromResponse.id)
    .cte("new_response")
)
_OUTCOME_REWRITTEN = _UPDATE_OUTCOME_BUT_ASSESSMENT.returning(PatientOutcome.patient_id).cte(
    "outcome_rewritten"
)
_RESPONSE_AND_OUTCOME = select(
    _NEW_RESPONSE.c.id,
    select(func.count()).select_from(_OUTCOME_REWRITTEN).scalar_subquery(),
)
_INSERT_RESPONSE_AND_OUTCOME = DriverStatement(_RESPONSE_AND_OUTCOME)
"""PostgreSQL runs every data-modifying WITH part once, referenced or not: the response's INSERT
and the outcome row's UPDATE travel in one statement (`insert_response_and_outcome`)."""
_audit = AuditEntry.__table__
assert isinstance(_audit, Table)
_NEW_RESPONSE_AUDITED = (
    insert(_audit)
    .from_select(
        list(AUDIT_COLUMNS),
        select(
            *(
                (
                    (
                        bindparam("audit_target_prefix", type_=String)
                        + cast(_NEW_RESPONSE.c.id, String)
                    )
                    if key == "target"
                    else bindparam(f"audit_{key}", type_=_audit.c[key].type)
                ).label(key)
                for key in AUDIT_COLUMNS
            )
        ).select_from(_NEW_RESPONSE),
    )
    .cte("audited")
)
_INSERT_RESPONSE_OUTCOME_AND_AUDIT = DriverStatement(
    _RESPONSE_AND_OUTCOME.add_cte(
        _NEW_RESPONSE_AUDITED,
        bump_part(bindparam("clinic_id"), cast(bindparam("bump_patients"), ARRAY(Integer))),
    )
)
"""`_INSERT_RESPONSE_AND_OUTCOME` that also ends the transaction's writes: the data version's bump
with its log, and the request's audit entry, whose target names the new response
(`insert_response_and_outcome`, `closing`)."""
_INSERT_OUTCOME = insert(PatientOutcome).values({key: bindparam(key) for key in _OUTCOME_COLUMNS})
"""An update, then an insert when no row was there: both are cached once compiled, where the
dialects' INSERT .. ON CONFLICT form is compiled afresh every time."""


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

    def lock(self, patient_id: int) -> LockedPatient:
        """Hold the clinic's patient until commit (a row lock on PostgreSQL; SQLite has a single
        writer anyway), or NotFound. Writers that recompute a patient's status take it first, so
        two of them never each classify a history that lacks the other's change.

        Returns the clinic's own time zone, which the writers that lock count days in (reading it
        here saves a query). Nothing else about the patient is read here: on PostgreSQL a
        statement that waited for the lock still sees other tables as they were when it started,
        before the writer it waited for committed; read them in the next statement
        (`status_inputs`)."""
        noted = self._session.info.pop(_LOCKED_ALREADY, None)
        if noted is not None:
            transaction, clinic_id, locked_id, locked = noted
            if (
                isinstance(locked, LockedPatient)
                and transaction is not None
                and transaction is self._session.get_transaction()
                and (clinic_id, locked_id) == (self.clinic_id, patient_id)
            ):
                return locked
        found = _LOCK_PATIENT.rows(
            self._session.connection(), {"patient_id": patient_id, "clinic_id": self.clinic_id}
        )
        if not found:
            raise NotFound("patient", patient_id)
        return LockedPatient(zone=found[0][1])

    def status_inputs(self, patient_id: int) -> StatusInputs:
        """The stored outcome status, the performed surgeries and the scored responses, in one
        statement; call it after `lock`, so no other writer's change is missing."""
        params = {"patient_id": patient_id, "clinic_id": self.clinic_id}
        rows = _STATUS_INPUTS.rows(self._session.connection(), params)
        outcome = [row for row in rows if row.kind == _OUTCOME_ROW]
        return StatusInputs(
            stored=bool(outcome),
            status=outcome[0].status if outcome else None,
            surgeries=[row for row in rows if row.kind == _SURGERY_ROW],
            scored=[row for row in rows if row.kind == _RESPONSE_ROW],
        )

    def assessment_record(self, patient_id: int) -> AssessmentRecord:
        """What triage reads of a patient's record, in three statements of bare columns (it read
        six ORM queries, whose per-query and per-object work cost more than the database's), or
        NotFound. Pending ORM changes are flushed first, as those queries did by themselves."""
        self._session.flush()
        connection = self._session.connection()
        params = {"patient_id": patient_id, "clinic_id": self.clinic_id}
        facts = _RECORD_FACTS.rows(connection, params)
        patient = [row for row in facts if row.kind == _PATIENT_FACT]
        if not patient:
            raise NotFound("patient", patient_id)
        return AssessmentRecord(
            birth_date=patient[0].day,
            surgeries=_SURGERY_RECORD.rows(connection, params),
            responses=_RESPONSE_SCORES.rows(connection, params),
            findings=[
                FindingFacts(row.name, row.day) for row in facts if row.kind == _FINDING_FACT
            ],
            complications=[
                ComplicationFacts(row.name, row.number, row.day)
                for row in facts
                if row.kind == _COMPLICATION_FACT
            ],
            reports=sum(int(row.number) for row in facts if row.kind == _REPORT_COUNT),
        )

    def insert_response(self, values: dict[str, Any]) -> int:
        """Store one scored response; returns its id."""
        inserted = self._session.connection().execute(
            _INSERT_RESPONSE, {**values, "clinic_id": self.clinic_id}
        )
        return int(inserted.scalar_one())

    def insert_response_and_outcome(
        self,
        values: dict[str, Any],
        outcome: dict[str, Any],
        *,
        closing: Callable[[], dict[str, Any]] | None = None,
        target_prefix: str = "",
    ) -> tuple[int, bool, bool]:
        """Store one scored response and overwrite the patient's outcome row but its assessment
        columns (`update_outcome_but_assessment`), computed by the caller before the insert; on
        PostgreSQL in one statement, which saves a round trip on the busiest write. Returns the
        new response's id, whether an outcome row was there to overwrite (False: the caller
        writes the whole row), and whether `closing` was stored.

        `closing`: gives the request's audit entry's columns (`AUDIT_COLUMNS`), when this is the
        transaction's last write. On PostgreSQL, when the data version's bump is then this clinic's
        for this patient alone (`data_version.take_bump`), the same statement also bumps it, logs
        the patient and stores the entry, its target `target_prefix` followed by the new response's
        id: the commit follows with nothing else to send."""
        if self._session.get_bind().dialect.name != "postgresql":
            response_id = self.insert_response(values)
            return response_id, self.update_outcome_but_assessment(outcome), False
        row = {**values, "clinic_id": self.clinic_id, "created_at": utcnow()}
        params = {f"new_{key}": row.get(key) for key in _RESPONSE_COLUMNS}
        params |= {key: value for key, value in outcome.items() if key != "patient_id"}
        params |= {"clinic_id": self.clinic_id, "row_patient_id": outcome["patient_id"]}
        connection = self._session.connection()
        # The data version's listeners only see INSERT/UPDATE statements, and this one is a
        # SELECT: note the response (its clinic and patient; the outcome row is the same clinic's).
        note_inserted(connection, PromResponse.__tablename__, [row])
        statement = _INSERT_RESPONSE_AND_OUTCOME
        patient = row["patient_id"]
        if closing is not None and take_bump(self._session, self.clinic_id, {patient}):
            statement = _INSERT_RESPONSE_OUTCOME_AND_AUDIT
            params["bump_patients"] = [patient]
            params["audit_target_prefix"] = target_prefix
            params |= {f"audit_{key}": value for key, value in closing().items()}
        ((response_id, rewritten),) = statement.rows(connection, params)
        self._expire_outcome(outcome["patient_id"])
        return int(response_id), bool(rewritten), statement is _INSERT_RESPONSE_OUTCOME_AND_AUDIT

    def scored(self, patient_id: int) -> Sequence[Row[Any]]:
        """Just what the status is computed from (instrument, moment, score), oldest first: the
        answers themselves are not read back for every recomputation."""
        params = {"patient_id": patient_id, "clinic_id": self.clinic_id}
        return self._session.connection().execute(_SCORED, params).all()

    def mark_performed(self, surgery: Surgery, performed_on: date) -> None:
        """A planned surgery took place on `performed_on`; flushed at once, because the outcome
        queries that follow read through the connection, which does not autoflush."""
        surgery.performed_on = performed_on
        surgery.planned = False
        self._session.flush()

    def surgery_facts(self, patient_id: int) -> Sequence[Row[Any]]:
        """(id, performed on, region, procedure, surgeon) of each surgery, oldest first."""
        params = {"patient_id": patient_id, "clinic_id": self.clinic_id}
        return self._session.connection().execute(_SURGERY_FACTS, params).all()

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

    def report_texts(self, patient_id: int) -> list[ReportText]:
        query = (
            select(ReportText)
            .where(ReportText.clinic_id == self.clinic_id, ReportText.patient_id == patient_id)
            .order_by(ReportText.report_date, ReportText.id)
        )
        return list(self._session.scalars(query))

    def report_findings(self, patient_id: int) -> list[ReportFinding]:
        query = (
            select(ReportFinding)
            .where(
                ReportFinding.clinic_id == self.clinic_id, ReportFinding.patient_id == patient_id
            )
            .order_by(ReportFinding.id)
        )
        return list(self._session.scalars(query))

    def report_finding(self, patient_id: int, finding_id: int) -> ReportFinding:
        """One reading of this patient's reports, or NotFound (never another clinic's row)."""
        row = self._session.scalar(
            select(ReportFinding).where(
                ReportFinding.clinic_id == self.clinic_id,
                ReportFinding.patient_id == patient_id,
                ReportFinding.id == finding_id,
            )
        )
        if row is None:
            raise NotFound("report finding", finding_id)
        return row

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

    def latest_assessment_flags(self, patient_id: int) -> tuple[int, Any, Any] | None:
        """(id, red flags, confirmed at) of the latest assessment: what the outcome row copies."""
        params = {"patient_id": patient_id, "clinic_id": self.clinic_id}
        found = self._session.connection().execute(_LATEST_ASSESSMENT_FLAGS, params).first()
        return (found[0], found[1], found[2]) if found else None

    def outcome_status(self, patient_id: int) -> str | None:
        """The stored status alone (before a recompute, to see whether it changed)."""
        params = {"patient_id": patient_id, "clinic_id": self.clinic_id}
        found = self._session.connection().execute(_OUTCOME_STATUS, params).first()
        return None if found is None else str(found[0])

    def mrns(self) -> dict[int, str]:
        """Every patient's MRN by patient id (FHIR ids are derived from MRNs)."""
        query = select(Patient.id, Patient.mrn).where(Patient.clinic_id == self.clinic_id)
        return {row[0]: row[1] for row in self._session.execute(query)}

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

    def birth_dates(self, patient_ids: Sequence[int]) -> list[Row[Any]]:
        """(id, birth_date) of the listed patients of this clinic (others are silently absent),
        as plain rows: bulk work that needs only these reads no whole patient objects."""
        found: list[Row[Any]] = []
        for start in range(0, len(patient_ids), 1000):
            chunk = list(patient_ids[start : start + 1000])
            query = select(Patient.id, Patient.birth_date).where(
                Patient.clinic_id == self.clinic_id, Patient.id.in_(chunk)
            )
            found.extend(self._session.execute(query))
        return found

    def columns_of(
        self, table: type[Any], patient_ids: Sequence[int], columns: Sequence[str]
    ) -> list[Row[Any]]:
        """The named columns (and ``patient_id``) of a patient-data table's rows for the listed
        patients, oldest first, as plain rows read through Core (bulk work). Each value is
        decoded by its column type as an ORM object's would be, without the object: the demo's
        triage read 200,000 ORM rows for 11,000 assessments, and building them cost more than
        reading them."""
        wanted = [getattr(table, name) for name in dict.fromkeys(("patient_id", *columns))]
        rows: list[Row[Any]] = []
        for start in range(0, len(patient_ids), 1000):
            chunk = list(patient_ids[start : start + 1000])
            query = (
                select(*wanted)
                .where(table.clinic_id == self.clinic_id, table.patient_id.in_(chunk))
                .order_by(table.id)
            )
            rows.extend(self._session.execute(query))
        return rows

    def latest_assessments(self, patient_ids: Sequence[int]) -> dict[int, TriageAssessment]:
        """The latest assessment of each listed patient that has one (for bulk recomputation,
        which reads its id, red flags and confirmation: the case and the assessment, JSON
        objects of a few kilobytes each, are left undecoded unless touched)."""
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
                select(TriageAssessment)
                .where(TriageAssessment.id.in_(newest))
                .options(defer(TriageAssessment.case), defer(TriageAssessment.assessment))
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

    def response(self, response_id: int) -> PromResponse | None:
        row = self._session.get(PromResponse, response_id)
        return row if row is not None and row.clinic_id == self.clinic_id else None

    def outcomes(self) -> list[PatientOutcome]:
        """Every outcome row of the clinic (they have no id column, so `every` cannot order them)."""
        query = select(PatientOutcome).where(PatientOutcome.clinic_id == self.clinic_id)
        return list(self._session.scalars(query))

    def outcome(self, patient_id: int) -> PatientOutcome | None:
        return self._session.scalar(
            select(PatientOutcome).where(
                PatientOutcome.clinic_id == self.clinic_id, PatientOutcome.patient_id == patient_id
            )
        )

    def add_row(
        self,
        row: Surgery
        | PromResponse
        | Complication
        | ClinicalFinding
        | TriageAssessment
        | ReportText
        | ReportFinding,
    ) -> None:
        row.clinic_id = self.clinic_id
        self._session.add(row)
        self._session.flush()

    def upsert_outcome(self, values: dict[str, Any]) -> None:
        """Insert or overwrite one patient's outcome row (every column must be given).

        A copy of that row already loaded in this session is expired, so it is read afresh."""
        connection = self._session.connection()
        values = {**values, "clinic_id": self.clinic_id}
        changes = {key: value for key, value in values.items() if key != "patient_id"}
        updated = connection.execute(
            _UPDATE_OUTCOME, {**changes, "row_patient_id": values["patient_id"]}
        )
        if updated.rowcount == 0:
            connection.execute(_INSERT_OUTCOME, values)
        loaded = self._session.identity_map.get(
            self._session.identity_key(PatientOutcome, values["patient_id"])
        )
        if loaded is not None:
            self._session.expire(loaded)

    def update_outcome_but_assessment(self, values: dict[str, Any]) -> bool:
        """Overwrite every column of the patient's outcome row but the two copied from the latest
        triage assessment (a new questionnaire does not change them); False when there is no row
        yet (the caller then writes the whole row)."""
        values = {**values, "clinic_id": self.clinic_id}
        changes = {key: value for key, value in values.items() if key != "patient_id"}
        updated = self._session.connection().execute(
            _UPDATE_OUTCOME_BUT_ASSESSMENT, {**changes, "row_patient_id": values["patient_id"]}
        )
        if updated.rowcount == 0:
            return False
        self._expire_outcome(values["patient_id"])
        return True

    def _expire_outcome(self, patient_id: int) -> None:
        """A copy of the patient's outcome row loaded in this session is read afresh next time."""
        loaded = self._session.identity_map.get(
            self._session.identity_key(PatientOutcome, patient_id)
        )
        if loaded is not None:
            self._session.expire(loaded)

    def bulk_insert(self, table: type[Any], rows: list[dict[str, Any]]) -> None:
        """Insert many rows of a patient-data table in this clinic (used by imports and the demo)."""
        if rows:
            for row in rows:
                row["clinic_id"] = self.clinic_id
            insert_rows(self._session, table, rows)

    def insert_frame(self, table: type[Any], frame: "pl.DataFrame") -> None:
        """Insert a frame of rows of a patient-data table in this clinic (bulk imports give
        their questionnaire answers as columns: storage/bulk_frames.py)."""
        import polars as pl

        insert_frame(
            self._session, table, frame.with_columns(pl.lit(self.clinic_id).alias("clinic_id"))
        )

    def insert_returning_ids(
        self, table: type[Patient] | type[Surgery], rows: list[dict[str, Any]]
    ) -> list[int]:
        """Insert many patients or surgeries in this clinic and return their new ids in the rows'
        order: bulk imports need them to fill the foreign keys of what follows."""
        if not rows:
            return []
        for row in rows:
            row["clinic_id"] = self.clinic_id
        return insert_rows_returning_ids(self._session, table, rows)

    def names_indexed_at_end(self) -> AbstractContextManager[None]:
        """Patients inserted within have their names indexed for search in one statement when
        it ends (SQLite; storage/name_index.py), not one trigger firing per row."""
        return names_indexed_at_end(self._session.connection())

    def link_revisions(self, links: Sequence[tuple[int, int]]) -> None:
        """Mark surgeries as revisions of others: (surgery id, id of the surgery it revises)."""
        if links:
            self._session.execute(
                update(Surgery),
                [{"id": surgery_id, "revision_of_id": revises} for surgery_id, revises in links],
            )

    def delete_outcomes(self, patient_ids: Sequence[int], chunk: int = 1000) -> None:
        """Drop these patients' outcome rows (to be rebuilt in bulk), ``chunk`` ids per statement."""
        for start in range(0, len(patient_ids), chunk):
            self._session.execute(
                delete(PatientOutcome).where(
                    PatientOutcome.clinic_id == self.clinic_id,
                    PatientOutcome.patient_id.in_(patient_ids[start : start + chunk]),
                )
            )

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
