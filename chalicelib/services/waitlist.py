"""The waitlist (domain/waitlist.py): customers join and leave it, staff read it per day, and freed time is
offered to the first in line whose window and service fit (`fill`, run by the table's stream consumer on every
change that gives time back).

An offer is an appointment of the waiting customer's, taken like any booking (the calendar days on condition of
their revisions, so it can never overlap anyone's), `pending` until they book it (`accept`) or it lapses.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime

from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.block import Block
from chalicelib.domain.catalogue import Catalogue, StaffMember
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.errors import ConcurrentChange, DomainError, LimitReached, NotFound
from chalicelib.domain.history import Change
from chalicelib.domain.locations import stored
from chalicelib.domain.occupancy import Interval
from chalicelib.domain.waitlist import MAX_OFFERS_AT_ONCE, MAX_WAITING, Entry, Standing, within_days
from chalicelib.services import availability
from chalicelib.services.appointments import as_they_wish, visible
from chalicelib.services.terms import terms_of
from chalicelib.services.unit_of_work import commit
from chalicelib.store import Store

WAITLIST = Actor("system:waitlist", Role.STAFF, "Waitlist")
OPEN = (Standing.WAITING, Standing.OFFERED)


@dataclass(frozen=True)
class Wish:
    """What a customer asks to wait for: a service, with a staff member or any, days and hours (local)."""

    service_id: str
    staff_id: str | None
    location_id: str | None
    days: tuple[date, date]
    minutes: tuple[int, int]
    customer: CustomerInfo


def join(store: Store, actor: Actor, wish: Wish, now: datetime) -> Entry:
    catalogue = store.catalogue.at(wish.location_id)
    service, performers = catalogue.candidates(wish.service_id, wish.staff_id)
    settings = catalogue.settings
    within_days(*wish.days, settings.today(now), settings.max_days_ahead)
    today = settings.today(now)
    waiting = [e for e in store.waitlist.of_customer(actor.id) if e.standing_on(today) in OPEN]
    if len(waiting) >= MAX_WAITING:
        raise LimitReached(
            f"You are waiting for {len(waiting)} times already, the most at once; leave one first.",
            {"waitlist": f"at most {MAX_WAITING}"},
        )
    staff_id = performers[0].id if wish.staff_id and wish.staff_id != "any" else ""
    entry = Entry.join(
        actor.id, wish.customer, service.id, staff_id, stored(catalogue.here), wish.days, wish.minutes, now
    )
    store.waitlist.add(entry)
    return entry


def mine(store: Store, actor: Actor) -> list[Entry]:
    return store.waitlist.of_customer(actor.id)


def leave(store: Store, actor: Actor, entry_id: str, now: datetime) -> Entry:
    """Out of the line; an open offer of it is let go first (its time goes to the next in line)."""
    entry = store.waitlist.get(entry_id)
    if not actor.is_staff and entry.customer_id != actor.id:
        raise NotFound(f"There is no waitlist entry {entry_id!r}.")
    if not entry.is_open:
        return entry  # left, booked or lapsed already: nothing to leave
    if entry.offer_id:
        offer = store.appointments.get(entry.offer_id)
        if offer.is_offer:
            passed = offer.cancel(actor, "left_waitlist", now, store.catalogue.settings())
            commit(store, offer, passed, Change.of("cancel", actor, offer, passed, "left_waitlist"))
        entry = store.waitlist.get(entry_id)
    return store.waitlist.leave(entry)


def on_day(store: Store, day: date, location_id: str | None) -> list[Entry]:
    """The line for a day, first come first: the open entries whose window covers it."""
    catalogue = store.catalogue.at(location_id)
    return [e for e in store.waitlist.open_at(stored(catalogue.here)) if e.first_day <= day <= e.last_day]


def accept(store: Store, actor: Actor, appointment_id: str, now: datetime) -> Appointment:
    """The customer books the time offered to them, on the terms any booking of theirs would have."""
    offer = visible(store, actor, appointment_id)
    catalogue = store.catalogue.at(offer.location_id or None)
    service = catalogue.services.get(offer.service_id)
    terms = terms_of(store, actor, [service] if service else [], catalogue.settings, now)
    booked = offer.accept_offer(terms, catalogue.settings, now)
    return commit(store, offer, booked, Change.of("accept", actor, offer, booked))


def fill(store: Store, before: Appointment | Block | None, after: Appointment | Block | None, now: datetime) -> int:
    """Offer the time a change gave back to the first in line it fits, then the next, ...: how many offers."""
    freed = list(_freed(before, after))
    if not freed:
        return 0
    everything = store.catalogue.read()
    made = 0
    for calendar, (start, end) in freed:
        place = _place(everything, calendar, before or after)
        waiting = [e for e in store.waitlist.open_at(place) if e.standing is Standing.WAITING]
        if not waiting:
            continue
        catalogue = everything.at(place or None)
        day = start.astimezone(catalogue.settings.zone).date()
        for entry in waiting:
            if made >= MAX_OFFERS_AT_ONCE:
                return made
            if not entry.might_fit(start, end, catalogue.settings.zone):
                continue  # not their days or hours; or they let this very time pass: the next in line has it
            made += _offer(store, catalogue, entry, calendar, (start, end), day, now)
    return made


def _offer(
    store: Store, catalogue: Catalogue, entry: Entry, calendar: str, freed: Interval, day: date, now: datetime
) -> int:
    """One offer to this entry of a slot overlapping the freed time, if one fits: 1, else 0."""
    try:
        service, performers = catalogue.candidates(entry.service_id, entry.staff_id or None)
    except DomainError:
        return 0  # the service or its staff member retired since
    zone = catalogue.settings.zone
    for member in _who(performers, calendar):
        _, slots = availability.available_slots(store, service.id, member.id, day, now, entry.location_id or None)
        fitting = [s for s in slots if s.start < freed[1] and freed[0] < s.end]
        for slot in sorted(fitting, key=lambda s: abs(s.start - freed[0])):  # the freed time's own start first
            if not entry.wants(service.id, member.id, slot, zone):
                continue
            made = Appointment.book(entry.customer_id, entry.customer, service, member, slot, catalogue.settings, now)
            offer = as_they_wish(store, replace(made, location_id=entry.location_id)).as_offer(
                entry.id, catalogue.settings, now
            )
            change = replace(Change.of("offer", WAITLIST, None, offer), detail=f"waitlist {entry.describe()}")
            try:
                commit(store, None, offer, change, staff=(member,), units=catalogue.units(service))
            except (ConcurrentChange, DomainError):  # taken meanwhile, or the entry changed: the next one
                continue
            return 1
    return 0


def _who(performers: list[StaffMember], calendar: str) -> list[StaffMember]:
    """Whose time to offer: the staff member whose time was freed first; a room freed, anyone who performs it."""
    own = [m for m in performers if calendar == f"staff:{m.id}"]
    return own or ([] if calendar.startswith("staff:") else performers)


def _freed(before: Appointment | Block | None, after: Appointment | Block | None) -> Iterator[tuple[str, Interval]]:
    """The stretches of each calendar the change gave back: held before, not held after."""
    if before is None:
        return
    now_held = after.occupied if after is not None else {}
    for calendar, intervals in before.occupied.items():
        kept = now_held.get(calendar, [])
        for start, end in intervals:
            if not any(s <= start and end <= e for s, e in kept):
                yield calendar, (start, end)


def _place(catalogue: Catalogue, calendar: str, thing: Appointment | Block | None) -> str:
    """The location (as stored) whose waitlist the freed time belongs to."""
    if isinstance(thing, Appointment):
        return thing.location_id
    kind, _, key = calendar.partition(":")
    if kind == "resource" and key in catalogue.resources:
        return stored(catalogue.resources[key].location_id)
    member = catalogue.staff.get(key)
    return stored(member.location_id) if member else ""
