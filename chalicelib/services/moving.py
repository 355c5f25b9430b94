"""Rescheduling: one service to another time (with its staff member, another, or any), or a whole visit, its
services in the same order."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from chalicelib.domain.actor import Actor
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.assignment import ANY
from chalicelib.domain.availability import Slot
from chalicelib.domain.catalogue import Catalogue, StaffMember
from chalicelib.domain.errors import DomainError, InvalidInput
from chalicelib.domain.history import Change
from chalicelib.domain.parts import Wanted
from chalicelib.domain.resources import needs_of
from chalicelib.domain.rules import check_duration
from chalicelib.services import visits
from chalicelib.services.appointments import replay_or_raise, visible
from chalicelib.services.assignment import choose
from chalicelib.services.booking import each_once, in_turn, offered
from chalicelib.services.unit_of_work import commit
from chalicelib.store import Store
from chalicelib.store.idempotency import IdempotencyClaim


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
        return replay_or_raise(store, claim, error)
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
            slot = offered(catalogue, own, staff, day, minutes, now)
            after = before.reschedule(actor, staff, slot, catalogue.settings, now)
        else:
            chosen, slots = choose(store, catalogue, own, candidates, day, minutes, before.customer_id, now, before)
            first = chosen.order[0]
            before.reschedule(actor, first, slots[first.id], catalogue.settings, now)  # may it move at all (cutoff)
    except DomainError as error:
        return replay_or_raise(store, claim, error)
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

    return in_turn(chosen, attempt)


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
        return replay_or_raise(store, claim, error)
    units = visits.needed_units(catalogue, visits.as_services(before), first=before.resources)

    def attempt(staff: tuple[StaffMember, ...]) -> Appointment:
        moved = _visit_moved(actor, before, planned, staff, catalogue, now)
        change = Change.of("reschedule", actor, before, moved)
        reasons = planned.reasons(staff)
        change = replace(change, reason=reasons) if reasons else change
        return commit(store, before, moved, change, claim, staff=each_once(staff), units=units)

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
