"""Registering and listing patients: one transaction, an audit entry, clinic scope enforced."""

from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError
from tests.conftest import row_counts
from tests.support.records import new_patient
from tests.support.world import World

from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.services.access.clinic_calendar import latest_today
from spinetrack.services.access.errors import AccessDenied
from spinetrack.services.records.enrol_patient import list_patients, register_patient


def test_registering_a_patient_stores_it_and_audits_the_write(world: World) -> None:
    view = register_patient(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient=new_patient(),
    )
    assert view.mrn == "A100" and view.clinic_id == world.clinic
    counts = row_counts(world.database)
    assert counts["patients"] == 1
    page = list_patients(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        offset=0,
        limit=10,
    )
    assert page.total == 1 and page.items[0].id == view.id


def test_a_duplicate_mrn_is_refused_and_changes_nothing_but_the_audit(world: World) -> None:
    sessions = world.database.sessions
    register_patient(
        sessions=sessions, actor=world.staff, clinic_id=world.clinic, patient=new_patient()
    )
    before = row_counts(world.database)
    with pytest.raises(InvalidInput) as error:
        register_patient(
            sessions=sessions, actor=world.staff, clinic_id=world.clinic, patient=new_patient()
        )
    assert error.value.field == "mrn"
    after = row_counts(world.database)
    assert after["audit_entries"] == before["audit_entries"] + 1
    assert {k: v for k, v in after.items() if k != "audit_entries"} == {
        k: v for k, v in before.items() if k != "audit_entries"
    }


def test_the_same_mrn_may_exist_in_another_clinic(world: World) -> None:
    sessions = world.database.sessions
    register_patient(
        sessions=sessions, actor=world.staff, clinic_id=world.clinic, patient=new_patient()
    )
    register_patient(
        sessions=sessions, actor=world.outsider, clinic_id=world.other_clinic, patient=new_patient()
    )
    assert row_counts(world.database)["patients"] == 2


def test_a_user_of_another_clinic_cannot_tell_the_clinic_exists(world: World) -> None:
    with pytest.raises(NotFound):
        register_patient(
            sessions=world.database.sessions,
            actor=world.outsider,
            clinic_id=world.clinic,
            patient=new_patient(),
        )
    assert row_counts(world.database)["patients"] == 0


def test_an_analyst_may_not_see_identified_patients(world: World) -> None:
    with pytest.raises(AccessDenied):
        list_patients(
            sessions=world.database.sessions,
            actor=world.analyst,
            clinic_id=world.clinic,
            offset=0,
            limit=10,
        )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        # The form alone cannot know the clinic's day: it refuses what is future everywhere.
        ({"birth_date": latest_today() + timedelta(days=1)}, "birth_date"),
        ({"birth_date": date(1850, 1, 1)}, "birth_date"),
        ({"sex": "f"}, "sex"),
        ({"mrn": "   "}, "mrn"),
        ({"email": "not-an-address"}, "email"),
        ({"given_name": ""}, "given_name"),
        ({"nickname": "Ing"}, "nickname"),
    ],
)
def test_implausible_patient_details_are_refused_naming_the_field(
    change: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        new_patient(**change)
    assert error.value.errors()[0]["loc"][0] == field


def test_a_birth_date_after_the_clinics_today_is_refused_and_nothing_is_stored(
    world: World,
) -> None:
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)  # test clinics keep the UTC default
    before = row_counts(world.database)
    with pytest.raises(InvalidInput) as error:
        register_patient(
            sessions=world.database.sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            patient=new_patient("BORN-TOMORROW").model_copy(update={"birth_date": tomorrow}),
        )
    assert error.value.field == "birth_date"
    after = row_counts(world.database)
    assert after["patients"] == before["patients"]
