"""The MCP server: the official SDK's low-level `Server` behind its `StreamableHTTPSessionManager` (stateless, JSON
answers), driven for one Lambda request at a time through an ASGI scope made from the Chalice request.

The SDK owns the protocol (initialize, tools/list, tools/call, ping, JSON-RPC errors, the Streamable HTTP rules);
this module lists the tools the caller may use and answers a call with the tool's answer or its domain error.
Imported only by `POST /mcp`: the SDK takes about a second to import, which no other route should pay.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import anyio
import mcp_types as types
from mcp.server.lowlevel.server import Server
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from starlette.types import Message

from chalicelib.api import spec
from chalicelib.assistants.tools import BY_NAME, TOOLS, Tool
from chalicelib.domain.actor import Actor
from chalicelib.domain.errors import DomainError, NotFound, UpstreamUnavailable
from chalicelib.observability import logger
from chalicelib.store import is_transient

INSTRUCTIONS = (
    "Slotbook books appointments. Browse with list_locations, list_services, list_staff, find_availability and "
    "show_policy; signed in as a customer, hold_slot keeps a slot for a few minutes and book_held_slot books it "
    "(always with a new idempotencyKey, reused only to retry); show_appointment says what cancelling would cost "
    "before cancel_appointment. Times are the business's wall clock."
)


class Internal(DomainError):
    code = "INTERNAL"


@dataclass
class Answer:
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@functools.cache
def _schema(name: str, mode: str) -> dict[str, Any]:
    schema = spec.model(name).model_json_schema(mode="validation" if mode == "validation" else "serialization")
    return dict(schema)


@functools.cache
def _listed(tool: Tool) -> types.Tool:
    return types.Tool(
        name=tool.name,
        description=tool.summary,
        input_schema=_schema(tool.arguments, "validation"),
        output_schema=_schema(tool.answer, "serialization"),
    )


def _error(error: DomainError) -> types.CallToolResult:
    """A domain error as the tool's answer: the HTTP API's error body, and its code and message in words."""
    body = {"success": False, "error": {"code": error.code, "message": error.message, "fields": error.fields}}
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=f"{error.code}: {error.message}")],
        structured_content=body,
        is_error=True,
    )


def answer(actor: Actor | None, name: str, arguments: Mapping[str, Any] | None) -> types.CallToolResult:
    """A tool's answer: its route's answer as structured content (and as text), or its error; never an exception."""
    tool = BY_NAME.get(name)
    if tool is None:
        return _error(
            NotFound(f"There is no tool {name[:64]!r}; tools/list names those you may use.", {"name": "unknown"})
        )
    try:
        found = tool.call(actor, arguments or {})
    except DomainError as error:
        return _error(error)
    except Exception as error:
        if is_transient(error):
            logger.warning("storage unavailable", extra={"error": str(error), "tool": name})
            return _error(UpstreamUnavailable("Please try again in a moment."))
        logger.exception("unhandled error in a tool", extra={"tool": name})
        return _error(Internal("Something went wrong on our side."))
    text = json.dumps(found, ensure_ascii=False)
    return types.CallToolResult(content=[types.TextContent(type="text", text=text)], structured_content=found)


def server_for(actor: Actor | None) -> Server[Any]:
    """The SDK's server as this caller sees it: the tools their role may use."""

    async def list_tools(_: Any, __: types.PaginatedRequestParams | None) -> types.ListToolsResult:
        return types.ListToolsResult(tools=[_listed(tool) for tool in TOOLS if tool.offered_to(actor)])

    async def call_tool(_: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        return answer(actor, params.name, params.arguments)

    return Server("slotbook", version="1", instructions=INSTRUCTIONS, on_list_tools=list_tools, on_call_tool=call_tool)


def handle(actor: Actor | None, body: bytes, headers: Mapping[str, str]) -> Answer:
    """One POST to /mcp, served by the SDK's stateless Streamable HTTP transport with JSON answers."""
    manager = StreamableHTTPSessionManager(server_for(actor), json_response=True, stateless=True)
    sent = {k.lower(): v for k, v in headers.items() if k.lower() == "mcp-protocol-version"}
    sent["content-type"] = "application/json"  # as Chalice let in (its routes take JSON only)
    sent["accept"] = "application/json, text/event-stream"  # one JSON answer is all this route gives, asked or not
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "https",
        "path": "/mcp",
        "raw_path": b"/mcp",
        "root_path": "",
        "query_string": b"",
        "headers": [(k.encode("latin-1"), v.encode("latin-1", "replace")) for k, v in sent.items()],
        "client": ("127.0.0.1", 0),
        "server": ("lambda", 443),
    }
    answered = Answer()
    delivered = False

    async def receive() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            answered.status = message["status"]
            answered.headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in message.get("headers", [])}
        elif message["type"] == "http.response.body":
            answered.body += message.get("body", b"")

    async def serve() -> None:
        async with manager.run():
            await manager.handle_request(scope, receive, send)

    anyio.run(serve)
    return answered
