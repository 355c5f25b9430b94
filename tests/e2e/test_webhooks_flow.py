"""Webhooks on the running stack, as `make run` starts it: the worker delivers with nobody calling anything, and a
receiver that hangs holds up only its own deliveries.

Waiting here is polling for an observable outcome with a deadline, never a fixed sleep.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from standardwebhooks import Webhook

from tests.e2e.conftest import Stack
from tests.e2e.http import call, sign_in

pytestmark = pytest.mark.e2e


class Endpoint:
    """A receiver on 127.0.0.1; `hold` keeps each request waiting until released (a hung integrator)."""

    def __init__(self, hold: bool = False) -> None:
        self.secret = ""
        self.received: list[dict[str, Any]] = []
        self.waiting = 0
        self.release = threading.Event()
        if not hold:
            self.release.set()
        me = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0"))).decode()
                me.waiting += 1
                me.release.wait(timeout=60)
                me.waiting -= 1
                me.received.append(Webhook(me.secret).verify(body, dict(self.headers.items())))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoints() -> Iterator[tuple[Endpoint, Endpoint]]:
    slow, fast = Endpoint(hold=True), Endpoint()
    yield slow, fast
    slow.close()
    fast.close()


def until(done: Any, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "not within the deadline"
        time.sleep(0.1)  # polling for the outcome


def test_a_hung_receiver_holds_up_nobody_else(local_stack: Stack, endpoints: tuple[Endpoint, Endpoint]) -> None:
    slow, fast = endpoints
    base = local_stack.url
    admin = sign_in(base, "admin", "Hooks Owner")
    made = []
    for endpoint in (slow, fast):
        status, body = call(base, "POST", "/webhooks", {"url": endpoint.url, "types": ["appointment.created"]}, admin)
        assert status == 201, body
        endpoint.secret = body["secret"]
        made.append(body["subscription"]["id"])
    try:
        customer = sign_in(base, "customer", "Hook Customer")
        _, dates = call(
            base, "GET", "/appointments/availability/dates?serviceId=svc-consult&staffId=staff-wang&days=30"
        )
        day = dates["dates"][3]["date"]
        _, slots = call(
            base, "GET", f"/appointments/availability/slots?serviceId=svc-consult&staffId=staff-wang&date={day}"
        )
        booking = {
            "serviceId": "svc-consult",
            "staffId": "staff-wang",
            "date": day,
            "timeSlot": slots["slots"][-1]["start"],
            "customerInfo": {"name": "Hook Customer", "phone": "13900009999"},
            "totalAmount": 0,
        }
        status, first = call(base, "POST", "/appointments/book", booking, customer)
        assert status == 201, first
        until(lambda: slow.waiting == 1)  # the hung receiver holds its delivery of the first booking
        second = {**booking, "timeSlot": slots["slots"][0]["start"]}  # far from the last start
        status, then = call(base, "POST", "/appointments/book", second, customer)
        assert status == 201, then
        wanted = {first["appointment"]["id"], then["appointment"]["id"]}
        until(lambda: {e["data"]["appointment"]["id"] for e in fast.received} == wanted)  # both, while it hangs
        assert slow.waiting >= 1 and slow.received == []
        slow.release.set()
        until(lambda: {e["data"]["appointment"]["id"] for e in slow.received} == wanted)
    finally:
        for subscription in made:
            call(base, "DELETE", f"/webhooks/{subscription}", token=admin)
