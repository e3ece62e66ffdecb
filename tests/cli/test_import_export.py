"""`spinetrack import` and `spinetrack export` as a user runs them: a CSV in, a FHIR Bundle out and
back in, and unusable input ending with a clear message and exit status 2."""

from pathlib import Path

from typer.testing import CliRunner

from spinetrack.cli.main import app
from spinetrack.services.access.accounts import create_clinic
from spinetrack.services.access.actor import system_actor
from spinetrack.services.operations.database import open_database

runner = CliRunner()
PATIENTS = "mrn,given_name,family_name,birth_date,sex\nC-1,Eva,Moe,1966-03-03,female\nC-2,Bo,Lie,1971-13-01,male\n"


def _clinic(url: str, slug: str = "west") -> None:
    database = open_database(url)
    database.upgrade()
    create_clinic(sessions=database.sessions, actor=system_actor("test"), slug=slug, name=slug)
    database.close()


def test_a_csv_imports_valid_rows_and_writes_the_rejected_ones_to_a_report(
    cli_database: str, tmp_path: Path
) -> None:
    _clinic(cli_database)
    source, report = tmp_path / "patients.csv", tmp_path / "rejects.csv"
    source.write_text(PATIENTS)
    args = ["import", "csv", str(source), "--kind", "patients", "--clinic", "west"]
    result = runner.invoke(app, [*args, "--mode", "accept-valid", "--rejects", str(report)])
    assert result.exit_code == 0, result.output
    assert "patients: 1 new" in result.output
    assert report.read_text().splitlines()[1].startswith("3,birth_date,")


def test_all_or_nothing_refuses_the_file_with_exit_2(cli_database: str, tmp_path: Path) -> None:
    _clinic(cli_database)
    source = tmp_path / "patients.csv"
    source.write_text(PATIENTS)
    result = runner.invoke(
        app, ["import", "csv", str(source), "--kind", "patients", "--clinic", "west"]
    )
    assert result.exit_code == 2
    assert "nothing imported" in result.output


def test_unusable_input_exits_2_with_a_message(cli_database: str, tmp_path: Path) -> None:
    _clinic(cli_database)
    semicolons = tmp_path / "semi.csv"
    semicolons.write_text(PATIENTS.replace(",", ";"))
    for args, message in [
        (
            ["import", "csv", str(semicolons), "--kind", "patients", "--clinic", "west"],
            "separated by commas",
        ),
        (
            ["import", "csv", str(semicolons), "--kind", "doctors", "--clinic", "west"],
            "unknown --kind",
        ),
        (["import", "fhir", str(semicolons), "--clinic", "west"], "not JSON"),
        (["import", "fhir", str(tmp_path / "none.json"), "--clinic", "west"], "no such file"),
        (
            ["export", "--format", "xml", "--clinic", "west", "--out", str(tmp_path)],
            "unknown --format",
        ),
        (
            ["export", "--format", "csv", "--clinic", "east", "--out", str(tmp_path / "x")],
            "no clinic",
        ),
    ]:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert message in result.output, args


def test_a_fhir_export_imports_into_another_clinic_database(
    cli_database: str, tmp_path: Path
) -> None:
    _clinic(cli_database)
    source = tmp_path / "patients.csv"
    source.write_text(PATIENTS.splitlines()[0] + "\n" + PATIENTS.splitlines()[1] + "\n")
    runner.invoke(app, ["import", "csv", str(source), "--kind", "patients", "--clinic", "west"])
    bundle = tmp_path / "west.json"
    result = runner.invoke(
        app, ["export", "--format", "fhir", "--clinic", "west", "--out", str(bundle)]
    )
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["import", "fhir", str(bundle), "--clinic", "west"])
    assert again.exit_code == 0, again.output
    assert "patients: 0 new, 0 updated, 1 already stored" in again.output


def test_a_deidentified_csv_export_has_pseudonyms_and_no_names(
    cli_database: str, tmp_path: Path, monkeypatch: object
) -> None:
    _clinic(cli_database)
    source = tmp_path / "patients.csv"
    source.write_text(PATIENTS.splitlines()[0] + "\n" + PATIENTS.splitlines()[1] + "\n")
    runner.invoke(app, ["import", "csv", str(source), "--kind", "patients", "--clinic", "west"])
    monkeypatch.setenv("SPINETRACK_SECRET_KEY", "cli test secret, long enough")  # type: ignore[attr-defined]
    from spinetrack.config import get_settings

    get_settings.cache_clear()
    out = tmp_path / "plain"
    result = runner.invoke(
        app, ["export", "--format", "csv", "--clinic", "west", "--out", str(out), "--deidentify"]
    )
    assert result.exit_code == 0, result.output
    text = (out / "patients.csv").read_text()
    assert text.startswith("pseudonym,birth_date,sex") and "C-1" not in text and "Eva" not in text
