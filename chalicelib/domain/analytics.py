"""The dashboard's widgets and the five reports, read from the daily figures of a period."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.catalogue import Catalogue, StaffMember
from chalicelib.domain.daily_figures import Figures, counter
from chalicelib.domain.formulas import completion_rate, no_show_rate, peaks, rate
from chalicelib.domain.hours import cut
from chalicelib.domain.money import Money
from chalicelib.domain.periods import Window, summed
from chalicelib.domain.status import Status

LOOKBACK_DAYS = 365  # a customer is new in a period without a visit in the year before it
TOP_CUSTOMERS = 5
REPEAT_NO_SHOWS = 2  # this many no-shows in a period makes a customer a repeat offender
MAX_OFFENDERS = 10  # the worst ones; the report's size (and its name lookup) stays bounded


@dataclass(frozen=True)
class Stats:
    """The dashboard's widget for a week or a month."""

    total: int
    completion_rate: float
    no_show_rate: float
    popular_types: list[tuple[str, int]]

    @classmethod
    def of(cls, appointments: Sequence[Appointment], top: int = 5) -> Stats:
        popular = Counter(a.service_name for a in appointments).most_common(top)
        return cls(len(appointments), completion_rate(appointments), no_show_rate(appointments), popular)

    @classmethod
    def from_figures(cls, days: Mapping[date, Figures], window: Window, catalogue: Catalogue, top: int = 5) -> Stats:
        """The same figures from the daily figures; popular types count the bookings kept."""
        total = summed(days, window, "n")
        popular = [(s.name, s.bookings) for s in service_popularity(days, window, catalogue) if s.bookings][:top]
        return cls(
            total,
            rate(summed(days, window, f"st:{Status.COMPLETED.value}"), total),
            rate(summed(days, window, f"st:{Status.NO_SHOW.value}"), total),
            popular,
        )


@dataclass(frozen=True)
class DayBookings:
    day: date
    total: int
    by_status: dict[str, int]


@dataclass(frozen=True)
class Patterns:
    """analyzeBookingPatterns: hours 0-23, days 0-6 from Sunday, months 0-11, as the seed counts them."""

    hourly: list[int]
    daily: list[int]
    monthly: list[int]

    @property
    def peak_hours(self) -> list[int]:
        return peaks(self.hourly)

    @property
    def peak_days(self) -> list[int]:
        return peaks(self.daily)

    @property
    def peak_months(self) -> list[int]:
        return peaks(self.monthly)


@dataclass(frozen=True)
class Missed:
    """How often appointments of one kind were missed: no-shows and late cancellations among them."""

    bookings: int
    no_shows: int
    late_cancels: int

    @property
    def no_show_rate(self) -> float:
        return rate(self.no_shows, self.bookings)

    @property
    def late_cancel_rate(self) -> float:
        return rate(self.late_cancels, self.bookings)


@dataclass(frozen=True)
class Refilled:
    """What the waitlist did with freed time: offers made and booked, and the share of freed minutes it filled."""

    offers: int
    accepted: int
    freed_minutes: int  # of appointments cancelled (or holds let go)
    filled_minutes: int  # of offers booked

    @property
    def filled_share(self) -> float:
        return rate(self.filled_minutes, self.freed_minutes)


@dataclass(frozen=True)
class BookingMetrics:
    total: int
    by_status: dict[str, int]
    completion_rate: float
    no_show_rate: float
    cancellation_rate: float
    average_booking_value: float  # major units
    lead_time_hours: float
    daily: list[DayBookings]
    patterns: Patterns
    with_deposit: Missed  # the deposit policy's effect: bookings asked a deposit against the others
    without_deposit: Missed
    waitlist: Refilled


def booking_metrics(days: Mapping[date, Figures], window: Window, currency: str) -> BookingMetrics:
    by_status = {s.value: summed(days, window, f"st:{s.value}") for s in Status}
    total = summed(days, window, "n")
    completed = by_status[Status.COMPLETED.value]
    value = summed(days, window, "value")
    hourly, daily, monthly = [0] * 24, [0] * 7, [0] * 12
    for day in window.days:
        figures = days.get(day, {})
        for hour in range(24):
            hourly[hour] += counter(figures, f"hr:{hour}")
        daily[(day.weekday() + 1) % 7] += counter(figures, "n")  # JavaScript's getDay(): Sunday is 0
        monthly[day.month - 1] += counter(figures, "n")
    return BookingMetrics(
        total=total,
        by_status=by_status,
        completion_rate=rate(completed, total),
        no_show_rate=rate(by_status[Status.NO_SHOW.value], total),
        cancellation_rate=rate(by_status[Status.CANCELLED.value], total),
        average_booking_value=Money(value, currency).major / completed if completed else 0.0,
        lead_time_hours=summed(days, window, "lead") / total / 60 if total else 0.0,
        daily=[
            DayBookings(
                day,
                counter(days.get(day, {}), "n"),
                {s.value: counter(days.get(day, {}), f"st:{s.value}") for s in Status},
            )
            for day in window.days
        ],
        patterns=Patterns(hourly, daily, monthly),
        with_deposit=(deposits := _missed(days, window, "dep:")),
        without_deposit=Missed(
            total - deposits.bookings,
            by_status[Status.NO_SHOW.value] - deposits.no_shows,
            summed(days, window, "lc") - deposits.late_cancels,
        ),
        waitlist=Refilled(*(summed(days, window, n) for n in ("wl:offers", "wl:accepted", "freed:min", "wl:min"))),
    )


def _missed(days: Mapping[date, Figures], window: Window, prefix: str) -> Missed:
    return Missed(*(summed(days, window, f"{prefix}{name}") for name in ("n", "ns", "lc")))


@dataclass(frozen=True)
class ServicePopularity:
    service_id: str
    name: str
    bookings: int  # not cancelled
    revenue: Money
    share: float  # of all bookings kept in the period


def _ids(days: Mapping[date, Figures], window: Window, prefix: str) -> set[str]:
    return {name.split(":")[1] for day in window.days for name in days.get(day, {}) if name.startswith(prefix)}


def service_popularity(days: Mapping[date, Figures], window: Window, catalogue: Catalogue) -> list[ServicePopularity]:
    currency = catalogue.settings.currency
    ids = _ids(days, window, "svc:") | {s.id for s in catalogue.services.values() if s.active}
    counts = {i: summed(days, window, f"svc:{i}:n") for i in ids}
    kept = sum(counts.values())
    rows = [
        ServicePopularity(
            i,
            catalogue.services[i].name if i in catalogue.services else i,
            counts[i],
            Money(summed(days, window, f"svc:{i}:rev"), currency),
            rate(counts[i], kept),
        )
        for i in ids
    ]
    return sorted(rows, key=lambda r: (-r.bookings, -r.revenue.minor, r.name))


@dataclass(frozen=True)
class StaffUtilization:
    staff_id: str
    name: str
    booked_minutes: int
    available_minutes: int  # working hours minus blocks
    utilization: float
    assigned: int = 0  # bookings made for any staff that the business's policy gave them


def _blocked(figures: Figures, staff_id: str) -> list[tuple[int, int]]:
    prefix = f"blk:{staff_id}:"
    spans = []
    for name, mark in figures.items():
        if name.startswith(prefix) and isinstance(mark, str):
            first, last = mark.split("-")
            spans.append((int(first), int(last)))
    return spans


def _available(member: StaffMember, day: date, figures: Figures) -> int:
    open_spans = [(s.start, s.end) for s in member.hours.open_spans(day)]
    return sum(end - start for start, end in cut(open_spans, _blocked(figures, member.id)))


def staff_utilization(days: Mapping[date, Figures], window: Window, catalogue: Catalogue) -> list[StaffUtilization]:
    """Available time from each member's hours as they stand now, minus the blocks of each day."""
    ids = _ids(days, window, "stf:") | {m.id for m in catalogue.staff.values() if m.active}
    rows = []
    for staff_id in ids:
        member = catalogue.staff.get(staff_id)  # None: gone from the catalogue, only its bookings remain
        available = sum(_available(member, day, days.get(day, {})) for day in window.days) if member else 0
        booked = summed(days, window, f"stf:{staff_id}:min")
        name = member.name if member else staff_id
        assigned = summed(days, window, f"stf:{staff_id}:any")
        rows.append(StaffUtilization(staff_id, name, booked, available, rate(booked, available), assigned))
    return sorted(rows, key=lambda r: (-r.utilization, r.name))


@dataclass(frozen=True)
class DayRevenue:
    day: date
    total: Money
    refunded: Money

    @property
    def net(self) -> Money:
        return Money(self.total.minor - self.refunded.minor, self.total.currency)


@dataclass(frozen=True)
class Revenue:
    total: Money
    refunded: Money
    daily: list[DayRevenue]

    @property
    def net(self) -> Money:
        return Money(self.total.minor - self.refunded.minor, self.total.currency)


def revenue(days: Mapping[date, Figures], window: Window, currency: str) -> Revenue:
    daily = [
        DayRevenue(day, Money(counter(f, "rev"), currency), Money(counter(f, "ref"), currency))
        for day in window.days
        for f in (days.get(day, {}),)
    ]
    total = Money(sum(d.total.minor for d in daily), currency)
    return Revenue(total, Money(sum(d.refunded.minor for d in daily), currency), daily)


@dataclass(frozen=True)
class CustomerFigures:
    customer_id: str
    bookings: int
    no_shows: int
    spent: Money


@dataclass(frozen=True)
class CustomerInsights:
    total: int  # customers with a booking kept in the period
    new: int  # of them, without one in the year before
    returning: int
    retention_rate: float  # of the previous period's customers, the share who came back in this one
    top_customers: list[CustomerFigures]
    no_show_offenders: list[CustomerFigures]  # the MAX_OFFENDERS with most no-shows


def _per_customer(days: Mapping[date, Figures], window: Window, currency: str) -> dict[str, CustomerFigures]:
    sums: Counter[tuple[str, str]] = Counter()
    for day in window.days:
        for name, value in days.get(day, {}).items():
            customer_id, _, what = name.rpartition(":")
            if isinstance(value, int) and value:
                sums[(customer_id, what)] += value
    ids = {customer_id for customer_id, _ in sums}
    return {
        i: CustomerFigures(i, sums[(i, "n")], sums[(i, "ns")], Money(sums[(i, "rev")], currency))
        for i in ids
        if sums[(i, "n")]
    }


def customer_insights(days: Mapping[date, Figures], window: Window, currency: str) -> CustomerInsights:
    """`days` holds the customers' figures of the window and of the LOOKBACK_DAYS before it."""
    current = _per_customer(days, window, currency)
    seen_before = _per_customer(days, window.before(LOOKBACK_DAYS), currency).keys()
    previous = _per_customer(days, window.before(len(window.days)), currency).keys()
    returning = len(current.keys() & seen_before)
    ranked = sorted(current.values(), key=lambda c: (-c.bookings, -c.spent.minor, c.customer_id))
    offenders = sorted(
        (c for c in current.values() if c.no_shows >= REPEAT_NO_SHOWS), key=lambda c: (-c.no_shows, c.customer_id)
    )
    return CustomerInsights(
        total=len(current),
        new=len(current) - returning,
        returning=returning,
        retention_rate=rate(len(previous & current.keys()), len(previous)),
        top_customers=ranked[:TOP_CUSTOMERS],
        no_show_offenders=offenders[:MAX_OFFENDERS],
    )
