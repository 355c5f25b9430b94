"""`GET /openapi.json`: every route documented, nothing documented that is not served, and answers held to it."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import validate

from app import app
from chalicelib.api import spec
from tests.integration.conftest import CONTRACT, Api


def test_the_document_is_served_to_anyone_and_is_valid_openapi_3_1(api: Api) -> None:
    answer = api.get("/openapi.json")

    assert answer.status == 200
    assert answer.body["openapi"] == "3.1.0"
    validate(answer.body)


def test_every_route_is_documented_with_who_may_call_it_and_nothing_else_is(api: Api) -> None:
    document = api.get("/openapi.json").body

    assert spec.mismatches(app.routes) == ([], [])
    documented = {(path, method.upper()) for path, ops in document["paths"].items() for method in ops}
    assert documented == {(path, method) for path, methods in app.routes.items() for method in methods}
    for path, methods in app.routes.items():
        for method, entry in methods.items():
            operation = document["paths"][path][method.lower()]
            roles = [r.value for r in getattr(entry.view_function, "allow")]  # noqa: B009 - set by Routes.route
            assert operation["x-roles"] == roles
            assert operation["security"] == ([{"bearer": []}] if roles else [])
            in_path = [p["name"] for p in operation["parameters"] if p["in"] == "path"]
            assert in_path == [part[1:-1] for part in path.split("/") if part.startswith("{")]


def test_a_route_without_an_entry_or_an_entry_without_a_route_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    served: dict[str, dict[str, Any]] = {path: dict(methods) for path, methods in app.routes.items()}
    served["/appointments/{appointment_id}/undocumented"] = {"POST": served["/appointments/{appointment_id}"]["GET"]}
    monkeypatch.setitem(spec.OPERATIONS, ("GET", "/gone"), spec.Op("A route that was removed", None))

    assert spec.mismatches(served) == (["POST /appointments/{appointment_id}/undocumented"], ["GET /gone"])


def test_the_answer_check_refuses_a_wrong_body_an_undocumented_status_and_an_unknown_route() -> None:
    wrong_body = CONTRACT.violations("GET", "/appointments/a1", 200, {"appointment": {"id": 7}}, "application/json")
    wrong_status = CONTRACT.violations("GET", "/appointments/mine?scope=all", 418, {}, "application/json")
    unknown = CONTRACT.violations("PATCH", "/appointments/a1", 200, {}, "application/json")

    assert any("appointment/id: 7 is not of type 'string'" in v for v in wrong_body)
    assert any("'serviceId' is a required property" in v for v in wrong_body)
    documented = "['200', '400', '401', '403', '404', '503']"
    assert wrong_status == [f"GET /appointments/mine answered 418, not documented ({documented})"]
    assert unknown == ["PATCH /appointments/a1 is not in the document"]
