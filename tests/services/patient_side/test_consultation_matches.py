"""Converting a consultation request first looks for the requester among registered patients:
the same name (accents and capitals aside) and birth date, the same e-mail or the same MRN is
offered instead of a second record, and the request can be linked to that record."""

from datetime import date

import pytest
from tests.conftest import row_counts
from tests.support.consultations import send_consultation
from tests.support.records import new_patient
from tests.support.world import World

from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.services.patient_side.consultations import (
    CONFIRM_NEW,
    convert_consultation,
    existing_records,
    link_consultation,
    open_consultation,
)
from spinetrack.services.records.enrol_patient import register_patient

BORN = date(1961, 5, 17)


@pytest.fixture
def registered(world: World) -> int:
    return register_patient(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient=new_patient(
            "R-1", given_name="María", family_name="Okoye", birth_date=BORN, email="m@example.org"
        ),
    ).id


def _offered(world: World, request_id: int) -> list[int]:
    found = existing_records(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        request_id=request_id,
    )
    return [p.id for p in found]


def test_the_same_name_and_birth_date_or_e_mail_is_offered(world: World, registered: int) -> None:
    assert _offered(world, send_consultation(world, birth_date=BORN)) == [registered]
    assert _offered(world, send_consultation(world, given_name="MARIA", birth_date=BORN)) == [
        registered
    ]
    by_mail = send_consultation(world, given_name="Mia", email="m@example.org")
    assert _offered(world, by_mail) == [registered]
    assert _offered(world, send_consultation(world, birth_date=date(1962, 5, 17))) == []
    assert _offered(world, send_consultation(world, given_name="Mario", birth_date=BORN)) == []


def test_conversion_is_refused_until_the_new_record_is_confirmed(
    world: World, registered: int
) -> None:
    request_id = send_consultation(world, birth_date=BORN)
    patient = new_patient("R-2", given_name="Maria", family_name="Okoye", birth_date=BORN)
    before = row_counts(world.database)
    with pytest.raises(InvalidInput) as refused:
        convert_consultation(
            sessions=world.database.sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            request_id=request_id,
            patient=patient,
        )
    assert refused.value.field == CONFIRM_NEW and "Okoye, María (MRN R-1)" in refused.value.reason
    assert row_counts(world.database)["patients"] == before["patients"]
    created = convert_consultation(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        request_id=request_id,
        patient=patient,
        new_patient_confirmed=True,
    )
    assert created != registered


def test_a_request_is_linked_to_the_registered_patient(world: World, registered: int) -> None:
    request_id = send_consultation(world, birth_date=BORN)
    before = row_counts(world.database)["patients"]
    linked = link_consultation(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        request_id=request_id,
        patient_id=registered,
    )
    view = open_consultation(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        request_id=request_id,
    )
    assert linked == registered and (view.status, view.patient_id) == ("converted", registered)
    assert row_counts(world.database)["patients"] == before
    with pytest.raises(InvalidInput, match="already"):
        link_consultation(
            sessions=world.database.sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            request_id=request_id,
            patient_id=registered,
        )


def test_a_request_cannot_be_linked_to_another_clinic_s_patient(world: World) -> None:
    theirs = register_patient(
        sessions=world.database.sessions,
        actor=world.outsider,
        clinic_id=world.other_clinic,
        patient=new_patient("S-1"),
    ).id
    with pytest.raises(NotFound):
        link_consultation(
            sessions=world.database.sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            request_id=send_consultation(world),
            patient_id=theirs,
        )
