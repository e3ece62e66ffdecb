"""The dashboard service reads a clinic's stored records into the same figures the frames give,
only for admins, clinicians and analysts of that clinic, audits every look, and notices new data."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select, update
from tests.support.records import fusion, new_patient
from tests.support.world import World

from spinetrack.analytics.dashboard import DashboardFilters
from spinetrack.domain.errors import NotFound
from spinetrack.services.access.errors import AccessDenied
from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.services.records.record_response import NewResponse, record_response
from spinetrack.services.records.register_surgery import register_surgery
from spinetrack.services.reporting.analytics_registry import (
    PREPARED,
    read_frames,
    registry_dashboard,
)
from spinetrack.storage.tables import AuditEntry, Clinic

OPERATED = date(2025, 3, 4)
READ_ON = date(2026, 6, 1)


def operated_patient(world: World, mrn: str, odi_items: dict[int, int]) -> int:
    """A fusion on OPERATED with every ODI item answered ``value`` on each day given."""
    sessions = world.database.sessions
    patient = register_patient(
        sessions=sessions, actor=world.staff, clinic_id=world.clinic, patient=new_patient(mrn)
    ).id
    register_surgery(
        sessions=sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
        surgery=fusion(performed_on=OPERATED, surgeon_id=world.surgeon_id),
    )
    for day, value in odi_items.items():
        record_response(
            sessions=sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            patient_id=patient,
            response=NewResponse(
                instrument="odi",
                completed_at=datetime.combine(OPERATED + timedelta(days=day), time(9), UTC),
                answers={f"odi_{i}": value for i in range(1, 11)},
            ),
        )
    return patient


@pytest.fixture(autouse=True)
def forget_prepared() -> None:
    PREPARED.clear()


@pytest.fixture(autouse=True)
def every_count_shown(world: World) -> None:
    """The figures of two or three patients are the subject here, so the clinic publishes every
    count (a threshold of 1, set below the floor a clinic may choose, by hand): disclosure
    control itself is tested in tests/analytics/test_disclosure.py."""
    with world.database.sessions() as uow:
        uow.session.execute(
            update(Clinic).where(Clinic.id == world.clinic).values(disclosure_threshold=1)
        )
        uow.commit()


def test_stored_records_give_the_expected_figures(world: World) -> None:
    operated_patient(world, "S1", {-3: 3, 91: 1})  # ODI 60 -> 20: succeeding
    operated_patient(world, "S2", {-3: 3, 91: 3})  # 60 -> 60: failing
    d = registry_dashboard(
        sessions=world.database.sessions,
        actor=world.analyst,
        clinic_id=world.clinic,
        filters=DashboardFilters(period=2025),
        read_on=READ_ON,
    )
    assert d.patients == 2 and d.judged == 2
    assert (d.failing.k, d.failed.n) == (1, 2)
    rows = {r.timepoint: r for r in d.timepoints}
    assert (rows["3m"].mcid.k, rows["3m"].mcid.n) == (1, 2)
    assert d.options["procedure"] == ["fusion"]


def test_frames_carry_no_names_or_record_numbers(world: World) -> None:
    operated_patient(world, "S3", {-3: 2})
    with world.database.sessions() as uow:
        frames = read_frames(uow, world.clinic, READ_ON)
    assert frames.patients.columns == ["patient_id", "sex", "birth_date"]
    assert frames.surgeries["levels"].to_list() == [2]
    assert frames.responses["score"].to_list() == [40.0]


def test_only_admins_clinicians_and_analysts_of_the_clinic_may_look(world: World) -> None:
    sessions = world.database.sessions
    for actor in (world.admin, world.clinician, world.analyst):
        registry_dashboard(
            sessions=sessions, actor=actor, clinic_id=world.clinic, filters=DashboardFilters()
        )
    with pytest.raises(AccessDenied):
        registry_dashboard(
            sessions=sessions, actor=world.staff, clinic_id=world.clinic, filters=DashboardFilters()
        )
    with pytest.raises(NotFound):
        registry_dashboard(
            sessions=sessions,
            actor=world.analyst,
            clinic_id=world.other_clinic,
            filters=DashboardFilters(),
        )
    with sessions() as uow:
        looks = uow.session.execute(
            select(AuditEntry.outcome, AuditEntry.detail)
            .where(AuditEntry.action == "analytics.dashboard")
            .order_by(AuditEntry.seq)
        ).all()
    assert [e.outcome for e in looks] == ["ok", "ok", "ok", "denied", "rejected"]
    assert looks[0].detail == "all years, every region, every procedure, every surgeon"


def test_a_new_response_is_seen_at_the_next_look(world: World) -> None:
    patient = operated_patient(world, "S4", {-3: 3})
    sessions = world.database.sessions

    def judged() -> int | None:
        return registry_dashboard(
            sessions=sessions,
            actor=world.analyst,
            clinic_id=world.clinic,
            filters=DashboardFilters(),
            read_on=READ_ON,
        ).judged

    assert judged() == 0
    record_response(
        sessions=sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient,
        response=NewResponse(
            instrument="odi",
            completed_at=datetime.combine(OPERATED + timedelta(days=95), time(9), UTC),
            answers={f"odi_{i}": 3 for i in range(1, 11)},
        ),
    )
    assert judged() == 1
