"""Analytics: the seed's formulas (appointment-analytics.js), the daily figures every appointment and
block adds, and the five reports read from those figures. Rates are percentages 0-100.

A period counts appointments by their scheduled day in the business's time zone. Each appointment
adds counters to its day; a change adds the difference between its new and old figures, so figures
only ever add up (in any order) and the sum over an appointment's changes is its figures now.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.block import Block
from chalicelib.domain.catalogue import Catalogue, StaffMember
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.hours import MINUTES_PER_DAY, cut
from chalicelib.domain.money import Money
from chalicelib.domain.status import Status

PERIODS = {"7d": 7, "30d": 30, "90d": 90, "365d": 365}
LOOKBACK_DAYS = 365  # a customer is new in a period without a visit in the year before it
TOP_CUSTOMERS = 5
REPEAT_NO_SHOWS = 2  # this many no-shows in a period makes a customer a repeat offender
MAX_OFFENDERS = 10  # the worst ones; the report's size (and its name lookup) stays bounded


# -- the seed's formulas, over a list of appointments (the dashboard's widgets) -----------------------
def rate(part: int, whole: int) -> float:
    """part over whole, as a percentage; 0 when there is nothing to count."""
    return part / whole * 100 if whole else 0.0


def no_show_rate(appointments: Sequence[Appointment]) -> float:
    """calculateNoShowRate: no-shows over all appointments."""
    return rate(sum(a.status is Status.NO_SHOW for a in appointments), len(appointments))


def completion_rate(appointments: Sequence[Appointment]) -> float:
    return rate(sum(a.status is Status.COMPLETED for a in appointments), len(appointments))


def average_booking_value(appointments: Sequence[Appointment]) -> float:
    """calculateAverageBookingValue: the mean totalAmount of completed appointments, in major units."""
    completed = [a for a in appointments if a.status is Status.COMPLETED]
    if not completed:
        return 0.0
    return sum(a.price.major for a in completed) / len(completed)


def peaks(counts: Sequence[int]) -> list[int]:
    """findPeakTimes: every index holding the highest count (all of them when nothing was counted)."""
    top = max(counts, default=0)
    return [i for i, count in enumerate(counts) if count == top]


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
        total = _sum(days, window, "n")
        popular = [(s.name, s.bookings) for s in service_popularity(days, window, catalogue) if s.bookings][:top]
        return cls(
            total,
            rate(_sum(days, window, f"st:{Status.COMPLETED.value}"), total),
            rate(_sum(days, window, f"st:{Status.NO_SHOW.value}"), total),
            popular,
        )


# -- the figures each appointment and block adds to its day ------------------------------------------
class Bucket(StrEnum):
    DAY = "DAY"  # a day's counters and its blocks
    CUSTOMERS = "CUST"  # a day's counters per customer, apart: only the customer report reads them


Key = tuple[Bucket, date, str]


def earned(appointment: Appointment) -> int:
    """What the business took for it: the payment, or the price once completed (paid at the desk)."""
    completed = appointment.price.minor if appointment.status is Status.COMPLETED else 0
    return max(appointment.paid_amount, completed)


def appointment_figures(appointment: Appointment | None) -> dict[Key, int]:
    """The counters an appointment adds to its scheduled day, as it is now."""
    if appointment is None:
        return {}
    a = appointment
    local = a.local_start
    day, customers = (Bucket.DAY, local.date()), (Bucket.CUSTOMERS, local.date())
    revenue = earned(a)
    kept = a.status is not Status.CANCELLED
    figures = {
        (*day, "n"): 1,
        (*day, f"st:{a.status.value}"): 1,
        (*day, f"hr:{local.hour}"): 1,
        (*day, "lead"): max(0, int((a.start - a.created_at).total_seconds() // 60)),
        (*day, "value"): a.price.minor if a.status is Status.COMPLETED else 0,
        (*day, "rev"): revenue,
        (*day, "ref"): a.refunded_amount,
        (*day, f"svc:{a.service_id}:n"): int(kept),
        (*day, f"svc:{a.service_id}:rev"): revenue,
        (*day, f"stf:{a.staff_id}:min"): a.duration if kept else 0,
        (*customers, f"{a.customer_id}:n"): int(kept),
        (*customers, f"{a.customer_id}:ns"): int(a.status is Status.NO_SHOW),
        (*customers, f"{a.customer_id}:rev"): revenue,
    }
    return {key: value for key, value in figures.items() if value}


def block_marks(block: Block | None) -> dict[Key, str]:
    """A block's piece of each local day it covers, as "start-end" minutes after midnight."""
    if block is None:
        return {}
    marks: dict[Key, str] = {}
    start, end = block.local_start, block.end.astimezone(block.local_start.tzinfo)
    day = start.date()
    while day <= end.date():
        first = start.hour * 60 + start.minute if day == start.date() else 0
        last = end.hour * 60 + end.minute if day == end.date() else MINUTES_PER_DAY
        if last > first:
            marks[(Bucket.DAY, day, f"blk:{block.staff_id}:{block.id}")] = f"{first}-{last}"
        day += timedelta(days=1)
    return marks


@dataclass(frozen=True)
class Delta:
    """What one change does to the daily figures: counters to add, block marks to put and to drop."""

    add: Mapping[Key, int] = field(default_factory=dict)
    put: Mapping[Key, str] = field(default_factory=dict)
    drop: frozenset[Key] = frozenset()

    @classmethod
    def of_appointment(cls, before: Appointment | None, after: Appointment | None) -> Delta:
        old, new = appointment_figures(before), appointment_figures(after)
        difference = {key: new.get(key, 0) - old.get(key, 0) for key in old.keys() | new.keys()}
        return cls(add={key: value for key, value in difference.items() if value})

    @classmethod
    def of_block(cls, before: Block | None, after: Block | None) -> Delta:
        old, new = block_marks(before), block_marks(after)
        return cls(put={k: v for k, v in new.items() if old.get(k) != v}, drop=frozenset(old.keys() - new.keys()))

    @property
    def items(self) -> list[tuple[Bucket, date]]:
        """The (bucket, day) figures it touches."""
        return sorted({(bucket, day) for bucket, day, _ in (*self.add, *self.put, *self.drop)})

    def __bool__(self) -> bool:
        return bool(self.add or self.put or self.drop)


Figures = Mapping[str, int | str]  # one day's figures in one bucket, by name
Days = dict[tuple[Bucket, date], dict[str, int | str]]


def totals(appointments: Iterable[Appointment], blocks: Iterable[Block]) -> Days:
    """Every day's figures computed afresh from the appointments and blocks (the rebuild)."""
    days: Days = {}
    for appointment in appointments:
        for (bucket, day, name), value in appointment_figures(appointment).items():
            figures = days.setdefault((bucket, day), {})
            figures[name] = int(figures.get(name, 0)) + value
    for block in blocks:
        for (bucket, day, name), mark in block_marks(block).items():
            days.setdefault((bucket, day), {})[name] = mark
    return days


# -- the reports ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Window:
    """The days a report covers: the period's N days ending today, both ends included."""

    first: date
    last: date

    @classmethod
    def ending(cls, today: date, period: str | None) -> Window:
        chosen = period or "30d"
        if chosen not in PERIODS:
            raise InvalidInput(f"period must be one of {', '.join(PERIODS)}.", {"period": "unknown period"})
        return cls(today - timedelta(days=PERIODS[chosen] - 1), today)

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    def before(self, days: int) -> Window:
        """The `days` days just before this window."""
        return Window(self.first - timedelta(days=days), self.first - timedelta(days=1))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


def _count(figures: Figures, name: str) -> int:
    value = figures.get(name, 0)
    return value if isinstance(value, int) else 0


def _sum(days: Mapping[date, Figures], window: Window, name: str) -> int:
    return sum(_count(days.get(day, {}), name) for day in window.days)


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


def booking_metrics(days: Mapping[date, Figures], window: Window, currency: str) -> BookingMetrics:
    by_status = {s.value: _sum(days, window, f"st:{s.value}") for s in Status}
    total = _sum(days, window, "n")
    completed = by_status[Status.COMPLETED.value]
    value = _sum(days, window, "value")
    hourly, daily, monthly = [0] * 24, [0] * 7, [0] * 12
    for day in window.days:
        figures = days.get(day, {})
        for hour in range(24):
            hourly[hour] += _count(figures, f"hr:{hour}")
        daily[(day.weekday() + 1) % 7] += _count(figures, "n")  # JavaScript's getDay(): Sunday is 0
        monthly[day.month - 1] += _count(figures, "n")
    return BookingMetrics(
        total=total,
        by_status=by_status,
        completion_rate=rate(completed, total),
        no_show_rate=rate(by_status[Status.NO_SHOW.value], total),
        cancellation_rate=rate(by_status[Status.CANCELLED.value], total),
        average_booking_value=Money(value, currency).major / completed if completed else 0.0,
        lead_time_hours=_sum(days, window, "lead") / total / 60 if total else 0.0,
        daily=[
            DayBookings(
                day,
                _count(days.get(day, {}), "n"),
                {s.value: _count(days.get(day, {}), f"st:{s.value}") for s in Status},
            )
            for day in window.days
        ],
        patterns=Patterns(hourly, daily, monthly),
    )


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
    counts = {i: _sum(days, window, f"svc:{i}:n") for i in ids}
    kept = sum(counts.values())
    rows = [
        ServicePopularity(
            i,
            catalogue.services[i].name if i in catalogue.services else i,
            counts[i],
            Money(_sum(days, window, f"svc:{i}:rev"), currency),
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
        booked = _sum(days, window, f"stf:{staff_id}:min")
        name = member.name if member else staff_id
        rows.append(StaffUtilization(staff_id, name, booked, available, rate(booked, available)))
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
        DayRevenue(day, Money(_count(f, "rev"), currency), Money(_count(f, "ref"), currency))
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
