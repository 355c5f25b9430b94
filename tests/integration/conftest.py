from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from chalice.test import Client

from app import app
from chalicelib import tokens
from chalicelib.api import spec
from chalicelib.domain.actor import Actor, Role
from chalicelib.observability import logger
from chalicelib.store import Store
from tests.conftest import LOCAL_ENV, ROOT, working_day
from tests.contract import Contract

CONTRACT = Contract(spec.build(app.routes))


def follow_stream() -> int:
    """What Lambda's event source mapping does: the table stream's records, in batches, to the app's handler."""
    import app as handlers
    from scripts.worker import TableStream

    return TableStream(LOCAL_ENV["TABLE_NAME"], "us-east-1").drain(handlers.count_changes)


def token_for(role: Role, name: str) -> str:
    return tokens.issue(Actor(tokens.stable_id(role.value, role.value, name), role, name), LOCAL_ENV["JWT_SECRET"], 1)


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]


class Api:
    """The app through Chalice's test client, speaking JSON as the mini program does.

    Every answer is checked against the OpenAPI document: a status it does not list, or a body its
    schema rejects, fails the test that got it.
    """

    def __init__(self, client: Client) -> None:
        self.client = client

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        raw: str | None = None,
    ) -> Answer:
        sent = {"Content-Type": "application/json", **(headers or {})}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        payload = (raw if raw is not None else json.dumps(body) if body is not None else "").encode()
        response = self.client.http.request(method, path, headers=sent, body=payload)
        text = response.body.decode() if isinstance(response.body, bytes) else response.body
        try:
            body = json.loads(text)
        except ValueError:
            body = text
        content_type = response.headers.get("Content-Type", response.headers.get("content-type", ""))
        wrong = CONTRACT.violations(method, path, response.status_code, body, content_type)
        assert not wrong, "the answer breaks the OpenAPI document:\n" + "\n".join(wrong)
        return Answer(response.status_code, body, response.headers)

    def get(self, path: str, token: str | None = None) -> Answer:
        return self.call("GET", path, token=token)

    def post(self, path: str, body: Any = None, token: str | None = None, **kw: Any) -> Answer:
        return self.call("POST", path, body, token, **kw)

    def put(self, path: str, body: Any = None, token: str | None = None, **kw: Any) -> Answer:
        return self.call("PUT", path, body, token, **kw)

    def delete(self, path: str, token: str | None = None) -> Answer:
        return self.call("DELETE", path, token=token)


@pytest.fixture
def api(store: Store) -> Iterator[Api]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as client:
        yield Api(client)


@pytest.fixture
def alice() -> str:
    return token_for(Role.CUSTOMER, "Alice")


@pytest.fixture
def bob() -> str:
    return token_for(Role.CUSTOMER, "Bob")


@pytest.fixture
def staff() -> str:
    return token_for(Role.STAFF, "Front Desk")


def booking(
    service: str = "svc-cut", staff_id: str | None = "staff-li", time: Any = "10:00", **changes: Any
) -> dict[str, Any]:
    """A booking as the mini program sends it; `staff_id` None leaves staffId out (any staff)."""
    prices = {"svc-cut": 88.0, "svc-scalp": 168.0, "svc-consult": 0.0, "svc-colour": 399.0}
    body: dict[str, Any] = {
        "serviceId": service,
        "staffId": staff_id,
        "date": working_day().isoformat(),
        "timeSlot": time,
        "customerInfo": {"name": "Alice Wong", "phone": "13800138000", "email": "alice@example.com", "notes": "Short"},
        "totalAmount": prices[service],
    }
    body.update(changes)
    if staff_id is None:
        del body["staffId"]
    return body


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """What the Lambda's stdout would hold: the Powertools JSON formatter on a buffer of our own."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logger.registered_handler.formatter)
    logger.addHandler(handler)
    yield buffer
    logging.getLogger(logger.name).removeHandler(handler)
