"""Locations: listed for customers, added, changed and retired by admins (domain/locations.py)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.errors import InvalidInput, SettingsInUse
from chalicelib.domain.locations import MAIN, Location, check_location, is_main
from chalicelib.domain.scopes import scope
from chalicelib.store import Store


def listed(store: Store) -> list[Location]:
    """The business's own first, then the active others by name."""
    catalogue = store.catalogue.read()
    others = sorted((p for p in catalogue.locations.values() if p.active), key=lambda p: (p.name, p.id))
    return [catalogue.location(MAIN), *others]


def add(store: Store, fields: dict[str, Any]) -> Location:
    made = Location(id=f"loc-{uuid.uuid4().hex[:10]}", **fields)
    check_location(made)
    store.catalogue.save_location(made)
    return made


def change(
    store: Store, location_id: str, changes: dict[str, Any], now: datetime
) -> tuple[Location, list[Appointment]]:
    """Changed; with the open appointments on days it newly closes (to move or cancel: they are no longer offered).

    A new clock or new closures change what its staff's hours mean, so those who work there get a new revision in
    the same transaction: a booking decided on the old meaning fails its check. The clock changes only while nothing
    is open there (booked on the old clock)."""
    if is_main(location_id):
        raise InvalidInput(
            "The business's own location is its settings: change them with PUT /admin/settings.",
            {"locationId": "the business's own"},
        )
    catalogue = store.catalogue.read()
    before = catalogue.location(location_id)
    changed = replace(before, **changes)
    check_location(changed)
    if changed.timezone != before.timezone:
        open_there = store.appointments.open_count((before.id,))
        if open_there:
            raise SettingsInUse(
                f"The time zone cannot change while {open_there} appointments are open there: close them first.",
                {"timezone": f"{open_there} open appointments"},
            )
    working = [m for m in catalogue.staff.values() if m.hours_at(before.id) is not None]
    store.catalogue.save_location(changed, working if changed != before else ())
    zone = catalogue.at(before.id).settings.zone
    closed = sorted(set(changed.closures) - set(before.closures))
    found = [
        a
        for day in closed
        for a in store.appointments.scoped(scope("all", now, zone, day), None, None, 100, before.id).appointments
    ]
    return changed, [a for a in found if not a.status.is_final]


def retire(store: Store, location_id: str, now: datetime) -> tuple[Location, list[Appointment]]:
    """Retired: nothing is offered or booked there any more; its open appointments ahead are reported, to move."""
    if is_main(location_id):
        raise InvalidInput("The business's own location cannot be retired.", {"locationId": "the business's own"})
    catalogue = store.catalogue.read()
    retired = replace(catalogue.location(location_id), active=False)
    store.catalogue.save_location(retired, [m for m in catalogue.staff.values() if m.hours_at(retired.id) is not None])
    ahead = store.appointments.scoped(scope("upcoming", now, catalogue.settings.zone), None, None, 100, retired.id)
    return retired, ahead.appointments
