"""A clinic's "today" is the day where the clinic is: at one instant a clinic in Auckland and one in
Los Angeles see different dates, whatever the server's zone; the clock is injected, never slept on."""

from datetime import UTC, date, datetime

import pytest
from tests.support.world import World

from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.services.access.actor import system_actor
from spinetrack.services.access.clinic_calendar import (
    clinic_today,
    latest_today,
    set_clinic_time_zone,
    today_for,
)
from spinetrack.services.access.errors import AccessDenied

# 20:30 UTC on 10 March: 09:30 on 11 March in Auckland, 13:30 on 10 March in Los Angeles.
INSTANT = datetime(2026, 3, 10, 20, 30, tzinfo=UTC)


def at_instant() -> datetime:
    return INSTANT


def test_two_clinics_see_different_todays_at_the_same_instant(world: World) -> None:
    sessions = world.database.sessions
    set_clinic_time_zone(
        sessions=sessions, actor=world.admin, clinic_id=world.clinic, zone="Pacific/Auckland"
    )
    set_clinic_time_zone(
        sessions=sessions,
        actor=system_actor("test"),
        clinic_id=world.other_clinic,
        zone="America/Los_Angeles",
    )
    assert today_for(sessions, world.clinic, at_instant) == date(2026, 3, 11)
    assert today_for(sessions, world.other_clinic, at_instant) == date(2026, 3, 10)
    with sessions() as uow:
        assert clinic_today(uow, world.clinic, at_instant) == date(2026, 3, 11)


def test_a_clinic_without_a_zone_counts_in_the_configured_default(world: World) -> None:
    assert today_for(world.database.sessions, world.clinic, at_instant) == date(2026, 3, 10)


def test_a_wrong_zone_or_someone_elses_clinic_changes_nothing(world: World) -> None:
    sessions = world.database.sessions
    with pytest.raises(InvalidInput, match="IANA"):
        set_clinic_time_zone(
            sessions=sessions, actor=world.admin, clinic_id=world.clinic, zone="Moon/Base"
        )
    with pytest.raises(NotFound):  # another clinic is not even said to exist
        set_clinic_time_zone(
            sessions=sessions, actor=world.admin, clinic_id=world.other_clinic, zone="Asia/Tokyo"
        )
    with pytest.raises(AccessDenied):
        set_clinic_time_zone(
            sessions=sessions, actor=world.clinician, clinic_id=world.clinic, zone="Asia/Tokyo"
        )
    assert today_for(sessions, world.clinic, at_instant) == date(2026, 3, 10)


def test_the_latest_today_is_the_date_furthest_east() -> None:
    assert latest_today(at_instant) == date(2026, 3, 11)
