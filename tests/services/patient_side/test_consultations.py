"""Consultation requests: stored in the right clinic's inbox, urgent when a warning sign is
answered 'yes' (whichever door sent it), listed urgent first, and converted into a patient in
one transaction."""

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError
from tests.conftest import row_counts
from tests.support.consultations import BACK, request, send_consultation
from tests.support.records import new_patient
from tests.support.world import World

from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.services.access.errors import AccessDenied
from spinetrack.services.patient_side.consultations import (
    StaffUpdate,
    convert_consultation,
    inbox,
    open_consultation,
    submit_consultation,
    update_consultation,
)


def test_a_yes_to_a_warning_sign_marks_the_request_urgent_and_says_what_to_do(
    world: World,
) -> None:
    flags = dict.fromkeys(BACK, False) | {"saddle_numbness": True}
    received = submit_consultation(
        sessions=world.database.sessions,
        clinic_slug="north",
        request=request(screening=flags),
        remote="10.1.1.1",
    )
    assert received.urgency == "emergency"
    assert [q.id for q in received.raised] == ["saddle_numbness"]
    view = open_consultation(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        request_id=received.id,
    )
    assert view.urgent and view.red_flags == ["saddle_numbness"] and view.status == "new"
    assert len(view.reference) == 9


def test_the_inbox_shows_urgent_requests_first_and_only_the_clinics_own(world: World) -> None:
    calm = send_consultation(world)
    urgent = send_consultation(world, screening=dict.fromkeys(BACK, False) | {"fever_wound": True})
    send_consultation(world, slug="south")
    rows = inbox(sessions=world.database.sessions, actor=world.staff, clinic_id=world.clinic)
    assert [r.id for r in rows] == [urgent, calm]
    with pytest.raises(NotFound):
        inbox(sessions=world.database.sessions, actor=world.outsider, clinic_id=world.clinic)
    with pytest.raises(AccessDenied):
        inbox(sessions=world.database.sessions, actor=world.analyst, clinic_id=world.clinic)


def test_a_screening_question_left_unanswered_is_refused_and_nothing_is_stored(
    world: World,
) -> None:
    before = row_counts(world.database)
    with pytest.raises(InvalidInput, match=r"screening\.fever_wound"):
        send_consultation(world, screening=dict.fromkeys(BACK[:3], False))
    after = row_counts(world.database)
    assert after["consultation_requests"] == before["consultation_requests"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"consent": False}, "consent"),
        ({"phone": None}, "phone"),
        ({"contact_preference": "email"}, "email"),
        ({"symptoms": "  "}, "symptoms"),
        ({"birth_date": date(2999, 1, 1)}, "birth_date"),
    ],
)
def test_a_request_that_cannot_be_acted_on_is_refused(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        request(**changes)


def test_an_unknown_clinic_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        send_consultation(world, slug="nowhere")


def test_staff_mark_contacted_and_convert_into_a_patient_in_one_step(world: World) -> None:
    sessions = world.database.sessions
    request_id = send_consultation(world)
    update_consultation(
        sessions=sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        request_id=request_id,
        update=StaffUpdate(status="contacted", note="Booked for Tuesday"),
    )
    patient_id = convert_consultation(
        sessions=sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        request_id=request_id,
        patient=new_patient("C-1", given_name="Maria", family_name="Okoye"),
    )
    view = open_consultation(
        sessions=sessions, actor=world.staff, clinic_id=world.clinic, request_id=request_id
    )
    assert (view.status, view.patient_id, view.staff_note) == (
        "converted",
        patient_id,
        "Booked for Tuesday",
    )
    assert view.handled_by == world.staff.name
    with pytest.raises(InvalidInput, match="already"):
        convert_consultation(
            sessions=sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            request_id=request_id,
            patient=new_patient("C-2"),
        )


def test_a_refused_conversion_creates_no_patient(world: World) -> None:
    sessions = world.database.sessions
    first, second = send_consultation(world), send_consultation(world)
    convert_consultation(
        sessions=sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        request_id=first,
        patient=new_patient("M1"),
    )
    before = row_counts(world.database)
    with pytest.raises(InvalidInput, match="mrn"):
        convert_consultation(
            sessions=sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            request_id=second,
            patient=new_patient("M1"),
        )
    assert row_counts(world.database)["patients"] == before["patients"]
    view = open_consultation(
        sessions=sessions, actor=world.staff, clinic_id=world.clinic, request_id=second
    )
    assert view.status == "new" and view.patient_id is None


def test_another_clinics_request_is_not_found(world: World) -> None:
    theirs = send_consultation(world, slug="south")
    with pytest.raises(NotFound):
        open_consultation(
            sessions=world.database.sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            request_id=theirs,
        )
