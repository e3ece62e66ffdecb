"""A patient who becomes failing or relapsed is assessed at once, from the whole record.

The worklist lists failing and relapsed patients for a clinician to look at; an assessment made
when the status changes means the patient page opens on ranked causes and red flags rather than
"Not assessed yet". It runs inside the write that changed the status (a questionnaire, a surgery),
so the status and its assessment are stored together or not at all.
"""

from datetime import date
from enum import Enum
from typing import Any

from spinetrack.domain.errors import InvalidInput
from spinetrack.services.records.patient_status import (
    latest_assessment_columns,
    refresh_outcome,
    refresh_outcome_after_response,
    store_outcome_but_assessment,
)
from spinetrack.services.triage.assess_patient import assess_in
from spinetrack.services.triage.triage_case import CaseInputs
from spinetrack.storage.repositories.patients import PatientRepository
from spinetrack.storage.tables import TriageAssessment

ASSESSED_ON_BECOMING = frozenset({"failing", "relapsed"})
"""The statuses the worklist asks a clinician to act on (the contract's PSPS-2 suspicion)."""
AUTOMATIC = "spinetrack (automatic, on becoming {status})"
"""Who an automatic assessment names as its assessor: no person made it."""


def assessed_on(status: str, before: str | None) -> bool:
    """Whether a write that turns the status `before` into `status` assesses the patient."""
    return status in ASSESSED_ON_BECOMING and status != before


class _Unread(Enum):
    UNREAD = "unread"


UNREAD = _Unread.UNREAD
"""The status before the write was not read yet: `refresh_and_assess` reads it."""


def refresh_and_assess(
    repo: PatientRepository,
    patient_id: int,
    today: date,
    *,
    after_response: bool = False,
    before: str | _Unread | None = UNREAD,
) -> str:
    """Recompute the outcome; when it has just become failing or relapsed, assess the patient.

    ``after_response`` takes the questionnaire's cheaper refresh, which leaves the assessment
    columns alone (a new answer changes no assessment); ``before`` is the stored status when the
    caller has it already (the patient lock reads it: `PatientRepository.lock`). Returns the
    status."""
    if before is UNREAD:
        before = repo.outcome_status(patient_id)
    if after_response:
        status = refresh_outcome_after_response(repo, patient_id, today)
    else:
        status = refresh_outcome(repo, patient_id, today).status
    if assessed_on(status, before):
        # `assess_in` stores the outcome row again, with the new assessment's columns.
        _assessed(repo, patient_id, today, status, refresh=True)
    return status


def _assessed(
    repo: PatientRepository, patient_id: int, today: date, status: str, *, refresh: bool
) -> TriageAssessment | None:
    """The automatic assessment of a patient who has just become `status`, or None when triage
    cannot read the record yet (no surgery on or before today): the patient keeps the status and
    the write that changed it is stored all the same."""
    try:
        return assess_in(
            repo,
            by=AUTOMATIC.format(status=status),
            patient_id=patient_id,
            inputs=CaseInputs(evaluation_date=today),
            today=today,
            refresh=refresh,
        )
    except InvalidInput:
        return None


def store_and_assess(
    repo: PatientRepository,
    patient_id: int,
    today: date,
    row: dict[str, Any],
    *,
    before: str | None,
    stored: bool,
) -> str:
    """Store a new questionnaire's outcome row, computed by the caller from what it read after the
    patient lock (`patient_status.outcome_with`); when the status has just become failing or
    relapsed, assess the patient first and store the row once, with the new assessment's columns.
    `before` and `stored`: the status and whether the row existed, as that read found them."""
    status = str(row["status"])
    if assessed_on(status, before):
        assessment = _assessed(repo, patient_id, today, status, refresh=False)
        if assessment is not None:
            repo.upsert_outcome(row | latest_assessment_columns(assessment))
            return status
    store_outcome_but_assessment(repo, row, stored=stored)
    return status
