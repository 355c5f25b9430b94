"""The seed's AppointmentAnalytics calls: five reports over `period` = 7d|30d|90d|365d, staff only.

Each route imports the reports itself: their dozen dataclasses are ~10 ms of a cold start that the
customer's calls never need.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.api import report_presenters
from chalicelib.api.docs import LOCATION, PERIOD, Doc
from chalicelib.api.http import STAFF, Call, Routes
from chalicelib.store import get_store

routes = Routes(__name__)


@routes.route(
    "/appointments/analytics/bookings",
    allow=STAFF,
    doc=Doc("Booking metrics", answer="BookingsReport", params=(PERIOD, LOCATION)),
)
def bookings(call: Call) -> dict[str, Any]:
    from chalicelib.services import analytics  # deferred (module docstring)

    return report_presenters.bookings(
        analytics.bookings(get_store(), call.query("period"), datetime.now(UTC), call.query("locationId"))
    )


@routes.route(
    "/appointments/analytics/services",
    allow=STAFF,
    doc=Doc("Service popularity", answer="ServicesReport", params=(PERIOD, LOCATION)),
)
def services(call: Call) -> dict[str, Any]:
    from chalicelib.services import analytics  # deferred (module docstring)

    return report_presenters.services(
        analytics.services(get_store(), call.query("period"), datetime.now(UTC), call.query("locationId"))
    )


@routes.route(
    "/appointments/analytics/staff",
    allow=STAFF,
    doc=Doc("Staff utilization", answer="StaffReport", params=(PERIOD, LOCATION)),
)
def staff(call: Call) -> dict[str, Any]:
    from chalicelib.services import analytics  # deferred (module docstring)

    return report_presenters.staff(
        analytics.staff(get_store(), call.query("period"), datetime.now(UTC), call.query("locationId"))
    )


@routes.route(
    "/appointments/analytics/revenue",
    allow=STAFF,
    doc=Doc("Revenue", answer="RevenueReport", params=(PERIOD, LOCATION)),
)
def revenue(call: Call) -> dict[str, Any]:
    from chalicelib.services import analytics  # deferred (module docstring)

    return report_presenters.revenue(
        analytics.revenue(get_store(), call.query("period"), datetime.now(UTC), call.query("locationId"))
    )


@routes.route(
    "/appointments/analytics/customers",
    allow=STAFF,
    doc=Doc("Customer insights", answer="CustomersReport", params=(PERIOD, LOCATION)),
)
def customers(call: Call) -> dict[str, Any]:
    from chalicelib.services import analytics  # deferred (module docstring)

    found = analytics.customers(get_store(), call.query("period"), datetime.now(UTC), call.query("locationId"))
    return report_presenters.customers(found.figures, found.profiles)
