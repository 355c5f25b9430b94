"""An assistant on the official MCP client (`ClientSession` over the SDK's Streamable HTTP client) against the
running local stack: it lists its tools, finds a slot, holds it, books it (a replay with the same key answers the
same appointment), moves it, reads the fee, cancels; another customer sees nothing of it; staff run their day."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import pytest
from mcp.client import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from tests.conftest import working_day
from tests.e2e.conftest import Stack
from tests.e2e.http import sign_in

pytestmark = pytest.mark.e2e
CONTACT = {"name": "Assistant of Gao", "phone": "13800138041"}


@asynccontextmanager
async def session(stack: Stack, token: str | None) -> AsyncIterator[ClientSession]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with (
        create_mcp_http_client(headers=headers) as http,
        streamable_http_client(f"{stack.url}/mcp", http_client=http) as (read, write),
        ClientSession(read, write) as opened,
    ):
        await opened.initialize()
        yield opened


async def use(opened: ClientSession, name: str, **arguments: Any) -> dict[str, Any]:
    """The tool's structured answer; a tool error fails here, with its code and message."""
    result = await opened.call_tool(name, arguments)
    assert not result.is_error, (name, result.structured_content)
    return dict(result.structured_content or {})


async def refused(opened: ClientSession, name: str, **arguments: Any) -> dict[str, Any]:
    result = await opened.call_tool(name, arguments)
    assert result.is_error, (name, result.structured_content)
    return dict((result.structured_content or {})["error"])


async def tools_of(stack: Stack, token: str | None) -> set[str]:
    async with session(stack, token) as opened:
        return {tool.name for tool in (await opened.list_tools()).tools}


def test_each_caller_is_offered_the_tools_of_their_role(local_stack: Stack) -> None:
    async def run() -> None:
        browse = {"list_locations", "list_services", "list_staff", "find_availability", "show_policy"}
        assert await tools_of(local_stack, None) == browse
        customer = await tools_of(local_stack, local_stack.customer_token)
        assert {"hold_slot", "book_held_slot", "cancel_appointment", "move_appointment"} <= customer
        assert not customer & {"day_overview", "confirm_appointment"}
        staff = await tools_of(local_stack, local_stack.staff_token)
        assert {"day_overview", "confirm_appointment", "complete_appointment", "mark_no_show", "block_time"} <= staff
        assert not staff & {"hold_slot", "book_held_slot"}

    anyio.run(run)


def test_an_assistant_finds_holds_books_replays_and_cancels_and_another_customer_sees_nothing(
    local_stack: Stack,
) -> None:
    gao = sign_in(local_stack.url, "customer", "Gao Yan")
    hu = sign_in(local_stack.url, "customer", "Hu Jun")
    day = working_day(9).isoformat()

    async def run() -> None:
        async with session(local_stack, gao) as opened:
            services = await use(opened, "list_services")
            assert "svc-cut" in {s["id"] for s in services["services"]}
            policy = await use(opened, "show_policy", serviceId="svc-cut")
            assert policy["policy"]["price"] == 88
            found = await use(
                opened, "find_availability", serviceId="svc-cut", staffId="staff-li", fromDate=day, toDate=day
            )  # Li Na's own free starts: the hold is hers (another test of the shared stack may hold her time)
            start = found["days"][0]["slots"][0]["start"]
            wanted = {"serviceId": "svc-cut", "staffId": "staff-li", "date": day, "timeSlot": start}
            held = (await use(opened, "hold_slot", **wanted, customerInfo=CONTACT, minutes=5))["appointment"]
            assert (held["status"], held["hold"]) == ("pending", "placed")
            again = await use(opened, "find_availability", serviceId="svc-cut", staffId="staff-li", fromDate=day,
                              toDate=day)  # fmt: skip
            assert start not in [s["start"] for d in again["days"] for s in d["slots"]]

            key = str(uuid.uuid4())
            booked = (await use(opened, "book_held_slot", appointmentId=held["id"], idempotencyKey=key))["appointment"]
            assert (booked["id"], booked["status"], booked["hold"]) == (held["id"], "confirmed", "booked")
            replayed = await use(opened, "book_held_slot", appointmentId=held["id"], idempotencyKey=key)
            assert replayed["appointment"]["id"] == held["id"]
            mine = await use(opened, "my_appointments", scope="upcoming")
            assert held["id"] in {a["id"] for a in mine["appointments"]}

            later = again["days"][0]["slots"][-1]["start"]
            moved = await use(opened, "move_appointment", appointmentId=held["id"], date=day, timeSlot=later)
            assert (moved["appointment"]["timeSlot"], moved["appointment"]["status"]) == (later, "confirmed")
            shown = await use(opened, "show_appointment", appointmentId=held["id"])
            assert (shown["cancellation"]["fee"], shown["cancellation"]["late"]) == (0, False)
            appointment_id = held["id"]

        async with session(local_stack, hu) as other:
            assert (await refused(other, "show_appointment", appointmentId=appointment_id))["code"] == "NOT_FOUND"
            assert (await refused(other, "cancel_appointment", appointmentId=appointment_id))["code"] == "NOT_FOUND"
            theirs = await use(other, "my_appointments")
            assert appointment_id not in {a["id"] for a in theirs["appointments"]}

        async with session(local_stack, gao) as opened:
            cancelled = await use(opened, "cancel_appointment", appointmentId=appointment_id, reason="Plans changed")
            assert cancelled["appointment"]["status"] == "cancelled"
            freed = await use(opened, "find_availability", serviceId="svc-cut", staffId="staff-li", fromDate=day,
                              toDate=day)  # fmt: skip
            assert {start, later} <= {s["start"] for d in freed["days"] for s in d["slots"]}

    anyio.run(run)


def test_staff_run_their_day_and_bad_input_is_a_tool_error_not_a_crash(local_stack: Stack) -> None:
    customer = sign_in(local_stack.url, "customer", "Ma Li")
    day = working_day(10).isoformat()

    async def run() -> None:
        async with session(local_stack, customer) as opened:
            found = await use(opened, "find_availability", serviceId="svc-colour", staffId="staff-li", fromDate=day,
                              toDate=day)  # fmt: skip
            start = found["days"][0]["slots"][0]["start"]
            wanted = {"serviceId": "svc-colour", "staffId": "staff-li", "date": day, "timeSlot": start}
            held = (await use(opened, "hold_slot", **wanted, customerInfo=CONTACT))["appointment"]
            paid = await use(opened, "book_held_slot", appointmentId=held["id"], idempotencyKey=str(uuid.uuid4()))
            assert (paid["appointment"]["status"], paid["appointment"]["amountDue"]) == ("pending", 399)
            bad = await refused(opened, "find_availability", serviceId="svc-cut", fromDate="2026-02-30", toDate=day)
            assert bad["code"] == "INVALID_INPUT"
            assert (await refused(opened, "hold_slot", serviceId="svc-cut"))["code"] == "INVALID_INPUT"

        async with session(local_stack, local_stack.staff_token) as desk:
            overview = await use(desk, "day_overview", date=day)
            held_ids = {a["id"] for member in overview["overview"]["staff"] for a in member["appointments"]}
            assert held["id"] in held_ids
            confirmed = await use(desk, "confirm_appointment", appointmentId=held["id"])
            assert confirmed["appointment"]["status"] == "confirmed"
            early = await refused(desk, "complete_appointment", appointmentId=held["id"], settledBy="cash")
            assert early["code"] == "ILLEGAL_TRANSITION"  # only once it has started
            assert (await refused(desk, "mark_no_show", appointmentId=held["id"]))["code"] == "ILLEGAL_TRANSITION"
            blocked = await use(desk, "block_time", staffId="staff-wang", date=day, timeSlot="16:00-17:00")
            assert blocked["block"]["start"] == "16:00"
            assert (await refused(desk, "no_such_tool"))["code"] == "NOT_FOUND"

    anyio.run(run)
