"""The five reports over a period, read from the daily figures; the table's changes added to them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chalicelib.domain import analytics
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.block import Block
from chalicelib.domain.catalogue import Catalogue
from chalicelib.domain.customer import Customer
from chalicelib.domain.daily_figures import Bucket, Delta, Figures, totals
from chalicelib.domain.locations import stored
from chalicelib.domain.periods import Window
from chalicelib.store import Store
from chalicelib.store.figures import every_appointment_and_block, from_image


@dataclass(frozen=True)
class Period:
    """What a report is over: the catalogue as the location sees it (all: the business's), the window of days on its
    clock, and the locations whose figures count."""

    catalogue: Catalogue
    window: Window
    places: tuple[str, ...]

    def days(self, store: Store, bucket: Bucket = Bucket.DAY, first: date | None = None) -> dict[date, Figures]:
        return store.figures.read(bucket, first or self.window.first, self.window.last, self.places)


def _period(store: Store, period: str | None, now: datetime, location_id: str | None = None) -> Period:
    """`location_id` left out: the whole business, every location's figures added up."""
    whole = store.catalogue.read()
    catalogue = whole.at(location_id)
    places = whole.places if location_id is None else (stored(catalogue.here),)
    return Period(catalogue, Window.ending(catalogue.settings.today(now), period), places)


def bookings(
    store: Store, period: str | None, now: datetime, location_id: str | None = None
) -> analytics.BookingMetrics:
    span = _period(store, period, now, location_id)
    return analytics.booking_metrics(span.days(store), span.window, span.catalogue.settings.currency)


def services(
    store: Store, period: str | None, now: datetime, location_id: str | None = None
) -> list[analytics.ServicePopularity]:
    span = _period(store, period, now, location_id)
    return analytics.service_popularity(span.days(store), span.window, span.catalogue)


def staff(
    store: Store, period: str | None, now: datetime, location_id: str | None = None
) -> list[analytics.StaffUtilization]:
    span = _period(store, period, now, location_id)
    return analytics.staff_utilization(span.days(store), span.window, span.catalogue)


def revenue(store: Store, period: str | None, now: datetime, location_id: str | None = None) -> analytics.Revenue:
    span = _period(store, period, now, location_id)
    return analytics.revenue(span.days(store), span.window, span.catalogue.settings.currency)


@dataclass(frozen=True)
class Insights:
    figures: analytics.CustomerInsights
    profiles: dict[str, Customer]  # of the customers it names


def customers(store: Store, period: str | None, now: datetime, location_id: str | None = None) -> Insights:
    span = _period(store, period, now, location_id)
    lookback = span.window.before(analytics.LOOKBACK_DAYS)
    days = span.days(store, Bucket.CUSTOMERS, lookback.first)
    figures = analytics.customer_insights(days, span.window, span.catalogue.settings.currency)
    named = [c.customer_id for c in (*figures.top_customers, *figures.no_show_offenders)]
    return Insights(figures, store.customers.many(named))


def record_change(store: Store, record_id: str, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> bool:
    """One stream record of the table: what it changes in the figures, added once. False if nothing was."""
    before, after = from_image(old), from_image(new)
    if isinstance(before, Block) or isinstance(after, Block):
        delta = Delta.of_block(_block(before), _block(after))
    else:
        delta = Delta.of_appointment(before, after)
    appointment = next((a for a in (after, before) if isinstance(a, Appointment)), None)
    if appointment is None:
        return bool(delta) and store.figures.apply(record_id, delta)
    owner = (appointment.local_start.date(), appointment.customer_id)  # the item that claims the record
    return bool(delta) and store.figures.apply(record_id, delta, appointment.location_id, owner)


def _block(thing: Appointment | Block | None) -> Block | None:
    return thing if isinstance(thing, Block) else None


def rebuild(store: Store) -> int:
    """Every figure computed afresh from the appointments and blocks; how many day items were written."""
    appointments, blocks = [], []
    for thing in every_appointment_and_block():
        if isinstance(thing, Block):
            blocks.append(thing)
        else:
            appointments.append(thing)
    places = {"", *store.catalogue.read().locations, *(a.location_id for a in appointments)}
    return sum(
        store.figures.replace_all(
            totals([a for a in appointments if a.location_id == place], blocks if not place else []), place
        )
        for place in sorted(places)
    )
