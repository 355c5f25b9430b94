"""The public catalogue and availability."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.api import catalogue_presenters, inputs, presenters, revenue_presenters
from chalicelib.api.docs import LOCATION, Doc, Param, date
from chalicelib.api.http import PUBLIC, Call, Routes
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.parts import Wanted
from chalicelib.services import availability, catalogue, terms, visits
from chalicelib.store import get_store

routes = Routes(__name__)

ANY_STAFF = Param(
    "staffId",
    {"type": "string"},
    description='a staff member; left out or "any": anyone who performs the service (the union of their slots)',
)
SERVICE = Param("serviceId", {"type": "string"}, description="the service (or give `services` for a visit)")
VISIT = Param(
    "services",
    {"type": "string", "example": "svc-cut:staff-li,svc-colour"},
    description="a visit of several services back to back, in order, comma-separated, each `serviceId` or "
    '`serviceId:staffId` (no staff member or "any": whoever is free); the slots span the whole visit',
)


def _asked(call: Call) -> tuple[Wanted, ...]:
    """The services asked about: one (`serviceId`, with `staffId` or any), or a visit's (`services`)."""
    if call.query("services") is None:
        staff_id = inputs.text(call.query_params, "staffId", required=False) or None
        return (Wanted(inputs.text(call.query_params, "serviceId"), staff_id),)
    if call.query("serviceId") or call.query("staffId"):
        raise InvalidInput("Give serviceId (and staffId), or services, not both.", {"services": "with serviceId"})
    return inputs.visit_query(call.query("services"))


@routes.route("/appointments/services", allow=PUBLIC, doc=Doc("Active services", answer="Services", params=(LOCATION,)))
def list_services(call: Call) -> dict[str, Any]:
    return {
        "services": [catalogue_presenters.service(s) for s in catalogue.offered(get_store(), call.query("locationId"))]
    }


@routes.route(
    "/appointments/services/{service_id}/staff",
    allow=PUBLIC,
    doc=Doc("Staff who perform a service", answer="StaffList", params=(LOCATION,)),
)
def staff_for_service(call: Call, service_id: str) -> dict[str, Any]:
    found = catalogue.performers(get_store(), service_id, call.query("locationId"))
    return {"staff": [catalogue_presenters.staff(m) for m in found]}


@routes.route(
    "/appointments/availability/dates",
    allow=PUBLIC,
    doc=Doc(
        "Days with free slots",
        answer="Dates",
        params=(
            SERVICE,
            ANY_STAFF,
            VISIT,
            LOCATION,
            Param("days", {"type": "integer", "minimum": 1, "maximum": 90}, description="default 30"),
        ),
    ),
)
def available_dates(call: Call) -> dict[str, Any]:
    days = inputs.integer(call.query("days"), "days", default=30, low=1, high=90)
    (one, *more), store, now, place = _asked(call), get_store(), datetime.now(UTC), call.query("locationId")
    if more:
        dates = visits.available_dates(store, [one, *more], days, now, place)
    else:
        dates = availability.available_dates(store, one.service_id, one.staff_id, days, now, place)
    return {"dates": [{"date": day.isoformat(), "slotCount": count} for day, count in dates]}


@routes.route(
    "/appointments/availability/slots",
    allow=PUBLIC,
    doc=Doc(
        "Free slots of a day",
        answer="Slots",
        params=(SERVICE, ANY_STAFF, VISIT, LOCATION, date("date", required=True)),
    ),
)
def available_slots(call: Call) -> dict[str, Any]:
    (one, *more), store, now, place = _asked(call), get_store(), datetime.now(UTC), call.query("locationId")
    day = inputs.day(call.query("date"))
    if more:
        rules, slots = visits.available_slots(store, [one, *more], day, now, place)
    else:
        rules, slots = availability.available_slots(store, one.service_id, one.staff_id, day, now, place)
    return {"slots": [presenters.slot(s, rules.zone) for s in slots]}


@routes.route(
    "/appointments/policy",
    allow=PUBLIC,
    doc=Doc(
        "What booking asks before the visit, and what cancelling late or not coming costs",
        answer="BookingPolicy",
        params=(SERVICE, VISIT, LOCATION),
    ),
)
def booking_policy(call: Call) -> dict[str, Any]:
    """Signed in as a customer: their own terms (a deposit asked of them, and why; fees they owe)."""
    asked = _asked(call)
    found = terms.policy(get_store(), call.caller, asked, call.query("locationId"), datetime.now(UTC))
    return {"policy": revenue_presenters.booking_policy(found)}
