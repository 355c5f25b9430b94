"""The appointment module's dashboard widgets: the next appointments and this week's and month's stats."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from chalicelib.domain.analytics import Stats
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.availability import wall_instant
from chalicelib.domain.scopes import scope
from chalicelib.store.repository import Store


def dashboard(store: Store, now: datetime, upcoming: int = 10) -> tuple[list[Appointment], Stats, Stats]:
    zone = store.catalogue().settings.zone
    today = now.astimezone(zone).date()
    week_start = today - timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    first, last = min(week_start, month_start), max(week_start + timedelta(days=7), next_month)
    scheduled = store.scheduled_between(wall_instant(first, 0, zone), wall_instant(last, 0, zone))

    def within(start: date, end: date) -> list[Appointment]:
        return [a for a in scheduled if start <= a.local_start.date() < end]

    week, month = within(week_start, week_start + timedelta(days=7)), within(month_start, next_month)
    soon = store.scoped_appointments(scope("upcoming", now, zone), None, None, upcoming).appointments
    return soon, Stats.of(week), Stats.of(month)
