"""Calendars as read back: a staff member's taken time, their timeline, and everyone's day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.block import Block
from chalicelib.domain.occupancy import CalendarDay, Taken, staff_calendar
from chalicelib.domain.rules import LONGEST_HOLD
from chalicelib.domain.visits import share_of
from chalicelib.store import mapping, stamps
from chalicelib.store.models import AppointmentItem, BlockItem, Item, ShareItem, StampsItem
from chalicelib.store.occupancy import days_of


def _overlapping(
    items: Iterable[Item], start: datetime, end: datetime, stamped: bool = True, staff_id: str | None = None
) -> tuple[list[Appointment], list[Block]]:
    """The appointments (with their stamps if `stamped`: store/stamps.py) and blocks among `items` that overlap
    [start, end); for a staff member's timeline (`staff_id`), each visit as their share of it (a visit shared with
    them is read by its key: one BatchGetItem per 100)."""
    found, blocks, shared = [], [], []
    for item in items:
        if isinstance(item, AppointmentItem):
            found.append(mapping.appointment_from(item))
        elif isinstance(item, ShareItem):
            shared.append((item.pk, "APPT"))
        elif isinstance(item, BlockItem):
            block = mapping.block_from(item)
            if block.start < end and block.end > start:
                blocks.append(block)
    found += [mapping.appointment_from(i) for i in AppointmentItem.batch_get(shared)] if shared else []
    seen = [share_of(a, staff_id) for a in found] if staff_id else found
    appointments = sorted((a for a in seen if a and a.start < end and a.end > start), key=lambda a: a.start)
    return stamps.with_stamps(appointments) if stamped else appointments, blocks


def _timeline(staff_id: str, start: datetime, end: datetime, stamped: bool) -> tuple[list[Appointment], list[Block]]:
    earliest = start - LONGEST_HOLD  # nothing longer can start earlier and still overlap
    key = f"STAFF#{staff_id}"
    query = Item.by_staff.query(key, Item.gsi2sk.between(mapping.timeline_key(earliest), mapping.timeline_key(end)))
    return _overlapping(query, start, end, stamped, staff_id)


class Timelines:
    def taken(self, calendar: str, start: datetime, end: datetime) -> Taken:
        """What is taken on a calendar around [start, end), as committed: one consistent Query of its days."""
        return Taken.of(days_of(calendar, start, end))

    def days(self, calendar: str, start: datetime, end: datetime) -> list[CalendarDay]:
        """A calendar's days that [start, end) touches, as committed: one consistent Query."""
        return days_of(calendar, start, end)

    def open_appointments(
        self, staff_id: str, start: datetime, end: datetime, stamped: bool = True
    ) -> list[Appointment]:
        """A staff member's open appointments holding time in [start, end), as committed; a visit as their share."""
        found = (share_of(a, staff_id) for a in self.open_on(staff_calendar(staff_id), start, end, stamped))
        return [a for a in found if a is not None]

    def open_on(self, calendar: str, start: datetime, end: datetime, stamped: bool = True) -> list[Appointment]:
        """The open appointments holding a calendar's time in [start, end), as committed (strongly consistent):
        its days (one Query), then the appointments holding time, and their stamps if `stamped`, in one BatchGet
        per 100 keys."""
        owners = self.taken(calendar, start, end).owners(start, end)
        ids = [owner.removeprefix("APPT#") for owner in owners if owner.startswith("APPT#")]
        beside = (stamps.stamps_key(i) for i in ids) if stamped else ()
        keys = [*((f"APPT#{i}", "APPT") for i in ids), *beside]
        found = list(Item.batch_get(keys, consistent_read=True)) if ids else []
        sent = {i.pk: i for i in found if isinstance(i, StampsItem)}
        appointments = (
            stamps.merged(mapping.appointment_from(i), sent.get(i.pk)) for i in found if isinstance(i, AppointmentItem)
        )
        return sorted((a for a in appointments if not a.status.is_final and a.end > start), key=lambda a: a.start)

    def of_staff(
        self, staff_id: str, start: datetime, end: datetime, stamped: bool = True
    ) -> tuple[list[Appointment], list[Block]]:
        """A staff member's appointments and blocks that overlap [start, end): one Query of gsi2 (and one
        BatchGet of the appointments' stamps if `stamped`)."""
        return _timeline(staff_id, start, end, stamped)

    def day(self, day: date, start: datetime, end: datetime) -> tuple[list[Appointment], list[Block]]:
        """Every staff member's appointments and blocks of one local day: one Query of gsi3."""
        return _overlapping(Item.by_day.query(f"DAY#{day.isoformat()}"), start, end)
