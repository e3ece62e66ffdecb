"""Which day an instant falls on is a matter of where: the same instant is a different date in
Auckland and in Los Angeles, and an instant without a zone is refused."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from spinetrack.domain.calendar import day_at, time_zone
from spinetrack.domain.errors import InvalidInput

INSTANT = datetime(2026, 3, 10, 20, 30, tzinfo=UTC)


def test_the_same_instant_is_a_different_day_in_auckland_and_los_angeles() -> None:
    assert day_at(INSTANT, ZoneInfo("Pacific/Auckland")) == date(2026, 3, 11)
    assert day_at(INSTANT, ZoneInfo("America/Los_Angeles")) == date(2026, 3, 10)
    assert day_at(INSTANT, ZoneInfo("UTC")) == date(2026, 3, 10)


def test_an_instant_without_its_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        day_at(datetime(2026, 3, 10, 20, 30), ZoneInfo("UTC"))


def test_a_zone_is_an_iana_name() -> None:
    assert time_zone(" Europe/Madrid ").key == "Europe/Madrid"
    for wrong in ("Mars/Olympus", "", "../etc/passwd", "/etc/localtime"):
        with pytest.raises(InvalidInput, match="IANA") as caught:
            time_zone(wrong)
        assert caught.value.field == "time_zone"
