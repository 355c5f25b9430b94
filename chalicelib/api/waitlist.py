"""The waitlist: customers join and leave it and book the time offered to them; staff read it per day."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.api import inputs, presenters, revenue_presenters
from chalicelib.api.docs import LOCATION, Doc, date
from chalicelib.api.http import CUSTOMERS, SIGNED_IN, STAFF, Call, Routes
from chalicelib.services import waitlist
from chalicelib.services.waitlist import Wish
from chalicelib.store import get_store

routes = Routes(__name__)


@routes.route(
    "/waitlist",
    methods=("POST",),
    allow=CUSTOMERS,
    status=201,
    doc=Doc("Wait for a service at a time that is taken", answer="WaitlistEntryAnswer", body="WaitlistRequest"),
)
def join(call: Call) -> dict[str, Any]:
    body = call.body
    customer, _ = inputs.customer_info(body.get("customerInfo"))
    wish = Wish(
        service_id=inputs.text(body, "serviceId"),
        staff_id=inputs.text(body, "staffId", required=False) or None,
        location_id=inputs.text(body, "locationId", required=False, max_length=64) or None,
        days=(inputs.day(body.get("fromDate"), "fromDate"), inputs.day(body.get("toDate"), "toDate")),
        minutes=(inputs.time_slot(body.get("fromTime"), "fromTime"), inputs.time_slot(body.get("toTime"), "toTime")),
        customer=customer,
    )
    store, now = get_store(), datetime.now(UTC)
    entry = waitlist.join(store, call.actor, wish, now)
    return {"success": True, "entry": revenue_presenters.waitlist_entry(entry, store.catalogue.settings().today(now))}


@routes.route("/waitlist/mine", allow=CUSTOMERS, doc=Doc("The caller's waitlist entries", answer="WaitlistEntries"))
def mine(call: Call) -> dict[str, Any]:
    store, now = get_store(), datetime.now(UTC)
    today = store.catalogue.settings().today(now)
    return {"entries": [revenue_presenters.waitlist_entry(e, today) for e in waitlist.mine(store, call.actor)]}


@routes.route(
    "/waitlist/{entry_id}",
    methods=("DELETE",),
    allow=SIGNED_IN,
    doc=Doc("Leave the waitlist (an open offer is let go)", answer="WaitlistEntryAnswer"),
)
def leave(call: Call, entry_id: str) -> dict[str, Any]:
    store, now = get_store(), datetime.now(UTC)
    entry = waitlist.leave(store, call.actor, entry_id, now)
    return {"success": True, "entry": revenue_presenters.waitlist_entry(entry, store.catalogue.settings().today(now))}


@routes.route(
    "/waitlist",
    allow=STAFF,
    doc=Doc(
        "The line for a day, first come first", answer="WaitlistEntries", params=(date("date", required=True), LOCATION)
    ),
)
def for_day(call: Call) -> dict[str, Any]:
    store, now = get_store(), datetime.now(UTC)
    day = inputs.day(call.query("date"))
    today = store.catalogue.settings().today(now)
    found = waitlist.on_day(store, day, call.query("locationId"))
    return {"entries": [revenue_presenters.waitlist_entry(e, today) for e in found]}


@routes.route(
    "/appointments/{appointment_id}/accept",
    methods=("POST",),
    allow=CUSTOMERS,
    doc=Doc("Book the time the waitlist offered", answer="AppointmentAnswer", body_required=False),
)
def accept(call: Call, appointment_id: str) -> dict[str, Any]:
    booked = waitlist.accept(get_store(), call.actor, appointment_id, datetime.now(UTC))
    return {"success": True, "appointment": presenters.appointment(booked)}
