"""A surgery dated in the future is refused unless it is marked planned, and a planned surgery
counts in no outcome and no analytics cohort until it is performed (issue 18, point 15)."""

from datetime import timedelta

import pytest
from tests.support.records import TODAY, fusion, new_patient
from tests.support.world import World

from spinetrack.domain.errors import InvalidInput
from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.services.records.register_surgery import register_surgery


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
