"""The contract's table (shared/spec/risk.md) built from the stored record, so the clinic's model is
fitted on its own outcomes and a planned patient is predicted from the same columns.

One row per patient and index operation. For fitting, the index is the latest operation already
performed (a surgery marked *planned* is never an outcome, and a patient whose only surgery is
planned has no row); the baseline and 12-month scores are the responses that count
in the `baseline` and `12m` windows of domain/outcomes, for the region's disability instrument (ODI
for lumbar and thoracic, NDI for cervical). A patient without a 12-month score keeps the row with
an empty follow-up: lost to follow-up, neither success nor failure.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from spinetrack.domain.outcomes import ScorePoint
from spinetrack.domain.outcomes.selection import counted
from spinetrack.domain.registry.preop import PreopRecord
from spinetrack.storage.repositories.risk import RiskRepository
from spinetrack.storage.tables import Surgery

INSTRUMENT_OF_REGION = {"lumbar": "odi", "thoracic": "odi", "cervical": "ndi"}
"""The disability instrument whose change the model predicts (the registries' choice per region)."""
SEXES = ("female", "male")


SURGEON = "surgeon_id"
"""The extra column of the clinic's table naming the operating surgeon's account."""


def _flag(value: bool | None) -> str | None:
    return None if value is None else ("true" if value else "false")


def _num(value: float | None) -> str | None:
    return None if value is None else f"{value:g}"


def _age(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def table_row(
    *,
    patient_id: str,
    birth_date: date,
    sex: str,
    surgery: Surgery,
    preop: PreopRecord,
    points: Sequence[ScorePoint],
) -> dict[str, Any]:
    """One row of the contract's table for a patient and index operation (cells as text, None =
    missing); ``points`` are the patient's scores in days after that operation."""
    instrument = INSTRUMENT_OF_REGION.get(surgery.region, "odi")
    series = counted(p for p in points if p.instrument == instrument).get(instrument, {})
    base, followup = series.get("baseline"), series.get("12m")
    return {
        "patient_id": patient_id,
        "instrument": instrument,
        "baseline_score": _num(base.score if base else None),
        "followup_score": _num(followup.score if followup else None),
        "age": str(_age(birth_date, surgery.performed_on)),
        "sex": sex if sex in SEXES else None,
        "bmi": _num(preop.bmi),
        "asa": None if preop.asa is None else str(preop.asa),
        "smoker": _flag(preop.smoker),
        "diabetes": _flag(preop.diabetes),
        "symptom_duration_months": _num(preop.symptom_duration_months),
        "prior_spine_surgery": _flag(preop.prior_spine_surgery),
        "compensation_claim": _flag(preop.compensation_claim),
        "psychological_distress": _flag(preop.distress()),
        "opioid_use": _flag(preop.opioid_use),
        "baseline_pain_axial": _num(preop.baseline_pain_axial),
        "baseline_pain_limb": _num(preop.baseline_pain_limb),
        "region": surgery.region,
        "procedure": surgery.procedure,
        "instrumented": _flag(surgery.instrumented),
        "n_levels": str(len(surgery.levels)) if surgery.levels else None,
    }


def _points(scores: Sequence[tuple[str, datetime, float]], day: date) -> list[ScorePoint]:
    return [
        ScorePoint(instrument=i, days_after_surgery=(at.date() - day).days, score=s)
        for i, at, s in scores
    ]


def clinic_table(repo: RiskRepository, today: date) -> tuple[list[dict[str, Any]], list[int]]:
    """Rows of every patient with a performed operation and a baseline score (the table `fit`
    reads), with the stored patient id of each row."""
    preops = {row.patient_id: row for row in repo.preops()}
    surgeries: dict[int, list[Surgery]] = defaultdict(list)
    for surgery in repo.surgeries():
        if not surgery.planned and surgery.performed_on <= today:
            surgeries[surgery.patient_id].append(surgery)
    scores: dict[int, list[tuple[str, datetime, float]]] = defaultdict(list)
    for patient_id, instrument, completed_at, score in repo.scores(("odi", "ndi")):
        scores[patient_id].append((instrument, completed_at, float(score or 0.0)))
    rows: list[dict[str, Any]] = []
    ids: list[int] = []
    from spinetrack.services.risk.preop_record import as_record

    for patient_id, birth, sex in repo.patients():
        done = surgeries.get(patient_id)
        if not done:
            continue
        index = done[-1]
        row = table_row(
            patient_id=str(patient_id),
            birth_date=birth,
            sex=sex,
            surgery=index,
            preop=as_record(preops.get(patient_id)),
            points=_points(scores.get(patient_id, []), index.performed_on),
        )
        if row["baseline_score"] is None:
            continue
        # Not a predictor (the contract ignores extra columns): the model's calibration is
        # reported by surgeon.
        row[SURGEON] = None if index.surgeon_id is None else str(index.surgeon_id)
        rows.append(row)
        ids.append(patient_id)
    return rows, ids


def planned_surgery(surgeries: Sequence[Surgery], today: date) -> Surgery | None:
    """The next operation marked planned (booked, not yet performed), the one a prediction is
    for; ``today`` is kept for callers, the flag alone decides."""
    ahead = [s for s in surgeries if s.planned]
    return min(ahead, key=lambda s: (s.performed_on, s.id)) if ahead else None
