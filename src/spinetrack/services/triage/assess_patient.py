"""Triage for a stored patient: record findings, assess from the record, and record what the
clinician concluded. Assessing and concluding are clinical acts: staff and analysts may not."""

from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.triage import assess
from spinetrack.domain.vocabulary import vocabulary
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.clinic_calendar import clinic_today
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.records.patient_status import refresh_outcome
from spinetrack.services.records.read_models import View
from spinetrack.services.triage.triage_case import CaseInputs, build_case
from spinetrack.storage.repositories.patients import PatientRepository
from spinetrack.storage.tables import ClinicalFinding, TriageAssessment
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

CLINICIANS = frozenset({"admin", "clinician"})
Text = Annotated[str, StringConstraints(max_length=20_000)]


class NewFinding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    finding: str
    observed_on: date
    note: str | None = Field(default=None, max_length=4000)


class AssessmentRequest(BaseModel):
    """Optional additions to the stored record for this assessment."""

    model_config = ConfigDict(extra="forbid")

    evaluation_date: date | None = None
    course: str | None = None
    pain_free_interval_days: int | None = Field(default=None, ge=0)
    findings: list[str] = Field(default_factory=list, max_length=100)
    reports: list[Text] = Field(default_factory=list, max_length=20)


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


def assess_patient(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    patient_id: int,
    request: AssessmentRequest,
) -> StoredAssessment:
    with audited(
        sessions, actor, "triage.assess", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id, CLINICIANS)
        repo = work.uow.patients(clinic_id)
        patient = repo.get(patient_id)
        inputs = CaseInputs(
            evaluation_date=request.evaluation_date or clinic_today(work.uow, clinic_id),
            course=request.course,
            pain_free_interval_days=request.pain_free_interval_days,
            findings=request.findings,
            reports=request.reports,
        )
        case = build_case(
            patient=patient,
            surgeries=repo.surgeries(patient_id),
            responses=repo.responses(patient_id),
            findings=repo.findings(patient_id),
            inputs=inputs,
        )
        result = assess(case)
        row = TriageAssessment(
            patient_id=patient_id,
            evaluation_date=inputs.evaluation_date,
            rules_version=result.rules_version,
            case=case,
            assessment=result.model_dump(mode="json", by_alias=True),
            leading_cause=result.causes[0].id if result.causes else None,
            red_flags=[flag.id for flag in result.red_flags],
            assessed_by=actor.name,
        )
        repo.add_row(row)
        refresh_outcome(repo, patient_id, clinic_today(work.uow, clinic_id))
        work.target = f"assessment:{row.id}"
        return StoredAssessment.model_validate(row)


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
