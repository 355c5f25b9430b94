"""What staff do to an appointment: confirm, complete, mark a no-show, read its history."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.api import inputs, presenters, report_presenters
from chalicelib.api.docs import CURSOR, LOCATION, Doc, choice, date, text
from chalicelib.api.http import STAFF, Call, Routes
from chalicelib.domain.scopes import SCOPES
from chalicelib.services import appointments
from chalicelib.services.appointments import ArrangeRequest
from chalicelib.store import get_store

routes = Routes(__name__)


def _move(call: Call, appointment_id: str, action: str, settled_by: str = "") -> dict[str, Any]:
    moved = appointments.move(get_store(), call.actor, appointment_id, action, datetime.now(UTC), settled_by)
    return {"success": True, "appointment": presenters.appointment(moved)}


@routes.route(
    "/appointments/{appointment_id}/confirm",
    methods=("PUT",),
    allow=STAFF,
    doc=Doc("Confirm", answer="AppointmentAnswer", body_required=False),
)
def confirm(call: Call, appointment_id: str) -> dict[str, Any]:
    return _move(call, appointment_id, "confirm")


@routes.route(
    "/appointments/{appointment_id}/complete",
    methods=("PUT",),
    allow=STAFF,
    doc=Doc("Complete", answer="AppointmentAnswer", body="CompleteRequest", body_required=False),
)
def complete(call: Call, appointment_id: str) -> dict[str, Any]:
    return _move(call, appointment_id, "complete", inputs.text(call.body, "settledBy", required=False, max_length=20))


@routes.route(
    "/appointments/{appointment_id}/no-show",
    methods=("PUT",),
    allow=STAFF,
    doc=Doc("Mark a no-show", answer="AppointmentAnswer", body_required=False),
)
def no_show(call: Call, appointment_id: str) -> dict[str, Any]:
    return _move(call, appointment_id, "no-show")


@routes.route(
    "/appointments/{appointment_id}/waive-fee",
    methods=("POST",),
    allow=STAFF,
    doc=Doc("Waive a late-cancellation or no-show fee", answer="AppointmentAnswer", body="WaiveRequest"),
)
def waive_fee(call: Call, appointment_id: str) -> dict[str, Any]:
    reason = inputs.text(call.body, "reason", max_length=500)
    waived = appointments.waive_fee(get_store(), call.actor, appointment_id, reason, datetime.now(UTC))
    return {"success": True, "appointment": presenters.appointment(waived)}


@routes.route(
    "/appointments/{appointment_id}/history",
    allow=STAFF,
    doc=Doc("Every change, who and when", answer="History"),
)
def history(call: Call, appointment_id: str) -> dict[str, Any]:
    appointment, changes = appointments.history(get_store(), appointment_id)
    zone = ZoneInfo(appointment.timezone)
    return {"history": [presenters.change(c, zone) for c in changes]}


@routes.route(
    "/appointments",
    methods=("POST",),
    allow=STAFF,
    status=201,
    doc=Doc("Create for a walk-in or a call", answer="AppointmentAnswer", body="ArrangeRequest"),
)
def create(call: Call) -> dict[str, Any]:
    body = call.body
    customer_id = inputs.text(body, "customerId", required=False) or None
    request = ArrangeRequest(
        staff_id=inputs.text(body, "staffId"),
        service_id=inputs.text(body, "serviceId"),
        scheduled_at=inputs.moment(body),
        duration=inputs.duration(body.get("duration")),
        notes=inputs.text(body, "notes", required=False, max_length=inputs.MAX_NOTES),
        customer_id=customer_id,
        customer=None if customer_id else inputs.contact(body.get("customerInfo")),
        location_id=inputs.text(body, "locationId", required=False, max_length=64) or None,
    )
    made = appointments.arrange(get_store(), call.actor, request, datetime.now(UTC))
    return {"success": True, "appointment": presenters.appointment(made)}


@routes.route(
    "/appointments",
    allow=STAFF,
    doc=Doc(
        "Appointments by scope",
        answer="AppointmentPage",
        params=(choice("scope", SCOPES), text("staffId"), date("date"), LOCATION, CURSOR),
    ),
)
def listing(call: Call) -> dict[str, Any]:
    scope = inputs.choice(call.query("scope"), "scope", SCOPES, "upcoming")
    day = inputs.day(call.query("date")) if call.query("date") else None
    staff_id, place = call.query("staffId") or None, call.query("locationId")
    page = appointments.front_desk_list(
        get_store(), scope, staff_id, day, call.query("cursor"), datetime.now(UTC), location_id=place
    )
    answer: dict[str, Any] = {"appointments": [presenters.appointment(a) for a in page.appointments]}
    if page.next_cursor:
        answer["nextCursor"] = page.next_cursor
    return answer


@routes.route(
    "/dashboard",
    allow=STAFF,
    doc=Doc("The next appointments and week/month stats", answer="Dashboard", params=(LOCATION,)),
)
def dashboard_widgets(call: Call) -> dict[str, Any]:
    from chalicelib.services import dashboard  # deferred: the analytics figures are ~10 ms of a cold start

    soon, week, month = dashboard.dashboard(get_store(), datetime.now(UTC), location_id=call.query("locationId"))
    return report_presenters.dashboard(soon, week, month)
