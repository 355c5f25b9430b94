"""What the business offers, as customers and the admin read it."""

from __future__ import annotations

from chalicelib.domain.catalogue import BusinessSettings, Resource, Service, StaffMember
from chalicelib.store import Store


def offered(store: Store) -> list[Service]:
    """Active services, by category and name."""
    services = store.catalogue.read().services.values()
    return sorted((s for s in services if s.active), key=lambda s: (s.category, s.name))


def performers(store: Store, service_id: str) -> list[StaffMember]:
    catalogue = store.catalogue.read()
    return catalogue.staff_for(catalogue.service(service_id))


def staff(store: Store) -> list[StaffMember]:
    """The active staff, by name: the admin's list to set weights and priorities on."""
    members = store.catalogue.read().staff.values()
    return sorted((m for m in members if m.active), key=lambda m: (m.name, m.id))


def settings(store: Store) -> BusinessSettings:
    return store.catalogue.read().settings


def resources(store: Store) -> list[Resource]:
    """Every resource, active first, then by type and name."""
    found = store.catalogue.read().resources.values()
    return sorted(found, key=lambda r: (not r.active, r.type, r.name, r.id))
