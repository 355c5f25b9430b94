"""The five reports over a period, read from the daily figures; the table's changes added to them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.domain import analytics
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.block import Block
from chalicelib.domain.catalogue import Catalogue
from chalicelib.domain.customer import Customer
from chalicelib.domain.daily_figures import Bucket, Delta, totals
from chalicelib.domain.periods import Window
from chalicelib.store import Store
from chalicelib.store.figures import every_appointment_and_block, from_image


def _period(store: Store, period: str | None, now: datetime) -> tuple[Catalogue, Window]:
    catalogue = store.catalogue.read()
    return catalogue, Window.ending(catalogue.settings.today(now), period)


def bookings(store: Store, period: str | None, now: datetime) -> analytics.BookingMetrics:
    catalogue, window = _period(store, period, now)
    days = store.figures.read(Bucket.DAY, window.first, window.last)
    return analytics.booking_metrics(days, window, catalogue.settings.currency)


def services(store: Store, period: str | None, now: datetime) -> list[analytics.ServicePopularity]:
    catalogue, window = _period(store, period, now)
    return analytics.service_popularity(store.figures.read(Bucket.DAY, window.first, window.last), window, catalogue)


def staff(store: Store, period: str | None, now: datetime) -> list[analytics.StaffUtilization]:
    catalogue, window = _period(store, period, now)
    return analytics.staff_utilization(store.figures.read(Bucket.DAY, window.first, window.last), window, catalogue)


def revenue(store: Store, period: str | None, now: datetime) -> analytics.Revenue:
    catalogue, window = _period(store, period, now)
    days = store.figures.read(Bucket.DAY, window.first, window.last)
    return analytics.revenue(days, window, catalogue.settings.currency)


@dataclass(frozen=True)
class Insights:
    figures: analytics.CustomerInsights
    profiles: dict[str, Customer]  # of the customers it names


def customers(store: Store, period: str | None, now: datetime) -> Insights:
    catalogue, window = _period(store, period, now)
    lookback = window.before(analytics.LOOKBACK_DAYS)
    days = store.figures.read(Bucket.CUSTOMERS, lookback.first, window.last)
    figures = analytics.customer_insights(days, window, catalogue.settings.currency)
    named = [c.customer_id for c in (*figures.top_customers, *figures.no_show_offenders)]
    return Insights(figures, store.customers.many(named))


def record_change(store: Store, record_id: str, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> bool:
    """One stream record of the table: what it changes in the figures, added once. False if nothing was."""
    before, after = from_image(old), from_image(new)
    if isinstance(before, Block) or isinstance(after, Block):
        delta = Delta.of_block(_block(before), _block(after))
    else:
        delta = Delta.of_appointment(before, after)
    return bool(delta) and store.figures.apply(record_id, delta)


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
    return store.figures.replace_all(totals(appointments, blocks))
