"""`spinetrack rules check`: passes on the shipped rules, fails with exit 2 on a broken copy."""

import shutil
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from spinetrack.cli.main import app

runner = CliRunner()


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    source = resources.files("spinetrack").joinpath("knowledge", "triage")
    target = tmp_path / "triage"
    with resources.as_file(source) as folder:
        shutil.copytree(folder, target)
    return target


def test_the_shipped_rules_pass_with_a_summary() -> None:
    result = runner.invoke(app, ["rules", "check"])
    assert result.exit_code == 0, result.stderr
    assert "OK" in result.stdout and "19 causes" in result.stdout


def test_an_unchanged_copy_passes(rules_copy: Path) -> None:
    result = runner.invoke(app, ["rules", "check", "--dir", str(rules_copy)])
    assert result.exit_code == 0, result.stderr


def test_a_broken_copy_fails_with_exit_2_listing_the_problems(rules_copy: Path) -> None:
    path = rules_copy / "red_flags.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["red_flags"][0]["criteria"] = {"type": "finding", "id": "saddle_anaesthesia"}
    data["red_flags"][1]["sources"] = []
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", "--dir", str(rules_copy)])
    assert result.exit_code == 2
    assert "problem: red_flags.yaml: red_flags.1.sources:" in result.stderr
    assert result.stderr.rstrip().endswith("problem(s) in the rules files")


def test_an_unreachable_rule_fails_the_check(rules_copy: Path) -> None:
    path = rules_copy / "red_flags.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["red_flags"][0]["criteria"] = {
        "type": "all_of",
        "of": [
            {"type": "region", "one_of": ["cervical"]},
            {"type": "region", "one_of": ["lumbar"]},
        ],
    }
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", "--dir", str(rules_copy)])
    assert result.exit_code == 2
    assert "red_flags.0.criteria: can never hold" in result.stderr


def test_a_folder_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "check", "--dir", str(tmp_path / "none")])
    assert result.exit_code == 2


def test_reassess_stores_a_fresh_assessment_for_every_operated_patient(cli_database: str) -> None:
    from sqlalchemy import func, select

    from spinetrack.services.operations.database import open_database
    from spinetrack.storage.tables import Surgery, TriageAssessment

    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["demo", "--patients", "40"]).exit_code == 0
    database = open_database(cli_database)
    try:
        with database.sessions.sessionmaker() as session:
            before = session.scalar(select(func.count()).select_from(TriageAssessment)) or 0
            operated = session.scalar(
                select(func.count(func.distinct(Surgery.patient_id))).where(
                    Surgery.performed_on <= date(2030, 1, 1), Surgery.planned.is_(False)
                )
            )
        result = runner.invoke(app, ["rules", "reassess", "--clinic", "demo", "--on", "2030-01-01"])
        assert result.exit_code == 0, result.output
        assert f"assessed {operated} operated patients as of 2030-01-01" in result.stdout
        with database.sessions.sessionmaker() as session:
            after = session.scalar(select(func.count()).select_from(TriageAssessment))
        assert after == before + operated
    finally:
        database.close()


def test_reassess_refuses_a_date_it_cannot_read(cli_database: str) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["rules", "reassess", "--clinic", "demo", "--on", "next week"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.stderr


def test_refresh_outcomes_brings_every_stale_outcome_row_back_to_the_record(
    cli_database: str,
) -> None:
    from sqlalchemy import select, update

    from spinetrack.services.operations.database import open_database
    from spinetrack.storage.tables import AuditEntry, PatientOutcome

    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["demo", "--patients", "40", "--no-model"]).exit_code == 0
    database = open_database(cli_database)
    columns = (PatientOutcome.patient_id, PatientOutcome.status, PatientOutcome.losing_ground)
    try:
        with database.sessions.sessionmaker.begin() as session:
            fresh = sorted(session.execute(select(*columns)).tuples())
            # As changed rules or an upgrade leave them: statuses and flags the record no longer gives.
            session.execute(update(PatientOutcome).values(status="too_early", losing_ground=True))
        result = runner.invoke(app, ["rules", "refresh-outcomes", "--clinic", "demo"])
        assert result.exit_code == 0, result.output
        assert f"demo: recomputed the outcome of {len(fresh)} patients" in result.stdout
        with database.sessions.sessionmaker() as session:
            assert sorted(session.execute(select(*columns)).tuples()) == fresh
            actions = session.scalars(select(AuditEntry.action)).all()
        assert "outcomes.refresh_clinic" in actions
    finally:
        database.close()


def test_refresh_outcomes_names_an_unknown_clinic(cli_database: str) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["rules", "refresh-outcomes", "--clinic", "nowhere"])
    assert result.exit_code == 2
    assert "nowhere" in result.output
