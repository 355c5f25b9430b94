"""Locations: listed for customers, added, changed and retired by admins (domain/locations.py)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.errors import InvalidInput
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


def change(store: Store, location_id: str, changes: dict[str, Any]) -> Location:
    if is_main(location_id):
        raise InvalidInput(
            "The business's own location is its settings: change them with PUT /admin/settings.",
            {"locationId": "the business's own"},
        )
    changed = replace(store.catalogue.read().location(location_id), **changes)
    check_location(changed)
    store.catalogue.save_location(changed)
    return changed


def retire(store: Store, location_id: str, now: datetime) -> tuple[Location, list[Appointment]]:
    """Retired: nothing is offered or booked there any more; its open appointments ahead are reported, to move."""
    if is_main(location_id):
        raise InvalidInput("The business's own location cannot be retired.", {"locationId": "the business's own"})
    catalogue = store.catalogue.read()
    retired = replace(catalogue.location(location_id), active=False)
    store.catalogue.save_location(retired)
    ahead = store.appointments.scoped(scope("upcoming", now, catalogue.settings.zone), None, None, 100, retired.id)
    return retired, ahead.appointments
