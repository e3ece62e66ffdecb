"""A surgery dated in the future is refused unless it is marked planned, and a planned surgery
counts in no outcome and no analytics cohort until it is performed (issue 18, point 15)."""

from datetime import date, timedelta

import pytest
from tests.conftest import row_counts
from tests.support.records import TODAY, fusion, new_patient
from tests.support.world import World

from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.services.records.read_models import SurgeryView
from spinetrack.services.records.register_surgery import record_performed, register_surgery


def _patient(world: World, mrn: str) -> int:
    return register_patient(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient=new_patient(mrn),
    ).id


def test_a_future_surgery_not_marked_planned_is_refused_and_nothing_is_stored(
    world: World,
) -> None:
    patient = _patient(world, "F1")
    with pytest.raises(InvalidInput) as refused:
        register_surgery(
            sessions=world.database.sessions,
            actor=world.clinician,
            clinic_id=world.clinic,
            patient_id=patient,
            surgery=fusion(performed_on=TODAY + timedelta(days=150)),
        )
    assert refused.value.field == "performed_on"
    assert "planned" in refused.value.reason
    with world.database.sessions(read_only=True) as uow:
        assert uow.patients(world.clinic).surgeries(patient) == []


def test_a_planned_surgery_is_kept_out_of_the_outcome_and_the_cohort(world: World) -> None:
    patient = _patient(world, "F2")
    view = register_surgery(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
        surgery=fusion(performed_on=TODAY + timedelta(days=150), planned=True),
    )
    assert view.planned
    with world.database.sessions(read_only=True) as uow:
        outcome = uow.patients(world.clinic).outcome(patient)
        assert outcome is not None
        assert outcome.index_surgery_id is None
        assert outcome.surgery_date is None
        rows = uow.analytics(world.clinic).registry_rows()
    assert [s for s in rows.surgeries if s[1] == patient] == []


def _book(world: World, mrn: str, days_ahead: int = 10) -> tuple[int, int]:
    patient = _patient(world, mrn)
    view = register_surgery(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
        surgery=fusion(performed_on=TODAY + timedelta(days=days_ahead), planned=True),
    )
    return patient, view.id


def _perform(world: World, patient: int, surgery: int, on: date) -> SurgeryView:
    return record_performed(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient,
        surgery_id=surgery,
        performed_on=on,
    )


def test_a_planned_surgery_recorded_as_performed_starts_counting(world: World) -> None:
    patient, surgery = _book(world, "F3")
    done = _perform(world, patient, surgery, TODAY - timedelta(days=1))
    assert not done.planned
    assert done.performed_on == TODAY - timedelta(days=1)
    with world.database.sessions(read_only=True) as uow:
        outcome = uow.patients(world.clinic).outcome(patient)
        assert outcome is not None
        assert outcome.index_surgery_id == surgery
        assert outcome.surgery_date == TODAY - timedelta(days=1)
        rows = uow.analytics(world.clinic).registry_rows()
    assert [s[0] for s in rows.surgeries if s[1] == patient] == [surgery]


@pytest.mark.parametrize(
    ("days", "field"),
    [(1, "performed_on"), (-365 * 120, "performed_on")],
)
def test_a_performed_date_after_today_or_before_birth_is_refused_and_changes_nothing(
    world: World, days: int, field: str
) -> None:
    patient, surgery = _book(world, f"F4{days}")
    before = row_counts(world.database)
    with pytest.raises(InvalidInput) as refused:
        _perform(world, patient, surgery, TODAY + timedelta(days=days))
    assert refused.value.field == field
    after = row_counts(world.database)
    assert after["audit_entries"] == before["audit_entries"] + 1
    with world.database.sessions(read_only=True) as uow:
        (row,) = uow.patients(world.clinic).surgeries(patient)
        assert row.planned


def test_a_surgery_already_performed_or_of_another_patient_is_refused(world: World) -> None:
    patient, surgery = _book(world, "F5")
    other, _ = _book(world, "F6")
    with pytest.raises(InvalidInput) as foreign:
        _perform(world, other, surgery, TODAY)
    assert foreign.value.field == "surgery_id"
    _perform(world, patient, surgery, TODAY)
    with pytest.raises(InvalidInput) as twice:
        _perform(world, patient, surgery, TODAY)
    assert twice.value.field == "surgery_id"
    assert "already" in twice.value.reason


def test_a_planned_revision_performed_on_or_before_the_surgery_it_revises_is_refused(
    world: World,
) -> None:
    patient = _patient(world, "F7")
    first = register_surgery(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
        surgery=fusion(performed_on=TODAY - timedelta(days=30)),
    ).id
    revision = register_surgery(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
        surgery=fusion(
            performed_on=TODAY + timedelta(days=5),
            planned=True,
            revision_of_id=first,
            revision_reason="pseudarthrosis",
        ),
    ).id
    for day in (TODAY - timedelta(days=30), TODAY - timedelta(days=31)):
        with pytest.raises(InvalidInput) as refused:
            _perform(world, patient, revision, day)
        assert (refused.value.field, refused.value.reason) == (
            "performed_on",
            "a revision must come after the surgery it revises",
        )
    assert _perform(world, patient, revision, TODAY - timedelta(days=29)).planned is False


def test_another_clinic_finds_no_such_patient_and_changes_nothing(world: World) -> None:
    patient, surgery = _book(world, "F8")
    before = row_counts(world.database)
    with pytest.raises(NotFound):
        record_performed(
            sessions=world.database.sessions,
            actor=world.outsider,
            clinic_id=world.other_clinic,
            patient_id=patient,
            surgery_id=surgery,
            performed_on=TODAY,
        )
    after = row_counts(world.database)
    assert {k: v for k, v in after.items() if k != "audit_entries"} == {
        k: v for k, v in before.items() if k != "audit_entries"
    }
