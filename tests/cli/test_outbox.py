"""`spinetrack reminders queue` and `spinetrack outbox send`, as a cron job would run them."""

import pytest
from tests.support.records import due_patient
from tests.support.smtp import Catcher
from tests.support.world import build_world
from typer.testing import CliRunner

from spinetrack.cli.main import app
from spinetrack.config import get_settings
from spinetrack.services.operations.database import open_database

runner = CliRunner()


def test_queue_then_send_through_the_configured_mail_server(
    cli_database: str,
    monkeypatch: pytest.MonkeyPatch,
    smtp: tuple[str, Catcher],
) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    database = open_database()
    try:
        due_patient(build_world(database), "CLI-1")
    finally:
        database.close()
    queued = runner.invoke(app, ["reminders", "queue"])
    assert queued.exit_code == 0, queued.output
    assert "queued 1 invitation(s) and 0 reminder(s)" in queued.output
    url, catcher = smtp
    monkeypatch.setenv("SPINETRACK_SMTP_URL", url)
    get_settings.cache_clear()
    sent = runner.invoke(app, ["outbox", "send"])
    assert sent.exit_code == 0, sent.output
    assert "sent 1, failed 0, skipped 0" in sent.output
    assert len(catcher.messages) == 1


def test_sending_without_a_mail_server_is_a_clear_error(
    cli_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SPINETRACK_SMTP_URL", raising=False)
    get_settings.cache_clear()
    result = runner.invoke(app, ["outbox", "send"])
    assert result.exit_code == 2
    assert "SPINETRACK_SMTP_URL is not set" in result.output


def test_a_wrong_date_is_refused(cli_database: str) -> None:
    result = runner.invoke(app, ["reminders", "queue", "--today", "next tuesday"])
    assert result.exit_code == 2
    assert "not a date" in result.output
