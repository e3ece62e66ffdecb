"""`spinetrack users rename` sets the name pages show instead of the e-mail (issue 18, point 12)."""

from typer.testing import CliRunner

from spinetrack.cli.main import app

runner = CliRunner()
NEW_USER = [
    "users",
    "create",
    "a@b.example",
    "--name",
    "A B",
    "--clinic",
    "west",
    "--role",
    "staff",
]


def test_an_account_is_renamed_and_listed_under_its_new_name(cli_database: str) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["clinics", "create", "west", "--name", "West"]).exit_code == 0
    created = runner.invoke(app, NEW_USER)
    assert created.exit_code == 0, created.output
    renamed = runner.invoke(app, ["users", "rename", "A@B.example", "--name", "  Ana   Bell "])
    assert renamed.exit_code == 0, renamed.output
    assert "a@b.example is now shown as Ana Bell" in renamed.stdout
    assert "Ana Bell" in runner.invoke(app, ["users", "list", "--clinic", "west"]).stdout
    blank = runner.invoke(app, ["users", "rename", "a@b.example", "--name", " "])
    assert blank.exit_code != 0 and "1 to 200 characters" in blank.output
