"""The statements every submission runs, built once (repositories and the audit chain)."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError
from tests.support.world import TOKENS, World

from spinetrack.domain.errors import NotFound
from spinetrack.services.access.actor import CLINICAL_ROLES
from spinetrack.services.access.credentials import digest
from spinetrack.services.access.sign_in import token_actor
from spinetrack.storage.tables import ApiToken, Patient, PatientOutcome, Surgery


def _outcome(patient_id: int, status: str) -> dict[str, object]:
    """Every column of an outcome row but the clinic (the repository adds it)."""
    return {
        "patient_id": patient_id,
        "status": status,
        "latest_timepoint": None,
        "disability_instrument": None,
        "disability_improvement": None,
        "pain_improvement": None,
        "index_surgery_id": None,
        "region": None,
        "procedure": None,
        "surgeon_id": None,
        "surgery_date": None,
        "next_timepoint": None,
        "next_due_on": None,
        "next_window_closes_on": None,
        "red_flag": False,
        "losing_ground": False,
        "latest_assessment_id": None,
        "computed_at": datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
    }


def _new_patient(world: World, mrn: str) -> int:
    with world.database.sessions() as uow:
        patient = uow.patients(world.clinic).add(
            Patient(
                mrn=mrn,
                given_name="Ida",
                family_name="Lund",
                birth_date=date(1955, 5, 5),
                sex="female",
            )
        )
        uow.commit()
        return patient.id


def test_upsert_inserts_a_missing_outcome_then_overwrites_it(world: World) -> None:
    patient = _new_patient(world, "HOT-1")
    with world.database.sessions() as uow:
        uow.session.execute(
            PatientOutcome.__table__.delete().where(PatientOutcome.patient_id == patient)
        )
        uow.patients(world.clinic).upsert_outcome(_outcome(patient, "no_baseline"))
        uow.commit()
    with world.database.sessions() as uow:
        stored = uow.session.get(PatientOutcome, patient)
        assert stored is not None and stored.status == "no_baseline"
        assert stored.clinic_id == world.clinic
        uow.patients(world.clinic).upsert_outcome(_outcome(patient, "failing"))
        # The copy this session had loaded is read afresh, not left saying "no_baseline".
        assert stored.status == "failing"
        uow.commit()
    with world.database.sessions() as uow:
        count = uow.session.scalars(
            select(PatientOutcome).where(PatientOutcome.patient_id == patient)
        ).all()
        assert [row.status for row in count] == ["failing"]


def test_lock_finds_only_the_clinics_own_patient(world: World) -> None:
    patient = _new_patient(world, "HOT-2")
    with world.database.sessions() as uow:
        uow.patients(world.clinic).lock(patient)
        with pytest.raises(NotFound):
            uow.patients(world.other_clinic).lock(patient)


def test_lock_reads_the_clinics_zone(world: World) -> None:
    patient = _new_patient(world, "HOT-3")
    with world.database.sessions() as uow:
        zone = uow.clinics.get(world.clinic).time_zone  # type: ignore[union-attr]
        assert uow.patients(world.clinic).lock(patient).zone == zone


def test_status_inputs_read_status_surgeries_and_scores_in_order(world: World) -> None:
    patient = _new_patient(world, "HOT-4")
    with world.database.sessions() as uow:
        repo = uow.patients(world.clinic)
        empty = repo.status_inputs(patient)
        assert (empty.stored, empty.status, empty.surgeries, empty.scored) == (False, None, [], [])
        for performed_on, planned in (
            (date(2025, 3, 1), False),
            (date(2024, 1, 1), False),
            (date(2026, 9, 9), True),
        ):
            repo.add_row(
                Surgery(
                    patient_id=patient,
                    performed_on=performed_on,
                    region="lumbar",
                    procedure="fusion",
                    approach="posterior",
                    levels=["L4-L5"],
                    instrumented=True,
                    planned=planned,
                )
            )
        for day, percent in ((date(2025, 6, 1), 40.0), (date(2025, 2, 1), 60.0)):
            repo.insert_response(
                {
                    "patient_id": patient,
                    "instrument": "odi",
                    "instrument_version": "2.1a",
                    "completed_at": datetime(day.year, day.month, day.day, 9, tzinfo=UTC),
                    "source": "clinic",
                    "answers": {},
                    "score_status": "ok",
                    "score_answered": 10,
                    "score_raw": percent / 2,
                    "score_percent": percent,
                    "score_reason": "",
                    "entered_by_id": None,
                }
            )
        repo.upsert_outcome(_outcome(patient, "relapsed"))
        uow.commit()
    with world.database.sessions() as uow:
        read = uow.patients(world.clinic).status_inputs(patient)
        assert (read.stored, read.status) == (True, "relapsed")
        # The planned surgery is no outcome; both lists are oldest first, with typed values.
        assert [s.performed_on for s in read.surgeries] == [date(2024, 1, 1), date(2025, 3, 1)]
        assert [(r.instrument, r.score_percent) for r in read.scored] == [
            ("odi", 60.0),
            ("odi", 40.0),
        ]
        assert read.scored[0].completed_at == datetime(2025, 2, 1, 9, tzinfo=UTC)
        assert read.scored[0].id > read.scored[1].id  # by moment, not by when it was stored
        assert uow.patients(world.other_clinic).status_inputs(patient).scored == []


def test_token_holder_reads_account_and_every_role(world: World) -> None:
    token = TOKENS["staff@north.example"]
    with world.database.sessions() as uow:
        holder = uow.access.token_holder(digest(token))
        assert holder is not None
        assert holder.email == "staff@north.example" and holder.active
        assert holder.roles == {world.clinic: "staff"}
        assert uow.access.token_holder(digest("st_unknown")) is None


def test_signing_in_by_token_touches_it_without_a_transaction_left_open(world: World) -> None:
    token = TOKENS["clinician@north.example"]
    with world.database.sessions() as uow:
        row = uow.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
        assert row is not None
        row.last_used_at = None
        uow.commit()
    actor = token_actor(sessions=world.database.sessions, token=token, remote="10.0.0.9")
    assert actor.roles == {world.clinic: "clinician"} and actor.remote == "10.0.0.9"
    with world.database.sessions() as uow:
        row = uow.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
        assert row is not None and row.last_used_at is not None


def _held_elsewhere(world: World, patient: int) -> bool:
    """Whether another connection finds the patient's row locked (PostgreSQL)."""
    with world.database.engine.connect() as other:
        try:
            other.execute(
                select(Patient.id).where(Patient.id == patient).with_for_update(nowait=True)
            )
        except OperationalError:
            return True
        finally:
            other.rollback()
    return False


def test_signing_in_for_a_write_takes_the_patients_lock_in_the_same_statement(
    world: World,
) -> None:
    """On PostgreSQL the sign-in of a submission also locks its patient, and `lock` then hands
    that lock back; after a rollback the note no longer counts and `lock` locks again."""
    if world.database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer for the whole file; nothing to lock per patient")
    patient = _new_patient(world, "L-1")
    with world.database.sessions() as uow:
        holder = uow.access.token_holder_locking(
            digest(TOKENS["staff@north.example"]),
            clinic_id=None,  # the staff member's only clinic
            patient_id=patient,
            roles=CLINICAL_ROLES,
        )
        assert holder is not None and holder.roles == {world.clinic: "staff"}
        assert _held_elsewhere(world, patient)
        statements: list[str] = []

        def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
            statements.append(statement)

        event.listen(world.database.engine, "before_cursor_execute", record)
        try:
            uow.patients(world.clinic).lock(patient)
            assert statements == []  # handed back, not taken again
            uow.rollback()
            assert not _held_elsewhere(world, patient)
            uow.patients(world.clinic).lock(patient)
            # a new transaction: locked by its own statement
            assert len([s for s in statements if "FOR UPDATE OF patients" in s]) == 1
        finally:
            event.remove(world.database.engine, "before_cursor_execute", record)
        assert _held_elsewhere(world, patient)


@pytest.mark.parametrize(
    ("email", "clinic"),
    [
        ("analyst@north.example", None),  # a role that may not write
        ("staff@north.example", "other"),  # a clinic the holder does not work in
        (None, None),  # no such token
    ],
)
def test_a_holder_who_may_not_write_locks_nothing(
    world: World, email: str | None, clinic: str | None
) -> None:
    patient = _new_patient(world, "L-2")
    token = TOKENS[email] if email is not None else "st_unknown"
    with world.database.sessions() as uow:
        holder = uow.access.token_holder_locking(
            digest(token),
            clinic_id=world.other_clinic if clinic == "other" else None,
            patient_id=patient,
            roles=CLINICAL_ROLES,
        )
        assert (holder is None) == (email is None)
        if world.database.engine.dialect.name == "postgresql":
            assert not _held_elsewhere(world, patient)
        with pytest.raises(NotFound):
            uow.patients(world.other_clinic).lock(patient)
