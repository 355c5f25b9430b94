"""The appointment module's list scopes (second seed), as statuses and a time window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from chalicelib.domain.availability import wall_instant
from chalicelib.domain.status import Status

OPEN = frozenset({Status.PENDING, Status.CONFIRMED})
STATUSES = tuple(s.value for s in Status)
SCOPES = ("all", *STATUSES, "upcoming", "today")  # the front desk's lists
CUSTOMER_SCOPES = ("all", "upcoming", "past", *STATUSES)  # a customer's own appointments


@dataclass(frozen=True)
class Scope:
    statuses: frozenset[Status]
    start: datetime | None = None
    end: datetime | None = None
    day: date | None = None

    @property
    def newest_first(self) -> bool:
        """Open appointments read soonest first; finished ones most recent first."""
        return not self.statuses <= OPEN


def scope(name: str, now: datetime, zone: ZoneInfo, day: date | None = None) -> Scope:
    if name == "today":
        day = day or now.astimezone(zone).date()
    window = (wall_instant(day, 0, zone), wall_instant(day, 1440, zone)) if day else (None, None)
    if name == "upcoming":
        start = max(now, window[0]) if window[0] else now
        end = min(now + timedelta(days=7), window[1]) if window[1] else now + timedelta(days=7)
        return Scope(OPEN, start, end, day)
    statuses = frozenset(Status) if name in ("all", "today") else frozenset({Status(name)})
    return Scope(statuses, window[0], window[1], day)
