"""Recomputing a clinic's outcome rows is an administrator's act, audited, and changes nothing
when refused."""

import pytest
from tests.conftest import row_counts
from tests.support.records import failing
from tests.support.world import World

from spinetrack.services.access.errors import AccessDenied
from spinetrack.services.records.refresh_outcomes import refresh_clinic_outcomes


def test_a_clinician_may_not_recompute_the_clinic_and_nothing_changes(world: World) -> None:
    failing(world, "RO1")
    before = row_counts(world.database)
    with pytest.raises(AccessDenied):
        refresh_clinic_outcomes(
            sessions=world.database.sessions, actor=world.clinician, clinic_id=world.clinic
        )
    after = row_counts(world.database)
    assert after["audit_entries"] == before["audit_entries"] + 1
    assert {k: v for k, v in after.items() if k != "audit_entries"} == {
        k: v for k, v in before.items() if k != "audit_entries"
    }


def test_an_administrator_recomputes_every_patient_of_the_clinic(world: World) -> None:
    patient = failing(world, "RO2")
    count = refresh_clinic_outcomes(
        sessions=world.database.sessions, actor=world.admin, clinic_id=world.clinic
    )
    assert count >= 1
    with world.database.sessions(read_only=True) as uow:
        outcome = uow.patients(world.clinic).outcome(patient)
        assert outcome is not None and outcome.status == "failing"
