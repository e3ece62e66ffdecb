"""Import many patients at once (the demo clinic, registry migrations): every record passes the same
checks as a single entry, and the whole batch is one transaction, so a bad record stores nothing."""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.registry.complications import check_kind, check_reporter
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.clinic_calendar import clinic_today
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.records.enrol_patient import NewPatient
from spinetrack.services.records.patient_status import IndexSurgery
from spinetrack.services.records.record_response import NewResponse, checked_row
from spinetrack.services.records.register_surgery import NewComplication, NewSurgery, check_surgery
from spinetrack.services.registry_io.bulk_outcomes import (
    NewPatientRecord,
    column_points,
    outcome_rows,
)
from spinetrack.services.registry_io.bulk_scoring import score_in_bulk
from spinetrack.services.registry_io.response_columns import (
    STORED,
    ResponseColumns,
    checked_tables,
    scored,
)
from spinetrack.storage.repositories.patients import PatientRepository
from spinetrack.storage.tables import Complication, Patient, PatientOutcome, PromResponse, Surgery
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

Progress = Callable[[int], None]


@dataclass
class ImportedSurgery:
    surgery: NewSurgery
    revises: int | None = None
    """Position, in the same patient's list, of the surgery this one revises."""


@dataclass
class ImportedComplication:
    surgery: int
    """Position of its surgery in the patient's list."""
    complication: NewComplication


@dataclass
class ImportedPatient:
    patient: NewPatient
    surgeries: list[ImportedSurgery] = field(default_factory=list)
    complications: list[ImportedComplication] = field(default_factory=list)
    responses: list[NewResponse] = field(default_factory=list)


@dataclass
class _Checked:
    """One patient's rows, validated and ready to insert (foreign keys filled in later)."""

    patient: dict[str, Any]
    surgeries: list[dict[str, Any]]
    complications: list[tuple[int, dict[str, Any]]]
    responses: list[dict[str, Any]]


def _check_surgeries(item: ImportedPatient, today: date) -> list[dict[str, Any]]:
    rows = []
    for s, imported in enumerate(item.surgeries):
        try:
            levels = check_surgery(item.patient.birth_date, imported.surgery, today)
        except InvalidInput as exc:
            raise InvalidInput(f"surgeries.{s}.{exc.field}", exc.reason) from exc
        if imported.revises is not None and not (
            0 <= imported.revises < s
            and item.surgeries[imported.revises].surgery.performed_on
            < imported.surgery.performed_on
        ):
            raise InvalidInput(f"surgeries.{s}.revises", "must name an earlier surgery")
        data = imported.surgery.model_dump(exclude={"levels", "revision_of_id"})
        rows.append({**data, "levels": levels, "_revises": imported.revises})
    return rows


def _check_complications(item: ImportedPatient) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    for c, imported in enumerate(item.complications):
        if not 0 <= imported.surgery < len(item.surgeries):
            raise InvalidInput(f"complications.{c}.surgery", "no such surgery for this patient")
        check_kind(imported.complication.kind, f"complications.{c}.kind")
        check_reporter(imported.complication.reported_by, f"complications.{c}.reported_by")
        data = imported.complication.model_dump(exclude={"surgery_id"})
        rows.append((imported.surgery, data))
    return rows


def _check_responses(
    item: ImportedPatient, scored: Iterator[dict[str, Any] | None]
) -> list[dict[str, Any]]:
    """The patient's response rows: those scored in bulk as they are, the rest checked one by
    one (which words a refusal exactly as a single entry would)."""
    rows = []
    for r, response in enumerate(item.responses):
        row = next(scored)
        try:
            rows.append(row if row is not None else checked_row(response))
        except InvalidInput as exc:
            raise InvalidInput(f"responses.{r}.{exc.field}", exc.reason) from exc
    return rows


def _check_batch(
    start: int, batch: Sequence[ImportedPatient], seen: set[str], today: date
) -> list[_Checked]:
    """Check a batch in patient order, its responses scored in one vectorised pass first."""
    scored = iter(score_in_bulk([r for item in batch for r in item.responses]))
    return [_check(start + i, item, seen, today, scored) for i, item in enumerate(batch)]


def _check(
    index: int,
    item: ImportedPatient,
    seen: set[str],
    today: date,
    scored: Iterator[dict[str, Any] | None],
) -> _Checked:
    try:
        if item.patient.mrn in seen:
            raise InvalidInput("mrn", f"MRN {item.patient.mrn!r} appears twice")
        seen.add(item.patient.mrn)
        return _Checked(
            patient=item.patient.model_dump(),
            surgeries=_check_surgeries(item, today),
            complications=_check_complications(item),
            responses=_check_responses(item, scored),
        )
    except InvalidInput as exc:
        raise InvalidInput(f"patients.{index}.{exc.field}", exc.reason) from exc


def _index(surgeries: list[dict[str, Any]], surgery_ids: list[int]) -> IndexSurgery | None:
    """A new patient's index surgery: the latest performed one (ties: the later in the list, as
    the later id), as `index_surgery` picks it from stored rows."""
    done = [s for s in range(len(surgeries)) if not surgeries[s].get("planned")]
    if not done:
        return None
    position = max(done, key=lambda s: (surgeries[s]["performed_on"], s))
    latest = surgeries[position]
    return IndexSurgery(
        surgery_ids[position],
        latest["performed_on"],
        latest["region"],
        latest["procedure"],
        latest.get("surgeon_id"),
    )


def _store(
    repo: PatientRepository,
    batch: list[_Checked],
    today: date,
    start: int,
    columns: pl.DataFrame,
) -> None:
    """Insert the batch's rows; ``columns`` are its responses given as columns (`scored`), the
    patients named by position in the import, ``start`` the batch's first."""
    ids = repo.insert_returning_ids(Patient, [dict(c.patient) for c in batch])
    surgery_rows = [
        {k: v for k, v in row.items() if k != "_revises"} | {"patient_id": patient_id}
        for patient_id, checked in zip(ids, batch, strict=True)
        for row in checked.surgeries
    ]
    surgery_ids = repo.insert_returning_ids(Surgery, surgery_rows)
    repo.link_revisions(_revisions(batch, surgery_ids))
    position = 0
    complications, responses, records = [], [], []
    for patient_id, checked in zip(ids, batch, strict=True):
        mine = surgery_ids[position : position + len(checked.surgeries)]
        position += len(checked.surgeries)
        complications += [
            {**data, "surgery_id": mine[s], "patient_id": patient_id}
            for s, data in checked.complications
        ]
        for row in checked.responses:  # the checked rows are this import's own: no copy needed
            row["patient_id"] = patient_id
        responses += checked.responses
        records.append(
            NewPatientRecord(patient_id, _index(checked.surgeries, mine), checked.responses)
        )
    repo.bulk_insert(Complication, complications)
    repo.bulk_insert(PromResponse, responses)
    more = None
    if columns.height:
        owner = pl.Series(ids, dtype=pl.Int64).gather(columns["patient"] - start)
        framed = columns.with_columns(owner.alias("patient_id"))
        stored = [c for c in STORED if c not in ("patient", "order")]
        repo.insert_frame(PromResponse, framed.select("patient_id", *stored))
        more = column_points(records, framed)
    repo.bulk_insert(PatientOutcome, outcome_rows(records, today, more))


def _revisions(batch: list[_Checked], surgery_ids: list[int]) -> list[tuple[int, int]]:
    """(new surgery id, id of the surgery it revises) for the batch's revision surgeries."""
    position = 0
    links = []
    for checked in batch:
        for s, row in enumerate(checked.surgeries):
            if row["_revises"] is not None:
                links.append((surgery_ids[position + s], surgery_ids[position + row["_revises"]]))
        position += len(checked.surgeries)
    return links


def import_patients(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    patients: Sequence[ImportedPatient],
    chunk: int = 2000,
    progress: Progress | None = None,
    today: date | None = None,
    response_tables: Sequence[ResponseColumns] = (),
) -> int:
    """Check every patient, then store all of them; returns how many were imported. `today` dates
    the follow-ups due (the demo passes the day its cohort was generated for). Responses come
    with each patient, or as columns in ``response_tables`` (stored after a patient's own)."""
    with audited(sessions, actor, "patients.import", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        repo = work.uow.patients(clinic_id)
        seen: set[str] = set()
        day = today or clinic_today(work.uow, clinic_id)
        existing = repo.existing_mrns([p.patient.mrn for p in patients])
        if existing:
            raise InvalidInput("mrn", f"already registered: {', '.join(sorted(existing)[:5])}")
        tables = checked_tables(response_tables, len(patients))
        with repo.names_indexed_at_end():
            for start in range(0, len(patients), chunk):
                given = patients[start : start + chunk]
                batch = _check_batch(start, given, seen, day)
                ahead = {start + i: len(item.responses) for i, item in enumerate(given)}
                columns = scored(tables, start, start + len(batch), ahead)
                _store(repo, batch, day, start, columns)
                if progress:
                    progress(len(batch))
        work.uow.refresh_statistics()
        work.detail = f"imported {len(patients)} patients"
        return len(patients)
