"""The admin's catalogue: settings, services, staff and who performs what; booking follows at once."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.catalogue import BusinessSettings, Catalogue, Resource, Service, StaffMember
from chalicelib.domain.deposits import Deposit
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.locations import stored
from chalicelib.domain.money import Money
from chalicelib.domain.occupancy import resource_calendar
from chalicelib.domain.rules import check_service, check_settings, check_staff
from chalicelib.domain.settings_change import ensure_safe_change, repriced
from chalicelib.services.schedule import open_ahead
from chalicelib.store import Store


def update_settings(
    store: Store, changes: dict[str, Any], prices: Mapping[str, object] | None = None
) -> BusinessSettings:
    """`prices` (major units, per active service): the new prices when the currency changes."""
    catalogue = store.catalogue.read()
    before = catalogue.settings
    updated = replace(before, **changes)
    check_settings(updated)
    services = repriced(before, updated, catalogue.services.values(), prices or {})
    for service in services:
        check_service(service, updated)
    if (updated.timezone, updated.currency) != (before.timezone, before.currency):
        ensure_safe_change(before, updated, store.appointments.open_count(catalogue.places))
        _settle_bookings(store, catalogue, updated, datetime.now(UTC))
    store.catalogue.save_settings(updated, services)
    return updated


CHANGE_SECONDS = 30


def _settle_bookings(store: Store, catalogue: Catalogue, updated: BusinessSettings, now: datetime) -> None:
    """Before the clock or currency changes: stop bookings, then count again what committed meanwhile.

    The count before is only a first answer: a booking could commit between it and the change. So the
    settings are marked as changing (bookings wait; a crash leaves the mark to lapse in 30 s) with every
    staff revision raised (a booking decided before fails), and the open appointments ahead are read
    again as committed.
    """
    before = catalogue.settings
    working = [m for m in catalogue.staff.values() if m.active]
    store.catalogue.freeze_settings(replace(before, changing_until=int(now.timestamp()) + CHANGE_SECONDS), working)
    horizon = now + timedelta(days=before.max_days_ahead + 1)
    booked = sum(len(store.timelines.open_appointments(m.id, now, horizon, stamped=False)) for m in working)
    if booked:
        store.catalogue.save_settings(before)
        ensure_safe_change(before, updated, booked)


def _priced(fields: dict[str, Any], settings: BusinessSettings) -> dict[str, Any]:
    """A price, and a deposit's amount, are given in major units and are always in the business's currency."""
    priced = dict(fields)
    if "price" in fields:
        priced["price"] = Money.from_major(fields["price"], settings.currency)
    given = fields.get("deposit")
    if given is not None:
        amount = Money.from_major(given["amount"], settings.currency).minor if "amount" in given else 0
        priced["deposit"] = Deposit(amount=amount, percent=int(given.get("percent", 0)))
    return priced


def _placed(catalogue: Catalogue, changes: dict[str, Any], member: StaffMember | None = None) -> dict[str, Any]:
    """Locations as they are kept (domain/locations.py), each one checked to exist: a home or a resource's
    location, the locations a service is offered at, and a staff member's hours elsewhere merged into theirs."""
    placed = dict(changes)
    if "location_id" in placed:
        placed["location_id"] = stored(catalogue.location(placed["location_id"]).id)
    if "location_ids" in placed:
        placed["location_ids"] = frozenset(catalogue.location(i).id for i in placed["location_ids"])
    if "elsewhere" in placed:
        merged = dict(member.elsewhere if member else {})
        for place, hours in placed["elsewhere"].items():
            if hours is None:  # dropped: a retired location's too
                merged.pop(place, None)
                continue
            key = stored(catalogue.location(place).id)
            if not key:
                raise InvalidInput("The business's own location is a home, not elsewhere.", {"elsewhere": "main"})
            merged[key] = hours
        placed["elsewhere"] = merged
    return placed


def add_service(store: Store, fields: dict[str, Any]) -> Service:
    catalogue = store.catalogue.read()
    fields = _placed(catalogue, fields)
    service = Service(id=f"svc-{uuid.uuid4().hex[:10]}", **_priced(fields, catalogue.settings))
    check_service(service, catalogue.settings)
    catalogue.ensure_resources(service)
    store.catalogue.save_service(service)
    return service


def change_service(store: Store, service_id: str, changes: dict[str, Any]) -> Service:
    catalogue = store.catalogue.read()
    service = replace(catalogue.service(service_id), **_priced(_placed(catalogue, changes), catalogue.settings))
    check_service(service, catalogue.settings)
    if "needs" in changes:
        catalogue.ensure_resources(service)
    store.catalogue.save_service(service)
    return service


def retire_service(store: Store, service_id: str) -> Service:
    """Retired, not deleted: past appointments keep their service; nobody can book it any more."""
    retired = replace(store.catalogue.read().service(service_id), active=False)
    store.catalogue.save_service(retired)
    return retired


def add_staff(store: Store, fields: dict[str, Any]) -> StaffMember:
    catalogue = store.catalogue.read()
    member = StaffMember(id=f"staff-{uuid.uuid4().hex[:10]}", **_placed(catalogue, fields))
    check_staff(member)
    catalogue.ensure_offered(member)
    return store.catalogue.save_staff(member)


def change_staff(store: Store, staff_id: str, changes: dict[str, Any]) -> StaffMember:
    catalogue = store.catalogue.read()
    before = catalogue.staff_member(staff_id)
    member = replace(before, **_placed(catalogue, changes, before))
    check_staff(member)
    catalogue.ensure_offered(member, before)
    return store.catalogue.save_staff(member)


def retire_staff(store: Store, staff_id: str, now: datetime) -> tuple[StaffMember, list[Appointment]]:
    """Retired, and every open appointment still ahead of them reported, so none is silently orphaned."""
    catalogue = store.catalogue.read()
    retired = store.catalogue.save_staff(replace(catalogue.staff_member(staff_id), active=False))
    return retired, open_ahead(store, staff_id, catalogue.settings, now)


def add_resource(store: Store, fields: dict[str, Any]) -> Resource:
    resource = Resource(id=f"res-{uuid.uuid4().hex[:10]}", **_placed(store.catalogue.read(), fields))
    store.catalogue.save_resource(resource)
    return resource


def change_resource(store: Store, resource_id: str, changes: dict[str, Any]) -> Resource:
    """A new name shows on appointments made from now on; those made keep the name they were booked with."""
    catalogue = store.catalogue.read()
    changed = replace(catalogue.resource(resource_id), **_placed(catalogue, changes))
    store.catalogue.save_resource(changed)
    return changed


def retire_resource(store: Store, resource_id: str, now: datetime) -> tuple[Resource, list[Appointment]]:
    """Retired: no booking takes it from now on (bookings check it is active in their transaction), and every
    open appointment still holding it is reported, to be moved."""
    catalogue = store.catalogue.read()
    retired = replace(catalogue.resource(resource_id), active=False)
    store.catalogue.save_resource(retired)
    horizon = now + timedelta(days=catalogue.settings.max_days_ahead + 1)
    return retired, store.timelines.open_on(resource_calendar(retired.id), now, horizon)
