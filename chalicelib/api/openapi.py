"""`GET /openapi.json`: the contract as OpenAPI 3.1, built from the routes and their models (`api/spec.py`)."""

from __future__ import annotations

import functools
from typing import Any

from chalicelib.api.docs import Doc
from chalicelib.api.http import PUBLIC, Call, Routes

routes = Routes(__name__)


@functools.cache
def _document(base: str) -> dict[str, Any]:
    from chalicelib.api import spec  # deferred: pydantic is needed for this route only, not at a cold start

    return spec.build(routes.blueprint.current_app.routes, base)


@routes.route("/openapi.json", allow=PUBLIC, doc=Doc("This document"))
def document(call: Call) -> dict[str, Any]:
    stage = (routes.blueprint.current_request.context or {}).get("stage")
    return _document(f"/{stage}" if stage else "/")
