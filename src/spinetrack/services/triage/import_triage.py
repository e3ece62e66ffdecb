"""Import clinical findings, and the clinician's confirmed cause and plan, for many patients at once,
assessing each patient from their stored record as `assess_patient` would.

The demo clinic uses it so the worklist and the triage panel have something to show (and the
worklist benchmark reads realistic rows); a clinic moving from another system could use it the same
way. One transaction for the whole batch: a bad record (unknown finding, unknown MRN, a date in the
future) stores nothing.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.triage import assess
from spinetrack.domain.vocabulary import vocabulary
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.clinic_calendar import clinic_today
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.records.patient_status import latest_assessment_columns
from spinetrack.services.triage.assess_patient import CLINICIANS, Conclusion, NewFinding
from spinetrack.services.triage.triage_case import CaseInputs, build_case
from spinetrack.storage.tables import (
    ClinicalFinding,
    PromResponse,
    Surgery,
    TriageAssessment,
)
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

SURGERY_READ = ("id", "performed_on", "planned", "region", "procedure", "levels", "instrumented")
RESPONSE_READ = ("id", "instrument", "completed_at", "score_status", "score_raw", "score_percent")
FINDING_READ = ("finding", "observed_on")
"""The columns `build_case` reads of each table (with the patient's id): they are read as plain
rows, the rest (a questionnaire's answers, JSON) never decoded."""


@dataclass
class ImportedTriage:
    mrn: str
    findings: list[NewFinding] = field(default_factory=list)
    conclusion: Conclusion | None = None
    """What the work-up confirmed, recorded on the assessment made from these findings."""


def _check(position: int, item: ImportedTriage, evaluation_date: date) -> None:
    words = vocabulary()
    where = f"items.{position}"
    for f, finding in enumerate(item.findings):
        if finding.finding not in words.findings:
            raise InvalidInput(f"{where}.findings.{f}", f"unknown finding {finding.finding!r}")
        if finding.observed_on > evaluation_date:
            raise InvalidInput(f"{where}.findings.{f}", "observed after the evaluation date")
    if item.conclusion is not None:
        cause, treatment = item.conclusion.confirmed_cause, item.conclusion.chosen_treatment
        if cause is not None and cause not in words.causes:
            raise InvalidInput(f"{where}.confirmed_cause", f"unknown cause {cause!r}")
        if treatment is not None and treatment not in words.treatments:
            raise InvalidInput(f"{where}.chosen_treatment", f"unknown treatment {treatment!r}")


def _grouped(rows: list[Any]) -> dict[int, list[Any]]:
    groups: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        groups[row.patient_id].append(row)
    return groups


def import_triage(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    items: Sequence[ImportedTriage],
    evaluation_date: date,
) -> int:
    """Store the findings, assess every listed patient on `evaluation_date` and record the
    conclusions; returns how many patients were assessed."""
    with audited(sessions, actor, "triage.import", clinic_id=clinic_id) as work:
        actor.require(clinic_id, CLINICIANS)
        repo = work.uow.patients(clinic_id)
        if evaluation_date > clinic_today(work.uow, clinic_id):
            raise InvalidInput("evaluation_date", "cannot assess in the future")
        for position, item in enumerate(items):
            _check(position, item, evaluation_date)
        ids = repo.ids_by_mrn([item.mrn for item in items])
        unknown = [item.mrn for item in items if item.mrn not in ids]
        if unknown:
            raise InvalidInput("mrn", f"not registered: {', '.join(unknown[:5])}")
        repo.bulk_insert(
            ClinicalFinding,
            [
                {
                    "patient_id": ids[item.mrn],
                    "finding": f.finding,
                    "observed_on": f.observed_on,
                    "note": f.note,
                    "recorded_by": actor.name,
                }
                for item in items
                for f in item.findings
            ],
        )
        patient_ids = [ids[item.mrn] for item in items]
        patients: dict[int, Any] = {p.id: p for p in repo.birth_dates(patient_ids)}
        surgeries = _grouped(repo.columns_of(Surgery, patient_ids, SURGERY_READ))
        responses = _grouped(repo.columns_of(PromResponse, patient_ids, RESPONSE_READ))
        findings = _grouped(repo.columns_of(ClinicalFinding, patient_ids, FINDING_READ))
        inputs = CaseInputs(evaluation_date=evaluation_date)
        now = datetime.now(UTC)
        rows = []
        for item in items:
            patient_id = ids[item.mrn]
            case = build_case(
                patient=patients[patient_id],
                surgeries=surgeries[patient_id],
                responses=responses[patient_id],
                findings=findings[patient_id],
                inputs=inputs,
            )
            result = assess(case)
            row: dict[str, Any] = {
                "patient_id": patient_id,
                "evaluation_date": evaluation_date,
                "rules_version": result.rules_version,
                "case": case,
                "assessment": result.model_dump(mode="json", by_alias=True),
                "leading_cause": result.causes[0].id if result.causes else None,
                "red_flags": [flag.id for flag in result.red_flags],
                "assessed_by": actor.name,
            }
            if item.conclusion is not None:
                row |= item.conclusion.model_dump() | {
                    "confirmed_by": actor.name,
                    "confirmed_at": now,
                }
            rows.append(row)
        repo.bulk_insert(TriageAssessment, rows)
        latest = repo.latest_assessments(patient_ids)
        repo.set_assessment_columns(
            {pid: latest_assessment_columns(latest.get(pid)) for pid in patient_ids}
        )
        work.detail = f"assessed {len(rows)} patients on {evaluation_date.isoformat()}"
        return len(rows)
