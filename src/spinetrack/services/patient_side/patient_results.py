"""A patient's own results, read through the link they answered with.

The product promises patients their own results. They see their scores against their own starting
point, what an important change and an acceptable result mean, and the usual course of recovery at
each time point (knowledge/outcomes/recovery.yaml), but never a cause, a diagnosis or another
patient. The page is reached only with the link they were sent, after they answered it, and only
until that link would have expired; every opening is audited, and a refused token is audited as
a refusal, as for the questionnaire pages.
"""

from dataclasses import dataclass
from datetime import date, datetime

from spinetrack.domain.errors import NotFound
from spinetrack.domain.outcomes import ChangeKind, compare, schedule
from spinetrack.domain.outcomes.recovery import RecoveryWords, getting_worse, recovery_words
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.patient_links import _audit_refusal, answered_link
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.clinician.patient_page import ScoreChart, prom_series
from spinetrack.services.records.patient_status import index_surgery
from spinetrack.services.records.read_models import ResponseView
from spinetrack.storage.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class ResultPoint:
    timepoint: str
    on: date
    score: float
    better_by: float | None
    """Points better than the starting point (negative: worse); None at the starting point."""
    change: ChangeKind | None
    acceptable: bool | None
    usual: str
    """The usual course of recovery at this time point, in plain words."""


@dataclass(frozen=True, slots=True)
class ResultSeries:
    instrument: str
    title: str
    kind: str
    scale_max: float
    baseline: float | None
    points: list[ResultPoint]
    important_change: str
    """How big a change counts as important for this patient ("10 points")."""
    important_line: float | None
    acceptable_line: float | None
    chart: ScoreChart
    """The same numbers as the clinician's chart draws them."""

    @property
    def latest(self) -> ResultPoint | None:
        return self.points[-1] if self.points else None


@dataclass(frozen=True, slots=True)
class PatientResults:
    clinic_name: str
    clinic_phone: str | None
    expires_at: datetime
    series: list[ResultSeries]
    words: RecoveryWords
    getting_worse: bool
    """The latest follow-up of some questionnaire is worse than the starting point by an important
    amount, or worse than the one before it by an important amount."""


def _result_series(series: ScoreChart, words: RecoveryWords) -> ResultSeries:
    usual = {t.id: words.at(t.id) for t in schedule()}
    points = []
    for point in series.points:
        at_start = series.baseline is None or point.timepoint == schedule()[0].id
        change = None if at_start else compare(series.instrument, series.baseline or 0, point.score)
        points.append(
            ResultPoint(
                timepoint=point.timepoint,
                on=point.on,
                score=point.score,
                better_by=None if change is None else change.improvement,
                change=None if change is None else change.change,
                acceptable=None if series.pass_line is None else point.score <= series.pass_line,
                usual=usual[point.timepoint],
            )
        )
    return ResultSeries(
        instrument=series.instrument,
        title=series.title,
        kind=series.kind,
        scale_max=series.scale_max,
        baseline=series.baseline,
        points=points,
        important_change=series.mcid_text,
        important_line=series.mcid_line,
        acceptable_line=series.pass_line,
        chart=series,
    )


def open_results(*, sessions: UnitOfWorkFactory, token: str, remote: str | None) -> PatientResults:
    """The results shown on an answered link; NotFound (audited) when the link does not allow it."""
    refusal: NotFound | None = None
    with sessions() as uow:
        try:
            row = answered_link(uow, token)
        except NotFound as exc:
            refusal = exc
        else:
            link_id, clinic_id, patient_id = row.id, row.clinic_id, row.patient_id
            expires_at = row.expires_at
    if refusal is not None:
        _audit_refusal(sessions, "results.open", remote, refusal)
        raise refusal
    actor = Actor(name=f"patient-link:{link_id}", remote=remote)
    with audited(
        sessions, actor, "results.open", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        repo = work.uow.patients(clinic_id)
        index = index_surgery(repo.surgeries(patient_id))
        responses = [ResponseView.model_validate(r) for r in repo.responses(patient_id)]
        clinic = work.uow.clinics.get(clinic_id)
        words = recovery_words()
        series = [
            _result_series(s, words)
            for s in (prom_series(index.performed_on, responses) if index else [])
        ]
        work.target = f"link:{link_id}"
        return PatientResults(
            clinic_name=clinic.name if clinic else "",
            clinic_phone=clinic.contact_phone if clinic else None,
            expires_at=expires_at,
            series=series,
            words=words,
            getting_worse=any(
                getting_worse(s.instrument, [p.score for p in s.points], s.baseline) for s in series
            ),
        )
