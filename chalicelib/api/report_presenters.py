"""The dashboard and the five analytics reports as the contract shows them: rates rounded, money in major units.

The figures' types are imported for the type checker only: their dataclasses stay off the cold start (see
`api/analytics.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chalicelib.domain.analytics import (
        BookingMetrics,
        CustomerFigures,
        CustomerInsights,
        Missed,
        Revenue,
        ServicePopularity,
        StaffUtilization,
        Stats,
    )
    from chalicelib.domain.appointment import Appointment
    from chalicelib.domain.customer import Customer


def _rate(value: float) -> float:
    return round(value, 2)


def dashboard(soon: Iterable[Appointment], week: Stats, month: Stats) -> dict[str, Any]:
    upcoming = [
        {
            "id": a.id,
            "customer": a.customer.name,
            "type": a.service_name,
            "scheduledAt": a.local_start.isoformat(),
            "operator": a.staff_name,
            "status": a.status.value,
        }
        for a in soon
    ]
    return {
        "upcoming": upcoming,
        "stats": {
            "week": _stats(week),
            "month": _stats(month),
            "completionRate": round(month.completion_rate, 1),
            "noShowRate": round(month.no_show_rate, 1),
            "popularTypes": _stats(month)["popularTypes"],
        },
    }


def _stats(stats: Stats) -> dict[str, Any]:
    return {
        "total": stats.total,
        "completionRate": round(stats.completion_rate, 1),
        "noShowRate": round(stats.no_show_rate, 1),
        "popularTypes": [{"name": name, "count": count} for name, count in stats.popular_types],
    }


def bookings(m: BookingMetrics) -> dict[str, Any]:
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
            "deposits": {"with": _missed(m.with_deposit), "without": _missed(m.without_deposit)},
            "waitlist": {
                "offers": m.waitlist.offers,
                "accepted": m.waitlist.accepted,
                "freedMinutes": m.waitlist.freed_minutes,
                "filledMinutes": m.waitlist.filled_minutes,
                "filledShare": _rate(m.waitlist.filled_share),
            },
        }
    }


def _missed(m: Missed) -> dict[str, Any]:
    return {
        "bookings": m.bookings,
        "noShows": m.no_shows,
        "lateCancellations": m.late_cancels,
        "noShowRate": _rate(m.no_show_rate),
        "lateCancellationRate": _rate(m.late_cancel_rate),
    }


def services(rows: Iterable[ServicePopularity]) -> dict[str, Any]:
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


def staff(rows: Iterable[StaffUtilization]) -> dict[str, Any]:
    return {
        "utilization": [
            {
                "staffId": r.staff_id,
                "name": r.name,
                "bookedMinutes": r.booked_minutes,
                "availableMinutes": r.available_minutes,
                "utilization": _rate(r.utilization),
                "assignedBookings": r.assigned,
            }
            for r in rows
        ]
    }


def revenue(r: Revenue) -> dict[str, Any]:
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


def customers(i: CustomerInsights, profiles: Mapping[str, Customer]) -> dict[str, Any]:
    """`profiles`: the customers the figures name, for their names (one gone since is shown nameless)."""

    def named(c: CustomerFigures) -> dict[str, Any]:
        profile = profiles.get(c.customer_id)
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
