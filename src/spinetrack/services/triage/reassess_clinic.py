"""Re-assess every operated patient of a clinic in one pass (after a rules update, or nightly), so
the worklist can put red flags first. Records are read in bulk, not patient by patient."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.triage import assess
from spinetrack.services.access.actor import Actor
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.records.patient_status import latest_assessment_columns
from spinetrack.services.triage.assess_patient import CLINICIANS
from spinetrack.services.triage.triage_case import CaseInputs, StoredReports, build_case
from spinetrack.storage.tables import (
    ClinicalFinding,
    Complication,
    Patient,
    PromResponse,
    ReportFinding,
    ReportText,
    Surgery,
    TriageAssessment,
)
from spinetrack.storage.unit_of_work import UnitOfWorkFactory


def _grouped(rows: list[Any]) -> dict[int, list[Any]]:
    groups: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        groups[row.patient_id].append(row)
    return groups


def reassess_clinic(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    evaluation_date: date,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Store a fresh assessment for every patient operated on or before the date; returns the count."""
    with audited(sessions, actor, "triage.reassess_clinic", clinic_id=clinic_id) as work:
        actor.require(clinic_id, CLINICIANS)
        repo = work.uow.patients(clinic_id)
        surgeries = _grouped(repo.every(Surgery))
        responses = _grouped(repo.every(PromResponse))
        findings = _grouped(repo.every(ClinicalFinding))
        record = _Record(
            _grouped(repo.every(Complication)),
            _grouped(repo.every(ReportText)),
            _grouped(repo.every(ReportFinding)),
        )
        inputs = CaseInputs(evaluation_date=evaluation_date)
        rows = []
        for patient in repo.every(Patient):
            if not any(
                s.performed_on <= evaluation_date and not s.planned for s in surgeries[patient.id]
            ):
                continue
            rows.append(
                _assessed(patient, surgeries, responses, findings, record, inputs, actor.name)
            )
            if progress and len(rows) % 1000 == 0:
                progress(1000)
        repo.bulk_insert(TriageAssessment, rows)
        assessed = [row["patient_id"] for row in rows]
        work.saw(assessed)
        latest = repo.latest_assessments(assessed)
        repo.set_assessment_columns(
            {pid: latest_assessment_columns(latest.get(pid)) for pid in assessed}
        )
        work.detail = f"assessed {len(rows)} patients on {evaluation_date.isoformat()}"
        return len(rows)


@dataclass(frozen=True)
class _Record:
    """The rest of each patient's record, grouped by patient: complications and stored reports."""

    complications: dict[int, list[Any]]
    reports: dict[int, list[Any]]
    readings: dict[int, list[Any]]


def _assessed(
    patient: Patient,
    surgeries: dict[int, list[Any]],
    responses: dict[int, list[Any]],
    findings: dict[int, list[Any]],
    record: _Record,
    inputs: CaseInputs,
    by: str,
) -> dict[str, Any]:
    case = build_case(
        patient=patient,
        surgeries=surgeries[patient.id],
        responses=responses[patient.id],
        findings=findings[patient.id],
        inputs=inputs,
        complications=record.complications[patient.id],
        reports=StoredReports(record.reports[patient.id], record.readings[patient.id]),
    )
    try:
        result = assess(case)
    except InvalidInput as exc:
        raise InvalidInput(f"patient {patient.id}: {exc.field}", exc.reason) from exc
    return {
        "patient_id": patient.id,
        "evaluation_date": inputs.evaluation_date,
        "rules_version": result.rules_version,
        "case": case,
        "assessment": result.model_dump(mode="json", by_alias=True),
        "leading_cause": result.causes[0].id if result.causes else None,
        "red_flags": [flag.id for flag in result.red_flags],
        "assessed_by": by,
    }
