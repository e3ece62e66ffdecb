"""A clinic's stored records as interop records (frozen copies, never ORM rows): what an export or
a FHIR read hands to the formats. Surgeries get the cross-database SurgeryRef they are known by."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from spinetrack.domain.instruments import instrument_ids
from spinetrack.domain.outcomes.index_surgery import index_surgeries_by_patient
from spinetrack.interop.records import (
    AssessmentRecord,
    ComplicationRecord,
    PractitionerRecord,
    Registry,
    RegistryPatient,
    ResponseRecord,
    ScoreRecord,
    StatusRecord,
    SurgeryRecord,
    SurgeryRef,
)
from spinetrack.services.access.clinic_calendar import clinic_today
from spinetrack.storage.tables import (
    Complication,
    Patient,
    PatientOutcome,
    PromResponse,
    Surgery,
    TriageAssessment,
    User,
)
from spinetrack.storage.unit_of_work import UnitOfWork


def surgery_refs(mrns: dict[int, str], surgeries: Iterable[Surgery]) -> dict[int, SurgeryRef]:
    """SurgeryRef by surgery id: the patient, the date, and the order of entry that day."""
    refs: dict[int, SurgeryRef] = {}
    count: dict[tuple[int, object], int] = defaultdict(int)
    for surgery in sorted(surgeries, key=lambda s: s.id):
        key = (surgery.patient_id, surgery.performed_on)
        refs[surgery.id] = SurgeryRef(mrns[surgery.patient_id], surgery.performed_on, count[key])
        count[key] += 1
    return refs


def patient_record(row: Patient) -> RegistryPatient:
    return RegistryPatient(
        mrn=row.mrn,
        given_name=row.given_name,
        family_name=row.family_name,
        birth_date=row.birth_date,
        sex=row.sex,
        email=row.email,
        phone=row.phone,
    )


def _surgery(
    row: Surgery, refs: dict[int, SurgeryRef], surgeons: dict[int, User], today: date
) -> SurgeryRecord:
    surgeon = surgeons.get(row.surgeon_id) if row.surgeon_id is not None else None
    return SurgeryRecord(
        ref=refs[row.id],
        region=row.region,
        procedure=row.procedure,
        approach=row.approach,
        levels=tuple(row.levels),
        instrumented=row.instrumented,
        surgeon=surgeon.email if surgeon else None,
        surgeon_name=surgeon.full_name if surgeon else None,
        revises=refs.get(row.revision_of_id) if row.revision_of_id is not None else None,
        revision_reason=row.revision_reason,
        notes=row.notes,
        planned=row.planned,
    )


def _response(row: PromResponse, mrn: str, users: dict[int, User]) -> ResponseRecord:
    typist = users.get(row.entered_by_id) if row.entered_by_id is not None else None
    return ResponseRecord(
        mrn=mrn,
        instrument=row.instrument,
        completed_at=row.completed_at,
        answers={k: v for k, v in row.answers.items() if v is not None},
        instrument_version=row.instrument_version,
        source=row.source,
        entered_by=typist.email if typist else None,
        score=ScoreRecord(
            status=row.score_status,
            answered=row.score_answered,
            raw=row.score_raw,
            percent=row.score_percent,
            reason=row.score_reason,
        ),
    )


def _status(row: PatientOutcome, mrn: str, region: str | None) -> StatusRecord:
    return StatusRecord(
        mrn=mrn,
        status=row.status,
        latest_timepoint=row.latest_timepoint,
        disability_instrument=row.disability_instrument,
        disability_improvement=row.disability_improvement,
        pain_improvement=row.pain_improvement,
        region=region,
    )


def _assessments(rows: list[TriageAssessment], mrns: dict[int, str]) -> list[AssessmentRecord]:
    seen: dict[int, int] = defaultdict(int)
    records = []
    for row in sorted(rows, key=lambda r: r.id):
        report: dict[str, Any] = row.assessment
        records.append(
            AssessmentRecord(
                mrn=mrns[row.patient_id],
                ordinal=seen[row.patient_id],
                evaluation_date=row.evaluation_date,
                rules_version=row.rules_version,
                causes=tuple((c["id"], c["likelihood"]) for c in report.get("causes", [])),
                red_flags=tuple((f["id"], f["urgency"]) for f in report.get("red_flags", [])),
            )
        )
        seen[row.patient_id] += 1
    return records


def _index_regions(surgeries: list[Surgery]) -> dict[int, str]:
    """The region of each patient's index (latest) surgery, which names the PSPS-2 condition."""
    latest = index_surgeries_by_patient(surgeries, lambda s: s.patient_id)
    return {pid: s.region for pid, s in latest.items()}


@dataclass
class Rows:
    """The stored rows an export is made of."""

    patients: list[Patient]
    surgeries: list[Surgery]
    complications: list[Complication]
    responses: list[PromResponse]
    outcomes: list[PatientOutcome]
    assessments: list[TriageAssessment]


def clinic_rows(uow: UnitOfWork, clinic_id: int) -> Rows:
    repo = uow.patients(clinic_id)
    return Rows(
        patients=repo.every(Patient),
        surgeries=repo.every(Surgery),
        complications=repo.every(Complication),
        responses=repo.every(PromResponse),
        outcomes=repo.outcomes(),
        assessments=repo.every(TriageAssessment),
    )


def patient_rows(uow: UnitOfWork, clinic_id: int, patient_id: int) -> Rows:
    repo = uow.patients(clinic_id)
    outcome = repo.outcome(patient_id)
    return Rows(
        patients=[repo.get(patient_id)],
        surgeries=repo.surgeries(patient_id),
        complications=repo.complications(patient_id),
        responses=repo.responses(patient_id),
        outcomes=[outcome] if outcome else [],
        assessments=repo.assessments(patient_id),
    )


def _accounts(uow: UnitOfWork, clinic_id: int, rows: Rows) -> dict[int, User]:
    """The clinic's users, and any former one a surgery or response names."""
    users = {u.id: u for u in uow.users.members(clinic_id)}
    named = {s.surgeon_id for s in rows.surgeries} | {r.entered_by_id for r in rows.responses}
    for user_id in named - users.keys():
        user = uow.users.get(user_id) if user_id is not None else None
        if user is not None:
            users[user.id] = user
    return users


def _practitioners(
    uow: UnitOfWork, clinic_id: int, rows: Rows, users: dict[int, User]
) -> tuple[PractitionerRecord, ...]:
    """A Practitioner for every account a surgery or response of the export names."""
    named = {s.surgeon_id for s in rows.surgeries} | {r.entered_by_id for r in rows.responses}
    ids = sorted(i for i in named if i is not None and i in users)
    npis = uow.fhir_settings(clinic_id).npis(ids)
    records = (PractitionerRecord(users[i].email, users[i].full_name, npis.get(i)) for i in ids)
    return tuple(sorted(records, key=lambda p: p.account))


def registry_of(uow: UnitOfWork, clinic_id: int, rows: Rows) -> Registry:
    """The rows as records, ordered by MRN and then by date, so two exports can be compared."""
    clinic = uow.clinics.get(clinic_id)
    assert clinic is not None
    mrns = {p.id: p.mrn for p in rows.patients}
    refs = surgery_refs(mrns, rows.surgeries)
    surgeons = _accounts(uow, clinic_id, rows)
    regions = _index_regions(rows.surgeries)
    today = clinic_today(uow, clinic_id)
    surgeries = (_surgery(s, refs, surgeons, today) for s in rows.surgeries)
    complications = (
        ComplicationRecord(refs[c.surgery_id], c.kind, c.reported_by, c.occurred_on, c.notes)
        for c in sorted(rows.complications, key=lambda c: c.id)
    )
    responses = (_response(r, mrns[r.patient_id], surgeons) for r in rows.responses)
    statuses = (_status(o, mrns[o.patient_id], regions.get(o.patient_id)) for o in rows.outcomes)
    used = {r.instrument for r in rows.responses}
    return Registry(
        clinic=clinic.slug,
        patients=tuple(sorted((patient_record(p) for p in rows.patients), key=lambda p: p.mrn)),
        surgeries=tuple(sorted(surgeries, key=lambda s: s.ref)),
        complications=tuple(sorted(complications, key=lambda c: c.surgery)),
        responses=tuple(sorted(responses, key=lambda r: (r.mrn, r.completed_at, r.instrument))),
        statuses=tuple(sorted(statuses, key=lambda s: s.mrn)),
        assessments=tuple(_assessments(rows.assessments, mrns)),
        practitioners=_practitioners(uow, clinic_id, rows, surgeons),
        instruments=tuple(i for i in instrument_ids() if i in used),
    )
