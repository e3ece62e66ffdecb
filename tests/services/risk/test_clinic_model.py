"""The prediction table from the stored record, and a planned patient's stored prediction.

A planned operation (marked planned, dated after today) is never an outcome: its patient has no row in the table
the model is fitted on, and a prediction is made only for it."""

from datetime import UTC, date, datetime, timedelta

import pytest
from tests.support.records import fusion, new_patient
from tests.support.world import World

from spinetrack import prediction
from spinetrack.prediction.simulate import simulate
from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.services.records.record_response import NewResponse, record_response
from spinetrack.services.records.register_surgery import register_surgery
from spinetrack.services.risk.clinic_model import model_history, predict_patient, read_table
from spinetrack.services.risk.preop_record import NewPreop, save_preop
from spinetrack.storage.repositories.risk import RiskRepository
from spinetrack.storage.tables import AuditEntry, RiskModel, RiskPrediction

TODAY = date(2026, 12, 6)


@pytest.fixture(scope="module")
def small_model() -> prediction.Model:
    """A model fitted on a simulated table just above the minimum size, few resamples (speed)."""
    return prediction.fit_model(simulate(3000, seed=4).table, bootstrap=10, imputations=2)


def _odi(world: World, patient: int, day: date, level: int) -> None:
    record_response(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient,
        response=NewResponse(
            instrument="odi",
            completed_at=datetime.combine(day, datetime.min.time(), UTC),
            answers={f"odi_{i}": level for i in range(1, 11)},
        ),
    )


def _operated(world: World, mrn: str, on: date, *, planned: bool = False) -> int:
    patient = register_patient(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient=new_patient(mrn),
    ).id
    register_surgery(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
        surgery=fusion(performed_on=on, planned=planned),
    )
    return patient


def test_the_table_holds_performed_operations_with_their_windows_and_record(world: World) -> None:
    done = _operated(world, "D1", TODAY - timedelta(days=400))
    _odi(world, done, TODAY - timedelta(days=410), 3)  # baseline 60 %
    _odi(world, done, TODAY - timedelta(days=35), 1)  # day 365: 20 %
    save_preop(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=done,
        preop=NewPreop(smoker=True, gad7=12, asa=2),
    )
    planned = _operated(world, "P1", date.today() + timedelta(days=20), planned=True)
    _odi(world, planned, date.today() - timedelta(days=1), 3)
    rows = read_table(
        sessions=world.database.sessions, actor=world.clinician, clinic_id=world.clinic
    )
    assert [r["patient_id"] for r in rows] == [str(done)]
    row = rows[0]
    assert (row["instrument"], row["baseline_score"], row["followup_score"]) == ("odi", "60", "20")
    assert (row["smoker"], row["psychological_distress"], row["asa"]) == ("true", "true", "2")
    assert (row["procedure"], row["instrumented"], row["n_levels"]) == ("fusion", "true", "2")
    assert row["bmi"] is None  # unknown stays unknown
    prediction.as_table(rows, with_outcome=True)  # the contract's parser accepts it


def test_a_planned_patient_is_predicted_with_the_stored_model_and_named_version(
    world: World, small_model: prediction.Model
) -> None:
    planned = _operated(world, "P2", date.today() + timedelta(days=20), planned=True)
    _odi(world, planned, date.today() - timedelta(days=2), 3)
    save_preop(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=planned,
        preop=NewPreop(smoker=True, compensation_claim=True, bmi=31.0),
    )
    with world.database.sessions() as uow:
        RiskRepository(uow.session, world.clinic).add_model(
            RiskModel(
                version_id=small_model.version_id,
                fitted_by="test",
                n_patients=small_model.patients_with_outcome,
                summary={"validation": {}, "cohort": [[0.5, "improved"]] * 40},
                model_json=small_model.model_dump_json(),
            )
        )
        uow.commit()
    risk = predict_patient(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=planned,
    )
    assert risk is not None
    assert risk.model_version == small_model.version_id
    assert abs(risk.improved + risk.unchanged + risk.worsened - 1) < 1e-6
    assert risk.improved_low <= risk.improved <= risk.improved_high
    assert sum(risk.of_100().values()) == 100
    assert "bmi" not in risk.missing and "diabetes" in risk.missing
    assert risk.similar["improved"] == 40 and risk.similar["worsened"] == 0
    with world.database.sessions() as uow:
        stored = uow.session.query(RiskPrediction).one()
        assert stored.model_version == small_model.version_id
        actions = [e.action for e in uow.session.query(AuditEntry).all()]
    assert "risk.predict" in actions and "preop.save" in actions
    history = model_history(
        sessions=world.database.sessions, actor=world.analyst, clinic_id=world.clinic
    )
    assert [m.version_id for m in history] == [small_model.version_id]


def test_viewing_again_reads_the_stored_prediction_and_a_change_stores_a_new_one(
    world: World, small_model: prediction.Model
) -> None:
    planned = _operated(world, "P3", date.today() + timedelta(days=20), planned=True)
    _odi(world, planned, date.today() - timedelta(days=2), 3)
    with world.database.sessions() as uow:
        RiskRepository(uow.session, world.clinic).add_model(
            RiskModel(
                version_id=small_model.version_id,
                fitted_by="test",
                n_patients=small_model.patients_with_outcome,
                summary={"validation": {}, "cohort": []},
                model_json=small_model.model_dump_json(),
            )
        )
        uow.commit()

    def view(refresh: bool = False) -> float:
        risk = predict_patient(
            sessions=world.database.sessions,
            actor=world.clinician,
            clinic_id=world.clinic,
            patient_id=planned,
            refresh=refresh,
        )
        assert risk is not None
        return risk.improved

    def stored() -> list[float]:
        with world.database.sessions() as uow:
            rows = uow.session.query(RiskPrediction).order_by(RiskPrediction.id).all()
            return [r.p_improved for r in rows]

    def reads() -> list[str]:
        with world.database.sessions() as uow:
            entries = uow.session.query(AuditEntry).filter_by(action="risk.predict").all()
            return [e.detail or "" for e in entries]

    first = view()
    assert view() == first and view() == first
    assert len(stored()) == 1  # three views, one stored prediction
    assert len(reads()) == 3  # every view audited
    assert sum("read" in d for d in reads()) == 2
    save_preop(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=planned,
        preop=NewPreop(smoker=True, compensation_claim=True, opioid_use=True),
    )
    changed = view()
    assert len(stored()) == 2 and stored()[-1] == changed != first
    view(refresh=True)
    assert len(stored()) == 3


def test_the_similar_group_never_shows_a_count_below_the_threshold() -> None:
    from spinetrack.services.risk.clinic_model import _similar

    cohort = [[0.5, "improved"]] * 45 + [[0.5, "worsened"]] * 2 + [[0.5, "unchanged"]] * 3
    shown = _similar(cohort, 0.5, threshold=5)
    assert shown["worsened"] is None  # 2 < 5
    assert shown["unchanged"] is None  # 3 < 5 as well
    one_small = [[0.5, "improved"]] * 40 + [[0.5, "worsened"]] * 2 + [[0.5, "unchanged"]] * 8
    shown = _similar(one_small, 0.5, threshold=5)
    # 2 hidden; with the total shown, the next smallest is hidden too so it cannot be subtracted
    assert shown["worsened"] is None and shown["unchanged"] is None and shown["improved"] == 40


def test_calibration_by_surgeon_withholds_a_surgeon_below_the_disclosure_threshold(
    small_model: prediction.Model,
) -> None:
    from spinetrack.services.risk.clinic_model import _summary

    rows = simulate(600, seed=9).table.to_dicts()
    for i, row in enumerate(rows):
        row["surgeon_id"] = "2" if i < 4 else ("1" if i % 2 else "3")
    summary, by_surgeon = _summary(
        small_model, rows, {"1": "Dr Ames", "2": "Dr Bell", "3": "Dr Cole"}, threshold=5
    )
    groups = {g["group"]: g for g in by_surgeon["improved"]}
    assert set(groups) == {"surgeon=Dr Ames", "surgeon=Dr Bell", "surgeon=Dr Cole"}
    assert "withheld" in groups["surgeon=Dr Bell"] and groups["surgeon=Dr Bell"]["n"] is None
    assert "calibration_slope" not in groups["surgeon=Dr Bell"]
    ames = groups["surgeon=Dr Ames"]
    assert ames["n"] == 298 and "withheld" not in ames
    slope = ames["calibration_slope"]
    assert isinstance(slope, dict) and slope["low"] < slope["value"] < slope["high"]
    shown = [g["group"] for g in summary["validation"]["improved"]["subgroups"]]
    assert shown[0].startswith("sex=") and shown[-1].startswith("surgeon=")
    assert {g["group"] for g in by_surgeon["pass"]} == set(groups)
