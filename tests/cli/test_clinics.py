"""`spinetrack clinics create|list` and `spinetrack users add-to-clinic`: a second site in one
installation, and one account working in two clinics with one password."""

from typer.testing import CliRunner

from spinetrack.cli.main import app
from spinetrack.services.accounts import authenticate
from spinetrack.services.database import open_database

runner = CliRunner()


def test_clinics_are_created_listed_and_share_an_account(cli_database: str) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    made = runner.invoke(app, ["clinics", "create", "north", "--name", "North Spine"])
    assert made.exit_code == 0, made.output
    assert (
        runner.invoke(app, ["clinics", "create", "south", "--name", "South Spine"]).exit_code == 0
    )
    created = runner.invoke(
        app,
        [
            "users",
            "create",
            "ana@north.example",
            "--name",
            "Ana",
            "--clinic",
            "north",
            "--role",
            "clinician",
            "--password",
            "tidal-basin-4471",
        ],
    )
    assert created.exit_code == 0, created.output
    added = runner.invoke(
        app, ["users", "add-to-clinic", "ana@north.example", "--clinic", "south", "--role", "staff"]
    )
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["clinics", "list"]).output
    assert "North Spine" in listed and "South Spine" in listed
    assert [line.split()[-2:] for line in listed.splitlines() if "Spine" in line]
    database = open_database(cli_database)
    try:
        actor = authenticate(
            sessions=database.sessions, email="ana@north.example", password="tidal-basin-4471"
        )
    finally:
        database.close()
    assert sorted(actor.roles.values()) == ["clinician", "staff"]


def test_bad_clinic_and_membership_commands_exit_2_with_the_reason(cli_database: str) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["clinics", "create", "north", "--name", "North"]).exit_code == 0
    again = runner.invoke(app, ["clinics", "create", "north", "--name", "Again"])
    assert again.exit_code == 2 and "already exists" in again.stderr
    bad = runner.invoke(app, ["clinics", "create", "No Spaces!", "--name", "X"])
    assert bad.exit_code == 2 and "slug" in bad.stderr
    nobody = runner.invoke(
        app, ["users", "add-to-clinic", "nobody@x.example", "--clinic", "north", "--role", "staff"]
    )
    assert nobody.exit_code == 2 and "no account" in nobody.stderr
    runner.invoke(
        app,
        [
            "users",
            "create",
            "bo@x.example",
            "--name",
            "Bo",
            "--clinic",
            "north",
            "--role",
            "staff",
            "--password",
            "tidal-basin-4471",
        ],
    )
    twice = runner.invoke(
        app, ["users", "add-to-clinic", "bo@x.example", "--clinic", "north", "--role", "admin"]
    )
    assert twice.exit_code == 2 and "already has a role" in twice.stderr
