"""`POST /mcp` through Chalice's test client on moto: the SDK's JSON-RPC answers, the tools each role is offered,
and domain errors as tool errors; the official client against the running stack is tests/e2e/test_mcp.py."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from chalicelib.domain.actor import Role
from tests.conftest import ROOT
from tests.integration.conftest import Api, booking, token_for
from tests.integration.test_booking_routes import slots

HEADERS = {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2025-11-25"}


def rpc(api: Api, method: str, params: dict[str, Any] | None = None, token: str | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {"jsonrpc": "2.0", "id": 1, "method": method}
    if params is not None:
        message["params"] = params
    answer = api.post("/mcp", message, token, headers=HEADERS)
    assert answer.status == 200 and "result" in answer.body, answer.body
    return dict(answer.body)


def tool(api: Api, name: str, arguments: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    return dict(rpc(api, "tools/call", {"name": name, "arguments": arguments}, token)["result"])


def names(api: Api, token: str | None) -> set[str]:
    return {t["name"] for t in rpc(api, "tools/list", token=token)["result"]["tools"]}


def test_initialize_is_the_sdks_and_each_role_is_offered_its_own_tools(api: Api, alice: str, staff: str) -> None:
    hello = {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}
    started = rpc(api, "initialize", hello)
    assert started["result"]["serverInfo"]["name"] == "slotbook" and "tools" in started["result"]["capabilities"]
    browse = {"list_locations", "list_services", "list_staff", "find_availability", "show_policy"}
    assert names(api, None) == browse
    assert names(api, alice) == browse | {
        "hold_slot",
        "book_held_slot",
        "my_appointments",
        "show_appointment",
        "move_appointment",
        "cancel_appointment",
    }
    staff_tools = {"day_overview", "confirm_appointment", "complete_appointment", "mark_no_show", "block_time"}
    assert names(api, staff) == browse | staff_tools
    assert names(api, token_for(Role.ADMIN, "Owner")) == browse | staff_tools


def test_a_tool_answers_as_its_route_does_and_its_schema_is_the_routes_model(api: Api) -> None:
    listed = rpc(api, "tools/list")["result"]["tools"]
    services = next(t for t in listed if t["name"] == "list_services")
    assert "services" in services["outputSchema"]["properties"]
    result = tool(api, "list_services", {})
    assert result["isError"] is False
    assert result["structuredContent"] == api.get("/appointments/services").body


def test_holding_through_mcp_takes_the_slot_and_domain_errors_are_tool_errors(api: Api, alice: str, bob: str) -> None:
    held = tool(api, "hold_slot", booking(minutes=5), alice)
    assert held["structuredContent"]["appointment"]["hold"] == "placed"
    assert "10:00" not in slots(api)
    again = tool(api, "hold_slot", booking(), bob)
    assert again["isError"] is True and again["structuredContent"]["error"]["code"] == "SLOT_TAKEN"
    unseen = tool(api, "show_appointment", {"appointmentId": held["structuredContent"]["appointment"]["id"]}, bob)
    assert unseen["structuredContent"]["error"]["code"] == "NOT_FOUND"
    anonymous = tool(api, "hold_slot", booking(), None)
    assert anonymous["structuredContent"]["error"]["code"] == "UNAUTHENTICATED"


def test_bad_arguments_and_unknown_tools_are_tool_errors_not_crashes(api: Api, alice: str, staff: str) -> None:
    for name, arguments in (
        ("find_availability", {"serviceId": "svc-cut", "fromDate": "2026-13-01", "toDate": "x"}),
        ("find_availability", {"serviceId": {"deep": [1]}, "fromDate": "2026-12-01", "toDate": "2026-12-01"}),
        ("show_appointment", {"appointmentId": "x" * 500}),
        ("show_appointment", {}),
        ("hold_slot", {**booking(), "minutes": "five"}),
        ("hold_slot", {**booking(), "minutes": 16}),
        ("book_held_slot", {"appointmentId": "a", "idempotencyKey": 7}),
        ("no_such_tool", {}),
    ):
        result = tool(api, name, arguments, alice)
        assert result["isError"] is True, (name, result)
        assert result["structuredContent"]["success"] is False
    confirm = tool(api, "confirm_appointment", {"appointmentId": "missing"}, alice)
    assert confirm["structuredContent"]["error"]["code"] == "FORBIDDEN"
    missing = tool(api, "confirm_appointment", {"appointmentId": "missing"}, staff)
    assert missing["structuredContent"]["error"]["code"] == "NOT_FOUND"


def test_protocol_errors_are_json_rpc_answers_and_get_and_delete_are_405(api: Api) -> None:
    unknown = api.post("/mcp", {"jsonrpc": "2.0", "id": 3, "method": "nope"}, headers=HEADERS)
    assert unknown.status == 200 and unknown.body["error"]["code"] == -32601
    notice = api.post("/mcp", {"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=HEADERS)
    assert notice.status == 202
    not_rpc = api.post("/mcp", {"hello": "world"}, headers=HEADERS)
    assert not_rpc.status == 400 and "error" in not_rpc.body
    assert api.get("/mcp").status == 405
    assert api.delete("/mcp").status == 405
    huge = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "x", "arguments": {"n": 1e300}}}
    bounded = api.post("/mcp", huge, headers=HEADERS)  # bounded as every request body is, before the SDK reads it
    assert (bounded.status, bounded.body["error"]["code"]) == (400, "INVALID_INPUT")
    bad_token = api.post("/mcp", {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}, "not-a-token", headers=HEADERS)
    assert bad_token.status == 401


def test_the_app_starts_without_the_mcp_sdk() -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, app; print(sorted(m for m in sys.modules if m.split('.')[0] == 'mcp'))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"  # only POST /mcp imports it (about a second)
