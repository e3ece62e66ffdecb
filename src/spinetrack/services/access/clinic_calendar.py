"""A clinic's "today": the day it is where the clinic is, not where the server runs.

Follow-up windows, reminders, "not in the future" checks and letters all count days; a server in
UTC serving a clinic in Auckland would otherwise be a day behind for half of every day. The clock
is a parameter (`Clock`) so tests fix the instant instead of sleeping; the day itself is worked
out by the pure `domain.calendar.day_at`.
"""

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from spinetrack.config import get_settings
from spinetrack.domain.calendar import day_at, time_zone
from spinetrack.domain.errors import InvalidInput
from spinetrack.services.access.accounts import ADMINS
from spinetrack.services.access.actor import Actor
from spinetrack.services.audit.audit_log import audited
from spinetrack.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

Clock = Callable[[], datetime]
"""Gives the current instant, aware."""

# The zone furthest ahead of UTC (UTC+14): once a date has begun nowhere on earth, it is in the
# future for every clinic. For checks made before the clinic is known (form models).
_FURTHEST_AHEAD = ZoneInfo("Pacific/Kiritimati")


def system_clock() -> datetime:
    return datetime.now(UTC)


def clinic_zone(uow: UnitOfWork, clinic_id: int) -> ZoneInfo:
    """The clinic's own zone, else the configured default (SPINETRACK_TIME_ZONE)."""
    clinic = uow.clinics.get(clinic_id)
    return zone_or_default(clinic.time_zone if clinic is not None else None)


def zone_or_default(name: str | None) -> ZoneInfo:
    """The named zone (a clinic's `time_zone` column as already read), else the configured one."""
    return time_zone(name or get_settings().time_zone)


def today_in(zone: str | None, clock: Clock = system_clock) -> date:
    """Today in a clinic whose zone the caller has already read (None: the configured default),
    for hot paths that fetch the zone with a row they need anyway (`PatientRepository.lock`)."""
    return day_at(clock(), zone_or_default(zone))


def clinic_today(uow: UnitOfWork, clinic_id: int, clock: Clock = system_clock) -> date:
    """Today where the clinic is, inside a unit of work the caller already holds."""
    return day_at(clock(), clinic_zone(uow, clinic_id))


def today_for(sessions: UnitOfWorkFactory, clinic_id: int, clock: Clock = system_clock) -> date:
    """Today where the clinic is, for an edge (page, command) that has no unit of work open."""
    with sessions(read_only=True) as uow:
        return clinic_today(uow, clinic_id, clock)


def default_today(clock: Clock = system_clock) -> date:
    """Today in the configured default zone (SPINETRACK_TIME_ZONE), for work that belongs to no
    clinic (a CDS Hooks case sent whole by an EHR)."""
    return day_at(clock(), time_zone(get_settings().time_zone))


def latest_today(clock: Clock = system_clock) -> date:
    """The latest date that has begun anywhere: a date after it is in the future for every
    clinic. For input checks that run before the clinic is known."""
    return day_at(clock(), _FURTHEST_AHEAD)


def set_clinic_time_zone(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, zone: str
) -> str:
    """Set the IANA zone the clinic's "today" is counted in; returns the name stored. Admins of
    the clinic or the command line."""
    name = time_zone(zone).key
    with audited(sessions, actor, "clinic.time_zone", clinic_id=clinic_id) as work:
        actor.require(clinic_id, ADMINS)
        clinic = work.uow.clinics.get(clinic_id)
        if clinic is None:
            raise InvalidInput("clinic", "no such clinic")
        clinic.time_zone = name
        work.detail = f"time zone {name}"
    return name
