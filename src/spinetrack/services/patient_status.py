"""Keep a patient's outcome status current: recomputed from the PROM history after every change."""

from datetime import date, datetime
from typing import Any

from spinetrack.domain.outcomes import PatientOutcome as Outcome
from spinetrack.domain.outcomes import ScorePoint, classify_patient
from spinetrack.storage.repositories.patients import PatientRepository
from spinetrack.storage.tables import PatientOutcome, PromResponse, Surgery


def score_point(
    index_day: date,
    *,
    instrument: str,
    completed_at: datetime,
    score_status: str,
    score_raw: float | None,
    score_percent: float | None,
) -> ScorePoint | None:
    """A scored response as a point on days after the index surgery; None if it has no score."""
    value = score_percent if score_percent is not None else score_raw
    if score_status != "ok" or value is None:
        return None
    days = (completed_at.date() - index_day).days
    return ScorePoint(instrument=instrument, days_after_surgery=days, score=value)


def score_points(surgeries: list[Surgery], responses: list[PromResponse]) -> list[ScorePoint]:
    """Scored responses as days after the index surgery (the most recent one)."""
    if not surgeries:
        return []
    index_day = max(surgeries, key=lambda s: (s.performed_on, s.id)).performed_on
    points = (
        score_point(
            index_day,
            instrument=r.instrument,
            completed_at=r.completed_at,
            score_status=r.score_status,
            score_raw=r.score_raw,
            score_percent=r.score_percent,
        )
        for r in responses
    )
    return [p for p in points if p is not None]


def outcome_row(patient_id: int, result: Outcome) -> dict[str, Any]:
    """The stored columns of a patient's outcome."""
    return {
        "patient_id": patient_id,
        "status": result.status,
        "latest_timepoint": result.latest_timepoint,
        "disability_instrument": result.disability_instrument,
        "disability_improvement": result.disability_improvement,
        "pain_improvement": result.pain_improvement,
    }


def refresh_outcome(repo: PatientRepository, patient_id: int) -> PatientOutcome:
    points = score_points(repo.surgeries(patient_id), repo.responses(patient_id))
    outcome = PatientOutcome(**outcome_row(patient_id, classify_patient(points)))
    repo.save_outcome(outcome)
    return outcome
