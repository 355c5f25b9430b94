"""Visits: several services offered, booked and moved as one (domain/parts.py, domain/visits.py).

Dates and slots read each candidate's calendar once (one Query each, whoever performs several of the services) and
each unit's of the resource types the services need. Booking plans the visit at the asked start: each service's
staff member (the one asked for, or by the business's policy among those free), then one transaction takes all of
it; a service asked for any staff whose chosen member a racing booking took goes to the next one in the same
request, and 409 comes only when a service has nobody left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.assignment import Assignment, is_any
from chalicelib.domain.availability import Busy, Rules, Slot, occupancy_window, offered_slot
from chalicelib.domain.catalogue import Catalogue, Resource, Service, StaffMember
from chalicelib.domain.errors import InvalidInput, SlotTaken, TimeNotOffered
from chalicelib.domain.hours import format_hhmm
from chalicelib.domain.occupancy import Interval, resource_calendar, staff_calendar
from chalicelib.domain.parts import MAX_SERVICES, Part, Wanted
from chalicelib.domain.visits import Step, in_hours, steps, visit_slots
from chalicelib.services.assignment import rank
from chalicelib.store import Store

Resolved = list[tuple[Service, list[StaffMember]]]  # each service with who may perform it


def resolve(catalogue: Catalogue, wanted: Sequence[Wanted]) -> Resolved:
    if not 1 <= len(wanted) <= MAX_SERVICES:
        raise InvalidInput(f"A visit has 1 to {MAX_SERVICES} services.", {"services": "out of range"})
    return [catalogue.candidates(w.service_id, w.staff_id) for w in wanted]


def needed_units(
    catalogue: Catalogue, services: Sequence[Service], first: Sequence[Resource] = ()
) -> dict[str, list[Resource]]:
    """The units of every resource type any of the services needs, in the order to try."""
    kinds = tuple(dict.fromkeys(kind for s in services for kind in s.needs))
    return catalogue.units(replace(services[0], needs=kinds), first=first)


def _performers(
    store: Store, catalogue: Catalogue, resolved: Resolved, window: Interval
) -> list[list[tuple[StaffMember, Busy]]]:
    """Each service's candidates with what is taken on their calendars and on the units the visit may take: one
    Query per candidate and per unit, each read once however many services they serve."""
    units = {
        kind: [store.timelines.taken(resource_calendar(unit.id), *window) for unit in candidates]
        for kind, candidates in needed_units(catalogue, [s for s, _ in resolved]).items()
    }
    everyone = {m.id: m for _, candidates in resolved for m in candidates}
    busy = {i: Busy(store.timelines.taken(staff_calendar(i), *window), units) for i in everyone}
    return [[(m, busy[m.id]) for m in candidates] for _, candidates in resolved]


def available_slots(
    store: Store, wanted: Sequence[Wanted], day: date, now: datetime, location_id: str | None = None
) -> tuple[Rules, list[Slot]]:
    """The starts at which the whole visit fits, each slot spanning it."""
    catalogue = store.catalogue.at(location_id)
    resolved, rules = resolve(catalogue, wanted), Rules(catalogue.settings, now)
    if not rules.today <= day <= rules.last_day or not all(candidates for _, candidates in resolved):
        return rules, []
    read = _performers(store, catalogue, resolved, occupancy_window([day], rules))
    performers = [[(catalogue.hours(m), busy) for m, busy in who] for who in read]
    return rules, visit_slots(day, [s for s, _ in resolved], performers, rules)


def available_dates(
    store: Store, wanted: Sequence[Wanted], days: int, now: datetime, location_id: str | None = None
) -> list[tuple[date, int]]:
    catalogue = store.catalogue.at(location_id)
    resolved, rules = resolve(catalogue, wanted), Rules(catalogue.settings, now)
    window = rules.days(days)
    if not all(candidates for _, candidates in resolved):
        return []
    read = _performers(store, catalogue, resolved, occupancy_window(window, rules))
    performers = [[(catalogue.hours(m), busy) for m, busy in who] for who in read]
    services = [s for s, _ in resolved]
    counts = ((day, len(visit_slots(day, services, performers, rules))) for day in window)
    return [(day, count) for day, count in counts if count]


@dataclass(frozen=True)
class Planned:
    """A visit at its start: each service's place, who to try for it in order, and why (those asked for any)."""

    steps: list[Step]
    order: list[tuple[StaffMember, ...]]
    chosen: list[Assignment | None]

    @property
    def first_choices(self) -> tuple[StaffMember, ...]:
        """The first choice for every service."""
        return tuple(options[0] for options in self.order)

    def parts(self, staff: Sequence[StaffMember]) -> tuple[Part, ...]:
        """The parts with these staff members (one per service)."""
        return tuple(
            Part(
                service_id=step.service.id,
                service_name=step.service.name,
                staff_id=member.id,
                staff_name=member.name,
                start=step.slot.start,
                duration=step.service.duration,
                price=step.service.price,
                segments=step.service.segments,
                needs=step.service.needs,
                assigned=chosen.policy.value if chosen else "",
            )
            for step, member, chosen in zip(self.steps, staff, self.chosen, strict=True)
        )

    def reasons(self, staff: Sequence[StaffMember]) -> str:
        """Why each service asked for any staff went to whom, as the history records it."""
        return "; ".join(
            f"{step.service.name}: {chosen.reason_for(member)}"
            for step, member, chosen in zip(self.steps, staff, self.chosen, strict=True)
            if chosen is not None
        )


def plan(
    store: Store,
    catalogue: Catalogue,
    resolved: Resolved,
    wanted: Sequence[Wanted],
    day: date,
    minutes: int,
    customer_id: str,
    now: datetime,
    moving: Appointment | None = None,
) -> Planned:
    """The visit starting at `minutes` on `day`: offered if the first service's staff member's hours offer that
    start and each next service lies within its staff member's hours; for services asked for any staff, those free
    then in the policy's order (`moving`: the visit being moved, whose own time counts as free, each service keeping
    its staff member when they are free)."""
    rules = Rules(catalogue.settings, now)
    first, candidates = resolved[0]
    offered = {m.id: offered_slot(day, minutes, catalogue.hours(m), first, rules) for m in candidates}
    start = next((slot.start for slot in offered.values() if slot is not None), None)
    if start is None:
        raise TimeNotOffered(
            f"{day} {format_hhmm(minutes)} is not offered for {first.name}.", {"timeSlot": "not offered"}
        )
    places = steps([s for s, _ in resolved], start, catalogue.settings)
    order: list[tuple[StaffMember, ...]] = []
    chosen: list[Assignment | None] = []
    for i, (step, (service, who), asked) in enumerate(zip(places, resolved, wanted, strict=True)):
        fits = [
            m for m in who if (offered[m.id] is not None if i == 0 else in_hours(step, day, catalogue.hours(m), rules))
        ]
        if not fits:
            raise TimeNotOffered(
                f"{service.name} cannot follow at {step.slot.start.astimezone(rules.zone):%H:%M}: it would run "
                "outside the hours of whoever performs it.",
                {"services": f"{service.id} not offered then"},
            )
        if not is_any(asked.staff_id):
            order.append((fits[0],))
            chosen.append(None)
            continue
        slots = {m.id: step.slot for m in fits}
        ranked = rank(store, catalogue, step.service, who, slots, day, customer_id, now, moving)
        if moving is not None and i < len(moving.performed):
            ranked = ranked.keeping(moving.performed[i].staff_id)
        order.append(ranked.order)
        chosen.append(ranked)
    return Planned(places, order, chosen)


def in_turn(planned: Planned, attempt: Callable[[tuple[StaffMember, ...]], Appointment]) -> Appointment:
    """The first choice for every service until one commits: a service asked for any staff whose chosen member was
    taken meanwhile goes to the next; 409 when one has nobody left, or a service's own staff member or a room was
    taken (nobody else would help)."""
    left = [list(order) for order in planned.order]
    while True:
        try:
            return attempt(tuple(options[0] for options in left))
        except SlotTaken as error:
            calendar = error.fields.get("calendar", "")
            lost = [
                i
                for i, options in enumerate(left)
                if planned.chosen[i] is not None
                and staff_calendar(options[0].id) == calendar
                and planned.steps[i].overlaps(error.during)
            ]
            if not lost:
                raise
            for i in lost:
                left[i].pop(0)
                if not left[i]:
                    name = planned.steps[i].service.name
                    raise SlotTaken(
                        f"Everyone who performs {name} was taken meanwhile; please choose another slot.",
                        {"staffId": "any"},
                    ) from None


def as_services(appointment: Appointment) -> list[Service]:
    """A visit's services as it was booked (their lengths, segments, prices and needs then), to move it."""
    performed = appointment.performed
    return [
        Service(
            id=p.service_id,
            name=p.service_name,
            duration=p.duration,
            price=p.price,
            segments=p.segments,
            needs=p.needs,
            buffer_before=appointment.buffer_before,
            buffer_after=appointment.buffer_after,
        )
        for p in performed
    ]
