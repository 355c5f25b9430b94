"""Who takes a booking for any staff: each candidate's week read (one Query of their calendar days each), the free
ones ranked by the business's policy (domain/assignment.py)."""

from __future__ import annotations

from datetime import date, datetime

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.assignment import Assignment, Policy, assign, loads, policy_of, week_of
from chalicelib.domain.availability import Rules, Slot, occupancy_window, offered_slot, staff_is_free, wall_instant
from chalicelib.domain.catalogue import Catalogue, Service, StaffMember
from chalicelib.domain.errors import SlotTaken, TimeNotOffered
from chalicelib.domain.hours import format_hhmm
from chalicelib.domain.occupancy import Taken, staff_calendar
from chalicelib.store import Store


def choose(
    store: Store,
    catalogue: Catalogue,
    service: Service,
    candidates: list[StaffMember],
    day: date,
    minutes: int,
    customer_id: str,
    now: datetime,
    moving: Appointment | None = None,
) -> tuple[Assignment, dict[str, Slot]]:
    """The order to try the candidates free at that time in, and the slot as each one's hours offer it.

    `moving`: an appointment being moved, whose own time counts as free (and not as its staff member's minutes);
    its staff member goes first when free at the new time, so a move keeps the customer with them."""
    rules = Rules(catalogue.settings, now)
    offered = {m.id: offered_slot(day, minutes, catalogue.hours(m), service, rules) for m in candidates}
    slots = {staff_id: slot for staff_id, slot in offered.items() if slot is not None}
    if not slots:
        raise TimeNotOffered(
            f"{day} {format_hhmm(minutes)} is not offered for {service.name} by anyone.", {"timeSlot": "not offered"}
        )
    chosen = rank(store, catalogue, service, candidates, slots, day, customer_id, now, moving)
    return (chosen.keeping(moving.staff_id) if moving is not None else chosen), slots


def rank(
    store: Store,
    catalogue: Catalogue,
    service: Service,
    candidates: list[StaffMember],
    slots: dict[str, Slot],
    day: date,
    customer_id: str,
    now: datetime,
    moving: Appointment | None = None,
) -> Assignment:
    """The candidates free for their slot (`slots`: those whose hours offer it), in the order the policy gives;
    `moving`: an appointment being moved, whose own time counts as free."""
    rules = Rules(catalogue.settings, now)
    week = week_of(day)
    first, last = occupancy_window([day], rules)
    start = min(first, wall_instant(week[0], 0, rules.zone))
    end = max(last, wall_instant(week[-1], 1440, rules.zone))
    days = {m.id: store.timelines.days(staff_calendar(m.id), start, end) for m in candidates}
    if moving is not None:
        days = {staff_id: [d.with_holds(moving.holder, ()) for d in held] for staff_id, held in days.items()}
    free = [m for m in candidates if m.id in slots and staff_is_free(slots[m.id], service, rules, Taken.of(days[m.id]))]
    if not free:
        raise SlotTaken(
            f"Everyone who performs {service.name} is taken at that time; please choose another slot.",
            {"staffId": "any"},
        )
    weeks = {
        load.member.id: load for load in loads([(m, catalogue.hours(m)) for m in candidates], days, week, rules.zone)
    }
    policy = policy_of(catalogue.settings.assignment)
    previous = _last_staff(store, customer_id, now) if policy is Policy.RETURNING else None
    return assign(policy, [weeks[m.id] for m in free], previous)


def _last_staff(store: Store, customer_id: str, now: datetime) -> str | None:
    """Who the customer saw last: their latest past appointment's staff member (one Query)."""
    past = store.appointments.of_customer(customer_id, "past", None, 1, now, stamped=False).appointments
    return past[0].staff_id if past else None
