"""The public catalogue and availability."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.api import inputs, presenters
from chalicelib.api.docs import Doc, Param, date, required
from chalicelib.api.http import PUBLIC, Call, Routes
from chalicelib.services import availability, catalogue
from chalicelib.store import get_store

routes = Routes(__name__)

ANY_STAFF = Param(
    "staffId",
    {"type": "string"},
    description='a staff member; left out or "any": anyone who performs the service (the union of their slots)',
)


@routes.route("/appointments/services", allow=PUBLIC, doc=Doc("Active services", answer="Services"))
def list_services(call: Call) -> dict[str, Any]:
    return {"services": [presenters.service(s) for s in catalogue.offered(get_store())]}


@routes.route(
    "/appointments/services/{service_id}/staff",
    allow=PUBLIC,
    doc=Doc("Staff who perform a service", answer="StaffList"),
)
def staff_for_service(call: Call, service_id: str) -> dict[str, Any]:
    return {"staff": [presenters.staff(m) for m in catalogue.performers(get_store(), service_id)]}


@routes.route(
    "/appointments/availability/dates",
    allow=PUBLIC,
    doc=Doc(
        "Days with free slots",
        answer="Dates",
        params=(
            *required("serviceId"),
            ANY_STAFF,
            Param("days", {"type": "integer", "minimum": 1, "maximum": 90}, description="default 30"),
        ),
    ),
)
def available_dates(call: Call) -> dict[str, Any]:
    days = inputs.integer(call.query("days"), "days", default=30, low=1, high=90)
    dates = availability.available_dates(
        get_store(),
        inputs.text(call.query_params, "serviceId"),
        inputs.text(call.query_params, "staffId", required=False) or None,
        days,
        datetime.now(UTC),
    )
    return {"dates": [{"date": day.isoformat(), "slotCount": count} for day, count in dates]}


@routes.route(
    "/appointments/availability/slots",
    allow=PUBLIC,
    doc=Doc(
        "Free slots of a day",
        answer="Slots",
        params=(*required("serviceId"), ANY_STAFF, date("date", required=True)),
    ),
)
def available_slots(call: Call) -> dict[str, Any]:
    rules, slots = availability.available_slots(
        get_store(),
        inputs.text(call.query_params, "serviceId"),
        inputs.text(call.query_params, "staffId", required=False) or None,
        inputs.day(call.query("date")),
        datetime.now(UTC),
    )
    return {"slots": [presenters.slot(s, rules.zone) for s in slots]}
