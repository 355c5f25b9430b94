"""`POST /mcp`: the JSON-RPC envelope as the document shows it, and the arguments of the MCP tools that no HTTP body
already describes. Each tool's answer is the model of the route it shares (`chalicelib/assistants/tools.py`); its
arguments are that route's body with the path's id, or its query as an object."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from chalicelib.api.docs import DATE
from chalicelib.api.schemas.appointments import CancelRequest, CompleteRequest, RescheduleRequest
from chalicelib.api.schemas.base import Model, Strict
from chalicelib.api.schemas.catalogue import Slot
from chalicelib.domain.scopes import CUSTOMER_SCOPES

KEY = Field(min_length=1, max_length=255, description="Replays with the same key answer the first result.")


class McpRequest(Model):
    """A JSON-RPC 2.0 request or notification of the Model Context Protocol (initialize, tools/list, tools/call, ...),
    answered by the official MCP SDK: stateless, one JSON answer per POST."""

    jsonrpc: Literal["2.0"]
    id: int | str | None = Field(default=None, description="Left out: a notification, answered 202 with no body.")
    method: str = Field(examples=["tools/call"])
    params: dict[str, Any] | None = Field(default=None, examples=[{"name": "list_services", "arguments": {}}])


class McpError(Model):
    code: int
    message: str
    data: Any = None


class McpResponse(Model):
    """The JSON-RPC answer: `result` (for tools/call, `structuredContent` is the tool's answer model and `isError`
    says a domain error, `{success: false, error}`, as the HTTP API answers it) or `error` (a protocol error)."""

    jsonrpc: Literal["2.0"]
    id: int | str | None
    result: dict[str, Any] | None = None
    error: McpError | None = None


class NoArguments(Strict):
    pass


class ServicesQuery(Strict):
    locationId: str | None = Field(default=None, description='Where (list_locations); left out: "main".')


class StaffQuery(ServicesQuery):
    serviceId: str


class PolicyQuery(ServicesQuery):
    serviceId: str


class AvailabilityQuery(ServicesQuery):
    serviceId: str
    staffId: str | None = Field(default=None, description='A staff member; left out or "any": anyone who performs it.')
    fromDate: str = Field(pattern=DATE, examples=["2026-12-10"])
    toDate: str = Field(pattern=DATE, examples=["2026-12-14"], description="At most 14 days after fromDate.")


class DaySlots(Model):
    date: str = Field(pattern=DATE)
    slots: list[Slot]


class Availability(Model):
    days: list[DaySlots] = Field(description="The days of the range with free slots, each with its free starts.")


class AppointmentRef(Strict):
    appointmentId: str = Field(min_length=1, max_length=128)


class BookHeld(AppointmentRef):
    idempotencyKey: str = KEY


class MineQuery(Strict):
    scope: str | None = Field(default=None, description=f"One of {', '.join(CUSTOMER_SCOPES)}; default all.")
    cursor: str | None = Field(default=None, description="`nextCursor` of the previous page.")


class CancelAppointment(CancelRequest):
    """Show the appointment first (show_appointment): its `cancellation` says the fee this would cost."""

    appointmentId: str = Field(min_length=1, max_length=128)


class MoveAppointment(RescheduleRequest):
    appointmentId: str = Field(min_length=1, max_length=128)
    idempotencyKey: str | None = KEY


class CompleteAppointment(CompleteRequest):
    appointmentId: str = Field(min_length=1, max_length=128)


class OverviewQuery(ServicesQuery):
    date: str | None = Field(default=None, pattern=DATE, description="Left out: today where the business is.")
