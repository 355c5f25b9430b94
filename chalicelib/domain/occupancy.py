"""Occupancy: the time each calendar has taken, and by whom.

A calendar is anything whose time can be taken: a staff member now, a room or a chair next. Its time
is kept per UTC day, as the intervals taken that day (`CalendarDay`); an appointment or a block holds
intervals on the calendars it occupies. The rule the product is built on: two live holders never overlap
on a calendar they share. A change reads the days it touches, checks here that nobody else holds the
time (`CalendarDay.clash`), and the store writes those days on condition that they are unchanged since
read, so of two overlapping changes only one can commit.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

Interval = tuple[datetime, datetime]
DayKey = tuple[str, date]  # (calendar, UTC day)
DAY = timedelta(days=1)


def staff_calendar(staff_id: str) -> str:
    return f"staff:{staff_id}"


def resource_calendar(resource_id: str) -> str:
    return f"resource:{resource_id}"


@dataclass(frozen=True, order=True)
class Hold:
    """An interval of a calendar's time, taken by its owner (APPT#<id> or BLOCK#<id>)."""

    start: datetime
    end: datetime
    owner: str

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.start < end and start < self.end


Holdings = Mapping[DayKey, Sequence[Hold]]  # the owner's holds on each calendar day


def holdings(occupied: Mapping[str, Iterable[Interval]], owner: str) -> dict[DayKey, list[Hold]]:
    """What an owner holds, cut at UTC midnight: a long appointment crossing midnight holds two days."""
    held: dict[DayKey, list[Hold]] = defaultdict(list)
    for calendar, intervals in occupied.items():
        for start, end in intervals:
            cursor = start
            while cursor < end:
                midnight = datetime.combine(cursor.astimezone(UTC).date() + DAY, time(), UTC)
                piece_end = min(end, midnight)
                held[(calendar, cursor.astimezone(UTC).date())].append(Hold(cursor, piece_end, owner))
                cursor = piece_end
    return dict(held)


@dataclass(frozen=True)
class CalendarDay:
    """One calendar's holds on one UTC day, as read; `revision` 0 is a day never written."""

    calendar: str
    day: date
    holds: tuple[Hold, ...] = ()
    revision: int = 0

    def clash(self, wanted: Iterable[Hold]) -> Hold | None:
        """A hold of someone else that overlaps what is wanted, if any."""
        for want in wanted:
            for hold in self.holds:
                if hold.owner != want.owner and hold.overlaps(want.start, want.end):
                    return hold
        return None

    def with_holds(self, owner: str, wanted: Iterable[Hold]) -> CalendarDay:
        """The day with the owner's holds replaced by `wanted` (none: the owner's time is freed)."""
        kept = [h for h in self.holds if h.owner != owner]
        return CalendarDay(self.calendar, self.day, tuple(sorted([*kept, *wanted])), self.revision)


@dataclass(frozen=True)
class Taken:
    """A calendar's taken intervals over a window, to ask quickly whether an interval is free."""

    holds: tuple[Hold, ...] = ()
    _ends: tuple[datetime, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.holds, key=lambda h: (h.end, h.start)))
        object.__setattr__(self, "holds", ordered)
        object.__setattr__(self, "_ends", tuple(h.end for h in ordered))

    @classmethod
    def of(cls, days: Iterable[CalendarDay]) -> Taken:
        return cls(tuple(h for day in days for h in day.holds))

    def is_free(self, start: datetime, end: datetime) -> bool:
        """Nothing taken overlaps [start, end): holds ending by `start` are skipped at once, and holds on one
        calendar never overlap, so the first one starting at or after `end` ends the search."""
        for hold in self.holds[bisect_right(self._ends, start) :]:
            if hold.start >= end:
                return True
            if hold.overlaps(start, end):
                return False
        return True

    def owners(self, start: datetime, end: datetime) -> list[str]:
        return list(dict.fromkeys(h.owner for h in self.holds if h.overlaps(start, end)))
