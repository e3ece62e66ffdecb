"""Recording surgeries, revisions and complications: the surgical matrix and dates are checked."""

from datetime import date, timedelta

import pytest
from tests.conftest import row_counts
from tests.support.records import fusion, new_patient
from tests.support.world import World

from spinetrack.domain.errors import InvalidInput
from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.services.records.patient_record import open_record
from spinetrack.services.records.register_surgery import (
    NewComplication,
    NewSurgery,
    record_complication,
    register_surgery,
)


def _patient(world: World) -> int:
    return register_patient(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient=new_patient(),
    ).id


def _register(world: World, patient_id: int, surgery: NewSurgery) -> int:
    return register_surgery(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient_id,
        surgery=surgery,
    ).id


def test_a_surgery_is_stored_with_tidied_levels_and_its_surgeon(world: World) -> None:
    patient_id = _patient(world)
    _register(world, patient_id, fusion(surgeon_id=world.surgeon_id))
    record = open_record(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient_id,
    )
    (surgery,) = record.surgeries
    assert surgery.levels == ["L4-L5", "L5-S1"]
    assert surgery.surgeon_id == world.surgeon_id
    assert record.outcome is not None and record.outcome.status == "no_baseline"


def test_a_revision_points_at_the_surgery_it_revises(world: World) -> None:
    patient_id = _patient(world)
    first = _register(world, patient_id, fusion())
    _register(
        world,
        patient_id,
        fusion(
            performed_on=date(2026, 1, 10), revision_of_id=first, revision_reason="pseudarthrosis"
        ),
    )
    record = open_record(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient_id,
    )
    assert record.surgeries[1].revision_of_id == first


@pytest.mark.parametrize(
    ("surgery", "field"),
    [
        (fusion(procedure="fusoin"), "procedure"),
        (fusion(region="sacral"), "region"),
        (fusion(approach="sideways"), "approach"),
        (fusion(levels=["L4-L6"]), "levels.0"),
        (fusion(levels=["C5-C6"]), "levels.0"),
        (fusion(levels=["L4-L5", "l4-l5"]), "levels"),
        (fusion(levels=["banana"]), "levels.0"),
        (fusion(performed_on=date(1950, 1, 1)), "performed_on"),
        (fusion(performed_on=date.today() + timedelta(days=400)), "performed_on"),
        (fusion(revision_of_id=999), "revision_of_id"),
        (fusion(revision_reason="bad_luck"), "revision_reason"),
        (fusion(surgeon_id=999), "surgeon_id"),
    ],
)
def test_a_surgery_that_breaks_a_rule_is_refused_and_stores_nothing(
    world: World, surgery: NewSurgery, field: str
) -> None:
    patient_id = _patient(world)
    before = row_counts(world.database)
    with pytest.raises(InvalidInput) as error:
        _register(world, patient_id, surgery)
    assert error.value.field == field
    after = row_counts(world.database)
    assert after["surgeries"] == before["surgeries"] == 0
    assert after["audit_entries"] == before["audit_entries"] + 1


def test_a_revision_dated_before_its_original_is_refused(world: World) -> None:
    patient_id = _patient(world)
    first = _register(world, patient_id, fusion())
    with pytest.raises(InvalidInput) as error:
        _register(world, patient_id, fusion(performed_on=date(2024, 1, 1), revision_of_id=first))
    assert error.value.field == "performed_on"


def test_surgeon_and_patient_reports_of_a_complication_are_kept_apart(world: World) -> None:
    patient_id = _patient(world)
    surgery_id = _register(world, patient_id, fusion())
    for reporter in ("surgeon", "patient"):
        record_complication(
            sessions=world.database.sessions,
            actor=world.clinician,
            clinic_id=world.clinic,
            patient_id=patient_id,
            complication=NewComplication(
                surgery_id=surgery_id, kind="dural_tear", reported_by=reporter
            ),
        )
    record = open_record(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient_id,
    )
    assert sorted(c.reported_by for c in record.complications) == ["patient", "surgeon"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "bad_mood"}, "kind"),
        ({"reported_by": "neighbour"}, "reported_by"),
        ({"surgery_id": 12345}, "surgery_id"),
        ({"occurred_on": date(2020, 1, 1)}, "occurred_on"),
    ],
)
def test_a_complication_that_breaks_a_rule_is_refused(
    world: World, changes: dict[str, object], field: str
) -> None:
    patient_id = _patient(world)
    surgery_id = _register(world, patient_id, fusion())
    data: dict[str, object] = {
        "surgery_id": surgery_id,
        "kind": "dural_tear",
        "reported_by": "surgeon",
    }
    data.update(changes)
    with pytest.raises(InvalidInput) as error:
        record_complication(
            sessions=world.database.sessions,
            actor=world.clinician,
            clinic_id=world.clinic,
            patient_id=patient_id,
            complication=NewComplication.model_validate(data),
        )
    assert error.value.field == field
    assert row_counts(world.database)["complications"] == 0
