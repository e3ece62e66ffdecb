"""A small demo clinic in a database of its own, and an empty copy of its accounts elsewhere: the
two ends of the round-trip tests (export, import into an empty database, export again)."""

from datetime import date
from pathlib import Path

from spinetrack.demo.cohort import generate_cohort
from spinetrack.demo.load import DEMO_PASSWORD, DEMO_SLUG, load_demo
from spinetrack.services.access.accounts import create_clinic, create_user
from spinetrack.services.access.actor import system_actor
from spinetrack.services.operations.database import Database, open_database

TODAY = date(2026, 6, 1)
PATIENTS = 30
SEED = 11
SYSTEM = system_actor("test")


def demo_source(directory: Path) -> tuple[Database, int]:
    """A SQLite database holding the demo clinic (30 patients)."""
    database = open_database(f"sqlite:///{directory / 'source.sqlite3'}")
    database.upgrade()
    # Registry records only: triage assessments are exported but never imported, so the round
    # trip compares the clinic without the demo's triage history.
    clinic_id = load_demo(database, patients=PATIENTS, seed=SEED, today=TODAY, triage=False)
    return database, clinic_id


def empty_demo_clinic(database: Database) -> int:
    """The demo clinic and its surgeons' accounts, with no patient data."""
    clinic_id = create_clinic(sessions=database.sessions, actor=SYSTEM, slug=DEMO_SLUG, name="Demo")
    for surgeon in generate_cohort(PATIENTS, SEED, TODAY).surgeons:
        create_user(
            sessions=database.sessions,
            actor=SYSTEM,
            email=surgeon.email,
            full_name=surgeon.full_name,
            password=DEMO_PASSWORD,
            clinic_id=clinic_id,
            role="clinician",
        )
    return clinic_id
