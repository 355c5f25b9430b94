"""The MCP tools: each is a route's view called in-process with the caller's Actor, so its parsing, roles, use case,
idempotency claim and answer are the HTTP API's own; its arguments are the route's body (with the path's id) or its
query, as the models named here (`api/schemas/`) describe, and its answer is the route's answer model."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from chalice.app import Request

from chalicelib.api import appointments, catalogue, front_desk, holds, inputs, locations, parsing, schedule
from chalicelib.api.docs import ToolDoc
from chalicelib.api.http import CUSTOMERS, PUBLIC, STAFF, Call
from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.errors import Forbidden, InvalidInput, Unauthenticated

MAX_RANGE_DAYS = 14
Run = Callable[[Actor | None, Mapping[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Tool:
    name: str
    summary: str
    allow: tuple[Role, ...]  # as the routes': PUBLIC is anyone
    arguments: str
    answer: str
    run: Run

    def offered_to(self, actor: Actor | None) -> bool:
        return not self.allow or (actor is not None and actor.role in self.allow)

    def call(self, actor: Actor | None, arguments: Mapping[str, Any]) -> dict[str, Any]:
        """The tool's answer, or the DomainError the route would answer with (401, 403, 400, 404, 409...)."""
        if self.allow and actor is None:
            raise Unauthenticated("Sign in first: send Authorization: Bearer <token>.")
        if not self.offered_to(actor):
            raise Forbidden(f"This needs the role {' or '.join(r.value for r in self.allow)}.")
        return self.run(actor, arguments)

    @property
    def doc(self) -> ToolDoc:
        return ToolDoc(self.name, self.summary, tuple(r.value for r in self.allow), self.arguments, self.answer)


def _call(actor: Actor | None, body: Mapping[str, Any] | None = None, query: Mapping[str, Any] | None = None) -> Call:
    """The call a view reads: the arguments as the body or the query (bounded as a request's are), the caller, and
    an idempotency key (`idempotencyKey`) as its header."""
    wanted = {k: v for k, v in (query or {}).items() if v is not None}
    if any(isinstance(v, dict | list) for v in wanted.values()):
        raise InvalidInput("These arguments are plain values (text or numbers).", {"arguments": "expected values"})
    text = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in wanted.items()}
    parsing.bounded_params({}, text)
    fields = dict(body or {})
    key = fields.pop("idempotencyKey", None)
    if key is not None and not isinstance(key, str):
        raise InvalidInput("idempotencyKey must be text.", {"idempotencyKey": "expected a string"})
    raw = json.dumps(fields)
    parsing.json_document(raw)  # the depth, numbers and text a request body is held to
    event = {
        "multiValueQueryStringParameters": {k: [v] for k, v in text.items()} or None,
        "headers": {"content-type": "application/json", **({"idempotency-key": key} if key is not None else {})},
        "pathParameters": None,
        "requestContext": {"httpMethod": "POST", "resourcePath": "/mcp", "path": "/mcp"},
        "body": raw,
        "isBase64Encoded": False,
        "stageVariables": None,
    }
    return Call(Request(event), actor)


def _id(arguments: Mapping[str, Any], name: str) -> str:
    value = inputs.text(arguments, name, max_length=parsing.MAX_PATH_VALUE)
    parsing.bounded_params({name: value}, {})
    return value


def _query(view: Callable[[Call], dict[str, Any]]) -> Run:
    return lambda actor, args: view(_call(actor, query=args))


def _body(view: Callable[[Call], dict[str, Any]]) -> Run:
    return lambda actor, args: view(_call(actor, body=args))


def _on(view: Callable[..., dict[str, Any]], name: str, path_id: str = "appointmentId") -> Run:
    """A view of one thing, named in the path: its id is taken from the arguments, the rest is the body."""

    def run(actor: Actor | None, args: Mapping[str, Any]) -> dict[str, Any]:
        body = {k: v for k, v in args.items() if k != path_id}
        return dict(view(_call(actor, body=body), **{name: _id(args, path_id)}))

    return run


def _staff_of(actor: Actor | None, args: Mapping[str, Any]) -> dict[str, Any]:
    rest = {k: v for k, v in args.items() if k != "serviceId"}
    return dict(catalogue.staff_for_service(_call(actor, query=rest), service_id=_id(args, "serviceId")))


def _availability(actor: Actor | None, args: Mapping[str, Any]) -> dict[str, Any]:
    """Free starts over a range of days: the slots route, a day at a time."""
    first, last = inputs.day(args.get("fromDate"), "fromDate"), inputs.day(args.get("toDate"), "toDate")
    if not 0 <= (last - first).days < MAX_RANGE_DAYS:
        raise InvalidInput(f"toDate is fromDate or up to {MAX_RANGE_DAYS - 1} days after.", {"toDate": "out of range"})
    asked = {k: v for k, v in args.items() if k in ("serviceId", "staffId", "locationId")}
    days = []
    for offset in range((last - first).days + 1):
        day: date = first + timedelta(days=offset)
        slots = catalogue.available_slots(_call(actor, query={**asked, "date": day.isoformat()}))["slots"]
        if slots:
            days.append({"date": day.isoformat(), "slots": slots})
    return {"days": days}


TOOLS = (
    Tool("list_locations", "Where the business is: pick one first", PUBLIC, "NoArguments", "Locations",
         _query(locations.list_locations)),
    Tool("list_services", "The services offered (at a location)", PUBLIC, "ServicesQuery", "Services",
         _query(catalogue.list_services)),
    Tool("list_staff", "Who performs a service", PUBLIC, "StaffQuery", "StaffList", _staff_of),
    Tool("find_availability", "Free starts of a service from fromDate to toDate, with a staff member or anyone",
         PUBLIC, "AvailabilityQuery", "Availability", _availability),
    Tool("show_policy", "A service's price, the deposit asked, the cancel window and the late and no-show fees",
         PUBLIC, "PolicyQuery", "BookingPolicy", _query(catalogue.booking_policy)),
    Tool("hold_slot", "Hold a free slot for a few minutes (minutes, default 5): nobody else can book it meanwhile, "
         "and it is released automatically unless booked", CUSTOMERS, "HoldRequest", "AppointmentAnswer",
         _body(holds.hold)),
    Tool("book_held_slot", "Book the slot held (hold_slot): confirmed, or pending its payment when the service asks "
         "a prepayment or deposit; a retry with the same idempotencyKey answers the same appointment",
         CUSTOMERS, "BookHeld", "AppointmentAnswer", _on(holds.book_held, "appointment_id")),
    Tool("my_appointments", "The caller's appointments, newest first", CUSTOMERS, "MineQuery", "AppointmentPage",
         _query(appointments.mine)),
    Tool("show_appointment", "One appointment, and what cancelling it now would cost (`cancellation`: fee, refund)",
         CUSTOMERS, "AppointmentRef", "AppointmentDetail", _on(appointments.detail, "appointment_id")),
    Tool("move_appointment", "Move an appointment to another date and time (or staff member)", CUSTOMERS,
         "MoveAppointment", "AppointmentAnswer", _on(appointments.reschedule, "appointment_id")),
    Tool("cancel_appointment", "Cancel an appointment; show_appointment first says the fee it would cost",
         CUSTOMERS, "CancelAppointment", "AppointmentAnswer", _on(appointments.cancel, "appointment_id")),
    Tool("day_overview", "Every staff member's day: appointments, blocks, free time, totals", STAFF,
         "OverviewQuery", "Overview", _query(schedule.overview)),
    Tool("confirm_appointment", "Confirm an appointment", STAFF, "AppointmentRef", "AppointmentAnswer",
         _on(front_desk.confirm, "appointment_id")),
    Tool("complete_appointment", "Complete an appointment once it has started (settledBy: how the rest was paid)",
         STAFF, "CompleteAppointment", "AppointmentAnswer", _on(front_desk.complete, "appointment_id")),
    Tool("mark_no_show", "Mark a no-show once the appointment has started", STAFF, "AppointmentRef",
         "AppointmentAnswer", _on(front_desk.no_show, "appointment_id")),
    Tool("block_time", "Block a staff member's (or a room's) time", STAFF, "BlockRequest", "BlockAnswer",
         _body(schedule.block)),
)  # fmt: skip
BY_NAME = {tool.name: tool for tool in TOOLS}
