"""Before the operation in the browser: the pre-operative form, the surgeon's view on the patient
page, the patient's printable page (in Spanish too) and the analyst's model page."""

import functools
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.support.apps import shared_app
from tests.support.fit_jobs import child_importable
from tests.support.records import fusion, new_patient
from tests.support.web_sign_in import sign_in
from tests.support.world import World

from spinetrack import prediction
from spinetrack.prediction.simulate import simulate
from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.services.records.record_response import NewResponse, record_response
from spinetrack.services.records.register_surgery import register_surgery
from spinetrack.services.risk import model_fitting
from spinetrack.storage.repositories.risk import RiskRepository
from spinetrack.storage.tables import RiskModel


@pytest.fixture(scope="module")
def small_model() -> prediction.Model:
    return prediction.fit_model(simulate(3000, seed=4).table, bootstrap=10, imputations=2)


def _client(world: World, email: str) -> TestClient:
    client = TestClient(shared_app(world.database), follow_redirects=False)
    sign_in(client, email)
    return client


def _csrf(page: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    return token.group(1)


def _planned(world: World) -> int:
    patient = register_patient(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient=new_patient("PL1"),
    ).id
    register_surgery(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
        surgery=fusion(performed_on=date.today() + timedelta(days=30), planned=True),
    )
    record_response(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient,
        response=NewResponse(
            instrument="odi",
            completed_at=datetime.now(UTC) - timedelta(days=1),
            answers={f"odi_{i}": 3 for i in range(1, 11)},
        ),
    )
    return patient


def _store(world: World, model: prediction.Model) -> None:
    summary = {
        "validation": {
            outcome: {
                "n": v.corrected.n,
                "corrected": v.corrected.figures,
                "subgroups": [
                    *v.subgroups,
                    {**v.subgroups[0], "group": "surgeon=Dr Ames"},
                    {"group": "surgeon=Dr Bell", "n": None, "withheld": "fewer than 5"},
                ],
                "calibration_curve": v.calibration_curve,
                "decision_curve": v.decision_curve,
            }
            for outcome, v in model.validation.items()
        },
        "cohort": [[0.5, "improved"]] * 30 + [[0.5, "unchanged"]] * 20,
    }
    with world.database.sessions() as uow:
        RiskRepository(uow.session, world.clinic).add_model(
            RiskModel(
                version_id=model.version_id,
                fitted_by="test",
                n_patients=model.patients_with_outcome,
                summary=summary,
                model_json=model.model_dump_json(),
            )
        )
        uow.commit()


def test_staff_fill_the_form_and_a_refused_value_is_named_and_kept(world: World) -> None:
    patient = _planned(world)
    staff = _client(world, "staff@north.example")
    form = staff.get(f"/patients/{patient}/preop")
    assert form.status_code == 200 and "Before the operation" in form.text
    bad = staff.post(
        f"/patients/{patient}/preop",
        data={"csrf_token": _csrf(form.text), "asa": "7", "bmi": "29.5", "smoker": "yes"},
    )
    assert bad.status_code == 422
    assert 'value="29.5"' in bad.text
    good = staff.post(
        f"/patients/{patient}/preop",
        data={"csrf_token": _csrf(form.text), "asa": "2", "bmi": "29.5", "smoker": "yes"},
    )
    assert good.status_code == 303
    assert "done=preop" in good.headers["location"]


def test_the_surgeon_sees_the_icon_array_factors_and_validation(
    world: World, small_model: prediction.Model
) -> None:
    patient = _planned(world)
    clinician = _client(world, "clinician@north.example")
    before = clinician.get(f"/patients/{patient}")
    assert "No prediction" in before.text
    _store(world, small_model)
    page = clinician.get(f"/patients/{patient}").text
    assert page.count('class="icon icon-') == 100 + 3  # the array and its legend
    assert "What moved this estimate" in page
    assert small_model.version_id in page
    similar = re.sub(r"\s+", " ", page)
    assert "30 improved" in similar and "20 stayed about the same" in similar  # above threshold
    assert f'href="/patients/{patient}/chances' in page
    spanish = clinician.get(f"/patients/{patient}/chances?lang=es").text
    assert "De cada 100 pacientes como usted" in spanish
    assert "No es un diagnóstico" in spanish
    analyst = _client(world, "analyst@north.example")
    history = analyst.get("/analytics/risk")
    assert history.status_code == 200 and small_model.version_id in history.text
    assert "by sex, age band and surgeon" in history.text
    assert "Surgeon: Dr Ames" in history.text
    bell = history.text.split("Surgeon: Dr Bell")[1].split("</tr>")[0]
    assert "withheld" in bell and "fewer than 5" in bell
    # The newest model's calibration and decision curve of each outcome, drawn from the stored
    # summary, with the surgeon's figures in words.
    assert "Calibration and decision curves" in history.text
    assert history.text.count("<svg") == 2 * len(small_model.validation)
    card = analyst.get("/analytics/risk/card")
    assert card.status_code == 200 and "Model card" in card.text
    assert card.text.count("<svg") == 2 * len(small_model.validation)


def test_while_the_model_is_being_fitted_the_pages_say_so(
    world: World,
    small_model: prediction.Model,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`make run` fits the demo's model after the server starts: meanwhile the surgeon and the
    analyst read that it is being fitted, not that there is none; once stored, the model shows."""
    release = tmp_path / "release"
    slow_fit = functools.partial(child_importable(monkeypatch).waits_for, str(release))
    patient = _planned(world)
    url = world.database.engine.url.render_as_string(hide_password=False)
    thread = model_fitting.fit_in_background(url, world.clinic, job=slow_fit)
    assert thread is not None
    assert model_fitting.fit_in_background(url, world.clinic, job=slow_fit) is None
    try:
        clinician = _client(world, "clinician@north.example")
        waiting = " ".join(clinician.get(f"/patients/{patient}").text.split())
        assert "outcome model is being fitted" in waiting
        analyst = _client(world, "analyst@north.example")
        history = " ".join(analyst.get("/analytics/risk").text.split())
        assert "being fitted" in history and "No model has been fitted" not in history
    finally:
        release.touch()
        thread.join(timeout=60)
    assert not model_fitting.fitting_now(world.clinic)
    _store(world, small_model)
    page = clinician.get(f"/patients/{patient}").text
    assert "being fitted" not in page and small_model.version_id in page
