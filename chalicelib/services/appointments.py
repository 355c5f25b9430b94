"""Booking, reading, cancelling and rescheduling appointments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from chalicelib import tokens
from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.assignment import ANY, Assignment, is_any
from chalicelib.domain.availability import Rules, Slot, offered_slot
from chalicelib.domain.catalogue import Catalogue, Service, StaffMember
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.errors import (
    AppointmentClosed,
    ConcurrentChange,
    DomainError,
    InvalidInput,
    NotFound,
    SlotTaken,
    TimeNotOffered,
)
from chalicelib.domain.history import Change
from chalicelib.domain.hours import format_hhmm
from chalicelib.domain.locations import stored
from chalicelib.domain.money import Money, ensure_amount_matches
from chalicelib.domain.parts import Wanted
from chalicelib.domain.policy import ensure_within_limits
from chalicelib.domain.resources import needs_of
from chalicelib.domain.rules import check_duration
from chalicelib.domain.schedule import walk_in_slot
from chalicelib.domain.scopes import scope
from chalicelib.services import visits
from chalicelib.services.assignment import choose
from chalicelib.services.unit_of_work import commit
from chalicelib.store import Store
from chalicelib.store.idempotency import IdempotencyClaim
from chalicelib.store.pages import Page


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


def _offered(
    catalogue: Catalogue, service: Service, staff: StaffMember, day: date, minutes: int, now: datetime
) -> Slot:
    slot = offered_slot(day, minutes, catalogue.hours(staff), service, Rules(catalogue.settings, now))
    if slot is None:
        raise TimeNotOffered(
            f"{day} {format_hhmm(minutes)} is not offered for {service.name} with {staff.name}.",
            {"timeSlot": "not offered"},
        )
    return slot


def _as_they_wish(store: Store, appointment: Appointment) -> Appointment:
    """The customer's reminder times and language, as their preferences say."""
    wishes = store.customers.preferences(appointment.customer_id)
    return replace(appointment, reminder_offsets=wishes.reminder_times, locale=wishes.locale)


def _replay_or_raise(store: Store, claim: IdempotencyClaim | None, error: DomainError) -> Appointment:
    """A retried request whose first attempt succeeded gets the first answer, even if it would fail now."""
    earlier = store.replays.find(claim) if claim else None
    if earlier is None:
        raise error
    return earlier


def book(
    store: Store, actor: Actor, request: BookingRequest, now: datetime, claim: IdempotencyClaim | None = None
) -> Appointment:
    """Read what the decision needs (the catalogue, the customer's upcoming appointments and their
    preferences), decide, then commit once."""
    catalogue = store.catalogue.at(request.location_id)
    limit = catalogue.settings.max_upcoming
    ahead = store.appointments.of_customer(actor.id, "upcoming", None, limit, now, stamped=False).appointments
    wishes = store.customers.preferences(actor.id)
    if len(request.visit) > 1:
        return _book_visit(store, actor, request, now, claim, catalogue, ahead)
    try:
        catalogue.settings.ensure_settled(now)
        service, candidates = catalogue.candidates(request.service_id, request.staff_id)
        ensure_amount_matches(request.total_amount, service.price)
        ensure_within_limits(ahead, service.requires_payment, catalogue.settings, now)
        if not is_any(request.staff_id):
            staff = candidates[0]
            slot = _offered(catalogue, service, staff, request.day, request.minutes, now)
        else:
            chosen, slots = choose(store, catalogue, service, candidates, request.day, request.minutes, actor.id, now)
    except DomainError as error:
        return _replay_or_raise(store, claim, error)

    def made(member: StaffMember, at: Slot) -> Appointment:
        booked = Appointment.book(
            actor.id, request.customer, service, member, at, catalogue.settings, now, request.notes
        )
        here = stored(catalogue.here)
        return replace(booked, reminder_offsets=wishes.reminder_times, locale=wishes.locale, location_id=here)

    units = catalogue.units(service)
    if not is_any(request.staff_id):
        appointment = made(staff, slot)
        return commit(
            store, None, appointment, Change.of("book", actor, None, appointment), claim, staff=(staff,), units=units
        )

    def attempt(member: StaffMember) -> Appointment:
        appointment = replace(made(member, slots[member.id]), assigned=chosen.policy.value)
        change = replace(Change.of("book", actor, None, appointment), detail=chosen.reason_for(member))
        return commit(store, None, appointment, change, claim, staff=(member,), units=units)

    return _in_turn(chosen, attempt)


def _book_visit(
    store: Store,
    actor: Actor,
    request: BookingRequest,
    now: datetime,
    claim: IdempotencyClaim | None,
    catalogue: Catalogue,
    ahead: list[Appointment],
) -> Appointment:
    """Several services as one appointment, planned at the asked start and taken in one transaction."""
    try:
        catalogue.settings.ensure_settled(now)
        resolved = visits.resolve(catalogue, request.visit)
        services = [s for s, _ in resolved]
        ensure_amount_matches(
            request.total_amount, Money(sum(s.price.minor for s in services), services[0].price.currency)
        )
        ensure_within_limits(ahead, any(s.requires_payment for s in services), catalogue.settings, now)
        planned = visits.plan(store, catalogue, resolved, request.visit, request.day, request.minutes, actor.id, now)
    except DomainError as error:
        return _replay_or_raise(store, claim, error)
    units = visits.needed_units(catalogue, services)

    def attempt(staff: tuple[StaffMember, ...]) -> Appointment:
        parts = planned.parts(staff)
        made = Appointment.book_visit(
            actor.id, request.customer, parts, services, catalogue.settings, now, request.notes
        )
        chosen_by = next((p.assigned for p in parts if p.assigned), "")
        appointment = _as_they_wish(store, replace(made, assigned=chosen_by, location_id=stored(catalogue.here)))
        change = replace(Change.of("book", actor, None, appointment), detail=planned.reasons(staff))
        return commit(store, None, appointment, change, claim, staff=_each_once(staff), units=units)

    return visits.in_turn(planned, attempt)


def _in_turn(chosen: Assignment, attempt: Callable[[StaffMember], Appointment]) -> Appointment:
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


def visible(store: Store, actor: Actor, appointment_id: str) -> Appointment:
    """Another customer's appointment does not exist, as far as a customer can tell."""
    appointment = store.appointments.get(appointment_id)
    if not appointment.is_visible_to(actor):
        raise NotFound(f"There is no appointment {appointment_id!r}.")
    return appointment


def history(store: Store, appointment_id: str) -> tuple[Appointment, list[Change]]:
    """An appointment and every recorded change of it, oldest first."""
    return store.appointments.get(appointment_id), store.appointments.history(appointment_id)


def cancel(
    store: Store, actor: Actor, appointment_id: str, reason: str, now: datetime, for_customer: bool = False
) -> Appointment:
    """`for_customer`: staff cancelling at the customer's request, so the customer's refund policy applies."""
    before = visible(store, actor, appointment_id)
    settings = store.catalogue.read().settings
    after = before.cancel(actor, reason, now, settings, for_customer=for_customer)
    return commit(store, before, after, Change.of("cancel", actor, before, after, reason))


def reschedule(
    store: Store,
    actor: Actor,
    appointment_id: str,
    day: date,
    minutes: int,
    staff_id: str | None,
    now: datetime,
    claim: IdempotencyClaim | None = None,
) -> Appointment:
    try:
        before = visible(store, actor, appointment_id)
        catalogue = store.catalogue.at(before.location_id)  # it moves within its location
        catalogue.settings.ensure_settled(now)
    except DomainError as error:
        return _replay_or_raise(store, claim, error)
    move = _move_visit if before.parts else _move_one
    return move(store, actor, before, catalogue, day, minutes, staff_id, now, claim)


def _move_one(
    store: Store,
    actor: Actor,
    before: Appointment,
    catalogue: Catalogue,
    day: date,
    minutes: int,
    staff_id: str | None,
    now: datetime,
    claim: IdempotencyClaim | None,
) -> Appointment:
    try:
        service, candidates = catalogue.candidates(before.service_id, staff_id or before.staff_id)
        own = replace(service, duration=check_duration(before.duration))
        if staff_id != ANY:
            staff = candidates[0]
            slot = _offered(catalogue, own, staff, day, minutes, now)
            after = before.reschedule(actor, staff, slot, catalogue.settings, now)
        else:
            chosen, slots = choose(store, catalogue, own, candidates, day, minutes, before.customer_id, now, before)
            first = chosen.order[0]
            before.reschedule(actor, first, slots[first.id], catalogue.settings, now)  # may it move at all (cutoff)
    except DomainError as error:
        return _replay_or_raise(store, claim, error)
    units = catalogue.units(replace(service, needs=needs_of(before)), first=before.resources)  # as it was booked
    if staff_id != ANY:
        return commit(
            store, before, after, Change.of("reschedule", actor, before, after), claim, staff=(staff,), units=units
        )

    def attempt(member: StaffMember) -> Appointment:
        moved = before.reschedule(actor, member, slots[member.id], catalogue.settings, now)
        moved = replace(moved, assigned=chosen.policy.value)
        change = replace(Change.of("reschedule", actor, before, moved), reason=chosen.reason_for(member))
        return commit(store, before, moved, change, claim, staff=(member,), units=units)

    return _in_turn(chosen, attempt)


def _replan(
    store: Store,
    catalogue: Catalogue,
    before: Appointment,
    day: date,
    minutes: int,
    staff_id: str | None,
    now: datetime,
) -> visits.Planned:
    """A visit at its new start: the same services as booked, in order, each keeping its staff member, or for
    "any" each given again by the policy (its own staff member first when free)."""
    if staff_id not in (None, ANY):
        raise InvalidInput(
            'A visit keeps each service\'s staff member: leave staffId out, or send "any" to let the business choose.',
            {"staffId": "per service in a visit"},
        )
    services = visits.as_services(before)
    resolved = [
        (
            service,
            catalogue.staff_for(catalogue.service(part.service_id))
            if staff_id
            else [catalogue.staff_member(part.staff_id)],
        )
        for service, part in zip(services, before.parts, strict=True)
    ]
    wanted = [Wanted(part.service_id, staff_id or part.staff_id) for part in before.parts]
    return visits.plan(store, catalogue, resolved, wanted, day, minutes, before.customer_id, now, moving=before)


def _move_visit(
    store: Store,
    actor: Actor,
    before: Appointment,
    catalogue: Catalogue,
    day: date,
    minutes: int,
    staff_id: str | None,
    now: datetime,
    claim: IdempotencyClaim | None,
) -> Appointment:
    """The whole visit moved, its services in the same order and lengths, in one transaction."""
    try:
        planned = _replan(store, catalogue, before, day, minutes, staff_id, now)
        _visit_moved(actor, before, planned, planned.first_choices, catalogue, now)  # may it move at all (cutoff)
    except DomainError as error:
        return _replay_or_raise(store, claim, error)
    units = visits.needed_units(catalogue, visits.as_services(before), first=before.resources)

    def attempt(staff: tuple[StaffMember, ...]) -> Appointment:
        moved = _visit_moved(actor, before, planned, staff, catalogue, now)
        change = Change.of("reschedule", actor, before, moved)
        reasons = planned.reasons(staff)
        change = replace(change, reason=reasons) if reasons else change
        return commit(store, before, moved, change, claim, staff=_each_once(staff), units=units)

    return visits.in_turn(planned, attempt)


def _visit_moved(
    actor: Actor,
    before: Appointment,
    planned: visits.Planned,
    staff: tuple[StaffMember, ...],
    catalogue: Catalogue,
    now: datetime,
) -> Appointment:
    parts = planned.parts(staff)
    return before.reschedule(actor, staff[0], Slot(parts[0].start, parts[-1].end), catalogue.settings, now, parts)


def _each_once(staff: tuple[StaffMember, ...]) -> tuple[StaffMember, ...]:
    return tuple({m.id: m for m in staff}.values())


def mine(store: Store, actor: Actor, scope: str, cursor: str | None, now: datetime, limit: int = 20) -> Page:
    if actor.role is not Role.CUSTOMER:
        return Page([], None)
    return store.appointments.of_customer(actor.id, scope, cursor, limit, now)


STAFF_MOVES = {
    "confirm": Appointment.confirm,
    "complete": Appointment.complete,
    "no-show": Appointment.mark_no_show,
}


def move(store: Store, actor: Actor, appointment_id: str, action: str, now: datetime) -> Appointment:
    """Staff confirm, complete or mark a no-show; a final appointment's time is freed in the same write."""
    before = store.appointments.get(appointment_id)
    after = STAFF_MOVES[action](before, now)
    return commit(store, before, after, Change.of(action, actor, before, after))


@dataclass(frozen=True)
class ArrangeRequest:
    """The appointment module's create form: customer, operator, type, scheduled at, duration, notes."""

    staff_id: str
    service_id: str
    scheduled_at: datetime  # an instant if aware; naive means the business's wall clock (`instant_of`)
    duration: int | None
    notes: str
    customer_id: str | None = None
    customer: CustomerInfo | None = None
    location_id: str | None = None  # none: the business's own


def arrange(store: Store, actor: Actor, request: ArrangeRequest, now: datetime) -> Appointment:
    """A walk-in or a phone booking by staff: no notice or window, but within hours and never overlapping."""
    catalogue = store.catalogue.at(request.location_id)
    catalogue.settings.ensure_settled(now)
    service, staff = catalogue.performer(request.service_id, request.staff_id)
    settings = catalogue.settings
    asked = service.duration if request.duration is None else request.duration
    duration = check_duration(asked)
    slot = walk_in_slot(request.scheduled_at, duration, staff, catalogue.hours(staff), settings.zone, now)
    if request.customer_id:
        known = store.customers.get(request.customer_id)
        customer_id, info = known.id, CustomerInfo(known.name, known.phone, known.email)
    elif request.customer:
        customer_id, info = tokens.stable_id("phone", request.customer.phone), request.customer
    else:
        raise InvalidInput("Give customerId or customerInfo.", {"customerId": "required"})
    made = Appointment.arrange(customer_id, info, service, staff, slot, settings, now, request.notes)
    appointment = _as_they_wish(store, replace(made, location_id=stored(catalogue.here)))
    change = Change.of("create", actor, None, appointment)
    return commit(store, None, appointment, change, staff=(staff,), units=catalogue.units(service))


def front_desk_list(
    store: Store,
    scope_name: str,
    staff_id: str | None,
    day: date | None,
    cursor: str | None,
    now: datetime,
    limit: int = 50,
    location_id: str | None = None,
) -> Page:
    """One location's (the business's own when left out): its partitions are its own."""
    catalogue = store.catalogue.at(location_id)
    chosen = scope(scope_name, now, catalogue.settings.zone, day)
    return store.appointments.scoped(chosen, staff_id, cursor, limit, stored(catalogue.here))


def schedule_reminders(
    store: Store, actor: Actor, appointment_id: str, offsets: tuple[str, ...], now: datetime
) -> Appointment:
    """The seed's scheduleReminders: this appointment's reminder times, replacing the ones it had."""
    before = visible(store, actor, appointment_id)
    if before.status.is_final:
        raise AppointmentClosed(f"The appointment is {before.status.value}; there is nothing to remind of.")
    after = replace(before, reminder_offsets=offsets, updated_at=now)
    return commit(store, before, after, Change.of("reminders", actor, before, after))


SYSTEM = Actor("system:no-show", Role.STAFF, "No-show job")


def mark_no_shows(store: Store, now: datetime) -> list[Appointment]:
    """Confirmed appointments whose end plus the grace period has passed become no-shows.

    Safe to run twice or at once: each move is conditional on the version it read, so a second run
    finds nothing to do and a concurrent one loses its write harmlessly.
    """
    catalogue = store.catalogue.read()
    grace = timedelta(minutes=catalogue.settings.no_show_grace_minutes)
    marked = []
    for appointment in store.appointments.confirmed_started_before(now - grace, catalogue.places):
        if not appointment.overdue(now, grace):
            continue
        after = appointment.mark_no_show(now)
        try:
            marked.append(commit(store, appointment, after, Change.of("no-show", SYSTEM, appointment, after)))
        except ConcurrentChange:
            continue
    return marked
