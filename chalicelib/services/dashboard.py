"""The appointment module's dashboard widgets: the next appointments and this week's and month's stats."""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.domain.analytics import Stats
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.daily_figures import Bucket
from chalicelib.domain.locations import stored
from chalicelib.domain.periods import Window
from chalicelib.domain.scopes import scope
from chalicelib.store import Store


def dashboard(
    store: Store, now: datetime, upcoming: int = 10, location_id: str | None = None
) -> tuple[list[Appointment], Stats, Stats]:
    """Three Queries whatever the volume: the catalogue, the next appointments, the daily figures (of one location:
    the business's own when left out)."""
    catalogue = store.catalogue.at(location_id)
    place = stored(catalogue.here)
    zone = catalogue.settings.zone
    today = catalogue.settings.today(now)
    week_start = today - timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    week = Window(week_start, week_start + timedelta(days=6))
    month = Window(month_start, next_month - timedelta(days=1))
    days = store.figures.read(Bucket.DAY, min(week.first, month.first), max(week.last, month.last), (place,))
    soon = store.appointments.scoped(scope("upcoming", now, zone), None, None, upcoming, place).appointments
    return soon, Stats.from_figures(days, week, catalogue), Stats.from_figures(days, month, catalogue)
