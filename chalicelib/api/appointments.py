"""The customer's appointments: book, read, list, cancel, reschedule, add to calendar."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from chalice.app import Response

from chalicelib.api import inputs, presenters, revenue_presenters
from chalicelib.api.docs import CURSOR, IDEMPOTENCY, Doc, choice
from chalicelib.api.http import CUSTOMERS, SIGNED_IN, Call, Routes
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.parts import Wanted
from chalicelib.domain.scopes import CUSTOMER_SCOPES
from chalicelib.services import appointments, booking, calendar, moving
from chalicelib.services.booking import BookingRequest
from chalicelib.store import get_store

routes = Routes(__name__)


def _answer(appointment: Any) -> dict[str, Any]:
    return {"success": True, "appointment": presenters.appointment(appointment)}


@routes.route(
    "/appointments/book",
    methods=("POST",),
    allow=CUSTOMERS,
    status=201,
    doc=Doc("Book a slot", answer="AppointmentAnswer", body="BookRequest", params=(IDEMPOTENCY,)),
)
def book(call: Call) -> dict[str, Any]:
    claim = call.idempotency_claim("book")
    return _answer(booking.book(get_store(), call.actor, booking_request(call.body), datetime.now(UTC), claim))


def booking_request(body: dict[str, Any]) -> BookingRequest:
    """The booking form: one service (`serviceId`, `staffId`) or a visit (`services`), a date and time, the customer."""
    customer, notes = inputs.customer_info(body.get("customerInfo"))
    if "services" in body:
        if "serviceId" in body or "staffId" in body:
            raise InvalidInput("Give serviceId (and staffId), or services, not both.", {"services": "with serviceId"})
        visit = inputs.visit(body["services"])
    else:
        visit = (Wanted(inputs.text(body, "serviceId"), inputs.text(body, "staffId", required=False) or None),)
    return BookingRequest(
        service_id=visit[0].service_id,
        staff_id=visit[0].staff_id,
        visit=visit,
        location_id=inputs.text(body, "locationId", required=False, max_length=64) or None,
        day=inputs.day(body.get("date")),
        minutes=inputs.time_slot(body.get("timeSlot")),
        customer=customer,
        notes=notes,
        total_amount=body.get("totalAmount"),
    )


@routes.route(
    "/appointments/mine",
    allow=SIGNED_IN,
    doc=Doc("The caller's appointments", answer="AppointmentPage", params=(choice("scope", CUSTOMER_SCOPES), CURSOR)),
)
def mine(call: Call) -> dict[str, Any]:
    scope = inputs.choice(call.query("scope"), "scope", CUSTOMER_SCOPES, "all")
    page = appointments.mine(get_store(), call.actor, scope, call.query("cursor"), datetime.now(UTC))
    answer: dict[str, Any] = {"appointments": [presenters.appointment(a) for a in page.appointments]}
    if page.next_cursor:
        answer["nextCursor"] = page.next_cursor
    return answer


@routes.route("/appointments/{appointment_id}", allow=SIGNED_IN, doc=Doc("One appointment", answer="AppointmentDetail"))
def detail(call: Call, appointment_id: str) -> dict[str, Any]:
    appointment, quote = appointments.detail(get_store(), call.actor, appointment_id, datetime.now(UTC))
    zone = ZoneInfo(appointment.timezone)
    return {
        "appointment": presenters.appointment(appointment),
        "cancellation": revenue_presenters.cancel_quote(quote, appointment.price.currency, zone) if quote else None,
    }


@routes.route(
    "/appointments/{appointment_id}/cancel",
    methods=("PUT",),
    allow=SIGNED_IN,
    doc=Doc(
        "Cancel (customers: up to the cutoff)", answer="AppointmentAnswer", body="CancelRequest", body_required=False
    ),
)
def cancel(call: Call, appointment_id: str) -> dict[str, Any]:
    reason = inputs.text(call.body, "reason", required=False, max_length=500)
    for_customer = inputs.flag(call.body, "requestedByCustomer")
    store, now = get_store(), datetime.now(UTC)
    return _answer(appointments.cancel(store, call.actor, appointment_id, reason, now, for_customer))


@routes.route(
    "/appointments/{appointment_id}/reschedule",
    methods=("PUT",),
    allow=SIGNED_IN,
    doc=Doc(
        "Move to another time (or staff member)",
        answer="AppointmentAnswer",
        body="RescheduleRequest",
        params=(IDEMPOTENCY,),
    ),
)
def reschedule(call: Call, appointment_id: str) -> dict[str, Any]:
    body = call.body
    staff_id = inputs.text(body, "staffId", required=False) or None
    claim = call.idempotency_claim(f"reschedule:{appointment_id}")
    moved = moving.reschedule(
        get_store(),
        call.actor,
        appointment_id,
        inputs.day(body.get("date")),
        inputs.time_slot(body.get("timeSlot")),
        staff_id,
        datetime.now(UTC),
        claim,
    )
    return _answer(moved)


@routes.route(
    "/appointments/{appointment_id}/calendar.ics",
    allow=SIGNED_IN,
    doc=Doc("An iCalendar event", media="text/calendar"),
)
def calendar_event(call: Call, appointment_id: str) -> Response:
    body = calendar.event(get_store(), call.actor, appointment_id, datetime.now(UTC))
    return Response(
        body=body.decode(),
        status_code=200,
        headers={
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": f'attachment; filename="appointment-{appointment_id}.ics"',
        },
    )
