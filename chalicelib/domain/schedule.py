"""A staff member's (or a room's) day as the front desk sees it: open hours, what fills them, what is left."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.availability import Slot, instant_of, wall_instant
from chalicelib.domain.block import Block
from chalicelib.domain.catalogue import Resource, StaffMember
from chalicelib.domain.errors import TimeNotOffered
from chalicelib.domain.hours import MINUTES_PER_DAY, Span, WorkingHours, cut
from chalicelib.domain.occupancy import resource_calendar
from chalicelib.domain.segments import staff_time
from chalicelib.domain.status import Status

Interval = tuple[datetime, datetime]


def open_intervals(day: date, hours: WorkingHours, zone: ZoneInfo) -> list[Interval]:
    return [(wall_instant(day, s.start, zone), wall_instant(day, s.end, zone)) for s in hours.open_spans(day)]


def within_hours(interval: Interval, day: date, hours: WorkingHours, zone: ZoneInfo) -> bool:
    """Inside one of the day's ranges; the last may run on past midnight into the next day's first."""
    start, end = interval
    ranges = open_intervals(day, hours, zone)
    if ranges and (runs_on := hours.closes_after_midnight(day)):
        ranges[-1] = (ranges[-1][0], wall_instant(day, MINUTES_PER_DAY + runs_on, zone))
    return any(opens <= start and end <= closes for opens, closes in ranges)


WALK_IN_AFTER_THE_FACT = timedelta(hours=12)  # a walk-in recorded late the same day, not a week later


def walk_in_slot(
    scheduled_at: datetime, duration: int, member: StaffMember, hours: WorkingHours, zone: ZoneInfo, now: datetime
) -> Slot:
    """The front desk's rule: any time within the staff member's hours, no notice or booking window, up to
    12 hours after the fact (a naive time is the business's wall clock); overlaps are the store's to refuse."""
    start = instant_of(scheduled_at, zone)
    if start < now - WALK_IN_AFTER_THE_FACT:
        raise TimeNotOffered("That time is long past.", {"scheduledAt": "long past"})
    slot = Slot(start, start + timedelta(minutes=duration))
    if not within_hours((slot.start, slot.end), start.astimezone(zone).date(), hours, zone):
        raise TimeNotOffered(
            f"{member.name} does not work then; change the hours first.", {"scheduledAt": "outside hours"}
        )
    return slot


def minutes_in(intervals: Iterable[Interval]) -> int:
    return sum(int((end - start).total_seconds() // 60) for start, end in intervals)


def live(appointments: Iterable[Appointment]) -> list[Appointment]:
    """What occupies a day: everything but cancelled appointments."""
    return sorted((a for a in appointments if a.status is not Status.CANCELLED), key=lambda a: a.start)


@dataclass(frozen=True)
class StaffDay:
    day: date
    hours: tuple[Span, ...]
    appointments: list[Appointment]
    blocks: list[Block]
    free: list[Interval]

    @property
    def free_minutes(self) -> int:
        return minutes_in(self.free)


def staff_day(
    day: date, hours: WorkingHours, zone: ZoneInfo, appointments: Iterable[Appointment], blocks: Iterable[Block]
) -> StaffDay:
    """Free is what the hours leave once appointments and blocks are cut out; an appointment's processing
    time stays free (the staff member can take another client then)."""
    booked = live(appointments)
    blocked = sorted(blocks, key=lambda b: b.start)
    busy = [stretch for a in booked for stretch in staff_time(a.start, a.duration, a.segments, 0, 0)]
    free = cut(open_intervals(day, hours, zone), busy + [(b.start, b.end) for b in blocked])
    return StaffDay(day, hours.open_spans(day), booked, blocked, free)


@dataclass(frozen=True)
class ResourceDay:
    """A room's (or chair's) day: what holds it, and the time left while anyone works."""

    resource: Resource
    appointments: list[Appointment]
    blocks: list[Block]
    free: list[Interval]

    @property
    def free_minutes(self) -> int:
        return minutes_in(self.free)


def resource_day(
    resource: Resource, opening: Iterable[Interval], appointments: Iterable[Appointment], blocks: Iterable[Block]
) -> ResourceDay:
    """`opening`: the day's working ranges of all staff (a room is free only while someone could use it); it
    is held for an appointment's whole span, buffers included (a visit's: the span of the services that take it)."""
    calendar = resource_calendar(resource.id)
    booked = [a for a in live(appointments) if calendar in a.held]
    blocked = sorted((b for b in blocks if b.resource_id == resource.id), key=lambda b: b.start)
    free = cut(
        merged(opening), [span for a in booked for span in a.held[calendar]] + [(b.start, b.end) for b in blocked]
    )
    return ResourceDay(resource, booked, blocked, free)


@dataclass(frozen=True)
class Overview:
    """The business's day: each active staff member's and each active resource's."""

    zone: ZoneInfo
    day: date
    staff: list[tuple[StaffMember, StaffDay]]
    resources: list[ResourceDay]


def merged(intervals: Iterable[Interval]) -> list[Interval]:
    joined: list[Interval] = []
    for start, end in sorted(intervals):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


@dataclass(frozen=True)
class Conflict:
    type: str  # "appointment", "block" or "outside_hours"
    start: datetime
    end: datetime
    id: str = ""
    detail: str = ""


def conflicts(
    interval: Interval,
    day: date,
    hours: WorkingHours,
    zone: ZoneInfo,
    appointments: Iterable[Appointment],
    blocks: Iterable[Block],
) -> list[Conflict]:
    start, end = interval
    found = [
        Conflict("appointment", a.start, a.end, a.id, f"{a.service_name} ({a.status.value})")
        for a in live(appointments)
        if a.start < end and a.end > start
    ]
    found += [Conflict("block", b.start, b.end, b.id, b.reason) for b in blocks if b.start < end and b.end > start]
    if not within_hours(interval, day, hours, zone):
        found.append(Conflict("outside_hours", start, end, detail="outside working hours"))
    return found
