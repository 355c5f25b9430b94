"""Which dates and start times a customer can book: two DynamoDB calls whatever the range, and one more for
each unit of a resource the service needs (each treatment room's days)."""

from __future__ import annotations

from datetime import date, datetime

from chalicelib.domain.availability import Busy, Rules, Slot, free_slots, occupancy_window
from chalicelib.domain.catalogue import Catalogue, Service, StaffMember
from chalicelib.domain.occupancy import Interval, resource_calendar, staff_calendar
from chalicelib.store import Store


def _busy(store: Store, catalogue: Catalogue, service: Service, staff: StaffMember, window: Interval) -> Busy:
    """One Query per calendar: the staff member's, and each unit's of the resource types the service needs."""
    units = {
        kind: [store.timelines.taken(resource_calendar(unit.id), *window) for unit in candidates]
        for kind, candidates in catalogue.units(service).items()
    }
    return Busy(store.timelines.taken(staff_calendar(staff.id), *window), units)


def available_slots(store: Store, service_id: str, staff_id: str, day: date, now: datetime) -> tuple[Rules, list[Slot]]:
    catalogue = store.catalogue.read()
    service, staff = catalogue.performer(service_id, staff_id)
    rules = Rules(catalogue.settings, now)
    if not rules.today <= day <= rules.last_day:
        return rules, []
    busy = _busy(store, catalogue, service, staff, occupancy_window([day], rules))
    return rules, free_slots(day, catalogue.hours(staff), service, rules, busy)


def available_dates(store: Store, service_id: str, staff_id: str, days: int, now: datetime) -> list[tuple[date, int]]:
    catalogue = store.catalogue.read()
    service, staff = catalogue.performer(service_id, staff_id)
    rules = Rules(catalogue.settings, now)
    window = rules.days(days)
    busy = _busy(store, catalogue, service, staff, occupancy_window(window, rules))
    hours = catalogue.hours(staff)
    counts = ((day, len(free_slots(day, hours, service, rules, busy))) for day in window)
    return [(day, count) for day, count in counts if count]
