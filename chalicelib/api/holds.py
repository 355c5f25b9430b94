"""Short holds: a customer (or their assistant) keeps a free slot for a few minutes, then books it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.api import presenters
from chalicelib.api.appointments import booking_request
from chalicelib.api.docs import IDEMPOTENCY, Doc
from chalicelib.api.http import CUSTOMERS, Call, Routes
from chalicelib.domain.errors import InvalidInput
from chalicelib.services import holding
from chalicelib.store import get_store

routes = Routes(__name__)


@routes.route(
    "/appointments/hold",
    methods=("POST",),
    allow=CUSTOMERS,
    status=201,
    doc=Doc("Hold a slot for a few minutes", answer="AppointmentAnswer", body="HoldRequest", params=(IDEMPOTENCY,)),
)
def hold(call: Call) -> dict[str, Any]:
    body = call.body
    minutes = body.get("minutes")
    if minutes is not None and (isinstance(minutes, bool) or not isinstance(minutes, int)):
        raise InvalidInput("minutes must be a whole number.", {"minutes": "expected an integer"})
    request = booking_request({k: v for k, v in body.items() if k != "minutes"})
    claim = call.idempotency_claim("hold")
    held = holding.hold(get_store(), call.actor, request, minutes, datetime.now(UTC), claim)
    return {"success": True, "appointment": presenters.appointment(held)}


@routes.route(
    "/appointments/{appointment_id}/book",
    methods=("POST",),
    allow=CUSTOMERS,
    doc=Doc("Book the time held", answer="AppointmentAnswer", body_required=False, params=(IDEMPOTENCY,)),
)
def book_held(call: Call, appointment_id: str) -> dict[str, Any]:
    claim = call.idempotency_claim(f"book-held:{appointment_id}")
    booked = holding.book_held(get_store(), call.actor, appointment_id, datetime.now(UTC), claim)
    return {"success": True, "appointment": presenters.appointment(booked)}
