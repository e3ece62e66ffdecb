"""A clinic's outcome model in the running registry: fitted from the stored record (audited, every
refit kept with its validation and its drift against the previous one), and each patient's
prediction for a planned operation (stored with the model version that made it).

Fitting takes minutes on a large table, so the table is read in one short transaction, the model is
fitted outside any transaction, and the result is stored in a second, audited one.
"""

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np

from spinetrack import prediction
from spinetrack.domain.disclosure import disclosure_rule
from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.domain.outcomes import ScorePoint, compare
from spinetrack.prediction.performance import calibration_by_group
from spinetrack.prediction.table import outcomes
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.clinic_calendar import clinic_today
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.risk.preop_record import as_record
from spinetrack.services.risk.risk_table import (
    SURGEON,
    clinic_table,
    planned_surgery,
    table_row,
)
from spinetrack.storage.tables import RiskModel, RiskPrediction, Surgery
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

SIMILAR = 50
"""How many registry patients with outcomes are shown as "patients like you" (spinetrack choice, no
published source: enough for shares to mean something, few enough to stay similar)."""
FIGURES = ("c_statistic", "calibration_slope", "calibration_intercept", "brier", "ici")


@dataclass(frozen=True)
class FittedModel:
    version_id: str
    fitted_at: datetime
    fitted_by: str
    n_patients: int
    summary: dict[str, Any]
    drift: dict[str, Any] | None


def _view(row: RiskModel) -> FittedModel:
    return FittedModel(
        row.version_id, row.fitted_at, row.fitted_by, row.n_patients, row.summary, row.drift
    )


def read_table(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, today: date | None = None
) -> list[dict[str, Any]]:
    """The contract's table of the clinic (what `fit` reads); reading it is audited."""
    with audited(sessions, actor, "risk.table", clinic_id=clinic_id) as work:
        actor.require(clinic_id, frozenset({"admin", "clinician", "analyst"}))
        rows, _ = clinic_table(work.uow.risk(clinic_id), today or clinic_today(work.uow, clinic_id))
        return rows


def _summary(
    model: prediction.Model,
    rows: Sequence[Mapping[str, Any]],
    surgeons: Mapping[str, str],
    threshold: int,
) -> tuple[dict[str, Any], dict[str, list[dict[str, object]]]]:
    """What the pages show without loading the model: corrected and apparent figures, each patient
    with an outcome as (predicted P(improved), observed class) for "patients like you", and the
    calibration by sex, age band and operating surgeon of each outcome (apparent, on the fitting
    cohort; a surgeon with fewer patients or events than the clinic's disclosure threshold is
    withheld). The surgeon groups are returned too, for the model's card."""
    known = [r for r in rows if r.get("followup_score") is not None]
    predicted = prediction.predict(model, known, explain=False)
    observed = [
        compare(str(r["instrument"]), float(r["baseline_score"]), float(r["followup_score"])).change
        for r in known
    ]
    labels = np.array(
        [surgeons.get(str(r.get(SURGEON)), "no surgeon recorded") for r in known], dtype=object
    )
    groups = {f"surgeon={name}": labels == name for name in sorted(set(labels.tolist()))}
    seen = np.array(observed, dtype=object)
    by_surgeon = {
        outcome: calibration_by_group(p, y, groups, threshold)
        for outcome, p, y in (
            ("improved", predicted.improved, (seen == "improved").astype(np.int64)),
            ("worsened", predicted.worsened, (seen == "worsened").astype(np.int64)),
            ("pass", predicted.passed, _passed(known)),
        )
    }
    figures = {
        outcome: {
            "n": v.corrected.n,
            "corrected": v.corrected.figures,
            "apparent": v.apparent.figures,
            "subgroups": v.subgroups + by_surgeon.get(outcome, []),
            "calibration_curve": v.calibration_curve,
            "decision_curve": v.decision_curve,
        }
        for outcome, v in model.validation.items()
    }
    cohort = sorted(zip(np.round(predicted.improved, 4).tolist(), observed, strict=True))
    summary = {"validation": figures, "cohort": cohort, "class_shares": model.class_shares}
    return summary, by_surgeon


def _passed(known: Sequence[Mapping[str, Any]]) -> Any:
    found = outcomes(prediction.as_table(list(known), with_outcome=True))
    return found.passed.astype(np.int64)


def _with_surgeons(
    model: prediction.Model, by_surgeon: Mapping[str, list[dict[str, object]]]
) -> prediction.Model:
    """The model with the surgeon groups added to its stored subgroups (its card lists them)."""
    validation = {
        outcome: v.model_copy(update={"subgroups": v.subgroups + by_surgeon.get(outcome, [])})
        for outcome, v in model.validation.items()
    }
    return model.model_copy(update={"validation": validation})


def fit_clinic(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    today: date | None = None,
    bootstrap: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[prediction.Model, FittedModel]:
    """Fit the clinic's model on its own outcomes, validate it, compare it with the previous one on
    the same cohort, and store it (TooSmall below the minimum sample size: nothing stored)."""
    rows = read_table(sessions=sessions, actor=actor, clinic_id=clinic_id, today=today)
    model = prediction.fit_model(rows, bootstrap=bootstrap, progress=progress)
    with audited(sessions, actor, "risk.fit", clinic_id=clinic_id) as work:
        actor.require(clinic_id, frozenset({"admin", "clinician", "analyst"}))
        repo = work.uow.risk(clinic_id)
        previous = repo.latest_model()
        drift = None
        if previous is not None:
            old = prediction.Model.model_validate_json(previous.model_json)
            drift = prediction.compare_models(old, model, rows)
        clinic = work.uow.clinics.get(clinic_id)
        threshold = (clinic.disclosure_threshold if clinic else None) or disclosure_rule().threshold
        surgeons = {str(u.id): u.full_name for u in work.uow.users.members(clinic_id)}
        summary, by_surgeon = _summary(model, rows, surgeons, threshold)
        model = _with_surgeons(model, by_surgeon)
        row = RiskModel(
            version_id=model.version_id,
            fitted_by=actor.name,
            n_patients=model.patients_with_outcome,
            summary=summary,
            drift=drift,
            model_json=model.model_dump_json(),
        )
        repo.add_model(row)
        work.target = f"risk_model:{model.version_id}"
        work.detail = f"{model.patients_with_outcome} patients with outcomes"
        return model, _view(row)


def model_history(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int
) -> list[FittedModel]:
    """Every fit of the clinic's model, newest first (the analyst's performance page)."""
    with audited(sessions, actor, "risk.models.read", clinic_id=clinic_id) as work:
        actor.require(clinic_id, frozenset({"admin", "clinician", "analyst"}))
        return [_view(r) for r in work.uow.risk(clinic_id).models()]


def model_card_of(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, version: str | None = None
) -> str:
    """The generated TRIPOD+AI card of the clinic's model (the latest, or a named version), HTML."""
    with audited(sessions, actor, "risk.card.read", clinic_id=clinic_id) as work:
        actor.require(clinic_id, frozenset({"admin", "clinician", "staff", "analyst"}))
        repo = work.uow.risk(clinic_id)
        rows = repo.models()
        row = next((r for r in rows if version in (None, r.version_id)), None)
        if row is None:
            raise NotFound("risk model", 0)
        return prediction.model_card(
            prediction.Model.model_validate_json(row.model_json), html=True
        )


@dataclass(frozen=True)
class Factor:
    predictor: str
    value: str | None
    effect: float
    """How much this patient's value, against a typical one, moved P(improved) (probability)."""


@dataclass(frozen=True)
class PatientRisk:
    patient_id: int
    model_version: str
    fitted_at: datetime
    instrument: str
    procedure: str
    planned_on: date
    improved: float
    improved_low: float
    improved_high: float
    unchanged: float
    worsened: float
    passed: float
    missing: list[str]
    factors: list[Factor]
    similar: dict[str, int | None]
    """Outcomes of the most similar registry patients; a count below the disclosure threshold is
    None (withheld), and so is a second one if the hidden count could be worked out by subtraction."""
    validation: dict[str, Any]
    row: dict[str, Any] = field(default_factory=dict)

    def of_100(self) -> dict[str, int]:
        """Whole patients out of 100 (largest remainders), for the icon array."""
        shares = {"improved": self.improved, "unchanged": self.unchanged, "worsened": self.worsened}
        floors = {k: int(v * 100) for k, v in shares.items()}
        left = 100 - sum(floors.values())
        for k in sorted(shares, key=lambda k: shares[k] * 100 - floors[k], reverse=True)[:left]:
            floors[k] += 1
        return floors


def _similar(cohort: list[list[Any]], p: float, threshold: int) -> dict[str, int | None]:
    if not cohort:
        return {"patients": 0, "improved": None, "unchanged": None, "worsened": None}
    order = sorted(range(len(cohort)), key=lambda i: abs(float(cohort[i][0]) - p))[:SIMILAR]
    counts = {k: 0 for k in ("improved", "unchanged", "worsened")}
    for i in order:
        counts[str(cohort[i][1])] += 1
    shown: dict[str, int | None] = {"patients": len(order), **counts}
    hidden = [k for k, v in counts.items() if 0 < v < threshold]
    if len(hidden) == 1:  # the total would give it away: hide the next smallest too
        others = sorted((v, k) for k, v in counts.items() if k not in hidden and v > 0)
        hidden += [others[0][1]] if others else []
    for k in hidden:
        shown[k] = None
    if len(order) < threshold:
        shown = dict.fromkeys(shown)
    return shown


def predict_patient(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    patient_id: int,
    today: date | None = None,
    refresh: bool = False,
) -> PatientRisk | None:
    """The prediction for a patient's planned operation with the clinic's latest model; None when
    the patient has no planned operation or no model. A prediction is stored (with the model's
    version and a digest of its inputs) when there is none yet, when the model or the inputs
    changed since the last one, or when ``refresh`` asks; otherwise the stored one is read."""
    with audited(
        sessions, actor, "risk.predict", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id)
        day = today or clinic_today(work.uow, clinic_id)
        patients = work.uow.patients(clinic_id)
        patient = patients.get(patient_id)
        planned = planned_surgery(patients.surgeries(patient_id), day)
        repo = work.uow.risk(clinic_id)
        stored = repo.latest_model()
        if planned is None or stored is None:
            work.detail = "no planned operation" if planned is None else "no model"
            return None
        points = [
            ScorePoint(
                instrument=r.instrument,
                days_after_surgery=(r.completed_at.date() - planned.performed_on).days,
                score=float(r.score_percent),
            )
            for r in patients.responses(patient_id)
            if r.score_status == "ok" and r.score_percent is not None
        ]
        row = table_row(
            patient_id=str(patient_id),
            birth_date=patient.birth_date,
            sex=patient.sex,
            surgery=planned,
            preop=as_record(repo.preop(patient_id)),
            points=points,
        )
        row.pop("followup_score")
        inputs = _fingerprint(row)
        clinic = work.uow.clinics.get(clinic_id)
        threshold = (clinic.disclosure_threshold if clinic else None) or disclosure_rule().threshold
        last = repo.latest_prediction(patient_id)
        work.target = f"risk_model:{stored.version_id}"
        if (
            not refresh
            and last is not None
            and last.model_version == stored.version_id
            and last.detail.get("inputs") == inputs
        ):
            # Same model, same inputs: the stored prediction is the answer; a page view stores
            # nothing new (the read itself is audited like any other).
            work.detail = f"stored prediction {last.id} read"
            return _from_stored(last, stored, planned, row, threshold)
        model = parsed_model(stored)
        result = prediction.predict(model, [row], explain=True)
        factors = sorted(
            (
                Factor(name, row.get(name), float(values[0]))
                for name, values in result.contributions.get("improved", {}).items()
            ),
            key=lambda f: -abs(f.effect),
        )
        risk = PatientRisk(
            patient_id=patient_id,
            model_version=model.version_id,
            fitted_at=stored.fitted_at,
            instrument=str(row["instrument"]),
            procedure=planned.procedure,
            planned_on=planned.performed_on,
            improved=float(result.improved[0]),
            improved_low=float(result.low["improved"][0]),
            improved_high=float(result.high["improved"][0]),
            unchanged=float(result.unchanged[0]),
            worsened=float(result.worsened[0]),
            passed=float(result.passed[0]),
            missing=[k for k in model.predictors if row.get(k) is None],
            factors=[f for f in factors if abs(f.effect) >= 0.005],
            similar=_similar(
                stored.summary.get("cohort", []), float(result.improved[0]), threshold
            ),
            validation=stored.summary.get("validation", {}),
            row=row,
        )
        repo.add_prediction(
            RiskPrediction(
                patient_id=patient_id,
                model_version=model.version_id,
                p_improved=risk.improved,
                p_improved_low=risk.improved_low,
                p_improved_high=risk.improved_high,
                p_unchanged=risk.unchanged,
                p_worsened=risk.worsened,
                p_pass=risk.passed,
                detail={
                    "missing": risk.missing,
                    "factors": [f.__dict__ for f in risk.factors],
                    "inputs": inputs,
                },
            )
        )
        work.detail = (
            "prediction stored" if last is None else "prediction stored (inputs or model changed)"
        )
        return risk


def _fingerprint(row: Mapping[str, Any]) -> str:
    """What the prediction was made from, as a digest: a changed record or score changes it."""
    text = json.dumps(row, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _from_stored(
    last: RiskPrediction,
    stored: RiskModel,
    planned: Surgery,
    row: dict[str, Any],
    threshold: int,
) -> PatientRisk:
    return PatientRisk(
        patient_id=last.patient_id,
        model_version=last.model_version,
        fitted_at=stored.fitted_at,
        instrument=str(row["instrument"]),
        procedure=planned.procedure,
        planned_on=planned.performed_on,
        improved=last.p_improved,
        improved_low=last.p_improved_low,
        improved_high=last.p_improved_high,
        unchanged=last.p_unchanged,
        worsened=last.p_worsened,
        passed=last.p_pass,
        missing=list(last.detail.get("missing", [])),
        factors=[Factor(**f) for f in last.detail.get("factors", [])],
        similar=_similar(stored.summary.get("cohort", []), last.p_improved, threshold),
        validation=stored.summary.get("validation", {}),
        row=row,
    )


_PARSED: dict[str, prediction.Model] = {}
_PARSED_KEEP = 8


def parsed_model(stored: RiskModel) -> prediction.Model:
    """The stored model file parsed once per version and kept (a model version never changes):
    parsing and checking the file is most of what one prediction in the server costs."""
    found = _PARSED.get(stored.version_id)
    if found is None:
        found = prediction.Model.model_validate_json(stored.model_json)
        if len(_PARSED) >= _PARSED_KEEP:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[stored.version_id] = found
    return found


def predict_rows(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, rows: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """Rows of the contract's table predicted with the clinic's latest model (nothing stored: the
    rows are not registry patients); None when the clinic has no model. A bad cell is refused
    naming the row and column."""
    with audited(sessions, actor, "risk.predict_rows", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        stored = work.uow.risk(clinic_id).latest_model()
        if stored is None:
            work.detail = "no model"
            return None
        model = parsed_model(stored)
        try:
            result = prediction.predict(model, rows, explain=True)
        except prediction.TableError as exc:
            raise InvalidInput(
                f"rows.{exc.row - 1 if exc.row else 0}.{exc.column}", str(exc)
            ) from exc
        frame = result.frame()
        return {
            "model_version": model.version_id,
            "predictions": frame.to_dicts(),
            "contributions": [
                {
                    name: round(float(values[i]), 4)
                    for name, values in result.contributions.get("improved", {}).items()
                }
                for i in range(len(frame))
            ],
        }
