"""The `--clinic SLUG` every administrative command takes, turned into the clinic's id once.

A slug that names no clinic is the same clear error (exit 2) whichever command was given it."""

from spinetrack.cli.errors import fail
from spinetrack.services.clinician.clinic_overview import find_clinic
from spinetrack.storage.unit_of_work import UnitOfWorkFactory


def clinic_id_of(sessions: UnitOfWorkFactory, slug: str) -> int:
    clinic_id = find_clinic(sessions=sessions, slug=slug)
    if clinic_id is None:
        raise fail(f"no clinic {slug!r}")
    return clinic_id
