"""Migration 0004 fills the worklist columns of outcome rows that existed before it."""

from datetime import date, timedelta
from pathlib import Path

from alembic import command
from sqlalchemy import select
from tests.support.records import failing
from tests.support.world import build_world

from spinetrack.domain.outcomes.followup import next_followup
from spinetrack.services.operations.database import open_database
from spinetrack.services.triage.assess_patient import (
    AssessmentRequest,
    NewFinding,
    assess_patient,
    record_finding,
)
from spinetrack.storage.migrate import alembic_config
from spinetrack.storage.tables import PatientOutcome


def test_downgrading_below_0004_and_upgrading_again_restores_every_column(
    tmp_path: Path,
) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'backfill.sqlite3'}")
    try:
        database.upgrade()
        world = build_world(database)
        patient = failing(world, "BF1")
        record_finding(
            sessions=database.sessions,
            actor=world.clinician,
            clinic_id=world.clinic,
            patient_id=patient,
            finding=NewFinding(finding="fever", observed_on=date.today()),
        )
        assess_patient(
            sessions=database.sessions,
            actor=world.clinician,
            clinic_id=world.clinic,
            patient_id=patient,
            request=AssessmentRequest(),
        )
        columns = (
            "index_surgery_id",
            "region",
            "procedure",
            "surgeon_id",
            "surgery_date",
            "next_timepoint",
            "next_due_on",
            "next_window_closes_on",
            "red_flag",
            "latest_assessment_id",
        )

        def stored() -> dict[str, object]:
            with database.sessions.sessionmaker() as session:
                row = session.scalar(
                    select(PatientOutcome).where(PatientOutcome.patient_id == patient)
                )
                assert row is not None
                return {name: getattr(row, name) for name in columns}

        before = stored()
        assert before["red_flag"] is True and before["next_timepoint"] is not None
        config = alembic_config(database.engine.url.render_as_string(hide_password=False))
        with database.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0003")
        database.upgrade()
        assert stored() == before
        surgery_day = date.today() - timedelta(days=100)
        expected = next_followup(surgery_day, {"baseline", "3m"}, date.today())
        assert expected is not None and before["next_due_on"] == expected.due_on
    finally:
        database.close()
