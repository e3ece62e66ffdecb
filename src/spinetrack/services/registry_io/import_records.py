"""The shared core of the CSV and FHIR imports: records are checked with the same rules as single
entries (NewPatient, check_surgery, checked_row), matched with what the clinic already holds, and
stored. Matching makes an import idempotent: a patient is found by MRN (and its demographics
updated), a surgery by patient, date and order that day, a response by patient, instrument and
moment; a record already stored is left alone, and one that contradicts the stored one is rejected.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from spinetrack.domain.errors import InvalidInput, SpinetrackError
from spinetrack.domain.registry.complications import check_kind, check_reporter
from spinetrack.domain.registry.preop import PREOP_FIELDS, PreopRecord, check_preop
from spinetrack.domain.vocabulary import vocabulary
from spinetrack.interop.fhir.bundle_in import Located, Note, PreopFields
from spinetrack.interop.records import (
    ComplicationRecord,
    RegistryPatient,
    ResponseRecord,
    SurgeryRecord,
    SurgeryRef,
)
from spinetrack.services.access.clinic_calendar import clinic_today
from spinetrack.services.records.enrol_patient import NewPatient
from spinetrack.services.records.patient_status import (
    index_surgery,
    latest_assessment_columns,
    outcome_row,
    score_points,
)
from spinetrack.services.records.record_response import CLOCK_SKEW, NewResponse, checked_row
from spinetrack.services.records.register_surgery import NewComplication, NewSurgery, check_surgery
from spinetrack.services.registry_io.registry_records import surgery_refs
from spinetrack.storage.tables import (
    Complication,
    Patient,
    PatientOutcome,
    PromResponse,
    Surgery,
)
from spinetrack.storage.tables import PreopRecord as PreopRow
from spinetrack.storage.unit_of_work import UnitOfWork

M = TypeVar("M", bound=BaseModel)
Progress = Callable[[int], None]
SURGEON_ROLES = ("clinician", "admin")
IMPORTED_BY = "FHIR import"
"""Who a pre-operative record filled by an import was last updated by."""


@dataclass
class Incoming:
    patients: Sequence[Located[RegistryPatient]] = ()
    surgeries: Sequence[Located[SurgeryRecord]] = ()
    complications: Sequence[Located[ComplicationRecord]] = ()
    responses: Sequence[Located[ResponseRecord]] = ()
    preops: Sequence[Located[PreopFields]] = ()


@dataclass
class ImportReport:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    rejected: list[Note] = field(default_factory=list)
    skipped: list[Note] = field(default_factory=list)

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        parts = [
            f"{kind}: {self.created[kind]} new, {self.updated[kind]} updated, "
            f"{self.unchanged[kind]} already stored"
            for kind in kinds
        ]
        parts.append(f"{len(self.rejected)} rejected, {len(self.skipped)} skipped")
        return "; ".join(parts)

    def as_json(self) -> dict[str, Any]:
        """The whole report, for a file or an API answer."""

        def notes(found: list[Note]) -> list[dict[str, Any]]:
            return [
                {"entry": n.entry, "resource": n.resource, "field": n.field, "reason": n.reason}
                for n in found
            ]

        return {
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
            "rejected": notes(self.rejected),
            "skipped": notes(self.skipped),
            "summary": self.summary(),
        }


class ImportRejected(SpinetrackError):
    """Some records were rejected and the mode stores nothing then; the report lists every one."""

    def __init__(self, report: ImportReport) -> None:
        first = report.rejected[0]
        super().__init__(
            f"{len(report.rejected)} record(s) rejected, nothing imported; first: "
            f"{first.resource} {first.field}: {first.reason}"
        )
        self.report = report


def _validated(model: type[M], data: dict[str, Any]) -> M:
    """A service input model, its first validation error as InvalidInput."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error.get("loc", ())) or model.__name__
        raise InvalidInput(where, str(error.get("msg"))) from None


class _Upsert:
    def __init__(
        self, uow: UnitOfWork, clinic_id: int, report: ImportReport, progress: Progress | None
    ) -> None:
        self.uow = uow
        self.clinic_id = clinic_id
        self.repo = uow.patients(clinic_id)
        self.report = report
        self.progress = progress
        self.stored = {p.mrn: p for p in self.repo.every(Patient)}
        self.known: dict[str, tuple[int, date]] = {
            m: (p.id, p.birth_date) for m, p in self.stored.items()
        }
        self.touched: set[int] = set()
        self.today = clinic_today(uow, clinic_id)
        self.surgery_ids: dict[SurgeryRef, tuple[int, date]] = {}
        self._surgeries: dict[SurgeryRef, Surgery] | None = None

    def reject(self, located: Located[Any], exc: InvalidInput) -> None:
        self.report.rejected.append(Note(located.entry, located.resource, exc.field, exc.reason))

    def tick(self, position: int) -> None:
        if self.progress and position % 1000 == 999:
            self.progress(1000)

    def patient(self, mrn: str) -> tuple[int, date]:
        if mrn not in self.known:
            raise InvalidInput("mrn", f"no patient with MRN {mrn!r} in this clinic")
        return self.known[mrn]

    # Patients -------------------------------------------------------------------------------

    def patients(self, incoming: Sequence[Located[RegistryPatient]]) -> None:
        new: list[dict[str, Any]] = []
        seen: set[str] = set()
        for position, located in enumerate(incoming):
            self.tick(position)
            record = located.record
            try:
                if record.mrn in seen:
                    raise InvalidInput("mrn", f"MRN {record.mrn!r} appears twice")
                checked = _validated(
                    NewPatient, {k: v for k, v in vars(record).items() if v is not None}
                ).model_dump()
            except InvalidInput as exc:
                self.reject(located, exc)
                continue
            seen.add(record.mrn)
            stored = self.stored.get(record.mrn)
            if stored is None:
                new.append(checked)
            elif all(getattr(stored, k) == v for k, v in checked.items()):
                self.report.unchanged["patients"] += 1
            else:
                for key, value in checked.items():
                    setattr(stored, key, value)
                self.report.updated["patients"] += 1
        ids = self.repo.insert_returning_ids(Patient, [dict(row) for row in new])
        for row, patient_id in zip(new, ids, strict=True):
            self.known[row["mrn"]] = (patient_id, row["birth_date"])
            self.touched.add(patient_id)
        self.report.created["patients"] += len(new)
        self.uow.flush()

    # Surgeries ------------------------------------------------------------------------------

    def stored_surgeries(self) -> dict[SurgeryRef, Surgery]:
        if self._surgeries is None:
            mrns = {patient_id: mrn for mrn, (patient_id, _) in self.known.items()}
            rows = self.repo.every(Surgery)
            refs = surgery_refs(mrns, rows)
            self._surgeries = {refs[row.id]: row for row in rows}
            self.surgery_ids = {
                ref: (row.id, row.performed_on) for ref, row in self._surgeries.items()
            }
        return self._surgeries

    def surgeons(self) -> dict[str, int]:
        return {
            user.email: user.id
            for role in SURGEON_ROLES
            for user in self.uow.users.members(self.clinic_id, role)
        }

    def _check_surgery(
        self, record: SurgeryRecord, surgeons: dict[str, int], accepted: set[SurgeryRef]
    ) -> dict[str, Any]:
        _, birth_date = self.patient(record.ref.mrn)
        if record.surgeon is not None and record.surgeon.lower() not in surgeons:
            raise InvalidInput(
                "surgeon", f"{record.surgeon} is not a surgeon's account in this clinic"
            )
        surgery = _validated(
            NewSurgery,
            {
                "performed_on": record.ref.performed_on,
                "region": record.region,
                "procedure": record.procedure,
                "approach": record.approach,
                "levels": list(record.levels),
                "instrumented": record.instrumented,
                "surgeon_id": surgeons[record.surgeon.lower()] if record.surgeon else None,
                "revision_reason": record.revision_reason,
                "notes": record.notes,
                "planned": bool(record.planned),
            },
        )
        levels = check_surgery(birth_date, surgery, self.today)
        if (
            surgery.revision_reason is not None
            and surgery.revision_reason not in vocabulary().causes
        ):
            raise InvalidInput("revision_reason", f"unknown cause {surgery.revision_reason!r}")
        if record.revises is not None and (
            record.revises not in accepted or record.revises.performed_on >= record.ref.performed_on
        ):
            raise InvalidInput("revises", "must name an earlier surgery of the same patient")
        return {**surgery.model_dump(exclude={"levels", "revision_of_id"}), "levels": levels}

    def surgeries(self, incoming: Sequence[Located[SurgeryRecord]]) -> None:
        stored = self.stored_surgeries()
        surgeons = {email.lower(): user_id for email, user_id in self.surgeons().items()}
        accepted = set(stored)
        new: list[tuple[SurgeryRecord, dict[str, Any]]] = []
        for position, located in enumerate(incoming):
            self.tick(position)
            record = located.record
            try:
                row = self._check_surgery(record, surgeons, accepted)
                existing = stored.get(record.ref)
                if existing is not None:
                    self._same_surgery(existing, row, record)
                    self.report.unchanged["surgeries"] += 1
                    continue
                if record.ref in accepted:
                    raise InvalidInput("performed_on", "the same surgery appears twice")
            except InvalidInput as exc:
                self.reject(located, exc)
                continue
            accepted.add(record.ref)
            new.append((record, row))
        self._store_surgeries(new)

    def _same_surgery(self, existing: Surgery, row: dict[str, Any], record: SurgeryRecord) -> None:
        known = self.surgery_ids.get(record.revises) if record.revises is not None else None
        revises = known[0] if known is not None else None
        differs = [k for k, v in row.items() if getattr(existing, k) != v]
        if existing.revision_of_id != revises:
            differs.append("revises")
        if differs:
            raise InvalidInput(
                differs[0],
                "differs from the surgery already stored for that day; imports do not change it",
            )

    def _store_surgeries(self, new: list[tuple[SurgeryRecord, dict[str, Any]]]) -> None:
        rows = []
        for record, row in new:
            patient_id, _ = self.known[record.ref.mrn]
            rows.append({**row, "patient_id": patient_id})
            self.touched.add(patient_id)
        ids = self.repo.insert_returning_ids(Surgery, rows)
        for (record, _), surgery_id in zip(new, ids, strict=True):
            self.surgery_ids[record.ref] = (surgery_id, record.ref.performed_on)
        self.repo.link_revisions(
            [
                (self.surgery_ids[record.ref][0], self.surgery_ids[record.revises][0])
                for record, _ in new
                if record.revises is not None
            ]
        )
        self.report.created["surgeries"] += len(new)

    # Complications --------------------------------------------------------------------------

    def complications(self, incoming: Sequence[Located[ComplicationRecord]]) -> None:
        self.stored_surgeries()
        stored = Counter(
            (c.surgery_id, c.kind, c.reported_by, c.occurred_on)
            for c in self.repo.every(Complication)
        )
        rows = []
        for located in incoming:
            record = located.record
            try:
                if record.surgery not in self.surgery_ids:
                    raise InvalidInput("surgery", "no such surgery for this patient")
                surgery_id, performed_on = self.surgery_ids[record.surgery]
                check_kind(record.kind)
                check_reporter(record.reported_by)
                if record.occurred_on is not None and record.occurred_on < performed_on:
                    raise InvalidInput("occurred_on", "a complication cannot precede its surgery")
                checked = _validated(
                    NewComplication,
                    {
                        "surgery_id": surgery_id,
                        "kind": record.kind,
                        "reported_by": record.reported_by,
                        "occurred_on": record.occurred_on,
                        "notes": record.notes,
                    },
                )
            except InvalidInput as exc:
                self.reject(located, exc)
                continue
            key = (surgery_id, record.kind, record.reported_by, record.occurred_on)
            if stored[key] > 0:
                stored[key] -= 1
                self.report.unchanged["complications"] += 1
                continue
            rows.append({**checked.model_dump(), "patient_id": self.known[record.surgery.mrn][0]})
        self.repo.bulk_insert(Complication, rows)
        self.report.created["complications"] += len(rows)

    # Responses ------------------------------------------------------------------------------

    def _check_response(self, record: ResponseRecord, now: datetime) -> dict[str, Any]:
        patient_id, _ = self.patient(record.mrn)
        response = _validated(
            NewResponse,
            {
                "instrument": record.instrument,
                "completed_at": record.completed_at,
                "answers": dict(record.answers),
                "source": "import",
            },
        )
        if record.completed_at > now + CLOCK_SKEW:
            raise InvalidInput("completed_at", "a questionnaire cannot be completed in the future")
        row = {"patient_id": patient_id, **checked_row(response)}
        row["answers"] = {k: v for k, v in response.answers.items() if v is not None}
        return row

    def responses(self, incoming: Sequence[Located[ResponseRecord]]) -> None:
        stored = {
            (r.patient_id, r.instrument, r.completed_at): {
                k: v for k, v in r.answers.items() if v is not None
            }
            for r in self.repo.every(PromResponse)
        }
        now = datetime.now(UTC)
        rows = []
        for position, located in enumerate(incoming):
            self.tick(position)
            try:
                row = self._check_response(located.record, now)
                key = (row["patient_id"], row["instrument"], row["completed_at"])
                if key in stored:
                    if stored[key] != row["answers"]:
                        raise InvalidInput(
                            "answers", "differ from the response already stored for that moment"
                        )
                    self.report.unchanged["responses"] += 1
                    continue
            except InvalidInput as exc:
                self.reject(located, exc)
                continue
            stored[key] = row["answers"]
            rows.append(row)
            self.touched.add(row["patient_id"])
        self.repo.bulk_insert(PromResponse, rows)
        self.report.created["responses"] += len(rows)

    # Pre-operative records ------------------------------------------------------------------

    def preops(self, incoming: Sequence[Located[PreopFields]]) -> None:
        """Fill the fields a Bundle gives into each patient's record, keeping the others; the
        whole record is checked as a form's would be."""
        repo = self.uow.risk(self.clinic_id)
        now = datetime.now(UTC)
        for located in incoming:
            record = located.record
            try:
                patient_id, _ = self.patient(record.mrn)
                row = repo.preop(patient_id)
                current = {name: getattr(row, name) for name in PREOP_FIELDS} if row else {}
                merged = {**current, **record.values}
                checked = asdict(check_preop(PreopRecord(**merged)))
            except InvalidInput as exc:
                self.reject(located, exc)
                continue
            if row is not None and all(getattr(row, k) == v for k, v in checked.items()):
                self.report.unchanged["pre-operative records"] += 1
                continue
            kind = self.report.updated if row is not None else self.report.created
            kind["pre-operative records"] += 1
            repo.save_preop(
                PreopRow(patient_id=patient_id, updated_at=now, updated_by=IMPORTED_BY, **checked)
            )

    # Statuses -------------------------------------------------------------------------------

    def refresh_statuses(self) -> None:
        """Recompute the outcome status of every patient the import added something to, in bulk."""
        if not self.touched:
            return
        self.uow.flush()
        surgeries: dict[int, list[Surgery]] = defaultdict(list)
        responses: dict[int, list[PromResponse]] = defaultdict(list)
        for s in self.repo.every(Surgery):
            surgeries[s.patient_id].append(s)
        for r in self.repo.every(PromResponse):
            if r.patient_id in self.touched:
                responses[r.patient_id].append(r)
        touched = sorted(self.touched)
        self.repo.delete_outcomes(touched)
        latest = self.repo.latest_assessments(touched)
        today = self.today
        rows = []
        for patient_id in touched:
            points = score_points(surgeries[patient_id], responses[patient_id])
            row = outcome_row(patient_id, points, index_surgery(surgeries[patient_id]), today)
            rows.append(row | latest_assessment_columns(latest.get(patient_id)))
        self.repo.bulk_insert(PatientOutcome, rows)


def upsert(
    uow: UnitOfWork,
    clinic_id: int,
    incoming: Incoming,
    report: ImportReport,
    progress: Progress | None = None,
) -> None:
    """Check and store the records; every rejection is added to the report, valid records are kept."""
    work = _Upsert(uow, clinic_id, report, progress)
    work.patients(incoming.patients)
    if incoming.surgeries or incoming.complications:
        work.surgeries(incoming.surgeries)
        work.complications(incoming.complications)
    if incoming.responses:
        work.responses(incoming.responses)
    if incoming.preops:
        work.preops(incoming.preops)
    work.refresh_statuses()
    uow.refresh_statistics()
