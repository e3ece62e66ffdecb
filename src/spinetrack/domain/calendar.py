"""A clinic's calendar: which day an instant falls on where the clinic is.

Pure: it is handed the instant (never reads the clock) and the zone, so "today" is the same
answer for every caller given the same moment, and tests choose the moment.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from spinetrack.domain.errors import InvalidInput


def time_zone(name: str, field: str = "time_zone") -> ZoneInfo:
    """The IANA zone called `name` (e.g. Europe/Madrid); a clear error when there is none."""
    cleaned = name.strip()
    try:
        if not cleaned or cleaned.startswith(("/", ".")) or ".." in cleaned:
            raise ValueError(cleaned)
        return ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            field, f"{name!r} is not an IANA time zone name like Europe/Madrid"
        ) from None


def day_at(instant: datetime, zone: ZoneInfo) -> date:
    """The calendar day `instant` falls on in `zone`; an instant without a zone is refused,
    because which day it is would then depend on the server it runs on."""
    if instant.tzinfo is None:
        raise ValueError("an instant needs its time zone to say which day it is")
    return instant.astimezone(zone).date()
