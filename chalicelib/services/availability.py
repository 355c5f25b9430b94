"""Which dates and start times a customer can book: two DynamoDB calls whatever the range, and one more for
each unit of a resource the service needs (each treatment room's days); for any staff, one per candidate.

For any staff (`staffId` left out or "any"), a start is offered when at least one of those who perform the service
is free for it: the union of their slots."""

from __future__ import annotations

from datetime import date, datetime

from chalicelib.domain.availability import Busy, Rules, Slot, free_for_anyone, occupancy_window
from chalicelib.domain.catalogue import Catalogue, Service, StaffMember
from chalicelib.domain.occupancy import Interval, resource_calendar, staff_calendar
from chalicelib.store import Store


def _busy(
    store: Store, catalogue: Catalogue, service: Service, staff: list[StaffMember], window: Interval
) -> list[tuple[StaffMember, Busy]]:
    """Each candidate's calendar (one Query each) with each unit's of the resource types the service needs (one
    Query each, read once for all candidates)."""
    units = {
        kind: [store.timelines.taken(resource_calendar(unit.id), *window) for unit in candidates]
        for kind, candidates in catalogue.units(service).items()
    }
    return [(m, Busy(store.timelines.taken(staff_calendar(m.id), *window), units)) for m in staff]


def available_slots(
    store: Store, service_id: str, staff_id: str | None, day: date, now: datetime, location_id: str | None = None
) -> tuple[Rules, list[Slot]]:
    catalogue = store.catalogue.at(location_id)
    service, staff = catalogue.candidates(service_id, staff_id)
    rules = Rules(catalogue.settings, now)
    if not rules.today <= day <= rules.last_day or not staff:
        return rules, []
    busy = _busy(store, catalogue, service, staff, occupancy_window([day], rules))
    return rules, free_for_anyone(day, [(catalogue.hours(m), b) for m, b in busy], service, rules)


def available_dates(
    store: Store, service_id: str, staff_id: str | None, days: int, now: datetime, location_id: str | None = None
) -> list[tuple[date, int]]:
    catalogue = store.catalogue.at(location_id)
    service, staff = catalogue.candidates(service_id, staff_id)
    rules = Rules(catalogue.settings, now)
    window = rules.days(days)
    if not staff:
        return []
    read = _busy(store, catalogue, service, staff, occupancy_window(window, rules))
    busy = [(catalogue.hours(m), b) for m, b in read]
    counts = ((day, len(free_for_anyone(day, busy, service, rules))) for day in window)
    return [(day, count) for day, count in counts if count]
