"""The business's closures (holidays): listed, added with the appointments they leave out, removed."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.availability import wall_instant
from chalicelib.domain.closures import Closure
from chalicelib.store import Store

TRANSACTION_ITEMS = 100


def closures(store: Store) -> list[Closure]:
    return sorted(Closure(day, name) for day, name in store.catalogue.read().closures.items())


def close(store: Store, days: Collection[date], name: str, now: datetime) -> tuple[list[Closure], list[Appointment]]:
    """Close the business on these days, and report every open appointment on them, as committed."""
    catalogue = store.catalogue.read()
    settings = catalogue.settings
    working = [m for m in catalogue.staff.values() if m.active]
    added = Closure.plan(days, name, settings.today(now), TRANSACTION_ITEMS - len(working))
    store.catalogue.add_closures(added, working)
    closed = {c.day for c in added}
    first, last = wall_instant(added[0].day, 0, settings.zone), wall_instant(added[-1].day, 1440, settings.zone)
    affected = [
        a
        for member in working
        for a in store.timelines.open_appointments(member.id, first, last)
        if a.start.astimezone(settings.zone).date() in closed
    ]
    return added, sorted(affected, key=lambda a: a.start)


def reopen(store: Store, day: date) -> None:
    store.catalogue.remove_closure(day)
