"""Erasing a clinic's patients (the demo reset) must also clear everything that points at them:
questionnaire links, the outbox, contact history, answered idempotency keys and the link from a
converted consultation request, or a foreign key stops the reset half-way."""

from datetime import date

from sqlalchemy import func, select
from tests.support.consultations import send_consultation
from tests.support.records import due_patient, new_patient
from tests.support.smtp import SYSTEM
from tests.support.world import World

from spinetrack.services.followup.contact_history import NewContact, record_contact
from spinetrack.services.followup.reminder_queue import queue_messages
from spinetrack.services.operations.erase_clinic_data import erase_clinic_data
from spinetrack.services.patient_side.consultations import convert_consultation
from spinetrack.storage.tables import (
    ConsultationRequest,
    ContactAttempt,
    OutboxMessage,
    Patient,
    PatientLink,
)


def test_erasing_a_clinic_clears_links_outbox_contacts_and_converted_requests(
    world: World,
) -> None:
    sessions = world.database.sessions
    patient = due_patient(world, "X1")
    queue_messages(sessions=sessions, actor=SYSTEM, today=date.today())
    record_contact(
        sessions=sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient,
        contact=NewContact(channel="phone", outcome="no_answer"),
    )
    request_id = send_consultation(world)
    convert_consultation(
        sessions=sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        request_id=request_id,
        patient=new_patient("X2", given_name="Maria", family_name="Okoye", email=None),
    )

    erased = erase_clinic_data(sessions=sessions, actor=world.admin, clinic_id=world.clinic)

    assert erased == 2
    with sessions.sessionmaker() as session:
        for table in (Patient, PatientLink, OutboxMessage, ContactAttempt):
            count = session.scalar(
                select(func.count()).select_from(table).where(table.clinic_id == world.clinic)
            )
            assert count == 0, table.__tablename__
        kept = session.get(ConsultationRequest, request_id)
        assert kept is not None and kept.patient_id is None
