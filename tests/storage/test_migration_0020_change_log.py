"""Migration 0020 folds a change log written before it into one row per patient, keeping the
newest, so "which patients changed after version v" answers as before, and rows for every patient
stay."""

from pathlib import Path

from alembic import command
from sqlalchemy import insert, select

from spinetrack.services.operations.database import open_database
from spinetrack.storage.migrate import alembic_config
from spinetrack.storage.tables import AnalyticsChange, Clinic


def test_upgrading_to_0020_keeps_each_patients_newest_row(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'changes.sqlite3'}")
    try:
        config = alembic_config(database.engine.url.render_as_string(hide_password=False))
        with database.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0019")
        with database.engine.begin() as connection:
            north = connection.execute(
                insert(Clinic).values(slug="n", name="N").returning(Clinic.id)
            ).scalar_one()
            south = connection.execute(
                insert(Clinic).values(slug="s", name="S").returning(Clinic.id)
            ).scalar_one()
            written = [
                (north, 2, 7),
                (north, 3, 8),
                (north, 4, 7),
                (north, 5, None),
                (north, 6, None),
                (north, 7, 7),
                (south, 1, 7),
                (south, 2, 9),
                (south, 3, 9),
            ]
            connection.execute(
                insert(AnalyticsChange),
                [{"clinic_id": c, "data_version": v, "patient_id": p} for c, v, p in written],
            )
        database.upgrade()
        with database.engine.connect() as connection:
            kept = set(
                connection.execute(
                    select(
                        AnalyticsChange.clinic_id,
                        AnalyticsChange.data_version,
                        AnalyticsChange.patient_id,
                    )
                ).tuples()
            )
        assert kept == {
            (north, 3, 8),
            (north, 5, None),
            (north, 6, None),
            (north, 7, 7),
            (south, 1, 7),
            (south, 3, 9),
        }
    finally:
        database.close()
