"""The staff side of time: hours, blocks, conflicts, a staff member's schedule, the day's overview."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from chalicelib.domain.actor import Actor
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.availability import existing_instant, wall_instant
from chalicelib.domain.block import Block
from chalicelib.domain.catalogue import BusinessSettings, StaffMember
from chalicelib.domain.errors import InvalidInput, SlotTaken
from chalicelib.domain.hours import WorkingHours
from chalicelib.domain.locations import stored
from chalicelib.domain.schedule import (
    Conflict,
    Overview,
    StaffDay,
    conflicts,
    open_intervals,
    resource_day,
    staff_day,
    within_hours,
)
from chalicelib.domain.visits import share_of
from chalicelib.store import Store

MAX_SCHEDULE_DAYS = 62


def _end_of(day: date, end: int | None, start: datetime, settings: BusinessSettings) -> datetime:
    """A range's end on the wall clock, or one slot interval of real time after its start."""
    if end is None:
        return start + timedelta(minutes=settings.slot_interval)
    return existing_instant(day, end, settings.zone)


def block_time(
    store: Store,
    actor: Actor,
    staff_id: str,
    day: date,
    start: int,
    end: int | None,
    reason: str,
    now: datetime,
    resource_id: str = "",
) -> Block:
    """Block a staff member's time or, given `resource_id` instead, a resource's (a room in maintenance)."""
    catalogue = store.catalogue.read()
    if bool(staff_id) == bool(resource_id):
        raise InvalidInput("Give staffId or resourceId, not both.", {"staffId": "staffId or resourceId"})
    owner = catalogue.resource(resource_id).id if resource_id else catalogue.staff_member(staff_id).id
    opens = existing_instant(day, start, catalogue.settings.zone)
    closes = _end_of(day, end, opens, catalogue.settings)
    block = Block.new(
        "" if resource_id else owner, opens, closes, catalogue.settings.timezone, reason, actor.id, now, resource_id
    )
    try:
        return store.blocks.save(block)
    except SlotTaken:
        (calendar,) = block.occupied  # who holds the time, from the calendar's days: one Query
        owners = store.timelines.taken(calendar, block.start, block.end).owners(block.start, block.end)
        taken = [f"appointment {o.removeprefix('APPT#')}" for o in owners if o.startswith("APPT#")]
        taken += [f"block {o.removeprefix('BLOCK#')}" for o in owners if o.startswith("BLOCK#")]
        raise SlotTaken("That time overlaps: " + ", ".join(taken) + ".", {"timeSlot": "; ".join(taken)}) from None


def unblock(store: Store, block_id: str) -> None:
    store.blocks.delete(store.blocks.get(block_id))


def schedule(
    store: Store, staff_id: str, first: date, last: date, location_id: str | None = None
) -> tuple[ZoneInfo, list[StaffDay]]:
    """Their days; at a location (`location_id`): their hours there and the appointments there only."""
    if last < first or (last - first).days >= MAX_SCHEDULE_DAYS:
        raise InvalidInput(
            f"endDate must be on or after startDate, at most {MAX_SCHEDULE_DAYS} days later.",
            {"endDate": "out of range"},
        )
    catalogue = store.catalogue.read() if location_id is None else store.catalogue.at(location_id)
    member, zone = catalogue.staff_member(staff_id), catalogue.settings.zone
    start, end = wall_instant(first, 0, zone), wall_instant(last, 1440, zone)
    appointments, blocks = store.timelines.of_staff(member.id, start, end)
    if location_id is not None:
        appointments = [a for a in appointments if a.location_id == stored(catalogue.here)]
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    hours = catalogue.hours(member)
    return zone, [_day(day, hours, zone, appointments, blocks) for day in days]


def _day(
    day: date, hours: WorkingHours, zone: ZoneInfo, appointments: list[Appointment], blocks: list[Block]
) -> StaffDay:
    opens, closes = wall_instant(day, 0, zone), wall_instant(day, 1440, zone)
    return staff_day(
        day,
        hours,
        zone,
        [a for a in appointments if opens <= a.start < closes],
        [b for b in blocks if opens <= b.start < closes],
    )


def find_conflicts(
    store: Store, staff_id: str, day: date, start: int, end: int | None
) -> tuple[ZoneInfo, list[Conflict]]:
    catalogue = store.catalogue.read()
    member, zone = catalogue.staff_member(staff_id), catalogue.settings.zone
    opens = existing_instant(day, start, zone)
    interval = (opens, _end_of(day, end, opens, catalogue.settings))
    if interval[1] <= interval[0]:
        raise InvalidInput("The time must end after it starts.", {"timeSlot": "end before start"})
    appointments, blocks = store.timelines.of_staff(member.id, *interval, stamped=False)
    return zone, conflicts(interval, day, catalogue.hours(member), zone, appointments, blocks)


def overview(store: Store, day: date | None, now: datetime, location_id: str | None = None) -> Overview:
    """Every active staff member's day and every active resource's at a location (the business's own when left
    out); without a day, today where it is."""
    catalogue = store.catalogue.at(location_id)
    zone = catalogue.settings.zone
    day = day or catalogue.settings.today(now)
    opens, closes = wall_instant(day, 0, zone), wall_instant(day, 1440, zone)
    appointments, blocks = store.timelines.day(day, opens, closes)
    members = sorted((m for m in catalogue.staff.values() if m.active), key=lambda m: m.name)
    yesterday = day - timedelta(days=1)
    if any(catalogue.hours(m).closes_after_midnight(yesterday) for m in members):  # a long one may run on into today
        carried, _ = store.timelines.day(yesterday, opens, closes)
        appointments = [*carried, *appointments]
    appointments = [a for a in appointments if a.location_id == stored(catalogue.here)]
    staff = [
        (
            m,
            staff_day(
                day,
                catalogue.hours(m),
                zone,
                [mine for a in appointments if (mine := share_of(a, m.id)) is not None],  # a visit: their share
                [b for b in blocks if b.staff_id == m.id],
            ),
        )
        for m in members
    ]
    opening = [interval for m in members for interval in open_intervals(day, catalogue.hours(m), zone)]
    units = sorted((r for r in catalogue.resources.values() if r.active), key=lambda r: (r.type, r.name))
    return Overview(zone, day, staff, [resource_day(r, opening, appointments, blocks) for r in units])


def open_ahead(store: Store, staff_id: str, settings: BusinessSettings, now: datetime) -> list[Appointment]:
    """A staff member's open appointments from now to the end of the booking window, in order.

    Read after the change that asks, from what is committed: every booking decided on the staff member
    before the change committed before it (the revision its transaction checks), so none is missed.
    """
    return store.timelines.open_appointments(staff_id, now, now + timedelta(days=settings.max_days_ahead + 1))


def set_hours(store: Store, staff_id: str, raw: object, now: datetime) -> tuple[StaffMember, list[Appointment]]:
    """Change the hours (what the body leaves out is kept) and report the open appointments they leave outside."""
    catalogue = store.catalogue.read()
    member, settings = catalogue.staff_member(staff_id), catalogue.settings
    hours = member.hours.merged(raw).from_day(settings.today(now))
    updated = store.catalogue.save_staff(replace(member, hours=hours))
    outside = [
        a
        for a in open_ahead(store, member.id, settings, now)
        if not within_hours((a.start, a.end), a.local_start.date(), hours, settings.zone)
    ]
    return updated, outside


def hours(store: Store, staff_id: str) -> StaffMember:
    return store.catalogue.read().staff_member(staff_id)
