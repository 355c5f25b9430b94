"""OpenAPI 3.1 built from the app's routes and the models in `schemas` (served by `api/openapi.py`).

Every route of the app has an entry in OPERATIONS (its models, query, statuses); who may call it comes
from the route itself. `tests/integration/test_openapi.py` fails on a route without an entry or an entry
without a route, and validates real answers against the models.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib.api import admin_schemas as admin
from chalicelib.api import report_schemas as reports
from chalicelib.api import schemas as s
from chalicelib.domain.scopes import CUSTOMER_SCOPES, SCOPES

SUCCESS_STATUSES = (200, 201, 202)
ERRORS = {
    400: "The input is wrong; `error.fields` names what and why. Checked before anything runs: a body nested "
    "over 32 levels, a number over 15 digits or not finite, text that is not Unicode, a path id over 128 "
    "characters, a query value over 512 bytes, a date outside 2000-01-01..2099-12-31, a cursor not from the list.",
    401: "No token where one is needed, or a bad or expired one; a failed sign-in.",
    403: "Signed in, but not with a role this route allows.",
    404: "Nothing by that id that this caller may see.",
    409: "The state forbids it: SLOT_TAKEN, ILLEGAL_TRANSITION, CONCURRENT_CHANGE, LIMIT_REACHED, ...",
    413: "The body is larger than 64 KB.",
    429: "TOO_MANY_MESSAGES: the day's texts to this number or customer are used up; `Retry-After` says when to retry.",
    503: "Storage or a queue is unavailable for a moment; nothing was changed. Retry.",
}
DATE = {"type": "string", "pattern": s.DATE, "examples": ["2026-12-01"], "description": "2000-01-01 to 2099-12-31"}
PERIOD = {"type": "string", "enum": ["7d", "30d", "90d", "365d"]}


@dataclass(frozen=True)
class Param:
    name: str
    schema: Mapping[str, Any]
    required: bool = False
    where: str = "query"
    description: str = ""


@dataclass(frozen=True)
class Op:
    summary: str
    answer: type[BaseModel] | None  # None: the body is not JSON (see `media`)
    body: type[BaseModel] | None = None
    params: tuple[Param, ...] = ()
    status: int = 200
    media: str | tuple[str, ...] = "application/json"  # several: the answer is one of them
    body_required: bool = True
    extra_errors: tuple[int, ...] = field(default=())


def _query(*names: str, required: bool = True) -> tuple[Param, ...]:
    return tuple(Param(n, {"type": "string", "minLength": 1}, required) for n in names)


def _notice(summary: str, body: type[BaseModel] | None = None) -> Op:
    """The seed's explicit notices: queued (202), or 429 past the day's texts."""
    return Op(summary, s.Queued, body, status=202, body_required=False, extra_errors=(429,))


IDEMPOTENCY = Param(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": 255},
    where="header",
    description="Replays return the first answer; the same key with another body is 409.",
)
CURSOR = Param(
    "cursor",
    {"type": "string"},
    description="`nextCursor` of the previous page; anything else is 400 (`cursor: invalid`)",
)
PERIOD_PARAM = (Param("period", PERIOD, description="default 30d"),)

OPERATIONS: dict[tuple[str, str], Op] = {
    ("POST", "/auth/wechat"): Op("Sign in with wx.login's code", s.SignedIn, s.WeChatLogin),
    ("POST", "/auth/dev-login"): Op("Local stage only: a token for a role", s.SignedIn, s.DevLogin),
    ("GET", "/openapi.json"): Op("This document", None, media="application/json"),
    ("GET", "/console"): Op("The staff console's page", None, media="text/html"),
    ("GET", "/console/{asset}"): Op(
        "A file of the staff console", None, media=("text/javascript", "text/css", "text/html", "image/svg+xml")
    ),
    # catalogue and availability
    ("GET", "/appointments/services"): Op("Active services", s.Services),
    ("GET", "/appointments/services/{service_id}/staff"): Op("Staff who perform a service", s.StaffList),
    ("GET", "/appointments/availability/dates"): Op(
        "Days with free slots",
        s.Dates,
        params=(
            *_query("serviceId", "staffId"),
            Param("days", {"type": "integer", "minimum": 1, "maximum": 90}, description="default 30"),
        ),
    ),
    ("GET", "/appointments/availability/slots"): Op(
        "Free slots of a day",
        s.Slots,
        params=(*_query("serviceId", "staffId"), Param("date", DATE, required=True)),
    ),
    # the customer's appointments
    ("POST", "/appointments/book"): Op(
        "Book a slot", s.AppointmentAnswer, s.BookRequest, params=(IDEMPOTENCY,), status=201
    ),
    ("GET", "/appointments/mine"): Op(
        "The caller's appointments",
        s.AppointmentPage,
        params=(Param("scope", {"type": "string", "enum": list(CUSTOMER_SCOPES)}), CURSOR),
    ),
    ("GET", "/appointments/{appointment_id}"): Op("One appointment", s.AppointmentDetail),
    ("PUT", "/appointments/{appointment_id}/cancel"): Op(
        "Cancel (customers: up to the cutoff)", s.AppointmentAnswer, s.CancelRequest, body_required=False
    ),
    ("PUT", "/appointments/{appointment_id}/reschedule"): Op(
        "Move to another time (or staff member)", s.AppointmentAnswer, s.RescheduleRequest, params=(IDEMPOTENCY,)
    ),
    ("GET", "/appointments/{appointment_id}/calendar.ics"): Op("An iCalendar event", None, media="text/calendar"),
    # the front desk
    ("POST", "/appointments"): Op("Create for a walk-in or a call", s.AppointmentAnswer, s.ArrangeRequest, status=201),
    ("GET", "/appointments"): Op(
        "Appointments by scope",
        s.AppointmentPage,
        params=(
            Param(
                "scope",
                {
                    "type": "string",
                    "enum": list(SCOPES),
                },
            ),
            Param("staffId", {"type": "string"}),
            Param("date", DATE),
            CURSOR,
        ),
    ),
    ("PUT", "/appointments/{appointment_id}/confirm"): Op("Confirm", s.AppointmentAnswer, body_required=False),
    ("PUT", "/appointments/{appointment_id}/complete"): Op("Complete", s.AppointmentAnswer, body_required=False),
    ("PUT", "/appointments/{appointment_id}/no-show"): Op("Mark a no-show", s.AppointmentAnswer, body_required=False),
    ("GET", "/appointments/{appointment_id}/history"): Op("Every change, who and when", s.History),
    ("GET", "/dashboard"): Op("The next appointments and week/month stats", reports.Dashboard),
    # schedule
    ("GET", "/appointments/staff/{staff_id}/schedule"): Op(
        "A staff member's days (at most 62)",
        s.Schedule,
        params=(Param("startDate", DATE, required=True), Param("endDate", DATE)),
    ),
    ("GET", "/appointments/staff/{staff_id}/availability"): Op("A staff member's working hours", s.Hours),
    ("PUT", "/appointments/staff/{staff_id}/availability"): Op(
        "Change working hours (what the body leaves out is kept)", s.HoursAnswer, s.HoursRequest
    ),
    ("POST", "/appointments/schedule/block"): Op("Block time", s.BlockAnswer, s.BlockRequest, status=201),
    ("DELETE", "/appointments/schedule/unblock/{block_id}"): Op("Unblock", s.Done),
    ("GET", "/appointments/schedule/conflicts"): Op(
        "What a time would collide with",
        s.Conflicts,
        params=(*_query("staffId", "timeSlot"), Param("date", DATE, required=True)),
    ),
    ("GET", "/appointments/schedule/overview"): Op(
        "Every staff member's day (without a date: today where the business is)",
        s.Overview,
        params=(Param("date", DATE),),
    ),
    # analytics
    ("GET", "/appointments/analytics/bookings"): Op("Booking metrics", reports.BookingsReport, params=PERIOD_PARAM),
    ("GET", "/appointments/analytics/services"): Op("Service popularity", reports.ServicesReport, params=PERIOD_PARAM),
    ("GET", "/appointments/analytics/staff"): Op("Staff utilization", reports.StaffReport, params=PERIOD_PARAM),
    ("GET", "/appointments/analytics/revenue"): Op("Revenue", reports.RevenueReport, params=PERIOD_PARAM),
    ("GET", "/appointments/analytics/customers"): Op("Customer insights", reports.CustomersReport, params=PERIOD_PARAM),
    # customers and notifications
    ("GET", "/customers"): Op(
        "Search by phone or name prefix",
        s.CustomerList,
        params=(Param("phone", {"type": "string"}), Param("name", {"type": "string"})),
    ),
    ("GET", "/customers/{customer_id}"): Op("A profile with history (`me` for oneself)", s.Profile),
    ("GET", "/customers/{customer_id}/notification-preferences"): Op("Notification preferences", s.PreferencesAnswer),
    ("PUT", "/customers/{customer_id}/notification-preferences"): Op(
        "Change notification preferences", s.PreferencesSaved, s.PreferencesRequest
    ),
    ("POST", "/appointments/{appointment_id}/notifications/confirmation"): _notice("Queue the confirmation"),
    ("POST", "/appointments/{appointment_id}/notifications/reminder"): _notice("Queue a reminder", s.ReminderRequest),
    ("POST", "/appointments/{appointment_id}/notifications/cancellation"): _notice(
        "Queue the cancellation notice", s.CancellationNoticeRequest
    ),
    ("POST", "/appointments/{appointment_id}/notifications/reschedule"): _notice(
        "Queue the reschedule notice", s.RescheduleNoticeRequest
    ),
    ("POST", "/appointments/{appointment_id}/reminders/schedule"): Op(
        "Set the reminder times", s.RemindersAnswer, s.RemindersRequest
    ),
    # payments
    ("POST", "/appointments/payment"): Op("Start paying a held appointment", s.PaymentAnswer, s.PaymentRequest),
    ("POST", "/payments/stripe/webhook"): Op(
        "Stripe's events (signed)",
        s.Received,
        s.StripeEvent,
        params=(Param("Stripe-Signature", {"type": "string"}, where="header"),),
    ),
    ("POST", "/dev/payments/{appointment_id}/pay"): Op(
        "Local stage only: pay as the customer would", s.LocalPaymentAnswer, s.LocalPayment, body_required=False
    ),
    # admin
    ("GET", "/admin/settings"): Op("Business settings", admin.SettingsAnswer),
    ("PUT", "/admin/settings"): Op("Change settings", admin.SettingsSaved, admin.SettingsChange),
    ("POST", "/admin/services"): Op("Add a service", admin.ServiceAnswer, admin.NewService, status=201),
    ("PUT", "/admin/services/{service_id}"): Op("Change a service", admin.ServiceAnswer, admin.ServiceChange),
    ("DELETE", "/admin/services/{service_id}"): Op("Retire a service", admin.ServiceAnswer),
    ("POST", "/admin/staff"): Op("Add a staff member", admin.StaffAnswer, admin.NewStaff, status=201),
    ("PUT", "/admin/staff/{staff_id}"): Op("Change a staff member", admin.StaffAnswer, admin.StaffChange),
    ("DELETE", "/admin/staff/{staff_id}"): Op("Retire a staff member", admin.StaffRetired),
    ("GET", "/admin/closures"): Op("The business's closures (holidays)", admin.Closures),
    ("POST", "/admin/closures"): Op(
        "Close the business on whole days", admin.ClosuresAdded, admin.NewClosures, status=201
    ),
    ("DELETE", "/admin/closures/{day}"): Op("Open a closed day again", s.Done),
}


def mismatches(app_routes: Mapping[str, Mapping[str, Any]]) -> tuple[list[str], list[str]]:
    """Routes of the app without an entry, and entries without a route."""
    served = {(method, path) for path, methods in app_routes.items() for method in methods}
    undocumented = sorted(f"{m} {p}" for m, p in served - OPERATIONS.keys())
    unserved = sorted(f"{m} {p}" for m, p in OPERATIONS.keys() - served)
    return undocumented, unserved


def _json(schema: Mapping[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": dict(schema)}}


def build(app_routes: Mapping[str, Mapping[str, Any]], base: str = "/") -> dict[str, Any]:
    """The document for the routes the app serves (each must have an entry: see `mismatches`)."""
    keyed, defs = models_json_schema(
        [(m, "validation") for op in OPERATIONS.values() if (m := op.body)]
        + [(m, "serialization") for op in OPERATIONS.values() if (m := op.answer)]
        + [(s.ErrorBody, "serialization")],
        ref_template="#/components/schemas/{model}",
    )

    def ref(model: type[BaseModel], mode: str) -> dict[str, Any]:
        return dict(keyed[(model, mode)])  # type: ignore[index]

    paths: dict[str, dict[str, Any]] = {}
    for path, methods in sorted(app_routes.items()):
        for method, entry in sorted(methods.items()):
            op = OPERATIONS.get((method, path))
            if op is None:
                continue
            roles = [r.value for r in getattr(entry.view_function, "allow", ())]
            paths.setdefault(path, {})[method.lower()] = _operation(method, path, op, roles, ref)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Slotbook",
            "version": "1",
            "description": "Appointment booking for service businesses. Bearer tokens from /auth/wechat "
            "(customers) or issued to staff; `x-roles` lists who may call each operation.",
        },
        "servers": [{"url": base}],
        "paths": paths,
        "components": {
            "schemas": defs.get("$defs", {}),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }


def _operation(method: str, path: str, op: Op, roles: list[str], ref: Any) -> dict[str, Any]:
    params = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
        for name in _path_names(path)
    ]
    params += [
        {"name": p.name, "in": p.where, "required": p.required, "schema": dict(p.schema)}
        | ({"description": p.description} if p.description else {})
        for p in op.params
    ]
    if op.answer is not None:
        success = _json(ref(op.answer, "serialization"))
    else:
        kinds = (op.media,) if isinstance(op.media, str) else op.media
        success = {m: {"schema": {"type": "object"} if m == "application/json" else {"type": "string"}} for m in kinds}
    responses: dict[str, Any] = {str(op.status): {"description": op.summary, "content": success}}
    statuses = {400, 401, 404, 503, *op.extra_errors}  # 401: a bad token is refused even where none is needed
    if roles:
        statuses.add(403)
    if method != "GET":
        statuses |= {409, 413}
    error = _json(ref(s.ErrorBody, "serialization"))
    for status in sorted(statuses):
        responses[str(status)] = {"description": ERRORS[status], "content": error}
    operation: dict[str, Any] = {
        "operationId": f"{method.lower()}{path.replace('/', '_').replace('{', '').replace('}', '')}",
        "summary": op.summary,
        "tags": [_tag(path)],
        "parameters": params,
        "responses": responses,
        "security": [{"bearer": []}] if roles else [],
        "x-roles": roles,
    }
    if op.body is not None:
        operation["requestBody"] = {"required": op.body_required, "content": _json(ref(op.body, "validation"))}
    return operation


def _path_names(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def _tag(path: str) -> str:
    parts = path.strip("/").split("/")
    if parts[0] == "appointments" and len(parts) > 1 and parts[1] in ("analytics", "schedule", "staff"):
        return parts[1]
    return parts[0]
