"""`spinetrack reminders queue` and `spinetrack outbox send`: the e-mail invitations and the one
reminder for due follow-ups. Run both daily (cron or a systemd timer); each is safe to repeat.

Queuing needs no mail server; sending needs SPINETRACK_SMTP_URL, and a failed send stays queued.
"""

from datetime import date

import typer

from spinetrack.cli.errors import explains_errors, fail
from spinetrack.cli.opened import opened_database
from spinetrack.config import get_settings
from spinetrack.services.access.actor import system_actor
from spinetrack.services.followup.outbox import send_pending
from spinetrack.services.followup.reminder_queue import queue_messages

reminders_app = typer.Typer(help="Queue follow-up invitations and reminders.", no_args_is_help=True)
outbox_app = typer.Typer(help="Send the queued e-mails.", no_args_is_help=True)


@reminders_app.command("queue")
@explains_errors
def queue(
    today: str = typer.Option("", "--today", help="Date to plan for (YYYY-MM-DD); default today."),
) -> None:
    """Queue invitations for due follow-ups and one reminder for unanswered invitations."""
    try:
        day = date.fromisoformat(today) if today else None
    except ValueError as exc:
        raise fail(f"--today: {today!r} is not a date (YYYY-MM-DD)") from exc
    with opened_database() as database:
        queued = queue_messages(
            sessions=database.sessions, actor=system_actor("cli:reminders"), today=day
        )
    typer.echo(f"queued {queued.invitations} invitation(s) and {queued.reminders} reminder(s)")


@outbox_app.command("send")
@explains_errors
def send() -> None:
    """Send every queued e-mail through SPINETRACK_SMTP_URL; failures are kept for a retry."""
    url = get_settings().smtp_url
    if url is None or not url.get_secret_value():
        raise fail("SPINETRACK_SMTP_URL is not set (e.g. smtp://mail.example.org:25)")
    with opened_database() as database:
        result = send_pending(
            sessions=database.sessions,
            actor=system_actor("cli:outbox"),
            smtp_url=url.get_secret_value(),
        )
    typer.echo(f"sent {result.sent}, failed {result.failed}, skipped {result.skipped}")
    if result.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(reminders_app, name="reminders")
    app.add_typer(outbox_app, name="outbox")
