"""`/mcp`: the Model Context Protocol over Streamable HTTP for AI assistants, stateless with JSON answers, served by
the official SDK (`chalicelib/assistants/server.py`) with the bearer tokens and roles of the HTTP API."""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from chalicelib.api.docs import Doc
from chalicelib.api.http import PUBLIC, Call, Routes
from chalicelib.assistants.tools import TOOLS

routes = Routes(__name__)
KEPT_HEADERS = ("mcp-protocol-version",)


@routes.route(
    "/mcp",
    methods=("POST",),
    allow=PUBLIC,
    doc=Doc(
        "MCP tools for AI assistants (JSON-RPC; tools/list shows the caller's: the browse tools to anyone, the "
        "customer's or the staff's with their token)",
        answer="McpResponse",
        body="McpRequest",
        more=((202, None), (400, "McpResponse")),
        tools=tuple(tool.doc for tool in TOOLS),
    ),
)
def serve(call: Call) -> Response:
    from chalicelib.assistants import server  # deferred: the SDK's import (~1 s) is paid by this route alone

    raw = call.raw_text.encode("utf-8")
    headers = {name: value for name in KEPT_HEADERS if (value := call.header(name)) is not None}
    answered = server.handle(call.caller, raw, headers)
    body: Any = answered.body.decode("utf-8") if answered.body else None
    kept: dict[str, str | list[str]] = {k: v for k, v in answered.headers.items() if k.lower() in ("content-type",)}
    return Response(body=body, status_code=answered.status, headers=kept)


@routes.route(
    "/mcp",
    methods=("GET", "DELETE"),
    allow=PUBLIC,
    doc=Doc("Not served: /mcp is stateless, POST only", answer="ErrorBody", extra_errors=(405,)),
)
def not_served(call: Call) -> Response:
    body = {
        "success": False,
        "error": {
            "code": "METHOD_NOT_ALLOWED",
            "message": "/mcp is stateless Streamable HTTP: POST JSON-RPC messages; there is no stream or session.",
            "fields": {},
        },
    }
    return Response(body=body, status_code=405, headers={"Allow": "POST"})
