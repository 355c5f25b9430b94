"""What staff do to an appointment: confirm, complete, mark a no-show, read its history."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.api import presenters
from chalicelib.api.http import STAFF, Call, Routes
from chalicelib.services import appointments
from chalicelib.store import get_store

routes = Routes(__name__)


def _move(call: Call, appointment_id: str, action: str) -> dict[str, Any]:
    moved = appointments.move(get_store(), call.actor, appointment_id, action, datetime.now(UTC))
    return {"success": True, "appointment": presenters.appointment(moved)}


@routes.route("/appointments/{appointment_id}/confirm", methods=("PUT",), allow=STAFF)
def confirm(call: Call, appointment_id: str) -> dict[str, Any]:
    return _move(call, appointment_id, "confirm")


@routes.route("/appointments/{appointment_id}/complete", methods=("PUT",), allow=STAFF)
def complete(call: Call, appointment_id: str) -> dict[str, Any]:
    return _move(call, appointment_id, "complete")


@routes.route("/appointments/{appointment_id}/no-show", methods=("PUT",), allow=STAFF)
def no_show(call: Call, appointment_id: str) -> dict[str, Any]:
    return _move(call, appointment_id, "no-show")


@routes.route("/appointments/{appointment_id}/history", allow=STAFF)
def history(call: Call, appointment_id: str) -> dict[str, Any]:
    store = get_store()
    appointment = store.appointment(appointment_id)
    zone = ZoneInfo(appointment.timezone)
    return {"history": [presenters.change(c, zone) for c in store.history(appointment_id)]}
