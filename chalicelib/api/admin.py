"""Admin only: business settings and the catalogue (services, staff and who performs what, resources)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from chalicelib.api import catalogue_presenters, inputs, presenters
from chalicelib.api.docs import LOCATION, Doc
from chalicelib.api.http import ADMINS, Call, Routes
from chalicelib.api.http import STAFF as STAFF_ROLES
from chalicelib.domain.errors import InvalidInput
from chalicelib.services import admin, catalogue, closures
from chalicelib.store import get_store

routes = Routes(__name__)
MAX_CLOSURES_AT_ONCE = 100

TEXT = {
    *("name", "timezone", "businessPhone", "alertPhone", "currency", "country"),
    *("description", "category", "title", "avatarUrl", "assignment", "depositPolicy"),
}
BOOLEANS = {"requiresPayment", "feesOwed"}
CODES = {"smsCountries"}  # lists of short codes


def _pick(body: Mapping[str, Any], names: dict[str, str]) -> dict[str, Any]:
    unknown = sorted(set(body) - set(names))
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(unknown)}.", {unknown[0]: "unknown field"})
    picked: dict[str, Any] = {}
    for name, attribute in names.items():
        if name not in body:
            continue
        value = body[name]
        if name in TEXT:
            value = inputs.text(body, name, required=name == "name", max_length=500)
        elif name in CODES:
            value = inputs.codes(body, name)
        elif isinstance(value, bool) != (name in BOOLEANS) or not isinstance(value, (int, bool)):
            raise InvalidInput(f"{name} has the wrong type.", {name: "wrong type"})
        picked[attribute] = value
    return picked


@routes.route("/admin/settings", allow=ADMINS, doc=Doc("Business settings", answer="SettingsAnswer"))
def get_settings(call: Call) -> dict[str, Any]:
    return {"settings": catalogue_presenters.settings(catalogue.settings(get_store()))}


@routes.route(
    "/admin/settings",
    methods=("PUT",),
    allow=ADMINS,
    doc=Doc("Change settings", answer="SettingsSaved", body="SettingsChange"),
)
def put_settings(call: Call) -> dict[str, Any]:
    prices = call.body.get("prices")
    if prices is not None and (not isinstance(prices, dict) or not all(isinstance(k, str) for k in prices)):
        raise InvalidInput("prices must map service ids to prices.", {"prices": "expected an object"})
    changes = _pick({k: v for k, v in call.body.items() if k != "prices"}, catalogue_presenters.SETTINGS)
    for name, phone in (("businessPhone", "business_phone"), ("alertPhone", "alert_phone")):
        if changes.get(phone):
            changes[phone] = inputs.phone_number(changes[phone], field=name)
    return {
        "success": True,
        "settings": catalogue_presenters.settings(admin.update_settings(get_store(), changes, prices)),
    }


SERVICE = {
    "name": "name",
    "description": "description",
    "duration": "duration",
    "requiresPayment": "requires_payment",
    "category": "category",
}


OWN = (
    "price",
    "currency",
    "segments",
    "bufferBefore",
    "bufferAfter",
    "needs",
    "locationIds",
    "deposit",
)  # parsed apart from `SERVICE`


def _service_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    fields = _pick({k: v for k, v in body.items() if k not in OWN}, SERVICE)
    if "price" in body:
        fields["price"] = body["price"]  # in major units; the business's currency (services/admin)
    if "segments" in body:
        fields["segments"] = inputs.segments(body["segments"])
    for name, attribute in (("bufferBefore", "buffer_before"), ("bufferAfter", "buffer_after")):
        if name in body:
            fields[attribute] = inputs.minutes_or_none(body, name)
    if "needs" in body:
        fields["needs"] = inputs.needs(body["needs"])
    if "locationIds" in body:
        fields["location_ids"] = frozenset(inputs.location_ids(body["locationIds"]))
    if "deposit" in body:
        fields["deposit"] = inputs.deposit(body["deposit"])  # an amount in major units (services/admin)
    return fields


@routes.route(
    "/admin/services",
    methods=("POST",),
    allow=ADMINS,
    status=201,
    doc=Doc("Add a service", answer="ServiceAnswer", body="NewService"),
)
def add_service(call: Call) -> dict[str, Any]:
    fields = _service_fields(call.body)
    missing = [n for n in ("name", "duration", "price") if n not in fields]
    if missing:
        raise InvalidInput(f"Missing: {', '.join(missing)}.", {missing[0]: "required"})
    return {"success": True, "service": catalogue_presenters.service(admin.add_service(get_store(), fields))}


@routes.route(
    "/admin/services/{service_id}",
    methods=("PUT",),
    allow=ADMINS,
    doc=Doc("Change a service", answer="ServiceAnswer", body="ServiceChange"),
)
def change_service(call: Call, service_id: str) -> dict[str, Any]:
    changed = admin.change_service(get_store(), service_id, _service_fields(call.body))
    return {"success": True, "service": catalogue_presenters.service(changed)}


@routes.route(
    "/admin/services/{service_id}",
    methods=("DELETE",),
    allow=ADMINS,
    doc=Doc("Retire a service", answer="ServiceAnswer"),
)
def retire_service(call: Call, service_id: str) -> dict[str, Any]:
    return {"success": True, "service": catalogue_presenters.service(admin.retire_service(get_store(), service_id))}


STAFF = {"name": "name", "title": "title", "avatarUrl": "avatar_url", "weight": "weight", "priority": "priority"}


def _staff_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    fields = _pick({k: v for k, v in body.items() if k not in ("serviceIds", "locationId", "elsewhere")}, STAFF)
    if "locationId" in body:
        fields["location_id"] = inputs.text(body, "locationId", max_length=64)
    if "elsewhere" in body:
        fields["elsewhere"] = inputs.elsewhere(body["elsewhere"])
    if "serviceIds" in body:
        ids = body["serviceIds"]
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise InvalidInput("serviceIds must be a list of service ids.", {"serviceIds": "expected a list"})
        fields["service_ids"] = frozenset(ids)
    return fields


@routes.route(
    "/admin/staff",
    allow=ADMINS,
    doc=Doc("Active staff, with their services, weight, priority and locations", answer="Roster", params=(LOCATION,)),
)
def list_staff(call: Call) -> dict[str, Any]:
    found = catalogue.staff(get_store(), call.query("locationId"))
    return {"staff": [catalogue_presenters.staff_with_services(m) for m in found]}


@routes.route(
    "/admin/staff",
    methods=("POST",),
    allow=ADMINS,
    status=201,
    doc=Doc("Add a staff member", answer="StaffAnswer", body="NewStaff"),
)
def add_staff(call: Call) -> dict[str, Any]:
    fields = _staff_fields(call.body)
    if "name" not in fields:
        raise InvalidInput("name is required.", {"name": "required"})
    member = admin.add_staff(get_store(), fields)
    return {"success": True, "staff": catalogue_presenters.staff_with_services(member)}


@routes.route(
    "/admin/staff/{staff_id}",
    methods=("PUT",),
    allow=ADMINS,
    doc=Doc("Change a staff member", answer="StaffAnswer", body="StaffChange"),
)
def change_staff(call: Call, staff_id: str) -> dict[str, Any]:
    member = admin.change_staff(get_store(), staff_id, _staff_fields(call.body))
    return {"success": True, "staff": catalogue_presenters.staff_with_services(member)}


@routes.route(
    "/admin/staff/{staff_id}",
    methods=("DELETE",),
    allow=ADMINS,
    doc=Doc("Retire a staff member", answer="StaffRetired"),
)
def retire_staff(call: Call, staff_id: str) -> dict[str, Any]:
    member, ahead = admin.retire_staff(get_store(), staff_id, datetime.now(UTC))
    return {
        "success": True,
        "staff": catalogue_presenters.staff(member),
        "futureAppointments": [presenters.appointment(a) for a in ahead],
    }


def _resource_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    fields = _pick({k: v for k, v in body.items() if k not in ("type", "locationId")}, {"name": "name"})
    if "locationId" in body:
        fields["location_id"] = inputs.text(body, "locationId", max_length=64)
    if "type" in body:
        fields["type"] = inputs.resource_type(body.get("type"))
    return fields


@routes.route(
    "/admin/resources",
    allow=STAFF_ROLES,
    doc=Doc("Rooms, chairs and equipment, retired ones too", answer="Resources"),
)
def list_resources(call: Call) -> dict[str, Any]:
    return {"resources": [catalogue_presenters.resource(r) for r in catalogue.resources(get_store())]}


@routes.route(
    "/admin/resources",
    methods=("POST",),
    allow=ADMINS,
    status=201,
    doc=Doc("Add a room, chair or piece of equipment", answer="ResourceAnswer", body="NewResource"),
)
def add_resource(call: Call) -> dict[str, Any]:
    fields = _resource_fields(call.body)
    missing = [n for n in ("name", "type") if n not in fields]
    if missing:
        raise InvalidInput(f"Missing: {', '.join(missing)}.", {missing[0]: "required"})
    return {"success": True, "resource": catalogue_presenters.resource(admin.add_resource(get_store(), fields))}


@routes.route(
    "/admin/resources/{resource_id}",
    methods=("PUT",),
    allow=ADMINS,
    doc=Doc("Rename a resource or change its type", answer="ResourceAnswer", body="ResourceChange"),
)
def change_resource(call: Call, resource_id: str) -> dict[str, Any]:
    changed = admin.change_resource(get_store(), resource_id, _resource_fields(call.body))
    return {"success": True, "resource": catalogue_presenters.resource(changed)}


@routes.route(
    "/admin/resources/{resource_id}",
    methods=("DELETE",),
    allow=ADMINS,
    doc=Doc("Retire a resource (its open appointments are reported)", answer="ResourceRetired"),
)
def retire_resource(call: Call, resource_id: str) -> dict[str, Any]:
    retired, ahead = admin.retire_resource(get_store(), resource_id, datetime.now(UTC))
    return {
        "success": True,
        "resource": catalogue_presenters.resource(retired),
        "futureAppointments": [presenters.appointment(a) for a in ahead],
    }


@routes.route(
    "/admin/closures",
    allow=ADMINS,
    doc=Doc("The business's closures (holidays)", answer="Closures"),
)
def list_closures(call: Call) -> dict[str, Any]:
    return {"closures": [catalogue_presenters.closure(c) for c in closures.closures(get_store())]}


@routes.route(
    "/admin/closures",
    methods=("POST",),
    allow=ADMINS,
    status=201,
    doc=Doc("Close the business on whole days", answer="ClosuresAdded", body="NewClosures"),
)
def add_closures(call: Call) -> dict[str, Any]:
    unknown = sorted(set(call.body) - {"dates", "name"})
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(unknown)}.", {unknown[0]: "unknown field"})
    raw = call.body.get("dates")
    if not isinstance(raw, list) or not raw:
        raise InvalidInput("dates must be a list of YYYY-MM-DD dates.", {"dates": "expected a list"})
    if len(raw) > MAX_CLOSURES_AT_ONCE:
        raise InvalidInput(f"Close at most {MAX_CLOSURES_AT_ONCE} dates at once.", {"dates": "too many dates"})
    days = {inputs.day(value, "dates") for value in raw}
    name = inputs.text(call.body, "name", required=False, max_length=100)
    added, affected = closures.close(get_store(), days, name, datetime.now(UTC))
    return {
        "success": True,
        "closures": [catalogue_presenters.closure(c) for c in added],
        "openAppointments": [presenters.appointment(a) for a in affected],
    }


@routes.route(
    "/admin/closures/{day}",
    methods=("DELETE",),
    allow=ADMINS,
    doc=Doc("Open a closed day again", answer="Done"),
)
def remove_closure(call: Call, day: str) -> dict[str, Any]:
    closures.reopen(get_store(), inputs.day(day))
    return {"success": True}
