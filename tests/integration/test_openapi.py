"""`GET /openapi.json`: every route documented from its own declaration, nothing else, and answers held to it."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from chalice.app import Chalice
from openapi_spec_validator import validate

from app import app
from chalicelib.api import spec
from chalicelib.api.docs import PERIOD, Doc
from chalicelib.api.http import PUBLIC, Call, Routes
from chalicelib.domain.periods import PERIODS
from tests.conftest import ROOT
from tests.integration.conftest import CONTRACT, Api


def served_with(probe: Chalice) -> dict[str, Any]:
    """The app's routes and the probe's: what `spec.build` would see had the app registered them."""
    return {**app.routes, **probe.routes}


def probe_declaring(doc: Doc) -> Chalice:
    probe, extra = Chalice("probe"), Routes("extra")

    @extra.route("/extra", allow=PUBLIC, doc=doc)
    def extra_view(call: Call) -> dict[str, Any]:
        return {}

    probe.register_blueprint(extra.blueprint)
    return probe


def test_the_document_is_served_to_anyone_and_is_valid_openapi_3_1(api: Api) -> None:
    answer = api.get("/openapi.json")

    assert answer.status == 200
    assert answer.body["openapi"] == "3.1.0"
    validate(answer.body)


def test_every_route_is_documented_with_who_may_call_it_and_nothing_else_is(api: Api) -> None:
    document = api.get("/openapi.json").body

    declared = sorted((route.path, route.method) for route in spec.declarations(app.routes))
    assert declared == sorted((path, method) for path, methods in app.routes.items() for method in methods)
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


def test_a_route_without_a_doc_fails_the_build() -> None:
    probe = Chalice("probe")

    @probe.route("/appointments/{appointment_id}/undocumented", methods=["POST"])
    def undocumented(appointment_id: str) -> dict[str, Any]:
        return {}

    with pytest.raises(
        spec.ContractError, match=r"without a Doc.*: POST /appointments/\{appointment_id\}/undocumented"
    ):
        spec.build(served_with(probe))


def test_a_doc_naming_no_model_fails_the_build() -> None:
    with pytest.raises(spec.ContractError, match="'Appointmnet' names no model"):
        spec.build(served_with(probe_declaring(Doc("A typo", answer="Appointmnet"))))
    with pytest.raises(spec.ContractError, match="'BookingRequest' names no model"):
        spec.build(served_with(probe_declaring(Doc("Not a model's name", answer="Done", body="BookingRequest"))))


def test_the_period_offered_is_the_domains() -> None:
    assert PERIOD.schema["enum"] == list(PERIODS)  # written out in api/docs.py: the domain's is not on the cold path


def test_the_app_starts_without_pydantic_or_the_contracts_models() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, app; print(sorted(m for m in sys.modules if 'pydantic' in m or 'schemas' in m))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )

    assert loaded.stdout.strip() == "[]"


def test_the_answer_check_refuses_a_wrong_body_an_undocumented_status_and_an_unknown_route() -> None:
    wrong_body = CONTRACT.violations("GET", "/appointments/a1", 200, {"appointment": {"id": 7}}, "application/json")
    wrong_status = CONTRACT.violations("GET", "/appointments/mine?scope=all", 418, {}, "application/json")
    unknown = CONTRACT.violations("PATCH", "/appointments/a1", 200, {}, "application/json")

    assert any("appointment/id: 7 is not of type 'string'" in v for v in wrong_body)
    assert any("'serviceId' is a required property" in v for v in wrong_body)
    documented = "['200', '400', '401', '403', '404', '503']"
    assert wrong_status == [f"GET /appointments/mine answered 418, not documented ({documented})"]
    assert unknown == ["PATCH /appointments/a1 is not in the document"]
