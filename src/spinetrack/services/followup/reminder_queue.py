"""Who is invited and reminded: an invitation for every due follow-up not yet invited (patients
with an e-mail), and the one reminder for an invitation still unanswered after the wait, each
planned on the clinic's own today. The timing rules are the domain's
(domain/followup/reminders.py); the words are the templates' (email_wording.py). Queued messages
are sent later by the outbox (outbox.py), so a mail server that is down loses nothing.

A message carries only the clinic's name and the link, never a clinical detail, because e-mail is
not a private channel. The link's secret is never stored: the message keeps a seed and the sender
rebuilds the link.
"""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from spinetrack.domain.calendar import day_at
from spinetrack.domain.followup.reminders import invitation_due, reminder_due, timing
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.clinic_calendar import (
    Clock,
    clinic_today,
    clinic_zone,
    system_clock,
)
from spinetrack.services.access.patient_links import seeded_link_row
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.followup.email_wording import LINK_PLACEHOLDER, Kind, follow_up_email
from spinetrack.storage.tables import OutboxMessage
from spinetrack.storage.unit_of_work import UnitOfWorkFactory


def _wording(kind: Kind, clinic: str, expires: date, language: str | None) -> tuple[str, str]:
    return follow_up_email(
        kind, clinic=clinic, expires=expires, link=LINK_PLACEHOLDER, language=language
    )


@dataclass(frozen=True)
class Queued:
    invitations: int
    reminders: int


def queue_messages(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    today: date | None = None,
    clock: Clock = system_clock,
) -> Queued:
    """Queue an invitation for every due follow-up not yet invited (patients with an e-mail), and
    the one reminder for every invitation still unanswered after the wait. Safe to run daily.

    Each clinic plans for its own today (its time zone, at the instant `clock` gives) unless
    `today` names the day for all of them."""
    return Queued(
        invitations=_queue_invitations(sessions, actor, today, clock),
        reminders=_queue_reminders(sessions, actor, today, clock),
    )


def _queue_invitations(
    sessions: UnitOfWorkFactory, actor: Actor, given: date | None, clock: Clock
) -> int:
    rule = timing()
    with sessions(read_only=True) as uow:
        clinics = uow.outbox.clinics_with_due_followups()
    queued = 0
    for clinic_id in clinics:
        with sessions() as uow:
            today = given or clinic_today(uow, clinic_id, clock)
            due = uow.followup(clinic_id).due(
                until=today + _days(rule.invitation.send_from_days_before_due), today=today
            )
            wanted = [
                (patient.id, outcome.next_timepoint, outcome.region)
                for outcome, patient in due
                if patient.email
                and outcome.next_due_on is not None
                and invitation_due(outcome.next_due_on, outcome.next_window_closes_on, today)
            ]
        for patient_id, timepoint, region in wanted:
            queued += _invite(sessions, actor, clinic_id, patient_id, timepoint, region)
    return queued


def _days(n: int) -> timedelta:
    return timedelta(days=n)


def _invite(
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    patient_id: int,
    timepoint: str | None,
    region: str | None,
) -> int:
    rule = timing()
    with audited(
        sessions, actor, "outbox.invitation", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id)
        repo = work.uow.followup(clinic_id)
        if any(m.kind == "invitation" for m in repo.messages_for(patient_id, timepoint)):
            work.outcome = "rejected"
            work.detail = "already invited"
            return 0
        patient = work.uow.patients(clinic_id).get(patient_id)
        clinic = work.uow.clinics.get(clinic_id)
        seed = secrets.token_urlsafe(24)
        link = seeded_link_row(
            clinic_id=clinic_id,
            patient_id=patient_id,
            instruments=rule.questionnaires.for_region(region),
            valid_days=rule.invitation.link_valid_days,
            created_by=actor.name,
            timepoint=timepoint,
            seed=seed,
        )
        work.uow.access.add(link)
        expires = day_at(link.expires_at, clinic_zone(work.uow, clinic_id))
        subject, body = _wording(
            "invitation", clinic.name if clinic else "", expires, patient.language
        )
        message = repo.add_message(
            OutboxMessage(
                patient_id=patient_id,
                link_id=link.id,
                link_seed=seed,
                kind="invitation",
                timepoint=timepoint,
                recipient=patient.email or "",
                subject=subject,
                body=body,
                attempts=0,
            )
        )
        work.target = f"message:{message.id}"
        return 1


def _queue_reminders(
    sessions: UnitOfWorkFactory, actor: Actor, given: date | None, clock: Clock
) -> int:
    days: dict[int, date] = {}
    with sessions(read_only=True) as uow:
        candidates = []
        for message, link in uow.outbox.sent_invitations_with_open_links():
            if message.clinic_id not in days:
                days[message.clinic_id] = given or clinic_today(uow, message.clinic_id, clock)
            if link.expires_at.date() > days[message.clinic_id]:
                candidates.append((message.id, link.id, days[message.clinic_id]))
    return sum(
        _remind(sessions, actor, message_id, link_id, today)
        for message_id, link_id, today in candidates
    )


def _remind(
    sessions: UnitOfWorkFactory, actor: Actor, invitation_id: int, link_id: int, today: date
) -> int:
    with sessions() as uow:
        messages = uow.outbox.of_link(link_id)
        invitation = next(m for m in messages if m.id == invitation_id)
        reminders = sum(1 for m in messages if m.kind == "reminder")
        assert invitation.sent_at is not None
        if not reminder_due(invitation.sent_at.date(), reminders, today):
            return 0
        clinic_id, patient_id = invitation.clinic_id, invitation.patient_id
    with audited(
        sessions, actor, "outbox.reminder", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id)
        messages = work.uow.outbox.of_link(link_id)
        if sum(1 for m in messages if m.kind == "reminder") != reminders:
            work.outcome = "rejected"
            work.detail = "reminded meanwhile"
            return 0
        invitation = next(m for m in messages if m.id == invitation_id)
        link = next(
            row for row in work.uow.access.links_of(clinic_id, patient_id) if row.id == link_id
        )
        clinic = work.uow.clinics.get(clinic_id)
        patient = work.uow.patients(clinic_id).get(patient_id)
        expires = day_at(link.expires_at, clinic_zone(work.uow, clinic_id))
        subject, body = _wording(
            "reminder", clinic.name if clinic else "", expires, patient.language
        )
        message = work.uow.followup(clinic_id).add_message(
            OutboxMessage(
                patient_id=patient_id,
                link_id=link_id,
                link_seed=invitation.link_seed,
                kind="reminder",
                timepoint=invitation.timepoint,
                recipient=invitation.recipient,
                subject=subject,
                body=body,
                attempts=0,
            )
        )
        work.target = f"message:{message.id}"
        return 1
