"""The answers of the dashboard and the analytics reports (staff), for `GET /openapi.json`."""

from __future__ import annotations

from pydantic import Field

from chalicelib.api.docs import DATE
from chalicelib.api.schemas.base import Model
from chalicelib.domain.status import Status


class Upcoming(Model):
    id: str
    customer: str
    type: str
    scheduledAt: str
    operator: str
    status: Status


class NameCount(Model):
    name: str
    count: int


class Stats(Model):
    total: int
    completionRate: float
    noShowRate: float
    popularTypes: list[NameCount]


class DashboardStats(Model):
    week: Stats
    month: Stats
    completionRate: float
    noShowRate: float
    popularTypes: list[NameCount]


class Dashboard(Model):
    upcoming: list[Upcoming]
    stats: DashboardStats


class DailyBookings(Model):
    date: str = Field(pattern=DATE)
    total: int
    byStatus: dict[str, int]


class Patterns(Model):
    peakHours: list[int]
    peakDays: list[int]
    peakMonths: list[int]
    hourly: list[int] = Field(description="24 counts, by local hour")
    daily: list[int] = Field(description="7 counts, Sunday first (the seed's getDay)")
    monthly: list[int] = Field(description="12 counts, January first")


class BookingMetrics(Model):
    total: int
    byStatus: dict[str, int]
    completionRate: float
    noShowRate: float
    cancellationRate: float
    averageBookingValue: float
    leadTimeHours: float
    daily: list[DailyBookings]
    patterns: Patterns
    deposits: DepositEffect = Field(
        description="Bookings asked a deposit (not a prepayment) against the others: how often each was missed."
    )
    waitlist: Refilled = Field(
        description="Offers of freed time made to waiting customers and booked by them, and the share (percent) of "
        "the minutes freed by cancellations that the waitlist filled again."
    )


class Refilled(Model):
    offers: int
    accepted: int
    freedMinutes: int
    filledMinutes: int
    filledShare: float


class MissedRates(Model):
    bookings: int
    noShows: int
    lateCancellations: int
    noShowRate: float
    lateCancellationRate: float


class DepositEffect(Model):
    with_: MissedRates = Field(alias="with")
    without: MissedRates


class BookingsReport(Model):
    metrics: BookingMetrics


class ServiceShare(Model):
    serviceId: str
    name: str
    bookings: int
    revenue: float
    currency: str
    share: float


class ServicesReport(Model):
    popularity: list[ServiceShare]


class Utilization(Model):
    staffId: str
    name: str
    bookedMinutes: int
    availableMinutes: int
    utilization: float
    assignedBookings: int = Field(description="Bookings made for any staff that the business's policy gave them.")


class StaffReport(Model):
    utilization: list[Utilization]


class DailyRevenue(Model):
    date: str = Field(pattern=DATE)
    total: float
    refunded: float
    net: float


class Revenue(Model):
    total: float
    refunded: float
    net: float
    currency: str
    daily: list[DailyRevenue]


class RevenueReport(Model):
    revenue: Revenue


class CustomerFigures(Model):
    customerId: str
    name: str
    bookings: int
    noShows: int
    spent: float


class Insights(Model):
    total: int
    new: int
    returning: int
    retentionRate: float
    topCustomers: list[CustomerFigures]
    noShowOffenders: list[CustomerFigures]


class CustomersReport(Model):
    insights: Insights
