"""What the business offers, as customers and the admin read it."""

from __future__ import annotations

from chalicelib.domain.catalogue import BusinessSettings, Resource, Service, StaffMember
from chalicelib.store import Store


def offered(store: Store, location_id: str | None = None) -> list[Service]:
    """Active services offered at the location, by category and name; where there are several locations, those
    somebody working there performs."""
    services = store.catalogue.at(location_id).offered
    return sorted((s for s in services if s.active), key=lambda s: (s.category, s.name))


def performers(store: Store, service_id: str, location_id: str | None = None) -> list[StaffMember]:
    catalogue = store.catalogue.at(location_id)
    return catalogue.staff_for(catalogue.service(service_id))


def staff(store: Store, location_id: str | None = None) -> list[StaffMember]:
    """The active staff (who work at a location, when given), by name: the admin's list to set weights, priorities
    and locations on."""
    catalogue = store.catalogue.read()
    if location_id is not None:
        catalogue.location(location_id)  # a location that does not exist is a 404, not an empty list
    members = (m for m in catalogue.staff.values() if location_id is None or m.hours_at(location_id) is not None)
    return sorted((m for m in members if m.active), key=lambda m: (m.name, m.id))


def settings(store: Store) -> BusinessSettings:
    return store.catalogue.read().settings


def resources(store: Store) -> list[Resource]:
    """Every resource, active first, then by type and name."""
    found = store.catalogue.read().resources.values()
    return sorted(found, key=lambda r: (not r.active, r.type, r.name, r.id))
