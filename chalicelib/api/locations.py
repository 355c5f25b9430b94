"""Locations: anyone lists them (the customer picks one first); admins add, change and retire them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from chalicelib.api import catalogue_presenters, inputs, presenters
from chalicelib.api.docs import Doc
from chalicelib.api.http import ADMINS, PUBLIC, Call, Routes
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.hours import WorkingHours
from chalicelib.services import locations
from chalicelib.store import get_store

routes = Routes(__name__)
TEXTS = {"name": 100, "address": 300, "timezone": 64}
FIELDS = {*TEXTS, "phone", "hours", "closures"}


def _fields(body: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(body) - FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(unknown)}.", {unknown[0]: "unknown field"})
    fields: dict[str, Any] = {
        name: inputs.text(body, name, required=name == "name", max_length=most)
        for name, most in TEXTS.items()
        if name in body
    }
    if "phone" in body:
        phone = inputs.text(body, "phone", required=False, max_length=32)
        fields["phone"] = inputs.phone_number(phone, field="phone") if phone else ""
    if "hours" in body:
        fields["hours"] = WorkingHours.from_dict(body["hours"])
    if "closures" in body:
        fields["closures"] = inputs.closures(body["closures"])
    return fields


@routes.route("/locations", allow=PUBLIC, doc=Doc("Where the business is: pick one first", answer="Locations"))
def list_locations(call: Call) -> dict[str, Any]:
    store, now = get_store(), datetime.now(UTC)
    return {"locations": [catalogue_presenters.location(place, now) for place in locations.listed(store)]}


@routes.route(
    "/admin/locations",
    methods=("POST",),
    allow=ADMINS,
    status=201,
    doc=Doc("Add a location", answer="LocationAnswer", body="NewLocation"),
)
def add_location(call: Call) -> dict[str, Any]:
    fields = _fields(call.body)
    if "name" not in fields:
        raise InvalidInput("name is required.", {"name": "required"})
    made = locations.add(get_store(), fields)
    return {"success": True, "location": catalogue_presenters.location(made, datetime.now(UTC))}


@routes.route(
    "/admin/locations/{location_id}",
    methods=("PUT",),
    allow=ADMINS,
    doc=Doc("Change a location", answer="LocationAnswer", body="LocationChange"),
)
def change_location(call: Call, location_id: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    changed, on_closed_days = locations.change(get_store(), location_id, _fields(call.body), now)
    return {
        "success": True,
        "location": catalogue_presenters.location(changed, now),
        "openAppointments": [presenters.appointment(a) for a in on_closed_days],
    }


@routes.route(
    "/admin/locations/{location_id}",
    methods=("DELETE",),
    allow=ADMINS,
    doc=Doc("Retire a location (its open appointments ahead are reported)", answer="LocationRetired"),
)
def retire_location(call: Call, location_id: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    retired, ahead = locations.retire(get_store(), location_id, now)
    return {
        "success": True,
        "location": catalogue_presenters.location(retired, now),
        "futureAppointments": [presenters.appointment(a) for a in ahead],
    }
