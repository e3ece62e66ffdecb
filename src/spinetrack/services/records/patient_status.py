"""Keep a patient's outcome status current: recomputed from the PROM history after every change.

The stored row also carries what the worklist and the chase list sort and filter on, so they page
without joins: the index surgery's region, procedure, surgeon and date, the next follow-up due, and
whether the latest triage assessment raised a red flag nobody has answered with a plan yet. Every
door that writes outcomes (single entries here, the bulk imports) builds the row with these helpers,
so the columns mean the same whichever way the data came in.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol, TypeVar

from spinetrack.domain.outcomes import ScorePoint, classify_patient, losing_ground, timepoint_for
from spinetrack.domain.outcomes.counted_score import counted_score
from spinetrack.domain.outcomes.followup import next_followup
from spinetrack.domain.outcomes.index_surgery import index_surgery_of
from spinetrack.storage.repositories.patients import PatientRepository, StatusInputs
from spinetrack.storage.tables import PatientOutcome, TriageAssessment


@dataclass(frozen=True, slots=True)
class IndexSurgery:
    """The surgery a patient's status is measured from (the latest), as the outcome row copies it."""

    id: int
    performed_on: date
    region: str
    procedure: str
    surgeon_id: int | None


class SurgeryFacts(Protocol):
    """What a status needs of a surgery: a stored row, or just these columns of it."""

    @property
    def id(self) -> int: ...
    @property
    def performed_on(self) -> date: ...
    @property
    def region(self) -> str: ...
    @property
    def procedure(self) -> str: ...
    @property
    def surgeon_id(self) -> int | None: ...


SurgeryT = TypeVar("SurgeryT")


def performed(surgeries: Iterable[SurgeryT]) -> list[SurgeryT]:
    """The surgeries that were done: one marked planned (booked ahead) is no outcome, no index
    and no cohort member until it is performed. Rows read as bare columns carry no flag; the
    query that reads them already leaves planned ones out."""
    return [s for s in surgeries if not getattr(s, "planned", False)]


def index_surgery(surgeries: Sequence[SurgeryFacts]) -> IndexSurgery | None:
    """The most recent performed surgery (ties: the later id), the one `score_points` counts days
    from."""
    latest = index_surgery_of(performed(surgeries))
    if latest is None:
        return None
    return IndexSurgery(
        latest.id, latest.performed_on, latest.region, latest.procedure, latest.surgeon_id
    )


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
    value = counted_score(score_status, score_raw, score_percent)
    if value is None:
        return None
    days = (completed_at.date() - index_day).days
    return ScorePoint(instrument=instrument, days_after_surgery=days, score=value)


class Scored(Protocol):
    """What a status needs of a response: a stored row, or just its scoring columns."""

    @property
    def instrument(self) -> str: ...
    @property
    def completed_at(self) -> datetime: ...
    @property
    def score_status(self) -> str: ...
    @property
    def score_raw(self) -> float | None: ...
    @property
    def score_percent(self) -> float | None: ...


def score_points(
    surgeries: Sequence[SurgeryFacts], responses: Iterable[Scored]
) -> list[ScorePoint]:
    """Scored responses as days after the index surgery (the most recent one)."""
    index = index_surgery_of(performed(surgeries))
    if index is None:
        return []
    index_day = index.performed_on
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


def followup_columns(
    index: IndexSurgery | None, points: Sequence[ScorePoint], today: date
) -> dict[str, Any]:
    """The index surgery's copied fields and the next follow-up due (all None without surgery)."""
    if index is None:
        return dict.fromkeys(
            (
                "index_surgery_id",
                "region",
                "procedure",
                "surgeon_id",
                "surgery_date",
                "next_timepoint",
                "next_due_on",
                "next_window_closes_on",
            )
        )
    answered = {timepoint_for(p.days_after_surgery) for p in points}
    following = next_followup(index.performed_on, {t for t in answered if t}, today)
    return {
        "index_surgery_id": index.id,
        "region": index.region,
        "procedure": index.procedure,
        "surgeon_id": index.surgeon_id,
        "surgery_date": index.performed_on,
        "next_timepoint": following.timepoint if following else None,
        "next_due_on": following.due_on if following else None,
        "next_window_closes_on": following.window_closes_on if following else None,
    }


def assessment_columns(
    latest_id: int | None, red_flags: Sequence[Any] | None, confirmed_at: datetime | None
) -> dict[str, Any]:
    """`red_flag` is set while the latest assessment raised one and no plan was confirmed on it."""
    return {
        "latest_assessment_id": latest_id,
        "red_flag": bool(red_flags) and confirmed_at is None,
    }


def latest_assessment_columns(latest: TriageAssessment | None) -> dict[str, Any]:
    if latest is None:
        return assessment_columns(None, None, None)
    return assessment_columns(latest.id, latest.red_flags, latest.confirmed_at)


def outcome_row(
    patient_id: int,
    points: Sequence[ScorePoint],
    index: IndexSurgery | None,
    today: date,
) -> dict[str, Any]:
    """The stored columns of a patient's outcome (all but the assessment columns)."""
    result = classify_patient(points)
    return {
        "patient_id": patient_id,
        "status": result.status,
        "latest_timepoint": result.latest_timepoint,
        "disability_instrument": result.disability_instrument,
        "disability_improvement": result.disability_improvement,
        "pain_improvement": result.pain_improvement,
        "losing_ground": losing_ground(result) is not None,
        **followup_columns(index, points, today),
        "computed_at": datetime.now(UTC),
    }


def refresh_outcome(repo: PatientRepository, patient_id: int, today: date) -> PatientOutcome:
    """Recompute and store every column of the patient's outcome row (a full overwrite, so the
    assessment columns are recomputed too rather than reset to their defaults)."""
    surgeries = repo.surgery_facts(patient_id)
    points = score_points(surgeries, repo.scored(patient_id))
    row = outcome_row(patient_id, points, index_surgery(surgeries), today)
    latest = repo.latest_assessment_flags(patient_id)
    row |= assessment_columns(*latest) if latest else assessment_columns(None, None, None)
    repo.upsert_outcome(row)
    return PatientOutcome(**row, clinic_id=repo.clinic_id)


@dataclass(frozen=True, slots=True)
class NewScore:
    """The scoring columns of a response just inserted, so the status is computed without reading
    it back (`Scored`, with its id for the order)."""

    id: int
    instrument: str
    completed_at: datetime
    score_status: str
    score_raw: float | None
    score_percent: float | None


def outcome_with(
    patient_id: int, inputs: StatusInputs, new: Sequence[NewScore], today: date
) -> dict[str, Any]:
    """The outcome row (all but the assessment columns) from what `PatientRepository.status_inputs`
    read before the new responses were inserted, and those responses: the same row a re-read of
    the stored history would give, in the same order (moment, then id)."""
    history: list[Any] = [*inputs.scored, *new]  # stored rows and new scores, alike to `Scored`
    scored = sorted(history, key=lambda r: (r.completed_at, r.id))
    points = score_points(inputs.surgeries, scored)
    return outcome_row(patient_id, points, index_surgery(inputs.surgeries), today)


def store_outcome_but_assessment(
    repo: PatientRepository, row: dict[str, Any], *, stored: bool | None = None
) -> None:
    """Write the outcome row but the two columns copied from the latest triage assessment (a new
    questionnaire does not change them); a patient without a row yet gets the whole row.
    `stored`: whether the row exists, when the caller knows (None: try the update first)."""
    if stored is not False and repo.update_outcome_but_assessment(row):
        return
    latest = repo.latest_assessment_flags(row["patient_id"])
    row |= assessment_columns(*latest) if latest else assessment_columns(None, None, None)
    repo.upsert_outcome(row)


def refresh_outcome_after_response(repo: PatientRepository, patient_id: int, today: date) -> str:
    """`refresh_outcome` for a new questionnaire: the assessment columns stay as they are (a
    response changes no triage assessment), which saves the busiest write reading the latest
    assessment; a patient without an outcome row yet gets the whole row. Returns the status."""
    surgeries = repo.surgery_facts(patient_id)
    points = score_points(surgeries, repo.scored(patient_id))
    row = outcome_row(patient_id, points, index_surgery(surgeries), today)
    store_outcome_but_assessment(repo, row)
    return str(row["status"])
