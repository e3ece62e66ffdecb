"""`spinetrack audit verify|show` as an operator runs them: the keyed chain against a checkpoint
copy kept elsewhere, and a bulk read listed under each patient it returned."""

from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner

from spinetrack.cli.main import app
from spinetrack.config import get_settings
from spinetrack.services.access.actor import system_actor
from spinetrack.services.operations.database import open_database
from spinetrack.services.records.enrol_patient import list_patients

runner = CliRunner()


def _loaded(cli_database: str) -> str:
    result = runner.invoke(app, ["demo", "--patients", "15", "--seed", "4"])
    assert result.exit_code == 0, result.output
    return cli_database


def test_verify_against_a_shipped_checkpoint_copy_finds_a_cut_tail(
    cli_database: str, tmp_path: Path
) -> None:
    _loaded(cli_database)
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0
    shipped = tmp_path / "shipped-checkpoints.jsonl"
    local = get_settings().resolved_audit_checkpoint()
    shipped.write_text(local.read_text())
    database = open_database(cli_database)
    with database.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_entries WHERE seq > 10"))
        connection.execute(
            text(
                "UPDATE audit_head SET seq = 10,"
                " entry_hash = (SELECT entry_hash FROM audit_entries WHERE seq = 10)"
            )
        )
    database.close()
    local.unlink()
    broken = runner.invoke(app, ["audit", "verify", "--checkpoints", str(shipped)])
    assert broken.exit_code == 1
    assert "removed from the end" in broken.stderr
    missing = runner.invoke(app, ["audit", "verify", "--checkpoints", str(tmp_path / "nope")])
    assert missing.exit_code == 2


def test_show_lists_a_bulk_read_under_each_patient_it_returned(cli_database: str) -> None:
    _loaded(cli_database)
    database = open_database(cli_database)
    try:
        page = list_patients(
            sessions=database.sessions,
            actor=system_actor("someone-browsing"),
            clinic_id=1,
            offset=0,
            limit=500,
        )
    finally:
        database.close()
    last = page.items[-1].id
    shown = runner.invoke(app, ["audit", "show", "--patient", str(last)])
    assert shown.exit_code == 0
    assert "someone-browsing" in shown.stdout and "patient.list" in shown.stdout
