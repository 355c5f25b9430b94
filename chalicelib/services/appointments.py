"""Appointments read, cancelled and moved by staff, made by the front desk, and marked as no-shows; what booking and
rescheduling share (services/booking.py, services/moving.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from chalicelib import tokens
from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.errors import (
    AppointmentClosed,
    ConcurrentChange,
    DomainError,
    InvalidInput,
    NotFound,
)
from chalicelib.domain.fees import CancelQuote, quote
from chalicelib.domain.history import Change
from chalicelib.domain.locations import stored
from chalicelib.domain.rules import check_duration
from chalicelib.domain.schedule import walk_in_slot
from chalicelib.domain.scopes import scope
from chalicelib.services.unit_of_work import commit
from chalicelib.store import Store
from chalicelib.store.idempotency import IdempotencyClaim
from chalicelib.store.pages import Page


def as_they_wish(store: Store, appointment: Appointment) -> Appointment:
    """The customer's reminder times and language, as their preferences say."""
    wishes = store.customers.preferences(appointment.customer_id)
    return replace(appointment, reminder_offsets=wishes.reminder_times, locale=wishes.locale)


def replay_or_raise(store: Store, claim: IdempotencyClaim | None, error: DomainError) -> Appointment:
    """A retried request whose first attempt succeeded gets the first answer, even if it would fail now."""
    earlier = store.replays.find(claim) if claim else None
    if earlier is None:
        raise error
    return earlier


def visible(store: Store, actor: Actor, appointment_id: str) -> Appointment:
    """Another customer's appointment does not exist, as far as a customer can tell."""
    appointment = store.appointments.get(appointment_id)
    if not appointment.is_visible_to(actor):
        raise NotFound(f"There is no appointment {appointment_id!r}.")
    return appointment


def detail(store: Store, actor: Actor, appointment_id: str, now: datetime) -> tuple[Appointment, CancelQuote | None]:
    """The appointment, and what cancelling it now would cost its customer (none once it is final)."""
    appointment = visible(store, actor, appointment_id)
    if appointment.status.is_final or appointment.is_offer:  # an offer let pass costs nothing
        return appointment, None
    return appointment, quote(appointment, store.catalogue.settings(), now)


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


def mine(store: Store, actor: Actor, scope: str, cursor: str | None, now: datetime, limit: int = 20) -> Page:
    if actor.role is not Role.CUSTOMER:
        return Page([], None)
    return store.appointments.of_customer(actor.id, scope, cursor, limit, now)


SETTLED_BY = ("cash", "card", "wechat", "alipay", "transfer", "other")  # how the rest is paid at the visit


def move(
    store: Store, actor: Actor, appointment_id: str, action: str, now: datetime, settled_by: str = ""
) -> Appointment:
    """Staff confirm, complete or mark a no-show; a final appointment's time is freed in the same write."""
    if settled_by and settled_by not in SETTLED_BY:
        raise InvalidInput(f"settledBy must be one of {', '.join(SETTLED_BY)}.", {"settledBy": "unknown"})
    before = store.appointments.get(appointment_id)
    if action == "confirm":
        after = before.confirm(now)
    elif action == "complete":
        after = before.complete(now, settled_by)
    else:
        after = before.mark_no_show(now, store.catalogue.read().settings)
    return commit(store, before, after, Change.of(action, actor, before, after))


def waive_fee(store: Store, actor: Actor, appointment_id: str, reason: str, now: datetime) -> Appointment:
    """Staff waive a late cancellation's or a no-show's fee, saying why: kept money refunded, nothing owed."""
    before = store.appointments.get(appointment_id)
    after = before.waive_fee(actor, reason, now)
    return commit(store, before, after, Change.of("waive-fee", actor, before, after, reason))


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
    appointment = as_they_wish(store, replace(made, location_id=stored(catalogue.here)))
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
    settings = catalogue.settings
    grace = timedelta(minutes=settings.no_show_grace_minutes)
    marked = []
    for appointment in store.appointments.confirmed_started_before(now - grace, catalogue.places):
        if not appointment.overdue(now, grace):
            continue
        after = appointment.mark_no_show(now, settings)
        try:
            marked.append(commit(store, appointment, after, Change.of("no-show", SYSTEM, appointment, after)))
        except ConcurrentChange:
            continue
    return marked
