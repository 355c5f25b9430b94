"""Where a visit fits: its services back to back from a start, each with someone free to perform it.

The first service starts at the visit's start, which must be a start its staff member's hours offer (the slot
interval, the notice, the window); each next one starts where the one before ends and must lie within its staff
member's hours. The buffers stand before the first and after the last. The services are apart in time, so whether
each has someone free (and a unit of each resource type it needs) is decided on its own: the visit fits when every
one of them does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.availability import Busy, Rules, Slot, by_hours, candidate_slots, is_free
from chalicelib.domain.catalogue import BusinessSettings, Service, StaffMember
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.hours import WorkingHours
from chalicelib.domain.money import Money
from chalicelib.domain.parts import Part, names, own_stretch, staff_names, units_held
from chalicelib.domain.schedule import within_hours

Performers = Sequence[tuple[WorkingHours, Busy]]  # those who may perform one service of the visit


@dataclass(frozen=True)
class Step:
    """One service of a visit at its place: with the buffers it keeps there, and its slot."""

    service: Service
    slot: Slot

    def overlaps(self, during: tuple[datetime, datetime] | None) -> bool:
        """Whether time someone else holds falls in this service's span, buffers included (unknown: it may)."""
        if during is None:
            return True
        before, after = self.service.buffer_before or 0, self.service.buffer_after or 0
        start, end = self.slot.start - timedelta(minutes=before), self.slot.end + timedelta(minutes=after)
        return during[0] < end and start < during[1]


def steps(services: Sequence[Service], start: datetime, settings: BusinessSettings) -> list[Step]:
    """The services back to back from `start`: the first keeps its buffer before, the last its buffer after."""
    before, after = services[0].buffers(settings)[0], services[-1].buffers(settings)[1]
    found, cursor = [], start
    for i, service in enumerate(services):
        within = replace(service, buffer_before=0 if i else before, buffer_after=after if i == len(services) - 1 else 0)
        slot = Slot(cursor, cursor + timedelta(minutes=service.duration))
        found.append(Step(within, slot))
        cursor = slot.end
    return found


def in_hours(step: Step, day: date, hours: WorkingHours, rules: Rules) -> bool:
    """A later service of the visit lies within its staff member's hours of the visit's day."""
    return within_hours((step.slot.start, step.slot.end), day, hours, rules.zone)


def visit_slots(day: date, services: Sequence[Service], performers: Sequence[Performers], rules: Rules) -> list[Slot]:
    """The starts at which the whole visit fits, each slot spanning the whole visit; `performers[i]`: who may
    perform `services[i]`, with what is taken on their calendars and on the units of the types it needs."""
    starts: dict[datetime, list[Busy]] = {}
    for hours, group in by_hours(performers[0]):
        for slot in candidate_slots(day, hours, services[0], rules):
            starts.setdefault(slot.start, []).extend(group)
    found = []
    for start, first in sorted(starts.items()):
        plan = steps(services, start, rules.settings)
        if not any(is_free(plan[0].slot, plan[0].service, rules, busy) for busy in first):
            continue
        if all(
            any(
                in_hours(step, day, hours, rules) and is_free(step.slot, step.service, rules, busy)
                for hours, busy in who
            )
            for step, who in zip(plan[1:], performers[1:], strict=True)
        ):
            found.append(Slot(start, plan[-1].slot.end))
    return found


def visit_of(
    customer_id: str,
    customer: CustomerInfo,
    parts: tuple[Part, ...],
    services: list[Service],
    settings: BusinessSettings,
    now: datetime,
    notes: str = "",
) -> Appointment:
    """Several services back to back as one appointment: the first's service and staff member stand for it
    (the seed reads them), its price is the sum, a hold if any of them asks to be paid up front; the buffers
    stand before the first and after the last."""
    first, last = services[0], services[-1]
    paid = any(s.requires_payment for s in services)
    price = Money(sum(p.price.minor for p in parts), first.price.currency)
    booked = Appointment.book(
        customer_id,
        customer,
        replace(first, requires_payment=paid, price=price),
        _lead(parts),
        Slot(parts[0].start, parts[-1].end),
        settings,
        now,
        notes,
    )
    return replace(
        booked,
        service_name=names(parts),
        staff_name=staff_names(parts),
        duration=_minutes(parts[0].start, parts[-1].end),
        buffer_after=last.buffers(settings)[1],
        segments=(),
        parts=parts,
        resources=units_held(parts),
    )


def share_of(appointment: Appointment, staff_id: str) -> Appointment | None:
    """The appointment as one staff member's day shows it: a visit's services they perform, as if it were an
    appointment of theirs alone; None if they perform none of it."""
    if not appointment.parts:
        return appointment if appointment.staff_id == staff_id else None
    stretch = own_stretch(appointment.parts, staff_id)
    if stretch is None:
        return None
    mine = tuple(p for p in appointment.parts if p.staff_id == staff_id)
    start, duration, segments = stretch
    first, last = start == appointment.start, start + timedelta(minutes=duration) == appointment.end
    return replace(
        appointment,
        staff_id=staff_id,
        staff_name=mine[0].staff_name,
        service_id=mine[0].service_id,
        service_name=names(mine),
        start=start,
        duration=duration,
        segments=segments,
        buffer_before=appointment.buffer_before if first else 0,
        buffer_after=appointment.buffer_after if last else 0,
        resources=units_held(mine),
    )


def _lead(parts: tuple[Part, ...]) -> StaffMember:
    """The first service's staff member, who stands for a visit where one is named."""
    return StaffMember(parts[0].staff_id, parts[0].staff_name)


def _minutes(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds() // 60)
