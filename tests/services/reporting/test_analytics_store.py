"""The dashboard's prepared aggregates are kept in the database: a fresh process answers from them
without reading the registry, with the same figures; a row computed from other data, another
threshold or day, other rules, or altered by hand is never used; keeping it changes no data
version; and erasing the clinic's patients takes it with them."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from tests.services.reporting.test_analytics_dashboard import OPERATED, READ_ON, operated_patient
from tests.support.world import World

from spinetrack.analytics.cohort import prepare
from spinetrack.analytics.dashboard import Dashboard, DashboardFilters
from spinetrack.analytics.disclosure import build
from spinetrack.config import get_settings
from spinetrack.services.records.record_response import NewResponse, record_response
from spinetrack.services.reporting import analytics_registry, analytics_store
from spinetrack.services.reporting.analytics_registry import PREPARED, registry_dashboard
from spinetrack.services.reporting.analytics_store import decode, encode
from spinetrack.storage.repositories.analytics import StoredPrepared
from spinetrack.storage.tables import AnalyticsPrepared, Clinic, Patient

AUDIT_KEY = b"a key for these tests only"


@pytest.fixture(autouse=True)
def forget_prepared() -> None:
    PREPARED.clear()


@pytest.fixture(autouse=True)
def every_count_shown(world: World) -> None:
    """Two or three patients are the subject here, so every count is published (as in
    test_analytics_dashboard.py); disclosure control is tested in tests/analytics."""
    with world.database.sessions() as uow:
        uow.session.execute(
            update(Clinic).where(Clinic.id == world.clinic).values(disclosure_threshold=1)
        )
        uow.commit()


def _look(world: World, filters: DashboardFilters | None = None) -> Dashboard:
    return registry_dashboard(
        sessions=world.database.sessions,
        actor=world.analyst,
        clinic_id=world.clinic,
        filters=filters or DashboardFilters(),
        read_on=READ_ON,
    )


def _refuse_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*_args: object) -> None:
        raise AssertionError("the registry was read again")

    monkeypatch.setattr(analytics_registry, "read_frames", refused)


def _two_patients(world: World) -> None:
    operated_patient(world, "K1", {-3: 3, 91: 1})  # ODI 60 -> 20: succeeding
    operated_patient(world, "K2", {-3: 3, 91: 3})  # 60 -> 60: failing


def _kept(world: World) -> StoredPrepared | None:
    with world.database.sessions(read_only=True) as uow:
        return uow.analytics(world.clinic).stored_prepared()


def _version(world: World) -> int:
    with world.database.sessions() as uow:
        found = uow.session.scalar(select(Clinic.data_version).where(Clinic.id == world.clinic))
        assert found is not None
        return found


def test_a_fresh_process_answers_from_the_kept_row_with_the_same_figures(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_patients(world)
    first = _look(world, DashboardFilters(period=2025))
    kept = _kept(world)
    assert kept is not None and kept.data_version == _version(world)
    assert (kept.threshold, kept.read_on) == (1, READ_ON)
    PREPARED.clear()  # as a new server process starts
    _refuse_reading(monkeypatch)
    again = _look(world, DashboardFilters(period=2025))
    assert again == first
    assert (again.judged, again.failing.k) == (2, 1)


def test_keeping_the_row_changes_no_data_version(world: World) -> None:
    _two_patients(world)
    before = _version(world)
    _look(world)
    assert _kept(world) is not None
    assert _version(world) == before


def _respond(world: World, patient: int, day: int, value: int) -> None:
    record_response(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient,
        response=NewResponse(
            instrument="odi",
            completed_at=datetime.combine(OPERATED + timedelta(days=day), time(9), UTC),
            answers={f"odi_{i}": value for i in range(1, 11)},
        ),
    )


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record which patients each read of the registry asked for (None: all of them)."""
    asked: list[object] = []
    real = analytics_registry.read_frames

    def counted(*args: object, only: object = None) -> object:
        asked.append(None if only is None else set(only))  # type: ignore[call-overload]
        return real(*args, only=only)  # type: ignore[arg-type]

    monkeypatch.setattr(analytics_registry, "read_frames", counted)
    return asked


def _from_scratch(world: World, read_on: date = READ_ON) -> analytics_registry.Analysable:
    with world.database.sessions(read_only=True) as uow:
        frames = analytics_registry.read_frames(uow, world.clinic, read_on)
    registry = prepare(frames)
    return analytics_registry.Analysable(registry, build(registry, 1))


def _same(a: analytics_registry.Analysable, b: analytics_registry.Analysable) -> None:
    assert a.registry.read_on == b.registry.read_on
    assert a.registry.patients.equals(b.registry.patients)
    assert a.registry.followups.equals(b.registry.followups)
    assert a.cube.measures == b.cube.measures and a.cube.values == b.cube.values
    assert (a.cube.counts == b.cube.counts).all() and (a.cube.hidden == b.cube.hidden).all()


def _current(world: World, read_on: date = READ_ON) -> analytics_registry.Analysable:
    with world.database.sessions() as uow:
        found = analytics_registry.analysable(uow, world.clinic, read_on)
        uow.commit()
    return found


@pytest.mark.parametrize("fresh_process", [False, True])
def test_older_aggregates_are_brought_up_to_date_patient_by_patient(
    world: World, monkeypatch: pytest.MonkeyPatch, fresh_process: bool
) -> None:
    patient = operated_patient(world, "K3", {-3: 3})
    other = operated_patient(world, "K4", {-3: 3, 91: 1})
    assert _look(world).judged == 1
    _respond(world, patient, 95, 3)
    if fresh_process:
        PREPARED.clear()  # a new process starts from the row kept in the database
    asked = _reads(monkeypatch)
    assert _look(world).judged == 2
    assert asked == [{patient}]
    _same(_current(world), _from_scratch(world))
    assert other not in asked[0]  # type: ignore[operator]


def test_brought_up_to_date_after_many_kinds_of_write(world: World) -> None:
    first = operated_patient(world, "K5", {-3: 3, 91: 1})
    operated_patient(world, "K6", {-3: 3})
    _current(world)
    _respond(world, first, 200, 4)  # a later follow-up
    operated_patient(world, "K7", {-3: 2, 95: 2})  # a new operated patient
    with world.database.sessions() as uow:  # an edit through the ORM, as the services make it
        found = uow.patients(world.clinic).get(first)
        found.sex = "female" if found.sex != "female" else "male"
        uow.commit()
    _same(_current(world), _from_scratch(world))
    later = READ_ON + timedelta(days=30)  # another day: time to revision runs on
    _same(_current(world, later), _from_scratch(world, later))


def test_a_write_that_names_no_patient_prepares_everything_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_patients(world)
    _look(world)
    with world.database.sessions() as uow:  # a WHERE clause: which patients, nobody says
        uow.session.execute(
            update(Patient).where(Patient.clinic_id == world.clinic).values(sex=Patient.sex)
        )
        uow.commit()
    asked = _reads(monkeypatch)
    _look(world)
    assert asked == [None]


def test_an_altered_row_is_ignored_and_prepared_afresh(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_patients(world)
    first = _look(world)
    kept = _kept(world)
    assert kept is not None
    altered = bytearray(kept.payload)
    altered[-40] ^= 0xFF
    with world.database.sessions() as uow:
        uow.session.execute(
            update(AnalyticsPrepared)
            .where(AnalyticsPrepared.clinic_id == world.clinic)
            .values(payload=bytes(altered))
        )
        uow.commit()
    PREPARED.clear()
    reads: list[object] = []
    real = analytics_registry.read_frames

    def counted(*args: object) -> object:
        reads.append(args)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(analytics_registry, "read_frames", counted)
    assert _look(world) == first
    assert len(reads) == 1
    repaired = _kept(world)
    assert repaired is not None and repaired.payload == kept.payload


def test_other_rules_threshold_or_day_are_not_used(world: World) -> None:
    _two_patients(world)
    _look(world)
    with world.database.sessions() as uow:
        stored = uow.analytics(world.clinic).stored_prepared()
    assert stored is not None
    key = get_settings().resolved_audit_key()
    version = stored.data_version
    assert decode(stored, data_version=version, threshold=1, read_on=READ_ON, audit_key=key)
    assert not decode(stored, data_version=version + 1, threshold=1, read_on=READ_ON, audit_key=key)
    assert not decode(stored, data_version=version, threshold=5, read_on=READ_ON, audit_key=key)
    next_day = READ_ON + timedelta(days=1)
    assert not decode(stored, data_version=version, threshold=1, read_on=next_day, audit_key=key)
    assert not decode(stored, data_version=version, threshold=1, read_on=READ_ON, audit_key=b"x")
    other_rules = replace(stored, rules="0" * 64)
    assert not decode(
        other_rules, data_version=version, threshold=1, read_on=READ_ON, audit_key=key
    )


def test_the_payload_gives_back_the_same_tables_and_cube(world: World) -> None:
    _two_patients(world)
    with world.database.sessions() as uow:
        found = analytics_registry.analysable(uow, world.clinic, READ_ON)
        uow.rollback()
    stored = encode(found.registry, found.cube, data_version=7, audit_key=AUDIT_KEY)
    back = decode(stored, data_version=7, threshold=1, read_on=READ_ON, audit_key=AUDIT_KEY)
    assert back is not None
    registry, cube = back
    assert registry.read_on == found.registry.read_on
    assert registry.patients.equals(found.registry.patients)
    assert registry.patients.schema == found.registry.patients.schema
    assert registry.followups.equals(found.registry.followups)
    assert registry.followups.schema == found.registry.followups.schema
    assert (cube.threshold, cube.measures, cube.values) == (
        found.cube.threshold,
        found.cube.measures,
        found.cube.values,
    )
    assert (cube.counts == found.cube.counts).all() and cube.counts.dtype == found.cube.counts.dtype
    assert (cube.hidden == found.cube.hidden).all()


def test_the_rules_digest_follows_the_knowledge_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rule = tmp_path / "knowledge" / "outcomes" / "mcid.yaml"
    rule.parent.mkdir(parents=True)
    rule.write_text("odi: 10\n")
    monkeypatch.setattr(analytics_store, "_PACKAGE", tmp_path)
    analytics_store.rules_digest.cache_clear()
    try:
        first = analytics_store.rules_digest()
        rule.write_text("odi: 12\n")
        analytics_store.rules_digest.cache_clear()
        assert analytics_store.rules_digest() != first
    finally:
        analytics_store.rules_digest.cache_clear()


def test_erasing_the_clinics_patients_takes_the_row(world: World) -> None:
    _two_patients(world)
    _look(world)
    assert _kept(world) is not None
    with world.database.sessions() as uow:
        uow.erase_patient_data(world.clinic)
        uow.commit()
    assert _kept(world) is None


def test_a_day_later_the_registry_is_prepared_for_that_day(world: World) -> None:
    _two_patients(world)
    _look(world)
    PREPARED.clear()
    later = registry_dashboard(
        sessions=world.database.sessions,
        actor=world.analyst,
        clinic_id=world.clinic,
        filters=DashboardFilters(),
        read_on=date(2026, 6, 2),
    )
    assert later.judged == 2
    kept = _kept(world)
    assert kept is not None and kept.read_on == date(2026, 6, 2)
