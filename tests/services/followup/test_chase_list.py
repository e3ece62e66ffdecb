"""The chase list: due and overdue follow-ups of the clinic only, overdue first, with the latest
contact attempt; and one patient's follow-up page."""

from datetime import date, timedelta

import pytest
from tests.support.records import due_patient
from tests.support.world import World

from spinetrack.domain.errors import NotFound
from spinetrack.services.access.errors import AccessDenied
from spinetrack.services.followup.chase_list import chase_detail, chase_list
from spinetrack.services.followup.contact_history import NewContact, record_contact


def test_overdue_patients_come_first_with_their_latest_contact(world: World) -> None:
    sessions = world.database.sessions
    overdue = due_patient(world, "O1", days_after_surgery=60)  # 6 weeks: 18 days past the day
    due = due_patient(world, "D1", days_after_surgery=40)
    due_patient(world, "U1", days_after_surgery=5)  # nothing due yet
    for outcome in ("no_answer", "left_message"):
        record_contact(
            sessions=sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            patient_id=overdue,
            contact=NewContact(channel="phone", outcome=outcome, timepoint="6w"),
        )
    rows = chase_list(
        sessions=sessions, actor=world.staff, clinic_id=world.clinic, today=date.today()
    )
    assert [(r.patient_id, r.state) for r in rows] == [(overdue, "overdue"), (due, "due")]
    assert (rows[0].contacts, rows[0].last_contact) == (2, "phone: left_message")
    assert rows[0].days_late == 18 and rows[0].timepoint == "6w"
    assert rows[1].contacts == 0 and rows[1].has_email


def test_the_list_is_the_clinics_own_and_for_clinical_roles(world: World) -> None:
    due_patient(world, "O2", days_after_surgery=60)
    with pytest.raises(NotFound):
        chase_list(
            sessions=world.database.sessions,
            actor=world.outsider,
            clinic_id=world.clinic,
            today=date.today(),
        )
    with pytest.raises(AccessDenied):
        chase_list(
            sessions=world.database.sessions,
            actor=world.analyst,
            clinic_id=world.clinic,
            today=date.today(),
        )


def test_a_follow_up_whose_window_closed_is_no_longer_chased(world: World) -> None:
    due_patient(world, "C1", days_after_surgery=60)
    later = date.today() + timedelta(days=30)  # the 6-week window (to day 69) has closed
    rows = chase_list(
        sessions=world.database.sessions, actor=world.staff, clinic_id=world.clinic, today=later
    )
    assert rows == []


def test_the_follow_up_page_gathers_what_is_owed_and_every_contact(world: World) -> None:
    sessions = world.database.sessions
    patient = due_patient(world, "P1", days_after_surgery=45)
    record_contact(
        sessions=sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient,
        contact=NewContact(channel="letter", outcome="sent", note="paper form posted"),
    )
    detail = chase_detail(
        sessions=sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient,
        today=date.today(),
    )
    assert (detail.timepoint, detail.state) == ("6w", "due")
    assert detail.questionnaires == ["odi", "nrs_back", "nrs_leg"]
    assert [c.note for c in detail.contacts] == ["paper form posted"]
    assert detail.contacts[0].by == world.staff.name
