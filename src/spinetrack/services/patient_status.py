"""Keep a patient's outcome status current: recomputed from the PROM history after every change."""

from spinetrack.domain.outcomes import ScorePoint, classify_patient
from spinetrack.storage.repositories.patients import PatientRepository
from spinetrack.storage.tables import PatientOutcome, PromResponse, Surgery


def score_points(surgeries: list[Surgery], responses: list[PromResponse]) -> list[ScorePoint]:
    """Scored responses as days after the index surgery (the most recent one)."""
    if not surgeries:
        return []
    index = max(surgeries, key=lambda s: (s.performed_on, s.id))
    points = []
    for response in responses:
        if response.score_status != "ok":
            continue
        value = response.score_percent if response.score_percent is not None else response.score_raw
        if value is None:
            continue
        days = (response.completed_at.date() - index.performed_on).days
        points.append(
            ScorePoint(instrument=response.instrument, days_after_surgery=days, score=value)
        )
    return points


def refresh_outcome(repo: PatientRepository, patient_id: int) -> PatientOutcome:
    points = score_points(repo.surgeries(patient_id), repo.responses(patient_id))
    result = classify_patient(points)
    outcome = PatientOutcome(
        patient_id=patient_id,
        status=result.status,
        latest_timepoint=result.latest_timepoint,
        disability_instrument=result.disability_instrument,
        disability_improvement=result.disability_improvement,
        pain_improvement=result.pain_improvement,
    )
    repo.save_outcome(outcome)
    return outcome
