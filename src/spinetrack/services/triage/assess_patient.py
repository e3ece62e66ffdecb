"""Triage for a stored patient: record findings, assess from the whole record, and record what the
clinician concluded. Assessing and concluding are clinical acts: staff and analysts may not.

Report text pasted for an assessment becomes part of the record (which report, who, when) with what
was read from it; every later assessment reads the stored reports again, less the readings a
clinician rejected, so a finding read from a CT report is not lost when another is recorded."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.triage import assess
from spinetrack.domain.vocabulary import vocabulary
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.clinic_calendar import clinic_today
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.records.patient_status import refresh_outcome
from spinetrack.services.records.read_models import View
from spinetrack.services.triage.triage_case import CaseInputs, StoredReports, build_case
from spinetrack.storage.repositories.patients import PatientRepository
from spinetrack.storage.tables import ClinicalFinding, ReportFinding, ReportText, TriageAssessment
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

CLINICIANS = frozenset({"admin", "clinician"})
Text = Annotated[str, StringConstraints(max_length=20_000)]


class NewFinding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    finding: str
    observed_on: date
    note: str | None = Field(default=None, max_length=4000)


ReportKind = Literal["mri", "ct", "xray", "emg", "lab", "clinic_letter", "other"]
"""What kind of report a pasted text is: imaging by modality, electrodiagnostics, laboratory, a
letter, or anything else. Only a label for the clinician; the reader reads every kind alike."""


class NewReport(BaseModel):
    """A report pasted into the record: which report it is, and its words."""

    model_config = ConfigDict(extra="forbid")

    kind: ReportKind = "other"
    report_date: date | None = None
    """The date on the report; None means the day of the assessment it is pasted for."""
    title: str | None = Field(default=None, max_length=200)
    text: Annotated[str, StringConstraints(min_length=1, max_length=20_000, strip_whitespace=True)]


class AssessmentRequest(BaseModel):
    """Optional additions to the stored record for this assessment. ``reports`` (bare text) and
    ``report_details`` (text with its kind, date and title) are both stored in the record; a bare
    text is stored as a report of kind "other" dated on the evaluation date."""

    model_config = ConfigDict(extra="forbid")

    evaluation_date: date | None = None
    course: str | None = None
    pain_free_interval_days: int | None = Field(default=None, ge=0)
    findings: list[str] = Field(default_factory=list, max_length=100)
    reports: list[Text] = Field(default_factory=list, max_length=20)
    report_details: list[NewReport] = Field(default_factory=list, max_length=20)


class ReportFindingView(View):
    """A finding read from a stored report, with where it came from and whether it stands."""

    id: int
    report_id: int
    finding: str
    quoted: str
    certainty: str
    status: str
    reviewed_by: str | None
    reviewed_at: datetime | None


class ReportView(View):
    id: int
    kind: str
    report_date: date
    title: str | None
    text: str
    recorded_by: str
    created_at: datetime


class PatientReports(BaseModel):
    """A patient's stored reports and every finding read from them, rejected ones included (their
    `status` says so), as the API answers them; `report_id` ties a reading to its report."""

    reports: list[ReportView]
    readings: list[ReportFindingView]


class Conclusion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    confirmed_cause: str | None = None
    chosen_treatment: str | None = None
    plan_note: str | None = Field(default=None, max_length=4000)


class FindingView(View):
    id: int
    finding: str
    observed_on: date
    recorded_by: str
    note: str | None


class StoredAssessment(View):
    id: int
    patient_id: int
    evaluation_date: date
    rules_version: str
    case: dict[str, Any]
    assessment: dict[str, Any]
    assessed_by: str
    confirmed_cause: str | None
    chosen_treatment: str | None
    plan_note: str | None
    confirmed_by: str | None
    confirmed_at: datetime | None


def _check_id(value: str | None, section: str, field: str) -> None:
    if value is not None and value not in getattr(vocabulary(), section):
        raise InvalidInput(field, f"unknown {section.rstrip('s')} id {value!r}")


def record_finding(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    patient_id: int,
    finding: NewFinding,
) -> FindingView:
    """One finding: the one-item case of `record_findings`, with the same checks and audit."""
    [view] = record_findings(
        sessions=sessions,
        actor=actor,
        clinic_id=clinic_id,
        patient_id=patient_id,
        findings=[finding],
    )
    return view


def _add_finding(
    repo: PatientRepository, actor: Actor, patient_id: int, finding: NewFinding, today: date
) -> ClinicalFinding:
    _check_id(finding.finding, "findings", "finding")
    if finding.observed_on > today:
        raise InvalidInput("observed_on", "a finding cannot be observed in the future")
    row = ClinicalFinding(patient_id=patient_id, recorded_by=actor.name, **finding.model_dump())
    repo.add_row(row)
    return row


def record_findings(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    patient_id: int,
    findings: list[NewFinding],
) -> list[FindingView]:
    """Several findings of one examination in one transaction: all are recorded, or none."""
    with audited(
        sessions, actor, "finding.create", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id, CLINICIANS)
        repo = work.uow.patients(clinic_id)
        repo.get(patient_id)
        if not findings:
            raise InvalidInput("finding", "choose at least one finding")
        today = clinic_today(work.uow, clinic_id)
        rows = [_add_finding(repo, actor, patient_id, finding, today) for finding in findings]
        work.target = ",".join(f"finding:{row.id}" for row in rows)
        return [FindingView.model_validate(row) for row in rows]


def _new_reports(request: AssessmentRequest, day: date, today: date) -> list[NewReport]:
    bare = [NewReport(report_date=day, text=text) for text in request.reports if text.strip()]
    dated = [
        r if r.report_date is not None else r.model_copy(update={"report_date": day})
        for r in request.report_details
    ]
    reports = bare + dated
    for report in reports:
        if report.report_date is not None and report.report_date > today:
            raise InvalidInput("report_date", "a report cannot be dated in the future")
    return reports


def _store_reports(
    repo: PatientRepository, actor: Actor, patient_id: int, reports: list[NewReport]
) -> list[ReportText]:
    rows = []
    for report in reports:
        row = ReportText(patient_id=patient_id, recorded_by=actor.name, **report.model_dump())
        repo.add_row(row)
        rows.append(row)
    return rows


@dataclass(frozen=True)
class _Born:
    id: int
    birth_date: date


def assess_in(
    repo: PatientRepository,
    *,
    by: str,
    patient_id: int,
    inputs: CaseInputs,
    today: date,
    new_reports: list[ReportText] | None = None,
    refresh: bool = True,
) -> TriageAssessment:
    """Assess one patient from the whole stored record inside the caller's transaction, store the
    assessment and what was read from the new reports, and refresh the outcome row (unless
    `refresh` is False: the caller then stores the row itself, with this assessment's columns)."""
    record = repo.assessment_record(patient_id)
    # Texts and their readings exist only in the few records with reports: the others need no
    # query for them.
    texts = repo.report_texts(patient_id) if record.reports else []
    stored = StoredReports(texts, repo.report_findings(patient_id) if texts else [])
    case = build_case(
        patient=_Born(patient_id, record.birth_date),
        surgeries=record.surgeries,
        responses=record.responses,
        findings=record.findings,
        inputs=inputs,
        complications=record.complications,
        reports=stored,
    )
    result = assess(case)
    listed = stored.on_or_before(inputs.evaluation_date)
    fresh = {row.id for row in new_reports or []}
    for item in result.extracted_findings:
        if item.report < len(listed) and listed[item.report].id in fresh:
            repo.add_row(
                ReportFinding(
                    patient_id=patient_id,
                    report_id=listed[item.report].id,
                    finding=item.id,
                    quoted=item.text,
                    certainty=item.certainty,
                    status="accepted",
                )
            )
    row = TriageAssessment(
        patient_id=patient_id,
        evaluation_date=inputs.evaluation_date,
        rules_version=result.rules_version,
        case=case,
        assessment=result.model_dump(mode="json", by_alias=True),
        leading_cause=result.causes[0].id if result.causes else None,
        red_flags=[flag.id for flag in result.red_flags],
        assessed_by=by,
    )
    repo.add_row(row)
    if refresh:
        refresh_outcome(repo, patient_id, today)
    return row


def assess_patient(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    patient_id: int,
    request: AssessmentRequest,
) -> StoredAssessment:
    """Assess from the whole record (surgeries, complications, findings, stored reports, scores);
    report text sent with the request is stored first, so it stays part of the record."""
    with audited(
        sessions, actor, "triage.assess", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id, CLINICIANS)
        repo = work.uow.patients(clinic_id)
        repo.get(patient_id)
        today = clinic_today(work.uow, clinic_id)
        day = request.evaluation_date or today
        reports = _store_reports(
            repo, actor, patient_id, _new_reports(request, day, max(today, day))
        )
        inputs = CaseInputs(
            evaluation_date=day,
            course=request.course,
            pain_free_interval_days=request.pain_free_interval_days,
            findings=request.findings,
        )
        row = assess_in(
            repo,
            by=actor.name,
            patient_id=patient_id,
            inputs=inputs,
            today=today,
            new_reports=reports,
        )
        work.target = f"assessment:{row.id}" + "".join(f",report:{r.id}" for r in reports)
        return StoredAssessment.model_validate(row)


def reject_report_finding(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    patient_id: int,
    finding_id: int,
) -> StoredAssessment:
    """A clinician rejects a finding the reader got wrong: it is kept (marked rejected, by whom and
    when) and the patient is assessed again without it, in the same transaction."""
    with audited(
        sessions, actor, "report_finding.reject", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id, CLINICIANS)
        repo = work.uow.patients(clinic_id)
        reading = repo.report_finding(patient_id, finding_id)
        if reading.status == "rejected":
            raise InvalidInput("finding", "this finding was already rejected")
        reading.status = "rejected"
        reading.reviewed_by = actor.name
        reading.reviewed_at = datetime.now(UTC)
        work.uow.flush()
        today = clinic_today(work.uow, clinic_id)
        row = assess_in(
            repo,
            by=actor.name,
            patient_id=patient_id,
            inputs=CaseInputs(evaluation_date=today),
            today=today,
        )
        work.target = f"report_finding:{reading.id},assessment:{row.id}"
        return StoredAssessment.model_validate(row)


def list_reports(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, patient_id: int
) -> tuple[list[ReportView], list[ReportFindingView]]:
    """The patient's stored reports and every finding read from them (rejected ones included)."""
    with audited(
        sessions, actor, "report.read", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id)
        repo = work.uow.patients(clinic_id)
        repo.get(patient_id)
        return (
            [ReportView.model_validate(r) for r in repo.report_texts(patient_id)],
            [ReportFindingView.model_validate(f) for f in repo.report_findings(patient_id)],
        )


def conclude(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    patient_id: int,
    assessment_id: int,
    conclusion: Conclusion,
) -> StoredAssessment:
    """Record the cause the work-up confirmed and the treatment chosen, beside what triage said."""
    with audited(
        sessions, actor, "triage.conclude", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id, CLINICIANS)
        repo = work.uow.patients(clinic_id)
        row = repo.assessment(patient_id, assessment_id)
        _check_id(conclusion.confirmed_cause, "causes", "confirmed_cause")
        _check_id(conclusion.chosen_treatment, "treatments", "chosen_treatment")
        row.confirmed_cause = conclusion.confirmed_cause
        row.chosen_treatment = conclusion.chosen_treatment
        row.plan_note = conclusion.plan_note
        row.confirmed_by = actor.name
        row.confirmed_at = datetime.now(UTC)
        work.uow.flush()
        refresh_outcome(repo, patient_id, clinic_today(work.uow, clinic_id))
        work.target = f"assessment:{row.id}"
        return StoredAssessment.model_validate(row)


def list_assessments(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, patient_id: int
) -> list[StoredAssessment]:
    with audited(
        sessions, actor, "triage.read", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id)
        repo = work.uow.patients(clinic_id)
        repo.get(patient_id)
        return [StoredAssessment.model_validate(a) for a in repo.assessments(patient_id)]
