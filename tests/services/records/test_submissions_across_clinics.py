"""A questionnaire stored in one clinic never waits for a write of another clinic (issue 21).

On PostgreSQL, one clinic's submission is held open at the moment it holds the most locks (every
statement run, the data version bumped, the commit about to be sent) while a second submission
runs. In another clinic it completes meanwhile: no row, head or counter is shared by two clinics
(the audit entry is one plain INSERT; the chain's head is taken by the sealer alone). In the same
clinic it waits, on the clinic's data-version row, which shows that the hold is real. SQLite has
one writer for the whole file, so the question is PostgreSQL's alone."""

import threading
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Connection, event
from tests.support.records import fusion, new_patient
from tests.support.world import World, build_world

from spinetrack.services.access.actor import Actor, system_actor
from spinetrack.services.operations.database import Database
from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.services.records.record_response import NewResponse, record_response
from spinetrack.services.records.register_surgery import register_surgery

HOLDER = "holding-submission"
WAIT_SECONDS = 20.0
"""How long the first submission is held at most when the second should not wait for it."""
HOLD_SECONDS = 2.0
"""How long it is held when the second should wait: the second finishes only after it."""


@pytest.fixture
def world(database: Database) -> World:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer for the whole file")
    return build_world(database)


def _operated(world: World, clinic: int, mrn: str) -> int:
    system = system_actor("test")
    patient = register_patient(
        sessions=world.database.sessions, actor=system, clinic_id=clinic, patient=new_patient(mrn)
    ).id
    register_surgery(
        sessions=world.database.sessions,
        actor=system,
        clinic_id=clinic,
        patient_id=patient,
        surgery=fusion(performed_on=date(2025, 3, 4)),
    )
    return patient


def _submit(world: World, actor: Actor, clinic: int, patient: int) -> None:
    record_response(
        sessions=world.database.sessions,
        actor=actor,
        clinic_id=clinic,
        patient_id=patient,
        response=NewResponse(
            instrument="odi",
            completed_at=datetime(2025, 6, 4, tzinfo=UTC),
            answers={f"odi_{i}": 2 for i in range(1, 11)},
        ),
    )


def _second_finishes_while_first_is_held(
    world: World, first: tuple[int, int], second: tuple[int, int], hold: float
) -> bool:
    """Hold `first` (clinic, patient)'s submission at its commit, run `second`'s meanwhile, and
    say whether the second completed before the first was let go."""
    holding, second_done, released = threading.Event(), threading.Event(), threading.Event()
    finished_while_held: list[bool] = []
    errors: list[BaseException] = []

    def hold_at_commit(_connection: Connection) -> None:
        if threading.current_thread().name == HOLDER and not holding.is_set():
            holding.set()
            second_done.wait(hold)
            released.set()

    def run(clinic: int, patient: int, after: threading.Event | None = None) -> None:
        try:
            actor = system_actor("test")
            _submit(world, actor, clinic, patient)
            if after is not None:
                finished_while_held.append(not released.is_set())
                after.set()
        except BaseException as error:  # reported by the main thread
            errors.append(error)
            holding.set()

    event.listen(world.database.engine, "commit", hold_at_commit)
    try:
        holder = threading.Thread(target=run, args=first, name=HOLDER)
        holder.start()
        assert holding.wait(WAIT_SECONDS)
        other = threading.Thread(target=run, args=(*second, second_done))
        other.start()
        other.join(WAIT_SECONDS * 2)
        holder.join(WAIT_SECONDS * 2)
    finally:
        event.remove(world.database.engine, "commit", hold_at_commit)
    assert not errors, errors
    return finished_while_held == [True]


def test_a_submission_in_another_clinic_does_not_wait(world: World) -> None:
    north = _operated(world, world.clinic, "N-1")
    south = _operated(world, world.other_clinic, "S-1")
    assert _second_finishes_while_first_is_held(
        world, (world.clinic, north), (world.other_clinic, south), hold=WAIT_SECONDS
    )


def test_a_submission_in_the_same_clinic_waits_for_its_data_version(world: World) -> None:
    first = _operated(world, world.clinic, "N-1")
    second = _operated(world, world.clinic, "N-2")
    assert not _second_finishes_while_first_is_held(
        world, (world.clinic, first), (world.clinic, second), hold=HOLD_SECONDS
    )
