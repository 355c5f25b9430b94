"""A bounded schemathesis run over `GET /openapi.json` against a running local stack of its own.

Every operation, with a customer's, a staff member's and an admin's token, inputs drawn from the
document (valid and invalid): never a 5xx, and every answer as the document says (status listed,
content type, body schema). The stack is the fuzz run's own, so what it changes touches no other test.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err, Ok
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.e2e.conftest import Stack, running_stack
from tests.e2e.http import call, sign_in
from tests.fake_http import FakeWeChat, serving

pytestmark = pytest.mark.e2e
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 12  # per operation, each sent with three tokens: ~1,800 requests


@pytest.fixture(scope="module")
def fuzzed_stack() -> Iterator[Stack]:
    with serving(FakeWeChat) as wechat:  # so /auth/wechat answers as deployed: a made-up code is a 401
        env = {"WECHAT_APP_ID": "wx-app", "WECHAT_APP_SECRET": "app-secret", "WECHAT_API_BASE": wechat}
        with running_stack("fuzz_stack.log", env) as stack:
            yield stack


@pytest.fixture(scope="module")
def tokens(fuzzed_stack: Stack) -> list[str]:
    return [sign_in(fuzzed_stack.url, role, f"Fuzz {role}") for role in ("customer", "staff", "admin")]


def fuzz(operation: Any, tokens: list[str], url: str, statuses: Counter[int]) -> str | None:
    """Hypothesis over one operation's valid and invalid inputs; what went wrong, if anything."""
    strategy = operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(GenerationMode.NEGATIVE)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,  # the same inputs on every run: a failure here is reproducible, not a flake
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def send(case: Any) -> None:
        for token in tokens:  # the same input as a customer, a staff member and an admin
            headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
            response = case.call_and_validate(base_url=url, headers=headers, checks=CHECKS, timeout=30)
            statuses[response.status_code] += 1

    try:
        send()
    except Exception as failure:
        return f"{operation.label}: {failure}"
    return None


def test_no_input_from_the_document_gets_a_5xx_or_an_answer_the_document_does_not_describe(
    fuzzed_stack: Stack, tokens: list[str]
) -> None:
    schema = schemathesis.openapi.from_url(f"{fuzzed_stack.url}/openapi.json")
    results = list(schema.get_all_operations())
    assert [r.err() for r in results if isinstance(r, Err)] == []
    operations = [r.ok() for r in results if isinstance(r, Ok)]
    _, document = call(fuzzed_stack.url, "GET", "/openapi.json")
    documented = {f"{method.upper()} {path}" for path, methods in document["paths"].items() for method in methods}
    assert sorted(op.label for op in operations) == sorted(documented - {"GET /openapi.json"})  # it skips its own

    statuses: Counter[int] = Counter()
    failures = [found for op in operations if (found := fuzz(op, tokens, fuzzed_stack.url, statuses))]
    print(f"{len(operations)} operations, {statuses.total()} requests, by status: {sorted(statuses.items())}")

    assert len(operations) >= 50 and statuses.total() >= 1000
    assert failures == [], "\n\n".join(failures)
