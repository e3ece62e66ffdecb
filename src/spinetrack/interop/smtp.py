"""Sending e-mail over SMTP: the server's address as a URL (SPINETRACK_SMTP_URL) and one message
handed to it. An adapter: it knows nothing of patients, links or who is invited; the outbox
(services/followup/outbox.py) decides what to send and records what happened.
"""

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Literal
from urllib.parse import unquote, urlsplit

from spinetrack.domain.errors import InvalidInput

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


def deliver(target: SmtpTarget, sender: str, recipient: str, subject: str, body: str) -> None:
    """Send one plain-text message; raises OSError or smtplib.SMTPException when it cannot."""
    email = EmailMessage()
    email["From"] = sender
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
