"""The e-mail outbox: an invitation per due follow-up, exactly one reminder, every send recorded as
a contact attempt, nothing clinical in the message, and a down mail server loses nothing."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from tests.support.records import due_patient, fusion, new_patient
from tests.support.smtp import SYSTEM, Catcher, free_port
from tests.support.world import World

from spinetrack.domain.followup.reminders import timing
from spinetrack.services.access.clinic_calendar import set_clinic_time_zone
from spinetrack.services.access.patient_links import open_form
from spinetrack.services.followup.contact_history import contact_history
from spinetrack.services.followup.outbox import send_pending
from spinetrack.services.followup.reminder_queue import queue_messages
from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.services.records.register_surgery import register_surgery
from spinetrack.storage.tables import OutboxMessage, Patient, PatientLink, PatientOutcome


def _messages(world: World) -> list[OutboxMessage]:
    with world.database.sessions.sessionmaker() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_due_follow_up_gets_one_invitation_with_a_working_link_and_no_clinical_detail(
    world: World, smtp: tuple[str, Catcher]
) -> None:
    url, catcher = smtp
    patient = due_patient(world, "E1")
    due_patient(world, "E2", email=None)  # no address: left to the chase list
    due_patient(world, "E3", days_after_surgery=10)  # 6 weeks not due yet
    today = date.today()
    assert (
        queue_messages(sessions=world.database.sessions, actor=SYSTEM, today=today).invitations == 1
    )
    again = queue_messages(sessions=world.database.sessions, actor=SYSTEM, today=today)
    assert again.invitations == 0 and again.reminders == 0  # safe to run every day

    [message] = _messages(world)
    assert (message.patient_id, message.kind, message.timepoint) == (patient, "invitation", "6w")
    assert message.sent_at is None and "{link}" in message.body  # the secret is not stored

    result = send_pending(sessions=world.database.sessions, actor=SYSTEM, smtp_url=url)
    assert (result.sent, result.failed, result.skipped) == (1, 0, 0)
    [sent] = catcher.messages
    assert sent["To"] == "ingrid@example.org"
    assert "North Spine" in sent["Subject"]
    body = sent.get_payload(decode=True).decode()
    for private in ("Ingrid", "Dahl", "E1", "fusion", "ODI", "Oswestry", "pain"):
        assert private not in body, private
    link = next(line for line in body.splitlines() if "/q/" in line).strip()
    form = open_form(sessions=world.database.sessions, token=link.split("/q/")[1], remote=None)
    assert form.instruments == timing().questionnaires.lumbar

    [contact] = contact_history(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient,
    )
    assert (contact.channel, contact.outcome, contact.by) == ("email", "sent", SYSTEM.name)
    assert send_pending(sessions=world.database.sessions, actor=SYSTEM, smtp_url=url).sent == 0


def test_exactly_one_reminder_follows_an_unanswered_invitation(
    world: World, smtp: tuple[str, Catcher]
) -> None:
    url, catcher = smtp
    due_patient(world, "R1")
    today = date.today()
    queue_messages(sessions=world.database.sessions, actor=SYSTEM, today=today)
    send_pending(sessions=world.database.sessions, actor=SYSTEM, smtp_url=url)
    wait = timing().reminder.after_days
    early = queue_messages(
        sessions=world.database.sessions, actor=SYSTEM, today=today + timedelta(days=wait - 1)
    )
    assert early.reminders == 0
    for later in (wait, wait + 1, wait + 5):
        queue_messages(
            sessions=world.database.sessions, actor=SYSTEM, today=today + timedelta(days=later)
        )
    kinds = [m.kind for m in _messages(world)]
    assert kinds == ["invitation", "reminder"]
    send_pending(sessions=world.database.sessions, actor=SYSTEM, smtp_url=url)
    assert [m["Subject"].startswith("Reminder") for m in catcher.messages] == [False, True]
    links = {m.link_id for m in _messages(world)}
    assert len(links) == 1  # the reminder opens the same link, with the answers saved so far


def test_an_answered_link_is_not_reminded_and_a_queued_message_for_it_is_skipped(
    world: World, smtp: tuple[str, Catcher]
) -> None:
    url, catcher = smtp
    due_patient(world, "S1")
    today = date.today()
    queue_messages(sessions=world.database.sessions, actor=SYSTEM, today=today)
    with world.database.sessions.sessionmaker() as session:
        session.execute(update(PatientLink).values(used_at=func.now()))
        session.commit()
    result = send_pending(sessions=world.database.sessions, actor=SYSTEM, smtp_url=url)
    assert (result.sent, result.skipped) == (0, 1)
    assert catcher.messages == []
    later = today + timedelta(days=timing().reminder.after_days + 1)
    assert (
        queue_messages(sessions=world.database.sessions, actor=SYSTEM, today=later).reminders == 0
    )


def test_a_mail_server_that_is_down_loses_nothing_and_is_recorded(world: World) -> None:
    patient = due_patient(world, "D1")
    queue_messages(sessions=world.database.sessions, actor=SYSTEM, today=date.today())
    nowhere = f"smtp://127.0.0.1:{free_port()}"
    result = send_pending(sessions=world.database.sessions, actor=SYSTEM, smtp_url=nowhere)
    assert result.failed == 1
    [message] = _messages(world)
    assert message.sent_at is None and message.failed_at is None and message.attempts == 1
    assert message.last_error
    [contact] = contact_history(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient,
    )
    assert contact.outcome == "failed"
    for _ in range(5):
        send_pending(sessions=world.database.sessions, actor=SYSTEM, smtp_url=nowhere)
    [message] = _messages(world)
    assert message.attempts == 3 and message.failed_at is not None  # given up after three tries


def test_a_patient_who_answered_in_spanish_is_written_to_in_spanish(world: World) -> None:
    patient_id = due_patient(world, "ES1")
    with world.database.sessions.sessionmaker.begin() as session:
        session.execute(update(Patient).where(Patient.id == patient_id).values(language="es"))
    due_patient(world, "EN1", email="other@example.org")
    queue_messages(sessions=world.database.sessions, actor=SYSTEM, today=date.today())
    by_patient = {m.patient_id: m for m in _messages(world)}
    spanish = by_patient[patient_id]
    assert spanish.subject == "North Spine: unas preguntas sobre cómo se encuentra"
    assert spanish.body.startswith("Hola:") and "{link}" in spanish.body
    english = next(m for p, m in by_patient.items() if p != patient_id)
    assert english.body.startswith("Hello,")


def test_each_clinic_is_invited_on_its_own_today(world: World) -> None:
    """At one instant Auckland has reached the day the invitation window opens and Los Angeles
    has not: only the Auckland clinic's patient is invited (the clock is injected)."""
    sessions = world.database.sessions
    zones = {world.clinic: "Pacific/Auckland", world.other_clinic: "America/Los_Angeles"}
    due: dict[int, date] = {}
    for clinic_id, zone in zones.items():
        set_clinic_time_zone(sessions=sessions, actor=SYSTEM, clinic_id=clinic_id, zone=zone)
        patient_id = register_patient(
            sessions=sessions,
            actor=SYSTEM,
            clinic_id=clinic_id,
            patient=new_patient(f"TZ{clinic_id}"),
        ).id
        register_surgery(
            sessions=sessions,
            actor=SYSTEM,
            clinic_id=clinic_id,
            patient_id=patient_id,
            surgery=fusion(performed_on=date.today() - timedelta(days=10)),
        )
        with sessions.sessionmaker() as session:
            next_due = session.scalar(
                select(PatientOutcome.next_due_on).where(PatientOutcome.patient_id == patient_id)
            )
        assert next_due is not None
        due[clinic_id] = next_due
    assert due[world.clinic] == due[world.other_clinic]
    opens = due[world.clinic] - timedelta(days=timing().invitation.send_from_days_before_due)
    # 00:30 on the opening day in Auckland is still the day before in Los Angeles.
    instant = datetime.combine(opens, time(0, 30), ZoneInfo("Pacific/Auckland"))
    queued = queue_messages(sessions=sessions, actor=SYSTEM, clock=lambda: instant)
    assert queued.invitations == 1
    assert [m.clinic_id for m in _messages(world)] == [world.clinic]
    later = queue_messages(
        sessions=sessions, actor=SYSTEM, clock=lambda: instant + timedelta(days=1)
    )
    assert later.invitations == 1
    assert sorted(m.clinic_id for m in _messages(world)) == sorted(zones)
