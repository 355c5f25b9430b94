"""Short holds (domain/holds.py): a free slot kept for a customer for a few minutes, then booked by them; placed
by `booking.book` with `holding`, the same read, decision and transaction as a booking."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.domain.actor import Actor
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.errors import DomainError
from chalicelib.domain.history import Change
from chalicelib.services import booking
from chalicelib.services.appointments import replay_or_raise, visible
from chalicelib.services.booking import BookingRequest
from chalicelib.services.terms import terms_of
from chalicelib.services.unit_of_work import commit
from chalicelib.store import Store
from chalicelib.store.idempotency import IdempotencyClaim


def hold(
    store: Store,
    actor: Actor,
    request: BookingRequest,
    minutes: int | None,
    now: datetime,
    claim: IdempotencyClaim | None = None,
) -> Appointment:
    """The slot held for the caller for `minutes` (none: the default); released by the sweep if not booked."""
    return booking.book(store, actor, replace(request, holding=True, hold_for=minutes), now, claim)


def book_held(
    store: Store, actor: Actor, appointment_id: str, now: datetime, claim: IdempotencyClaim | None = None
) -> Appointment:
    """The customer books the time they hold, on the terms any booking of theirs would have: confirmed, or a hold
    awaiting its payment (a deposit, a prepayment). A retried request gets the first answer."""
    try:
        held = visible(store, actor, appointment_id)
        catalogue = store.catalogue.at(held.location_id or None)
        services = [found for part in held.performed if (found := catalogue.services.get(part.service_id))]
        booked = held.book_hold(terms_of(store, actor, services, catalogue.settings, now), catalogue.settings, now)
    except DomainError as error:
        return replay_or_raise(store, claim, error)
    return commit(store, held, booked, Change.of("book", actor, held, booked), claim)
