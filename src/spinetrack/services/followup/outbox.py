"""The e-mail outbox's sender: every queued invitation and reminder (reminder_queue.py) is sent
once through the SMTP adapter (interop/smtp.py), and every send, failure or skip is recorded as a
contact attempt beside the staff's own calls, so a mail server that is down loses nothing: the
message waits and is tried again. The link is rebuilt from the message's seed at sending.
"""

import smtplib
from dataclasses import dataclass
from datetime import UTC, datetime

from spinetrack.config import get_settings
from spinetrack.interop.smtp import SmtpTarget, deliver, parse_smtp_url
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.patient_links import token_for_seed
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.followup.email_wording import LINK_PLACEHOLDER
from spinetrack.storage.tables import ContactAttempt
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

MAX_ATTEMPTS = 3
"""A message that failed this many times is given up and left to the chase list."""
SEND_BATCH = 200


def _public_url() -> str:
    settings = get_settings()
    return settings.resolved_public_url()


@dataclass(frozen=True)
class Sent:
    sent: int
    failed: int
    skipped: int


def send_pending(*, sessions: UnitOfWorkFactory, actor: Actor, smtp_url: str) -> Sent:
    """Send every queued message once; each send, failure or skip is recorded with the message."""
    target = parse_smtp_url(smtp_url)
    with sessions(read_only=True) as uow:
        queue = [m.id for m in uow.outbox.pending(limit=SEND_BATCH)]
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    for message_id in queue:
        counts[_send_one(sessions, actor, target, message_id)] += 1
    return Sent(**counts)


def _send_one(
    sessions: UnitOfWorkFactory, actor: Actor, target: SmtpTarget, message_id: int
) -> str:
    with sessions() as uow:
        found = uow.outbox.get(message_id)
        assert found is not None
        clinic_id, patient_id = found.clinic_id, found.patient_id
    with audited(
        sessions, actor, "outbox.send", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id)
        message = work.uow.outbox.get(message_id, lock=True)
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
            deliver(
                target,
                get_settings().smtp_from,
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
        work.uow.followup(clinic_id).add_contact(
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
