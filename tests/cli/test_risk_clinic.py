"""`spinetrack risk fit --clinic SLUG --out MODEL` (shared/spec/risk.md): the model fitted from a
clinic's stored record, refused with the numbers (exit 3) when the clinic has too few patients with
a 12-month outcome; a table and a clinic together, or neither, is a usage error (exit 2)."""

from pathlib import Path

from typer.testing import CliRunner

from spinetrack.cli.main import app

runner = CliRunner()


def test_a_small_clinic_is_refused_with_the_numbers_and_nothing_is_written(
    cli_database: str, tmp_path: Path
) -> None:
    assert runner.invoke(app, ["demo", "--patients", "60", "--seed", "5"]).exit_code == 0
    out = tmp_path / "model.json"
    result = runner.invoke(app, ["risk", "fit", "--clinic", "demo", "--out", str(out)])
    assert result.exit_code == 3, result.output
    assert "too few patients" in result.output
    assert any(ch.isdigit() for ch in result.output.split("too few patients")[1])
    assert not out.exists()


def test_a_table_and_a_clinic_together_or_neither_is_a_usage_error(
    cli_database: str, tmp_path: Path
) -> None:
    out = str(tmp_path / "model.json")
    neither = runner.invoke(app, ["risk", "fit", "--out", out])
    assert neither.exit_code == 2
    assert "--clinic" in neither.output
    table = tmp_path / "t.csv"
    table.write_text("patient_id\n")
    both = runner.invoke(app, ["risk", "fit", str(table), "--clinic", "demo", "--out", out])
    assert both.exit_code == 2
    assert "one of the two" in both.output


def test_an_unknown_clinic_is_named(cli_database: str, tmp_path: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(
        app, ["risk", "fit", "--clinic", "nowhere", "--out", str(tmp_path / "m.json")]
    )
    assert result.exit_code == 2
    assert "nowhere" in result.output
