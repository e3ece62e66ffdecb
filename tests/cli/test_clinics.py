"""`spinetrack clinics create|list` and `spinetrack users add-to-clinic`: a second site in one
installation, and one account working in two clinics with one password."""

from sqlalchemy import select
from typer.testing import CliRunner

from spinetrack.cli.main import app
from spinetrack.services.access.accounts import authenticate
from spinetrack.services.operations.database import open_database
from spinetrack.storage.tables import Clinic

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


def test_the_clinic_phone_patients_are_told_to_call_is_set_and_checked(cli_database: str) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["clinics", "create", "north", "--name", "North"]).exit_code == 0
    set_ = runner.invoke(app, ["clinics", "contact", "north", "--phone", "+44 1632 960000"])
    assert set_.exit_code == 0, set_.output
    database = open_database(cli_database)
    try:
        with database.sessions.sessionmaker() as session:
            phone = session.scalar(select(Clinic.contact_phone).where(Clinic.slug == "north"))
    finally:
        database.close()
    assert phone == "+44 1632 960000"
    bad = runner.invoke(app, ["clinics", "contact", "north", "--phone", "call reception"])
    assert bad.exit_code == 2 and "phone" in bad.stderr
    unknown = runner.invoke(app, ["clinics", "contact", "nowhere", "--phone", "0123 456789"])
    assert unknown.exit_code == 2 and "nowhere" in unknown.stderr


def test_the_clinic_time_zone_is_set_and_checked(cli_database: str) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["clinics", "create", "north", "--name", "North"]).exit_code == 0
    set_ = runner.invoke(app, ["clinics", "timezone", "north", "Pacific/Auckland"])
    assert set_.exit_code == 0, set_.output
    assert "Pacific/Auckland" in set_.output
    database = open_database(cli_database)
    try:
        with database.sessions.sessionmaker() as session:
            zone = session.scalar(select(Clinic.time_zone).where(Clinic.slug == "north"))
    finally:
        database.close()
    assert zone == "Pacific/Auckland"
    bad = runner.invoke(app, ["clinics", "timezone", "north", "Auckland"])
    assert bad.exit_code == 2 and "IANA" in bad.stderr
    unknown = runner.invoke(app, ["clinics", "timezone", "nowhere", "UTC"])
    assert unknown.exit_code == 2 and "nowhere" in unknown.stderr
