"""Everything the clinician's patient page shows, read in one audited transaction.

The page needs more than the record (`patient_record.open_record`): the PROM series as they count
at each time point with the MCID and PASS lines of each instrument, the follow-up schedule with what
is due, and the latest triage assessment with its findings. Gathering it here keeps the web route a
thin renderer and the thresholds where they belong (the instrument files, read by the domain).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from spinetrack.domain.instruments.registry import get_instrument
from spinetrack.domain.outcomes import LosingGround, classify_patient, losing_ground, schedule
from spinetrack.domain.outcomes import OutcomeSummary as Outcome
from spinetrack.domain.outcomes.age import age_on
from spinetrack.domain.outcomes.change import change_rules
from spinetrack.domain.outcomes.followup import FollowUpState, followup_schedule
from spinetrack.domain.outcomes.selection import counted
from spinetrack.domain.triage.assessment import Assessment
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.clinic_calendar import clinic_today
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.records.patient_status import index_surgery, score_point, score_points
from spinetrack.services.records.read_models import (
    ComplicationView,
    OutcomeView,
    PatientView,
    ResponseView,
    SurgeryView,
)
from spinetrack.services.triage.assess_patient import (
    CLINICIANS,
    FindingView,
    ReportFindingView,
    ReportView,
    StoredAssessment,
)
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

UNITS_PER_POINT = 10**9
"""Thresholds are kept as integer billionths of a point (`domain.instruments.rounding`)."""


@dataclass(frozen=True, slots=True)
class ChartPoint:
    timepoint: str
    day: int
    """Days after the index surgery."""
    on: date
    score: float


@dataclass(frozen=True, slots=True)
class ScoreChart:
    """One instrument's counted scores, with the lines its thresholds draw for this patient."""

    instrument: str
    title: str
    kind: str
    scale_max: float
    points: list[ChartPoint]
    baseline: float | None
    mcid_line: float | None
    """The score a follow-up must reach (at most) to count as an important improvement."""
    mcid_text: str
    pass_line: float | None
    """Scores at or below this are an acceptable symptom state (None: the instrument has none)."""


@dataclass(frozen=True, slots=True)
class ScheduledTimepoint:
    timepoint: str
    opens_on: date
    due_on: date
    closes_on: date
    state: Literal["answered", "missed", "upcoming", "due", "overdue", "open"]


@dataclass(frozen=True, slots=True)
class PatientOverview:
    patient: PatientView
    age: int
    date_format: str
    today: date
    surgeries: list[SurgeryView]
    surgeons: dict[int, str]
    complications: list[ComplicationView]
    responses: list[ResponseView]
    outcome: OutcomeView | None
    classified: Outcome
    series: list[ScoreChart]
    schedule: list[ScheduledTimepoint]
    next_state: FollowUpState | None
    findings: list[FindingView]
    assessment: StoredAssessment | None
    triage: Assessment | None
    earlier_assessments: list[StoredAssessment]
    red_flag: bool
    may_assess: bool
    """Whether this user may record findings, assess and conclude (clinicians and admins)."""
    losing_ground: LosingGround | None = None
    """The latest disability score slipped from the best follow-up by the MCID or more."""
    reports: list[ReportView] | None = None
    report_findings: list[ReportFindingView] | None = None
    """What was read from the stored reports, rejected readings included (marked)."""

    def report_of(self, report_id: int) -> ReportView | None:
        return next((r for r in self.reports or [] if r.id == report_id), None)

    people: dict[str, str] = field(default_factory=dict)
    """The full name of each user named on the page (by the e-mail its records store)."""


def _scale_max(instrument: str) -> float:
    definition = get_instrument(instrument)
    rule = definition.scoring
    if rule.method == "percent_of_max":
        return 100.0
    if rule.method == "comi":
        return float(rule.domain_max)
    return float(max(item.max for item in definition.items))


def _mcid(instrument: str, baseline: float | None) -> tuple[float | None, str]:
    rules = get_instrument(instrument).outcome.mcid
    text = f"{rules.points:g} points"
    if rules.percent_of_baseline is not None:
        text += f" or {rules.percent_of_baseline:g} % of baseline"
    if baseline is None:
        return None, text
    needed = float(rules.points)
    if rules.percent_of_baseline is not None:
        needed = min(needed, baseline * float(rules.percent_of_baseline) / 100)
    return max(0.0, baseline - needed), text


def _build_series(points_by_instrument: dict[str, list[ChartPoint]]) -> list[ScoreChart]:
    """Disability instruments first, then pain, each with its MCID line from its own baseline."""
    result = []
    order = {"disability": 0, "pain": 1}
    for instrument in sorted(
        points_by_instrument, key=lambda i: (order.get(get_instrument(i).kind, 2), i)
    ):
        points = sorted(points_by_instrument[instrument], key=lambda p: p.day)
        start = next((p.score for p in points if p.timepoint == schedule()[0].id), None)
        mcid_line, mcid_text = _mcid(instrument, start)
        rules = change_rules(instrument)
        definition = get_instrument(instrument)
        result.append(
            ScoreChart(
                instrument=instrument,
                title=definition.title,
                kind=definition.kind,
                scale_max=_scale_max(instrument),
                points=points,
                baseline=start,
                mcid_line=mcid_line,
                mcid_text=mcid_text,
                pass_line=None if rules.pass_units is None else rules.pass_units / UNITS_PER_POINT,
            )
        )
    return result


def _points(surgery_day: date, responses: list[ResponseView]) -> dict[str, list[ChartPoint]]:
    """The responses that count at each time point (the status's own selection), per instrument."""
    scored = [
        (r.instrument, r.completed_at, r.score_status, r.score_raw, r.score_percent)
        for r in responses
    ]
    found = [
        score_point(
            surgery_day,
            instrument=instrument,
            completed_at=moment,
            score_status=status,
            score_raw=raw,
            score_percent=percent,
        )
        for instrument, moment, status, raw, percent in scored
    ]
    chosen = counted(p for p in found if p is not None)
    return {
        instrument: [
            ChartPoint(
                timepoint,
                point.days_after_surgery,
                surgery_day + timedelta(days=point.days_after_surgery),
                point.score,
            )
            for timepoint, point in series.items()
        ]
        for instrument, series in chosen.items()
    }


def _schedule(
    surgery_day: date, answered: set[str], today: date
) -> tuple[list[ScheduledTimepoint], FollowUpState | None]:
    """The index surgery's schedule as the page shows it (the rule is the domain's)."""
    plan = followup_schedule(surgery_day, answered, today)
    rows = [
        ScheduledTimepoint(p.timepoint, p.opens_on, p.due_on, p.closes_on, p.state)
        for p in plan.points
    ]
    return rows, plan.next_state


def open_patient_page(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    patient_id: int,
    today: date | None = None,
) -> PatientOverview:
    with audited(
        sessions, actor, "patient.read", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id)
        today = today or clinic_today(work.uow, clinic_id)
        repo = work.uow.patients(clinic_id)
        patient = repo.get(patient_id)
        surgeries = repo.surgeries(patient_id)
        responses = repo.responses(patient_id)
        outcome = repo.outcome(patient_id)
        assessments = repo.assessments(patient_id)
        clinic = work.uow.clinics.get(clinic_id)
        index = index_surgery(surgeries)
        response_views = [ResponseView.model_validate(r) for r in responses]
        points = _points(index.performed_on, response_views) if index else {}
        answered = {p.timepoint for series in points.values() for p in series}
        timeline, next_state = (
            _schedule(index.performed_on, answered, today) if index else ([], None)
        )
        surgeon_ids = {s.surgeon_id for s in surgeries if s.surgeon_id is not None}
        names = {}
        for surgeon_id in surgeon_ids:
            user = work.uow.users.get(surgeon_id)
            if user is not None:
                names[surgeon_id] = user.full_name
        stored = [StoredAssessment.model_validate(a) for a in assessments]
        latest = stored[-1] if stored else None
        findings = [FindingView.model_validate(f) for f in repo.findings(patient_id)]
        reports = [ReportView.model_validate(r) for r in repo.report_texts(patient_id)]
        report_findings = [
            ReportFindingView.model_validate(f) for f in repo.report_findings(patient_id)
        ]
        named = (
            {f.recorded_by for f in findings}
            | {a.confirmed_by for a in stored}
            | {r.recorded_by for r in reports}
            | {f.reviewed_by for f in report_findings}
        )
        role = "admin" if actor.system else actor.roles.get(clinic_id, "")
        classified = classify_patient(score_points(surgeries, responses))
        return PatientOverview(
            patient=PatientView.model_validate(patient),
            age=age_on(patient.birth_date, today),
            date_format=clinic.date_format if clinic else "%Y-%m-%d",
            today=today,
            surgeries=[SurgeryView.model_validate(s) for s in surgeries],
            surgeons=names,
            complications=[
                ComplicationView.model_validate(c) for c in repo.complications(patient_id)
            ],
            responses=response_views,
            outcome=OutcomeView.model_validate(outcome) if outcome else None,
            classified=classified,
            series=_build_series(points),
            schedule=timeline,
            next_state=next_state,
            findings=findings,
            assessment=latest,
            triage=Assessment.model_validate(latest.assessment) if latest else None,
            earlier_assessments=list(reversed(stored[:-1]))[:5],
            red_flag=bool(outcome and outcome.red_flag),
            may_assess=role in CLINICIANS,
            losing_ground=losing_ground(classified),
            reports=reports,
            report_findings=report_findings,
            people=work.uow.users.names_by_email([n for n in named if n]),
        )


def prom_series(surgery_day: date, responses: list[ResponseView]) -> list[ScoreChart]:
    """The counted PROM series of one index surgery, as the patient page charts them (also what
    the patient's own results page shows)."""
    return _build_series(_points(surgery_day, responses))
