"""The e-mail outbox: invitations to due follow-up questionnaires, one reminder, and the sender.

Queuing and sending are separate steps (`spinetrack reminders queue`, `spinetrack outbox send`), so
a mail server that is down loses nothing: the message waits and is tried again, and every send or
failure is recorded as a contact attempt beside the staff's own calls. A message carries only the
clinic's name and the link, never a clinical detail, because e-mail is not a private channel.
The link's secret is never stored: the message keeps a seed and the sender rebuilds the link.
"""

import secrets
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from typing import Literal
from urllib.parse import unquote, urlsplit

from sqlalchemy.orm import Session, sessionmaker

from spinetrack.config import get_settings
from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.followup.reminders import invitation_due, reminder_due, timing
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.clinic_calendar import Clock, clinic_today, system_clock
from spinetrack.services.access.patient_links import seeded_link_row, token_for_seed
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.followup.email_wording import Kind, follow_up_email
from spinetrack.storage.repositories.patient_side import (
    FollowupRepository,
    clinics_with_due_followups,
    messages_of_link,
    pending_messages,
    sent_invitations_with_open_links,
)
from spinetrack.storage.tables import ContactAttempt, OutboxMessage
from spinetrack.storage.unit_of_work import UnitOfWork

MAX_ATTEMPTS = 3
"""A message that failed this many times is given up and left to the chase list."""
SEND_BATCH = 200
LINK_PLACEHOLDER = "{link}"
SMTP_TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    security: Literal["none", "starttls", "tls"]
    user: str | None
    password: str | None


def parse_smtp_url(url: str) -> SmtpTarget:
    """smtp://[user:password@]host[:port], smtp+starttls://… or smtps://…"""
    parts = urlsplit(url)
    schemes: dict[str, tuple[Literal["none", "starttls", "tls"], int]] = {
        "smtp": ("none", 25),
        "smtp+starttls": ("starttls", 587),
        "smtps": ("tls", 465),
    }
    if parts.scheme not in schemes or not parts.hostname:
        raise InvalidInput(
            "SPINETRACK_SMTP_URL", "use smtp://host:port, smtp+starttls://host or smtps://host"
        )
    security, default_port = schemes[parts.scheme]
    try:
        port = parts.port or default_port
    except ValueError as exc:
        raise InvalidInput("SPINETRACK_SMTP_URL", "the port is not a number") from exc
    return SmtpTarget(
        host=parts.hostname,
        port=port,
        security=security,
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def _public_url() -> str:
    settings = get_settings()
    return settings.resolved_public_url()


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
    sessions: sessionmaker[Session],
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
    sessions: sessionmaker[Session], actor: Actor, given: date | None, clock: Clock
) -> int:
    rule = timing()
    with sessions() as session:
        clinics = clinics_with_due_followups(session)
    queued = 0
    for clinic_id in clinics:
        with UnitOfWork(sessions) as uow:
            today = given or clinic_today(uow, clinic_id, clock)
            due = FollowupRepository(uow.session, clinic_id).due(
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
    sessions: sessionmaker[Session],
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
        repo = FollowupRepository(work.uow.session, clinic_id)
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
        subject, body = _wording(
            "invitation", clinic.name if clinic else "", link.expires_at.date(), patient.language
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
    sessions: sessionmaker[Session], actor: Actor, given: date | None, clock: Clock
) -> int:
    days: dict[int, date] = {}
    with UnitOfWork(sessions) as uow:
        candidates = []
        for message, link in sent_invitations_with_open_links(uow.session):
            if message.clinic_id not in days:
                days[message.clinic_id] = given or clinic_today(uow, message.clinic_id, clock)
            if link.expires_at.date() > days[message.clinic_id]:
                candidates.append((message.id, link.id, days[message.clinic_id]))
    return sum(
        _remind(sessions, actor, message_id, link_id, today)
        for message_id, link_id, today in candidates
    )


def _remind(
    sessions: sessionmaker[Session], actor: Actor, invitation_id: int, link_id: int, today: date
) -> int:
    with UnitOfWork(sessions) as uow:
        messages = messages_of_link(uow.session, link_id)
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
        messages = messages_of_link(work.uow.session, link_id)
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
        subject, body = _wording(
            "reminder", clinic.name if clinic else "", link.expires_at.date(), patient.language
        )
        message = FollowupRepository(work.uow.session, clinic_id).add_message(
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


@dataclass(frozen=True)
class Sent:
    sent: int
    failed: int
    skipped: int


def send_pending(*, sessions: sessionmaker[Session], actor: Actor, smtp_url: str) -> Sent:
    """Send every queued message once; each send, failure or skip is recorded with the message."""
    target = parse_smtp_url(smtp_url)
    with sessions() as session:
        queue = [m.id for m in pending_messages(session, limit=SEND_BATCH)]
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    for message_id in queue:
        counts[_send_one(sessions, actor, target, message_id)] += 1
    return Sent(**counts)


def _send_one(
    sessions: sessionmaker[Session], actor: Actor, target: SmtpTarget, message_id: int
) -> str:
    with UnitOfWork(sessions) as uow:
        found = uow.session.get(OutboxMessage, message_id)
        assert found is not None
        clinic_id, patient_id = found.clinic_id, found.patient_id
    with audited(
        sessions, actor, "outbox.send", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id)
        message = work.uow.session.get(OutboxMessage, message_id, with_for_update=True)
        assert message is not None
        work.target = f"message:{message.id}"
        if message.sent_at is not None or message.failed_at is not None:
            work.detail = "already handled"
            return "skipped"
        now = datetime.now(UTC)
        link = next(
            (r for r in work.uow.access.links_of(clinic_id, patient_id) if r.id == message.link_id),
            None,
        )
        if link is None or link.used_at or link.revoked_at or link.expires_at <= now:
            message.failed_at = now
            message.last_error = "not sent: the questionnaires were answered or the link closed"
            work.detail = message.last_error
            return "skipped"
        url = f"{_public_url()}/q/{token_for_seed(message.link_seed or '')}"
        outcome = "sent"
        try:
            _deliver(
                target,
                message.recipient,
                message.subject,
                message.body.replace(LINK_PLACEHOLDER, url),
            )
        except (OSError, smtplib.SMTPException) as exc:
            outcome = "failed"
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts + 1 >= MAX_ATTEMPTS:
                message.failed_at = now
            work.detail = message.last_error
        else:
            message.sent_at = now
            message.last_error = None
        message.attempts += 1
        FollowupRepository(work.uow.session, clinic_id).add_contact(
            ContactAttempt(
                patient_id=patient_id,
                at=now,
                channel="email",
                outcome=outcome,
                timepoint=message.timepoint,
                note=f"{message.kind} e-mail"
                + ("" if outcome == "sent" else f" ({message.last_error})"),
                by=actor.name,
                message_id=message.id,
            )
        )
        return outcome


def _deliver(target: SmtpTarget, recipient: str, subject: str, body: str) -> None:
    email = EmailMessage()
    email["From"] = get_settings().smtp_from
    email["To"] = recipient
    email["Subject"] = subject
    email.set_content(body)
    smtp: smtplib.SMTP
    if target.security == "tls":
        smtp = smtplib.SMTP_SSL(
            target.host,
            target.port,
            timeout=SMTP_TIMEOUT_SECONDS,
            context=ssl.create_default_context(),
        )
    else:
        smtp = smtplib.SMTP(target.host, target.port, timeout=SMTP_TIMEOUT_SECONDS)
    with smtp:
        if target.security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if target.user:
            smtp.login(target.user, target.password or "")
        smtp.send_message(email)
