"""Record a completed questionnaire: check it against its instrument, score it, store both, and
recompute the patient's status, all in one audited transaction."""

from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session, sessionmaker

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.instruments import Score, get_instrument, score
from spinetrack.services.actor import Actor
from spinetrack.services.audit_log import audited
from spinetrack.services.patient_status import refresh_outcome
from spinetrack.services.views import ResponseView
from spinetrack.storage.tables import PromResponse

CLOCK_SKEW = timedelta(minutes=10)

Answer = int | float | None


class NewResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")

    instrument: str
    completed_at: datetime
    answers: dict[str, Answer] = Field(min_length=1, max_length=64)
    source: Literal["clinic", "patient_link", "import"] = "clinic"


def checked_score(response: NewResponse) -> tuple[str, Score]:
    """Validate the answers against the instrument; returns its version and the score.

    Unknown items and out-of-range or fractional values are refused: such a response is never
    stored as if it were valid. Missing items are allowed and scored by the instrument's rule.
    """
    definition = get_instrument(response.instrument)
    known = {item.id for item in definition.items}
    for key in response.answers:
        if key not in known:
            raise InvalidInput(f"answers.{key}", f"not an item of {definition.id}")
    result = score(definition.id, response.answers)
    if result.status == "invalid":
        raise InvalidInput("answers", result.reason)
    return definition.version, result


def checked_row(response: NewResponse) -> dict[str, Any]:
    """The stored columns of a checked and scored response (every door stores the same shape)."""
    version, result = checked_score(response)
    return {
        "instrument": response.instrument,
        "instrument_version": version,
        "completed_at": _aware(response.completed_at),
        "source": response.source,
        "answers": dict(response.answers),
        "score_status": result.status,
        "score_answered": result.answered,
        "score_raw": result.raw,
        "score_percent": result.percent,
        "score_reason": result.reason,
    }


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def record_response(
    *,
    sessions: sessionmaker[Session],
    actor: Actor,
    clinic_id: int,
    patient_id: int,
    response: NewResponse,
) -> ResponseView:
    with audited(
        sessions, actor, "response.create", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id)
        repo = work.uow.patients(clinic_id)
        repo.get(patient_id)
        completed_at = _aware(response.completed_at)
        if completed_at > datetime.now(UTC) + CLOCK_SKEW:
            raise InvalidInput("completed_at", "a questionnaire cannot be completed in the future")
        row = PromResponse(patient_id=patient_id, **checked_row(response))
        repo.add_row(row)
        refresh_outcome(repo, patient_id)
        work.target = f"response:{row.id}"
        return ResponseView.model_validate(row)
