"""Build a triage case from what is stored about a patient: surgeries, complications (as surgeon and
patient reported them), recorded findings, the report texts pasted into the record (less the
readings a clinician rejected) and the PROM history. A `relapsed` or `failing` status feeds the time
course, so triage reads the questionnaires the way a clinician would."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.outcomes import OutcomeSummary, classify_patient, schedule
from spinetrack.domain.outcomes.age import age_on
from spinetrack.domain.outcomes.index_surgery import index_surgery_of
from spinetrack.services.records.patient_status import score_points
from spinetrack.storage.tables import PromResponse, ReportFinding, ReportText, Surgery

AXIAL = ("nrs_back", "nrs_neck")
LIMB = ("nrs_leg", "nrs_arm")
COURSE_OF_STATUS = {
    "failing": "never_improved",
    "relapsed": "improved_then_recurred",
    "succeeding": "improving",
}


class PatientFacts(Protocol):
    """What a case needs of the patient: a stored row, or just these columns."""

    @property
    def id(self) -> int: ...
    @property
    def birth_date(self) -> date: ...


class RecordedFinding(Protocol):
    @property
    def finding(self) -> str: ...
    @property
    def observed_on(self) -> date: ...


class ComplicationFacts(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def surgery_id(self) -> int: ...
    @property
    def occurred_on(self) -> date | None: ...


@dataclass(frozen=True)
class CaseInputs:
    """What the clinician adds on the day: the stored record supplies everything else."""

    evaluation_date: date
    course: str | None = None
    pain_free_interval_days: int | None = None
    findings: list[str] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StoredReports:
    """The record's report texts in the order the case lists them (by report date, then as
    stored) and the readings a clinician rejected, by report id and finding."""

    texts: list[ReportText] = field(default_factory=list)
    findings: list[ReportFinding] = field(default_factory=list)

    def on_or_before(self, day: date) -> list[ReportText]:
        return sorted(
            (r for r in self.texts if r.report_date <= day), key=lambda r: (r.report_date, r.id)
        )

    def rejected(self, listed: list[ReportText]) -> list[dict[str, Any]]:
        """The rejected readings as the case's (report index, finding id) items."""
        position = {report.id: i for i, report in enumerate(listed)}
        return [
            {"report": position[f.report_id], "id": f.finding}
            for f in sorted(self.findings, key=lambda f: f.id)
            if f.status == "rejected" and f.report_id in position
        ]


def _latest_pain(responses: list[PromResponse], instruments: tuple[str, ...]) -> float | None:
    scored = [r for r in responses if r.instrument in instruments and r.score_status == "ok"]
    if not scored:
        return None
    return max(scored, key=lambda r: (r.completed_at, r.id)).score_raw


def _relief_days(outcome: OutcomeSummary) -> int | None:
    """Days of relief before a relapse: the nominal day of the last follow-up that had improved."""
    nominal = {t.id: t.nominal for t in schedule()}
    improved = [
        nominal[t.timepoint]
        for t in outcome.timepoints
        if t.change == "improved" and t.instrument == outcome.disability_instrument
    ]
    return max(improved) if improved else None


def _by(occurred_on: date | None, day: date) -> bool:
    """A complication counts from the day it occurred (undated ones always)."""
    return occurred_on is None or occurred_on <= day


def build_case(
    *,
    patient: PatientFacts,
    surgeries: list[Surgery],
    responses: list[PromResponse],
    findings: Sequence[RecordedFinding],
    inputs: CaseInputs,
    complications: Sequence[ComplicationFacts] | None = None,
    reports: StoredReports | None = None,
) -> dict[str, Any]:
    """The case as the triage contract's JSON object (validated later by the domain). Stored
    reports dated on or before the evaluation come first, then the day's new ones."""
    day = inputs.evaluation_date
    done = [s for s in surgeries if s.performed_on <= day and not s.planned]
    if not done:
        raise InvalidInput(
            "surgeries", "triage needs a surgery on or before the evaluation date; none is recorded"
        )
    index = index_surgery_of(done)
    assert index is not None  # `done` is not empty
    responses = [r for r in responses if r.completed_at.date() <= day]
    outcome = classify_patient(score_points(done, responses))
    course = inputs.course or COURSE_OF_STATUS.get(outcome.status)
    interval = inputs.pain_free_interval_days
    if interval is None and course == "improved_then_recurred":
        relief = _relief_days(outcome)
        interval = None if relief is None else min(relief, (day - index.performed_on).days)
    recorded = [f.finding for f in findings if f.observed_on <= day]
    case: dict[str, Any] = {
        "case_id": f"patient-{patient.id}",
        "evaluation_date": day.isoformat(),
        "age": age_on(patient.birth_date, day),
        "region": index.region,
        "surgeries": [
            {
                "date": s.performed_on.isoformat(),
                "procedure": s.procedure,
                "levels": list(s.levels),
                "instrumented": s.instrumented,
            }
            for s in done
        ],
        "findings": sorted(set(recorded) | set(inputs.findings)),
    }
    stored = (reports or StoredReports()).on_or_before(day)
    case["reports"] = [r.text for r in stored] + list(inputs.reports)
    rejected = (reports or StoredReports()).rejected(stored)
    if rejected:
        case["rejected_report_findings"] = rejected
    done_ids = {s.id for s in done}
    kinds = sorted(
        {
            c.kind
            for c in complications or []
            if c.surgery_id in done_ids and _by(c.occurred_on, day)
        }
    )
    if kinds:
        case["complications"] = kinds
    pain = {"axial": _latest_pain(responses, AXIAL), "limb": _latest_pain(responses, LIMB)}
    if any(v is not None for v in pain.values()):
        case["pain"] = {k: v for k, v in pain.items() if v is not None}
    if course:
        case["course"] = course
    if interval is not None:
        case["pain_free_interval_days"] = interval
    return case
