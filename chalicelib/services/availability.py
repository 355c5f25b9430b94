"""Which dates and start times a customer can book: two DynamoDB calls whatever the range, and one more for
each unit of a resource the service needs (each treatment room's days); for any staff, one per candidate.

For any staff (`staffId` left out or "any"), a start is offered when at least one of those who perform the service
is free for it: the union of their slots."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from chalicelib.domain.availability import Busy, Rules, Slot, free_slots, occupancy_window
from chalicelib.domain.catalogue import Catalogue, Service, StaffMember
from chalicelib.domain.occupancy import Interval, Taken, resource_calendar, staff_calendar
from chalicelib.store import Store


def _units(store: Store, catalogue: Catalogue, service: Service, window: Interval) -> dict[str, list[Taken]]:
    """One Query per unit's calendar, for each resource type the service needs."""
    return {
        kind: [store.timelines.taken(resource_calendar(unit.id), *window) for unit in candidates]
        for kind, candidates in catalogue.units(service).items()
    }


def _busy(
    store: Store, catalogue: Catalogue, service: Service, staff: Iterable[StaffMember], window: Interval
) -> list[tuple[StaffMember, Busy]]:
    """Each candidate's calendar (one Query each) with the units' (read once for all)."""
    units = _units(store, catalogue, service, window)
    return [(member, Busy(store.timelines.taken(staff_calendar(member.id), *window), units)) for member in staff]


def _union(slots: Iterable[Slot]) -> list[Slot]:
    return sorted({s.start: s for s in slots}.values(), key=lambda s: s.start)


def available_slots(
    store: Store, service_id: str, staff_id: str | None, day: date, now: datetime
) -> tuple[Rules, list[Slot]]:
    catalogue = store.catalogue.read()
    service, staff = catalogue.candidates(service_id, staff_id)
    rules = Rules(catalogue.settings, now)
    if not rules.today <= day <= rules.last_day or not staff:
        return rules, []
    busy = _busy(store, catalogue, service, staff, occupancy_window([day], rules))
    return rules, _union(s for m, b in busy for s in free_slots(day, catalogue.hours(m), service, rules, b))


def available_dates(
    store: Store, service_id: str, staff_id: str | None, days: int, now: datetime
) -> list[tuple[date, int]]:
    catalogue = store.catalogue.read()
    service, staff = catalogue.candidates(service_id, staff_id)
    rules = Rules(catalogue.settings, now)
    window = rules.days(days)
    if not staff:
        return []
    busy = _busy(store, catalogue, service, staff, occupancy_window(window, rules))
    hours = {m.id: catalogue.hours(m) for m in staff}
    counts = (
        (day, len(_union(s for m, b in busy for s in free_slots(day, hours[m.id], service, rules, b))))
        for day in window
    )
    return [(day, count) for day, count in counts if count]
