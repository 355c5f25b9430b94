"""The services of a visit: several booked as one, back to back (a haircut, then a colour).

A visit is one appointment whose parts say who performs each service and when: the first starts at the
appointment's start, each next one where the one before ends. One appointment, so one price (the sum), one payment,
one confirmation and one set of reminders, and cancel and reschedule act on all of it. An appointment of one
service has no parts: its own fields say it all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from chalicelib.domain.catalogue import Resource
from chalicelib.domain.money import Money
from chalicelib.domain.segments import Segment

MAX_SERVICES = 4  # in one visit


@dataclass(frozen=True)
class Wanted:
    """One service of a visit as the customer asks for it: who performs it, or None / "any" for the business to
    choose."""

    service_id: str
    staff_id: str | None = None


@dataclass(frozen=True)
class Part:
    service_id: str
    service_name: str
    staff_id: str
    staff_name: str
    start: datetime
    duration: int
    price: Money
    segments: tuple[Segment, ...] = ()  # none: the staff member is busy throughout
    needs: tuple[str, ...] = ()  # the resource types its service takes one unit of each
    resources: tuple[Resource, ...] = ()  # the units it holds
    assigned: str = ""  # asked for any staff: the policy that chose its staff member

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.duration)

    def shifted(self, by: timedelta) -> Part:
        return replace(self, start=self.start + by)


def names(parts: Sequence[Part]) -> str:
    """The visit as customers read it: "Haircut + Colour"."""
    return " + ".join(p.service_name for p in parts)


def staff_names(parts: Sequence[Part]) -> str:
    """Who performs it, each once, in order: "Li Na, Wang Lei"."""
    return ", ".join(dict.fromkeys(p.staff_name for p in parts))


def units_held(parts: Sequence[Part]) -> tuple[Resource, ...]:
    """Every unit the visit holds, each once, in order."""
    return tuple(dict.fromkeys(unit for p in parts for unit in p.resources))


def own_stretch(parts: Sequence[Part], staff_id: str) -> tuple[datetime, int, tuple[Segment, ...]] | None:
    """A staff member's share of the visit, as one appointment of theirs would be: from the start of their first
    part to the end of their last, free between (another performs then); None when they perform none of it."""
    mine = [p for p in parts if p.staff_id == staff_id]
    if not mine:
        return None
    segments: list[Segment] = []
    cursor = mine[0].start
    for part in mine:
        if part.start > cursor:
            segments.append(Segment(int((part.start - cursor).total_seconds() // 60), staff_free=True))
        segments += part.segments or (Segment(part.duration),)
        cursor = part.end
    return mine[0].start, int((cursor - mine[0].start).total_seconds() // 60), tuple(segments)
