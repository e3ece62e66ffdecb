"""`spinetrack db`, `spinetrack demo` and `--version`: what a person sees, and exit codes."""

from tests.conftest import row_counts
from typer.testing import CliRunner

from spinetrack import __version__
from spinetrack.cli.main import app
from spinetrack.services.operations.database import open_database

runner = CliRunner()


def test_version_prints_the_package_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"spinetrack {__version__}"


def test_db_upgrade_then_status_says_up_to_date(cli_database: str) -> None:
    assert runner.invoke(app, ["db", "status"]).exit_code == 1
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    status = runner.invoke(app, ["db", "status"])
    assert status.exit_code == 0 and "up to date" in status.stdout


def test_demo_loads_once_then_refuses_unless_reset(cli_database: str) -> None:
    first = runner.invoke(app, ["demo", "--patients", "40", "--seed", "3"])
    assert first.exit_code == 0, first.output
    assert "40 patients" in first.stdout and "admin@demo.spinetrack.example" in first.stdout
    # Without a terminal for the bar, each step is a line as it starts.
    steps = iter(first.stderr.splitlines())
    for expected in (
        "generating 40 patients",
        "creating the clinic and its accounts…",
        "storing patients…",
        "storing the pre-operative records…",
        "storing the triage history…",
    ):  # each step is named, in this order (a line may carry more, e.g. how long it may take)
        assert any(line.startswith(expected) for line in steps), expected
    again = runner.invoke(app, ["demo", "--patients", "40"])
    assert again.exit_code == 2 and "--reset" in again.stderr
    skipped = runner.invoke(app, ["demo", "--if-empty"])
    assert skipped.exit_code == 0 and "already loaded" in skipped.stdout
    reset = runner.invoke(app, ["demo", "--patients", "25", "--reset"])
    assert reset.exit_code == 0, reset.output
    database = open_database(cli_database)
    try:
        assert row_counts(database)["patients"] == 25
    finally:
        database.close()


def test_demo_refuses_a_nonsense_size_and_touches_nothing(cli_database: str) -> None:
    result = runner.invoke(app, ["demo", "--patients", "0"])
    assert result.exit_code == 2
    assert "--patients" in result.stderr
    database = open_database(cli_database)
    try:
        assert not database.is_current()
    finally:
        database.close()


def test_a_malformed_database_url_is_a_clear_error(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from spinetrack.config import get_settings

    monkeypatch.setenv("SPINETRACK_DATABASE_URL", "not a url at all")
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["db", "upgrade"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "SPINETRACK_DATABASE_URL" in result.stderr


def test_an_unreachable_database_is_a_clear_error(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from spinetrack.config import get_settings

    monkeypatch.setenv("SPINETRACK_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["db", "upgrade"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "cannot use the database" in result.stderr
