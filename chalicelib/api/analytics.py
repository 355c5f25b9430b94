"""The seed's AppointmentAnalytics calls: five reports over `period` = 7d|30d|90d|365d, staff only.

Each route imports the reports itself: their dozen dataclasses are ~10 ms of a cold start that the
customer's calls never need.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from chalicelib.api.docs import PERIOD, Doc
from chalicelib.api.http import STAFF, Call, Routes
from chalicelib.store import get_store

if TYPE_CHECKING:
    from chalicelib.domain import analytics as figures

routes = Routes(__name__)


def _rate(value: float) -> float:
    return round(value, 2)


@routes.route(
    "/appointments/analytics/bookings",
    allow=STAFF,
    doc=Doc("Booking metrics", answer="BookingsReport", params=(PERIOD,)),
)
def bookings(call: Call) -> dict[str, Any]:
    from chalicelib.services import analytics  # deferred (module docstring)

    m = analytics.bookings(get_store(), call.query("period"), datetime.now(UTC))
    return {
        "metrics": {
            "total": m.total,
            "byStatus": m.by_status,
            "completionRate": _rate(m.completion_rate),
            "noShowRate": _rate(m.no_show_rate),
            "cancellationRate": _rate(m.cancellation_rate),
            "averageBookingValue": round(m.average_booking_value, 2),
            "leadTimeHours": round(m.lead_time_hours, 1),
            "daily": [{"date": d.day.isoformat(), "total": d.total, "byStatus": d.by_status} for d in m.daily],
            "patterns": {
                "peakHours": m.patterns.peak_hours,
                "peakDays": m.patterns.peak_days,
                "peakMonths": m.patterns.peak_months,
                "hourly": m.patterns.hourly,
                "daily": m.patterns.daily,
                "monthly": m.patterns.monthly,
            },
        }
    }


@routes.route(
    "/appointments/analytics/services",
    allow=STAFF,
    doc=Doc("Service popularity", answer="ServicesReport", params=(PERIOD,)),
)
def services(call: Call) -> dict[str, Any]:
    from chalicelib.services import analytics  # deferred (module docstring)

    rows = analytics.services(get_store(), call.query("period"), datetime.now(UTC))
    return {
        "popularity": [
            {
                "serviceId": r.service_id,
                "name": r.name,
                "bookings": r.bookings,
                "revenue": r.revenue.major,
                "currency": r.revenue.currency,
                "share": _rate(r.share),
            }
            for r in rows
        ]
    }


@routes.route(
    "/appointments/analytics/staff",
    allow=STAFF,
    doc=Doc("Staff utilization", answer="StaffReport", params=(PERIOD,)),
)
def staff(call: Call) -> dict[str, Any]:
    from chalicelib.services import analytics  # deferred (module docstring)

    rows = analytics.staff(get_store(), call.query("period"), datetime.now(UTC))
    return {
        "utilization": [
            {
                "staffId": r.staff_id,
                "name": r.name,
                "bookedMinutes": r.booked_minutes,
                "availableMinutes": r.available_minutes,
                "utilization": _rate(r.utilization),
            }
            for r in rows
        ]
    }


@routes.route(
    "/appointments/analytics/revenue",
    allow=STAFF,
    doc=Doc("Revenue", answer="RevenueReport", params=(PERIOD,)),
)
def revenue(call: Call) -> dict[str, Any]:
    from chalicelib.services import analytics  # deferred (module docstring)

    r = analytics.revenue(get_store(), call.query("period"), datetime.now(UTC))
    return {
        "revenue": {
            "total": r.total.major,
            "refunded": r.refunded.major,
            "net": r.net.major,
            "currency": r.total.currency,
            "daily": [
                {"date": d.day.isoformat(), "total": d.total.major, "refunded": d.refunded.major, "net": d.net.major}
                for d in r.daily
            ],
        }
    }


@routes.route(
    "/appointments/analytics/customers",
    allow=STAFF,
    doc=Doc("Customer insights", answer="CustomersReport", params=(PERIOD,)),
)
def customers(call: Call) -> dict[str, Any]:
    from chalicelib.services import analytics  # deferred (module docstring)

    found = analytics.customers(get_store(), call.query("period"), datetime.now(UTC))
    i = found.figures

    def named(c: figures.CustomerFigures) -> dict[str, Any]:
        profile = found.profiles.get(c.customer_id)
        return {
            "customerId": c.customer_id,
            "name": profile.name if profile else "",
            "bookings": c.bookings,
            "noShows": c.no_shows,
            "spent": c.spent.major,
        }

    return {
        "insights": {
            "total": i.total,
            "new": i.new,
            "returning": i.returning,
            "retentionRate": _rate(i.retention_rate),
            "topCustomers": [named(c) for c in i.top_customers],
            "noShowOffenders": [named(c) for c in i.no_show_offenders],
        }
    }
