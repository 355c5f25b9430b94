"""OpenAPI 3.1 built by walking the app's routes (served by `api/openapi.py`).

Each route declares its contract in its decorator (`@routes.route(..., allow=..., doc=Doc(...))`); the
models its `Doc` names are resolved here, in the modules of `api/schemas/`. A route without a `Doc`, or
a name that is no model, fails the build (and `tests/integration/test_openapi.py`); the tests validate
real answers against the document.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib.api.docs import Doc
from chalicelib.api.schemas import (
    admin,
    appointments,
    assistants,
    auth,
    base,
    catalogue,
    customers,
    locations,
    notifications,
    payments,
    reports,
    schedule,
    webhooks,
)

MODULES = (
    *(base, auth, catalogue, appointments, schedule, customers, notifications, payments, admin, reports),
    locations,
    webhooks,
    assistants,
)

ERRORS = {
    400: "The input is wrong; `error.fields` names what and why. Checked before anything runs: a body nested "
    "over 32 levels, a number over 15 digits or not finite, text that is not Unicode, a path id over 128 "
    "characters, a query value over 512 bytes, a date outside 2000-01-01..2099-12-31, a cursor not from the list.",
    401: "No token where one is needed, or a bad or expired one; a failed sign-in.",
    403: "Signed in, but not with a role this route allows.",
    404: "Nothing by that id that this caller may see.",
    409: "The state forbids it: SLOT_TAKEN, ILLEGAL_TRANSITION, CONCURRENT_CHANGE, LIMIT_REACHED, ...",
    405: "This method is not served here (`/mcp` takes POST only: stateless Streamable HTTP).",
    413: "The body is larger than 64 KB.",
    429: "TOO_MANY_MESSAGES: the day's texts to this number or customer are used up; `Retry-After` says when to retry.",
    503: "Storage or a queue is unavailable for a moment; nothing was changed. Retry.",
}


class ContractError(LookupError):
    """A route that declares no contract, or names a model that does not exist."""


@dataclass(frozen=True)
class Declared:
    """A served route with what it declares: its contract, who may call it, its success status."""

    method: str
    path: str
    doc: Doc
    roles: tuple[str, ...]
    status: int


def declarations(app_routes: Mapping[str, Mapping[str, Any]]) -> list[Declared]:
    """Every route the app serves, by path and method; a route without a `Doc` is a ContractError."""
    found, undeclared = [], []
    for path, methods in sorted(app_routes.items()):
        for method, entry in sorted(methods.items()):
            declared = vars(entry.view_function)
            if not isinstance(declared.get("doc"), Doc):
                undeclared.append(f"{method} {path}")
                continue
            roles = tuple(r.value for r in declared["allow"])
            found.append(Declared(method, path, declared["doc"], roles, declared["status"]))
    if undeclared:
        raise ContractError(f"Routes without a Doc (declare one in @routes.route): {', '.join(undeclared)}")
    return found


@functools.cache
def models() -> dict[str, type[BaseModel]]:
    """The contract's models by name; a name is the component's name in the document, so it must be unique."""
    found: dict[str, type[BaseModel]] = {}
    for module in MODULES:
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == module.__name__:
                if name in found:
                    raise ContractError(
                        f"Two models are named {name}: in {found[name].__module__} and {module.__name__}"
                    )
                found[name] = value
    return found


def model(name: str) -> type[BaseModel]:
    """The model a `Doc` names."""
    try:
        return models()[name]
    except KeyError:
        raise ContractError(f"{name!r} names no model of chalicelib/api/schemas") from None


def _json(schema: Mapping[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": dict(schema)}}


def build(app_routes: Mapping[str, Mapping[str, Any]], base: str = "/") -> dict[str, Any]:
    """The document for the routes the app serves, from what each declares (see `declarations`)."""
    routes = declarations(app_routes)
    keyed, defs = models_json_schema(
        [(model(name), "validation") for r in routes if (name := r.doc.body)]
        + [(model(name), "serialization") for r in routes if (name := r.doc.answer)]
        + [(model(name), "serialization") for r in routes for _, name in r.doc.more if name]
        + [(model(t.arguments), "validation") for r in routes for t in r.doc.tools]
        + [(model(t.answer), "serialization") for r in routes for t in r.doc.tools]
        + [(model("ErrorBody"), "serialization")],
        ref_template="#/components/schemas/{model}",
    )

    def ref(name: str, mode: str) -> dict[str, Any]:
        return dict(keyed[(model(name), mode)])  # type: ignore[index]

    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, ref)
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


def _operation(route: Declared, ref: Callable[[str, str], dict[str, Any]]) -> dict[str, Any]:
    method, path, doc, roles = route.method, route.path, route.doc, list(route.roles)
    params = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
        for name in _path_names(path)
    ]
    params += [
        {"name": p.name, "in": p.where, "required": p.required, "schema": dict(p.schema)}
        | ({"description": p.description} if p.description else {})
        for p in doc.params
    ]
    if doc.answer is not None:
        success = _json(ref(doc.answer, "serialization"))
    else:
        kinds = (doc.media,) if isinstance(doc.media, str) else doc.media
        success = {m: {"schema": {"type": "object"} if m == "application/json" else {"type": "string"}} for m in kinds}
    responses: dict[str, Any] = {str(route.status): {"description": doc.summary, "content": success}}
    statuses = {400, 401, 404, 503, *doc.extra_errors}  # 401: a bad token is refused even where none is needed
    if roles:
        statuses.add(403)
    if method != "GET":
        statuses |= {409, 413}
    error = _json(ref("ErrorBody", "serialization"))
    for status in sorted(statuses):
        responses[str(status)] = {"description": ERRORS[status], "content": error}
    for status, name in doc.more:
        known = responses.get(str(status))
        if name is None:
            responses[str(status)] = {"description": "Accepted; no body."}
        elif known is None:
            responses[str(status)] = {"description": doc.summary, "content": _json(ref(name, "serialization"))}
        else:  # the route's own error body, or this one
            either = {"anyOf": [known["content"]["application/json"]["schema"], ref(name, "serialization")]}
            responses[str(status)] = {**known, "content": _json(either)}
    operation: dict[str, Any] = {
        "operationId": f"{method.lower()}{path.replace('/', '_').replace('{', '').replace('}', '')}",
        "summary": doc.summary,
        "tags": [_tag(path)],
        "parameters": params,
        "responses": responses,
        "security": [{"bearer": []}] if roles else [],
        "x-roles": roles,
    }
    if doc.tools:
        operation["x-mcp-tools"] = [
            {
                "name": t.name,
                "summary": t.summary,
                "x-roles": list(t.roles),
                "arguments": ref(t.arguments, "validation"),
                "answer": ref(t.answer, "serialization"),
            }
            for t in doc.tools
        ]
    if doc.body is not None:
        operation["requestBody"] = {"required": doc.body_required, "content": _json(ref(doc.body, "validation"))}
    return operation


def _path_names(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def _tag(path: str) -> str:
    parts = path.strip("/").split("/")
    if parts[0] == "appointments" and len(parts) > 1 and parts[1] in ("analytics", "schedule", "staff"):
        return parts[1]
    return parts[0]
