"""Booking, reading, cancelling and rescheduling appointments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from chalicelib.domain.appointment import Actor, Appointment, Change, CustomerInfo, Role
from chalicelib.domain.availability import Rules, Slot, offered_slot
from chalicelib.domain.catalogue import Catalogue, Service, StaffMember
from chalicelib.domain.errors import DomainError, NotFound, TimeNotOffered
from chalicelib.domain.hours import format_hhmm
from chalicelib.domain.money import ensure_amount_matches
from chalicelib.domain.status import Status
from chalicelib.store.repository import IdempotencyClaim, Page, Replayed, Store


@dataclass(frozen=True)
class BookingRequest:
    service_id: str
    staff_id: str
    day: date
    minutes: int
    customer: CustomerInfo
    notes: str = ""
    total_amount: object = None


def _offered(
    catalogue: Catalogue, service: Service, staff: StaffMember, day: date, minutes: int, now: datetime
) -> Slot:
    slot = offered_slot(day, minutes, staff.hours, service, Rules(catalogue.settings, now))
    if slot is None:
        raise TimeNotOffered(
            f"{day} {format_hhmm(minutes)} is not offered for {service.name} with {staff.name}.",
            {"timeSlot": "not offered"},
        )
    return slot


def _save_once(
    store: Store, before: Appointment | None, after: Appointment, change: Change, claim: IdempotencyClaim | None
) -> Appointment:
    try:
        return store.save(before, after, change, claim)
    except Replayed:
        assert claim is not None
        return store.replayed_appointment(claim)


def _replay_or_raise(store: Store, claim: IdempotencyClaim | None, error: DomainError) -> Appointment:
    """A retried request whose first attempt succeeded gets the first answer, even if it would fail now."""
    earlier = store.find_replay(claim) if claim else None
    if earlier is None:
        raise error
    return earlier


def book(
    store: Store, actor: Actor, request: BookingRequest, now: datetime, claim: IdempotencyClaim | None = None
) -> Appointment:
    catalogue = store.catalogue()
    try:
        service, staff = catalogue.performer(request.service_id, request.staff_id)
        ensure_amount_matches(request.total_amount, service.price)
        slot = _offered(catalogue, service, staff, request.day, request.minutes, now)
    except DomainError as error:
        return _replay_or_raise(store, claim, error)
    appointment = Appointment.book(
        actor.id, request.customer, service, staff, slot, catalogue.settings, now, request.notes
    )
    return _save_once(store, None, appointment, Change.of("book", actor, None, appointment), claim)


def visible(store: Store, actor: Actor, appointment_id: str) -> Appointment:
    """Another customer's appointment does not exist, as far as a customer can tell."""
    appointment = store.appointment(appointment_id)
    if not appointment.is_visible_to(actor):
        raise NotFound(f"There is no appointment {appointment_id!r}.")
    return appointment


def cancel(store: Store, actor: Actor, appointment_id: str, reason: str, now: datetime) -> Appointment:
    before = visible(store, actor, appointment_id)
    settings = store.catalogue().settings
    after = before.cancel(actor, reason, now, settings.cancel_cutoff_hours)
    return store.save(before, after, Change.of("cancel", actor, before, after, reason))


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
        catalogue = store.catalogue()
        service, staff = catalogue.performer(before.service_id, staff_id or before.staff_id)
        slot = _offered(catalogue, service, staff, day, minutes, now)
        after = before.reschedule(actor, staff, slot, catalogue.settings, now)
    except DomainError as error:
        return _replay_or_raise(store, claim, error)
    return _save_once(store, before, after, Change.of("reschedule", actor, before, after), claim)


MINE_SCOPES = ("all", "upcoming", "past", *(s.value for s in Status))


def mine(store: Store, actor: Actor, scope: str, cursor: str | None, now: datetime, limit: int = 20) -> Page:
    if actor.role is not Role.CUSTOMER:
        return Page([], None)
    return store.customer_appointments(actor.id, scope, cursor, limit, now)


STAFF_MOVES = {
    "confirm": Appointment.confirm,
    "complete": Appointment.complete,
    "no-show": Appointment.mark_no_show,
}


def move(store: Store, actor: Actor, appointment_id: str, action: str, now: datetime) -> Appointment:
    """Staff confirm, complete or mark a no-show; a final appointment's time is freed in the same write."""
    before = store.appointment(appointment_id)
    after = STAFF_MOVES[action](before, now)
    return store.save(before, after, Change.of(action, actor, before, after))
