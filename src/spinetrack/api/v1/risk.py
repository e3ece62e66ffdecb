"""Before the operation: the pre-operative record of a patient, and each patient's predicted chance
of improving, staying about the same or getting worse at 12 months (issue 25, shared/spec/risk.md).

Predictions come from the clinic's latest fitted model and name its version; a stored patient's
prediction is stored with it."""

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field

from spinetrack.api.deps import ClinicScope, CurrentActor, RecordId, SessionsDep
from spinetrack.services.risk.clinic_model import PatientRisk, predict_patient, predict_rows
from spinetrack.services.risk.preop_record import NewPreop, PreopView, read_preop, save_preop

router = APIRouter(tags=["prediction"])

Cell = str | float | int | bool | None


class RiskRequest(BaseModel):
    """Rows of the contract's table (shared/spec/risk.md) without the follow-up score."""

    model_config = ConfigDict(extra="forbid")

    rows: Annotated[list[dict[str, Cell]], Field(min_length=1, max_length=1000)]


class RiskAnswer(BaseModel):
    available: bool = Field(description="false when the clinic has no fitted model yet")
    model_version: str | None = None
    predictions: list[dict[str, Any]] = Field(
        default_factory=list,
        description="patient_id, p_improved (with p_improved_low/high, a 95 % interval), "
        "p_unchanged, p_worsened, p_pass; in the order of the rows",
    )
    contributions: list[dict[str, float]] = Field(
        default_factory=list,
        description="per row, how much each predictor moved P(improved) against a typical value",
    )


class PatientRiskAnswer(BaseModel):
    """None of the figures when the patient has no planned operation or the clinic no model."""

    patient_id: int
    available: bool
    prediction: dict[str, Any] | None = None


@router.get(
    "/patients/{patient_id}/preop",
    response_model=PreopView,
    summary="Read a patient's pre-operative record",
)
def get_preop(
    patient_id: RecordId, actor: CurrentActor, sessions: SessionsDep, clinic: ClinicScope
) -> PreopView:
    return read_preop(sessions=sessions, actor=actor, clinic_id=clinic, patient_id=patient_id)


@router.put(
    "/patients/{patient_id}/preop",
    response_model=PreopView,
    summary="Replace a patient's pre-operative record (a field left out is unknown)",
)
def put_preop(
    patient_id: RecordId,
    body: NewPreop,
    actor: CurrentActor,
    sessions: SessionsDep,
    clinic: ClinicScope,
) -> PreopView:
    return save_preop(
        sessions=sessions, actor=actor, clinic_id=clinic, patient_id=patient_id, preop=body
    )


@router.get(
    "/patients/{patient_id}/risk",
    response_model=PatientRiskAnswer,
    summary="A patient's predicted 12-month outcome for their planned operation (stored when "
    "the inputs or the model changed since the last one, read otherwise)",
)
def get_patient_risk(
    patient_id: RecordId, actor: CurrentActor, sessions: SessionsDep, clinic: ClinicScope
) -> PatientRiskAnswer:
    risk = predict_patient(sessions=sessions, actor=actor, clinic_id=clinic, patient_id=patient_id)
    return _patient_answer(patient_id, risk)


@router.post(
    "/patients/{patient_id}/risk",
    response_model=PatientRiskAnswer,
    summary="Predict a patient's 12-month outcome again and store it, even if nothing changed",
)
def post_patient_risk(
    patient_id: RecordId, actor: CurrentActor, sessions: SessionsDep, clinic: ClinicScope
) -> PatientRiskAnswer:
    risk = predict_patient(
        sessions=sessions, actor=actor, clinic_id=clinic, patient_id=patient_id, refresh=True
    )
    return _patient_answer(patient_id, risk)


def _patient_answer(patient_id: int, risk: PatientRisk | None) -> PatientRiskAnswer:
    if risk is None:
        return PatientRiskAnswer(patient_id=patient_id, available=False)
    body = asdict(risk)
    body["of_100"] = risk.of_100()
    return PatientRiskAnswer(patient_id=patient_id, available=True, prediction=body)


@router.post(
    "/risk",
    response_model=RiskAnswer,
    status_code=status.HTTP_200_OK,
    summary="Predict rows of the prediction table with the clinic's latest model",
)
def post_risk(
    body: RiskRequest, actor: CurrentActor, sessions: SessionsDep, clinic: ClinicScope
) -> RiskAnswer:
    answer = predict_rows(sessions=sessions, actor=actor, clinic_id=clinic, rows=body.rows)
    if answer is None:
        return RiskAnswer(available=False)
    return RiskAnswer(available=True, **answer)
