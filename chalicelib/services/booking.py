"""Booking: one service with a staff member or any staff (services/assignment.py), or a visit of several
(services/visits.py): read what the decision needs, decide, then commit once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

from chalicelib.domain.actor import Actor
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.assignment import Assignment, is_any
from chalicelib.domain.availability import Rules, Slot, offered_slot
from chalicelib.domain.catalogue import Catalogue, Service, StaffMember
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.errors import DomainError, SlotTaken, TimeNotOffered
from chalicelib.domain.history import Change
from chalicelib.domain.holds import hold_minutes
from chalicelib.domain.hours import format_hhmm
from chalicelib.domain.locations import stored
from chalicelib.domain.money import Money, ensure_amount_matches
from chalicelib.domain.parts import Wanted
from chalicelib.domain.policy import ensure_within_limits
from chalicelib.domain.visits import visit_of
from chalicelib.services import visits
from chalicelib.services.appointments import as_they_wish, replay_or_raise
from chalicelib.services.assignment import choose
from chalicelib.services.terms import terms_of
from chalicelib.services.unit_of_work import commit
from chalicelib.store import Store
from chalicelib.store.idempotency import IdempotencyClaim


@dataclass(frozen=True)
class BookingRequest:
    service_id: str
    staff_id: str | None  # None or "any": the business chooses (services/assignment.py)
    day: date
    minutes: int
    customer: CustomerInfo
    notes: str = ""
    total_amount: object = None
    visit: tuple[Wanted, ...] = ()  # several services back to back (services/visits.py); the first is service_id's
    location_id: str | None = None  # none: the business's own (domain/locations.py)
    holding: bool = False  # a short hold (domain/holds.py) rather than a booking
    hold_for: int | None = None  # the hold's minutes as asked; none: the default


def offered(catalogue: Catalogue, service: Service, staff: StaffMember, day: date, minutes: int, now: datetime) -> Slot:
    slot = offered_slot(day, minutes, catalogue.hours(staff), service, Rules(catalogue.settings, now))
    if slot is None:
        raise TimeNotOffered(
            f"{day} {format_hhmm(minutes)} is not offered for {service.name} with {staff.name}.",
            {"timeSlot": "not offered"},
        )
    return slot


def book(
    store: Store, actor: Actor, request: BookingRequest, now: datetime, claim: IdempotencyClaim | None = None
) -> Appointment:
    """Read what the decision needs (the catalogue, the customer's upcoming appointments and their
    preferences), decide, then commit once."""
    catalogue = store.catalogue.at(request.location_id)
    limit = catalogue.settings.max_upcoming
    ahead = store.appointments.of_customer(actor.id, "upcoming", None, limit, now, stamped=False).appointments
    wishes = store.customers.preferences(actor.id)
    try:
        held_for = hold_minutes(request.hold_for, catalogue.settings.hold_minutes) if request.holding else 0
    except DomainError as error:
        return replay_or_raise(store, claim, error)
    if len(request.visit) > 1:
        return _book_visit(store, actor, request, now, claim, catalogue, ahead, held_for)
    try:
        catalogue.settings.ensure_settled(now)
        service, candidates = catalogue.candidates(request.service_id, request.staff_id)
        ensure_amount_matches(request.total_amount, service.price)
        terms = terms_of(store, actor, [service], catalogue.settings, now)
        ensure_within_limits(ahead, bool(terms.due or held_for), catalogue.settings, now)
        if not is_any(request.staff_id):
            staff = candidates[0]
            slot = offered(catalogue, service, staff, request.day, request.minutes, now)
        else:
            chosen, slots = choose(store, catalogue, service, candidates, request.day, request.minutes, actor.id, now)
    except DomainError as error:
        return replay_or_raise(store, claim, error)

    def made(member: StaffMember, at: Slot) -> Appointment:
        booked = Appointment.book(
            actor.id, request.customer, service, member, at, catalogue.settings, now, request.notes
        )
        here = stored(catalogue.here)
        booked = booked.as_hold(held_for, now) if held_for else booked.asking(terms, catalogue.settings, now)
        return replace(booked, reminder_offsets=wishes.reminder_times, locale=wishes.locale, location_id=here)

    action = "hold" if held_for else "book"

    units = catalogue.units(service)
    if not is_any(request.staff_id):
        appointment = made(staff, slot)
        return commit(
            store, None, appointment, Change.of(action, actor, None, appointment), claim, staff=(staff,), units=units
        )

    def attempt(member: StaffMember) -> Appointment:
        appointment = replace(made(member, slots[member.id]), assigned=chosen.policy.value)
        change = replace(Change.of(action, actor, None, appointment), detail=chosen.reason_for(member))
        return commit(store, None, appointment, change, claim, staff=(member,), units=units)

    return in_turn(chosen, attempt)


def _book_visit(
    store: Store,
    actor: Actor,
    request: BookingRequest,
    now: datetime,
    claim: IdempotencyClaim | None,
    catalogue: Catalogue,
    ahead: list[Appointment],
    held_for: int,
) -> Appointment:
    """Several services as one appointment, planned at the asked start and taken in one transaction."""
    try:
        catalogue.settings.ensure_settled(now)
        resolved = visits.resolve(catalogue, request.visit)
        services = [s for s, _ in resolved]
        ensure_amount_matches(
            request.total_amount, Money(sum(s.price.minor for s in services), services[0].price.currency)
        )
        terms = terms_of(store, actor, services, catalogue.settings, now)
        ensure_within_limits(ahead, bool(terms.due or held_for), catalogue.settings, now)
        planned = visits.plan(store, catalogue, resolved, request.visit, request.day, request.minutes, actor.id, now)
    except DomainError as error:
        return replay_or_raise(store, claim, error)
    units = visits.needed_units(catalogue, services)

    def attempt(staff: tuple[StaffMember, ...]) -> Appointment:
        parts = planned.parts(staff)
        made = visit_of(actor.id, request.customer, parts, services, catalogue.settings, now, request.notes)
        made = made.as_hold(held_for, now) if held_for else made.asking(terms, catalogue.settings, now)
        chosen_by = next((p.assigned for p in parts if p.assigned), "")
        appointment = as_they_wish(store, replace(made, assigned=chosen_by, location_id=stored(catalogue.here)))
        change = replace(
            Change.of("hold" if held_for else "book", actor, None, appointment), detail=planned.reasons(staff)
        )
        return commit(store, None, appointment, change, claim, staff=each_once(staff), units=units)

    return visits.in_turn(planned, attempt)


def in_turn(chosen: Assignment, attempt: Callable[[StaffMember], Appointment]) -> Appointment:
    """Each candidate in the policy's order until one commits: if a racing booking took one meanwhile, the next is
    tried in the same request; 409 only when nobody is left (or no room of a type it needs is free: nobody else
    would help)."""
    for member in chosen.order:
        try:
            return attempt(member)
        except SlotTaken as error:
            if "resources" in error.fields:
                raise
    raise SlotTaken("Everyone who performs it was taken meanwhile; please choose another slot.", {"staffId": "any"})


def each_once(staff: tuple[StaffMember, ...]) -> tuple[StaffMember, ...]:
    return tuple({m.id: m for m in staff}.values())
