"""The soak with a webhook subscription attached (`scripts/soak.py --webhooks`): an integrator's receiver on
127.0.0.1 takes every event type, verifies each delivery with the Standard Webhooks library, and records when it
came; once the soak is over and every delivery is settled, it reports what arrived: each event once, each
appointment's in order, and the latency from the change to the receipt.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import quote

from standardwebhooks import Webhook, WebhookVerificationError


class Api(Protocol):
    def call(
        self, operation: str, method: str, path: str, body: Any = None, token: str = "", key: str = ""
    ) -> tuple[int, Any]: ...

    def sign_in(self, role: str, name: str) -> str: ...


@dataclass(frozen=True)
class Receipt:
    id: str
    appointment: str
    sequence: int  # the appointment's version after the change: receipts of one appointment never go back
    latency: float  # seconds from the change to the receipt


@dataclass
class Receiver:
    secret: str = ""
    receipts: list[Receipt] = field(default_factory=list)
    rejected: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None
    subscription: str = ""

    def take(self, body: str, headers: dict[str, str]) -> int:
        try:
            event = Webhook(self.secret).verify(body, headers)
        except WebhookVerificationError:
            with self.lock:
                self.rejected += 1
            return 401
        received = datetime.now(UTC)
        latency = (received - datetime.fromisoformat(event["timestamp"])).total_seconds()
        appointment = event["data"]["appointment"]["id"]
        with self.lock:
            self.receipts.append(Receipt(event["id"], appointment, int(event["sequence"]), latency))
        return 204


def attach(api: Api, types: list[str] | None = None) -> Receiver:
    """Start the receiver and subscribe it to these event types (None: every one)."""
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0"))).decode()
            self.send_response(receiver.take(body, dict(self.headers.items())))
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    receiver.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=receiver.server.serve_forever, daemon=True).start()
    admin = api.sign_in("admin", "Soak Owner")
    _, listed = api.call("setup", "GET", "/webhooks", token=admin)
    url = f"http://127.0.0.1:{receiver.server.server_address[1]}/soak"
    wanted = types or listed["eventTypes"]
    status, made = api.call("setup", "POST", "/webhooks", {"url": url, "types": wanted}, admin)
    if status != 201:
        raise RuntimeError(f"subscribing the soak's receiver answered {status}: {made}")
    receiver.secret, receiver.subscription = made["secret"], made["subscription"]["id"]
    return receiver


def settle(api: Api, receiver: Receiver, within: float) -> dict[str, int]:
    """Wait until the subscription's log holds no pending delivery (or `within` seconds pass); the log's count of
    each status."""
    admin = api.sign_in("admin", "Soak Owner")
    deadline = time.monotonic() + within
    while True:
        statuses: Counter[str] = Counter()
        cursor = ""
        while True:
            path = f"/webhooks/{receiver.subscription}/deliveries?limit=100" + (
                f"&cursor={quote(cursor)}" if cursor else ""
            )
            _, page = api.call("setup", "GET", path, token=admin)
            statuses.update(d["status"] for d in page["deliveries"])
            cursor = page["nextCursor"] or ""
            if not cursor:
                break
        if not statuses["pending"] or time.monotonic() > deadline:
            return dict(statuses)
        time.sleep(1)  # polling the log for the worker to catch up, not standing in for it


def detach(api: Api, receiver: Receiver) -> None:
    admin = api.sign_in("admin", "Soak Owner")
    api.call("setup", "DELETE", f"/webhooks/{receiver.subscription}", token=admin)
    if receiver.server is not None:
        receiver.server.shutdown()
        receiver.server.server_close()


def report(receiver: Receiver, log: dict[str, int]) -> str:
    receipts = receiver.receipts
    ids = Counter(r.id for r in receipts)
    per_appointment: dict[str, list[int]] = defaultdict(list)
    for r in receipts:
        per_appointment[r.appointment].append(r.sequence)
    out_of_order = sum(1 for orders in per_appointment.values() if orders != sorted(orders))
    latencies = sorted(r.latency for r in receipts)

    def at(share: float) -> float:
        return latencies[max(0, math.ceil(share * len(latencies)) - 1)] if latencies else 0.0

    return "\n".join(
        [
            f"webhooks: {len(receipts)} deliveries of {len(ids)} events for {len(per_appointment)} appointments; "
            f"the log: {json.dumps(log)}",
            f"  twice: {sum(n - 1 for n in ids.values())}; appointments out of order: {out_of_order}; "
            f"signatures refused: {receiver.rejected}",
            f"  change to receipt: p50 {at(0.5):.2f} s, p99 {at(0.99):.2f} s, max {at(1.0):.2f} s",
        ]
    )


def holds(receiver: Receiver, log: dict[str, int]) -> bool:
    """Every event delivered, once, each appointment's in order, every signature good."""
    ids = Counter(r.id for r in receiver.receipts)
    orders: dict[str, list[int]] = defaultdict(list)
    for r in receiver.receipts:
        orders[r.appointment].append(r.sequence)
    in_order = all(o == sorted(o) for o in orders.values())
    settled = set(log) <= {"delivered"} and log.get("delivered", 0) == len(ids)
    return settled and max(ids.values(), default=1) == 1 and in_order and not receiver.rejected
