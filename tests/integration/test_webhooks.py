"""Outbound webhooks end to end on the local AWS: subscriptions by admins, events written with their change,
deliveries signed (Standard Webhooks) to a real receiver on 127.0.0.1, retried on a schedule, paused after a day
of failures, logged and replayed.

The queue's work is done here as the worker does it (`workers.webhooks.work`), at a time the test chooses, so the
retry schedule's hours pass without waiting for them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote

import boto3
import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from chalicelib.domain.actor import Role
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.webhooks import target
from chalicelib.store import Store
from chalicelib.workers import webhooks as worker
from tests.integration.conftest import Api, booking, token_for
from tests.integration.notices_helpers import sent

QUEUE = "slotbook-webhooks"
ALL = [
    "appointment.created",
    "appointment.confirmed",
    "appointment.rescheduled",
    "appointment.cancelled",
    "appointment.completed",
    "appointment.no_show",
    "payment.succeeded",
    "payment.refunded",
]


@dataclass
class Receiver:
    """An integrator's endpoint: verifies each delivery with the Standard Webhooks library and the secrets it was
    given; answers `failing` requests with 500 first, or `answer` always."""

    url: str = ""
    secrets: list[str] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)  # verified payloads, in arrival order
    rejected: list[str] = field(default_factory=list)  # why a delivery did not verify
    failing: int = 0
    answer: int = 200
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, body: str, headers: dict[str, str]) -> int:
        with self.lock:
            self.requests += 1
            if self.failing > 0:
                self.failing -= 1
                return 500
            for secret in self.secrets:
                try:
                    verified = Webhook(secret).verify(body, headers)
                except WebhookVerificationError as error:
                    reason = str(error)
                    continue
                if 200 <= self.answer < 300:
                    self.received.append(verified)
                return self.answer
            self.rejected.append(reason if self.secrets else "no secret")
            return 401


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    given = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0"))).decode()
            code = given.take(body, dict(self.headers.items()))
            self.send_response(code)
            if code in (301, 302, 307):
                self.send_header("Location", given.url + "/elsewhere")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    given.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield given
    server.shutdown()
    server.server_close()


@pytest.fixture
def admin() -> str:
    return token_for(Role.ADMIN, "Owner")


def work(now: datetime) -> int:
    """Every message the webhooks queue holds now, done as the worker does it at `now`; how many."""
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]
    done = 0
    while batch := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        for message in batch:
            worker.work(json.loads(message["Body"]), now, clock=None)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            done += 1
    return done


def settle(store: Store, now: datetime) -> None:
    """What is due by `now`: the sweep's messages and the queue's work, until nothing is left."""
    from chalicelib.integrations.queue import get_webhooks_queue
    from chalicelib.services import webhooks

    while True:
        webhooks.sweep(store, get_webhooks_queue(), now)
        if not work(now):
            return


def subscribe(api: Api, admin: str, receiver: Receiver, types: list[str] = ALL) -> str:
    made = api.post("/webhooks", {"url": receiver.url, "types": types, "description": "CRM"}, admin)
    assert made.status == 201, made.body
    assert made.body["secret"].startswith("whsec_")
    receiver.secrets = [made.body["secret"]]
    return str(made.body["subscription"]["id"])


def book(api: Api, token: str, time: str = "10:00", service: str = "svc-consult") -> dict[str, Any]:
    made = api.post("/appointments/book", booking(service, time=time), token)
    assert made.status == 201, made.body
    return dict(made.body["appointment"])


def test_an_integrator_receives_signed_events_in_order_sees_the_log_and_replays(
    api: Api, store: Store, admin: str, alice: str, staff: str, receiver: Receiver
) -> None:
    sub = subscribe(api, admin, receiver)
    made = book(api, alice)
    appointment_id = made["id"]
    assert api.put(f"/appointments/{appointment_id}/cancel", {"reason": "changed plans"}, alice).status == 200
    now = datetime.now(UTC)
    settle(store, now)

    assert receiver.rejected == []
    got = [(e["type"], e["data"]["appointment"]["id"], e["sequence"]) for e in receiver.received]
    assert got == [("appointment.created", appointment_id, 1), ("appointment.cancelled", appointment_id, 2)]
    first = receiver.received[0]
    assert first["id"] == f"evt_{appointment_id}_1_appointment.created"
    assert first["data"]["appointment"]["status"] == "confirmed"  # as the change left it, not as it is now
    assert first["data"]["appointment"]["customerInfo"]["phone"]  # the staff view

    log = api.get(f"/webhooks/{sub}/deliveries", admin)
    assert log.status == 200
    assert [(d["eventType"], d["status"], d["attempts"], d["lastStatusCode"]) for d in log.body["deliveries"]] == [
        ("appointment.cancelled", "delivered", 1, 200),
        ("appointment.created", "delivered", 1, 200),
    ]
    assert all(d["lastLatencyMs"] >= 0 and d["deliveredAt"] for d in log.body["deliveries"])
    first_page = api.get(f"/webhooks/{sub}/deliveries?limit=1", admin).body
    assert len(first_page["deliveries"]) == 1 and first_page["nextCursor"]
    rest = api.get(f"/webhooks/{sub}/deliveries?limit=1&cursor={quote(first_page['nextCursor'])}", admin).body
    assert [d["eventType"] for d in rest["deliveries"]] == ["appointment.created"]
    other = api.post("/webhooks", {"url": receiver.url + "/2", "types": ["appointment.created"]}, admin).body
    foreign = api.get(
        f"/webhooks/{other['subscription']['id']}/deliveries?cursor={quote(first_page['nextCursor'])}", admin
    )
    assert foreign.status == 400  # a cursor opens only the log it came from

    replayed = api.post(f"/webhooks/{sub}/deliveries/{first['id']}/replay", None, admin)
    assert replayed.status == 202, replayed.body
    assert replayed.body["delivery"]["status"] == "pending"
    assert api.post(f"/webhooks/{sub}/deliveries/{first['id']}/replay", None, admin).status == 409  # waiting already
    settle(store, now)
    assert [e["id"] for e in receiver.received] == [first["id"], receiver.received[1]["id"], first["id"]]
    again = api.get(f"/webhooks/{sub}/deliveries", admin).body["deliveries"][1]
    assert (again["status"], again["replays"]) == ("delivered", 1)


def test_a_receiver_failing_for_a_while_gets_every_event_once_in_order(
    api: Api, store: Store, admin: str, alice: str, bob: str, staff: str, receiver: Receiver
) -> None:
    subscribe(api, admin, receiver)
    receiver.failing = 3
    first = book(api, alice, "10:00")["id"]
    other = book(api, bob, "11:00")["id"]
    moved = api.call(
        "PUT", f"/appointments/{first}/reschedule", {"date": booking()["date"], "timeSlot": "14:00"}, alice
    )
    assert moved.status == 200, moved.body
    assert api.put(f"/appointments/{first}/cancel", {"reason": "ill"}, alice).status == 200

    start = datetime.now(UTC)
    for later in (timedelta(0), timedelta(seconds=10), timedelta(minutes=6), timedelta(minutes=40)):
        settle(store, start + later)
    assert receiver.failing == 0 and receiver.rejected == []
    got = [(e["data"]["appointment"]["id"], e["type"]) for e in receiver.received]
    assert sorted(got) == sorted(set(got)), "an event arrived twice"
    assert [t for a, t in got if a == first] == [
        "appointment.created",
        "appointment.rescheduled",
        "appointment.cancelled",
    ]
    assert [t for a, t in got if a == other] == ["appointment.created"]
    ordered = [e["sequence"] for e in receiver.received if e["data"]["appointment"]["id"] == first]
    assert ordered == sorted(ordered)
    assert receiver.requests == len(got) + 3  # three failed tries, each event delivered once


def test_a_day_of_failures_pauses_the_subscription_and_tells_the_business_and_resuming_sends_what_waited(
    api: Api, store: Store, admin: str, alice: str, receiver: Receiver
) -> None:
    sub = subscribe(api, admin, receiver)
    assert api.put("/admin/settings", {"alertPhone": "+8613800138000"}, admin).status == 200
    receiver.answer = 503
    receiver.failing = 0
    book(api, alice)
    start = datetime.now(UTC)
    at = start
    for _ in range(8):  # the schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (each ±10%)
        settle(store, at)
        at += timedelta(hours=11)
    state = api.get(f"/webhooks/{sub}", admin).body["subscription"]
    assert (state["active"], state["state"]) == (False, "paused")
    assert "failed for a day" in state["pausedReason"]
    texts = [m for m in sent()["sms"] if "webhook" in m["message"].lower()]
    assert len(texts) == 1 and receiver.url in texts[0]["message"]
    tries = receiver.requests
    assert 2 <= tries <= 8

    receiver.answer = 200
    book(api, alice, "15:00")  # while paused: not sent
    settle(store, at)
    assert receiver.requests == tries
    resumed = api.call("PATCH", f"/webhooks/{sub}", {"active": True}, admin)
    assert resumed.status == 200 and resumed.body["subscription"]["failingSince"] is None
    settle(store, at)
    assert [e["type"] for e in receiver.received] == ["appointment.created", "appointment.created"]
    log = api.get(f"/webhooks/{sub}/deliveries", admin).body["deliveries"]
    assert [(d["status"], d["attempts"]) for d in log] == [("delivered", 1), ("delivered", tries + 1)]


def test_a_rotated_secret_signs_beside_the_old_one_until_the_overlap_ends(
    api: Api, store: Store, admin: str, alice: str, receiver: Receiver
) -> None:
    sub = subscribe(api, admin, receiver)
    old = receiver.secrets[0]
    rotated = api.post(f"/webhooks/{sub}/rotate", {"overlapHours": 2}, admin)
    assert rotated.status == 200, rotated.body
    new = rotated.body["secret"]
    assert new != old and rotated.body["subscription"]["secretsSigning"] == 2
    book(api, alice, "10:00")
    receiver.secrets = [old]  # a receiver not yet updated still verifies
    settle(store, datetime.now(UTC))
    assert len(receiver.received) == 1 and receiver.rejected == []
    receiver.secrets = [new]
    book(api, alice, "11:00")
    settle(store, datetime.now(UTC))
    assert len(receiver.received) == 2

    receiver.secrets = [old]  # past the overlap only the new secret signs
    book(api, alice, "15:00")
    settle(store, datetime.now(UTC) + timedelta(hours=3))
    assert receiver.rejected == ["No matching signature found"]


def test_subscriptions_are_checked_and_admins_only(api: Api, admin: str, alice: str, staff: str) -> None:
    good = {"url": "https://crm.example.com/hooks", "types": ["appointment.created"]}
    for token in (alice, staff):
        assert api.post("/webhooks", good, token).status == 403
        assert api.get("/webhooks", token).status == 403
    assert api.post("/webhooks", good).status == 401
    bad = [
        {"url": "ftp://crm.example.com", "types": ["appointment.created"]},
        {"url": "https://user:pw@crm.example.com", "types": ["appointment.created"]},
        {"url": "https://crm.example.com", "types": []},
        {"url": "https://crm.example.com", "types": ["appointment.eaten"]},
        {"url": "https://crm.example.com", "types": "appointment.created"},
        {"url": 7, "types": ["appointment.created"]},
        {"url": "https://crm.example.com", "types": ["appointment.created"], "extra": 1},
    ]
    for body in bad:
        answer = api.post("/webhooks", body, admin)
        assert answer.status == 400, (body, answer.body)
    assert api.get("/webhooks", admin).body["subscriptions"] == []
    made = api.post("/webhooks", good, admin).body["subscription"]
    assert api.call("PATCH", f"/webhooks/{made['id']}", {"types": ["nope"]}, admin).status == 400
    assert api.call("PATCH", f"/webhooks/{made['id']}", {"active": "yes"}, admin).status == 400
    assert api.post(f"/webhooks/{made['id']}/rotate", {"overlapHours": 500}, admin).status == 400
    assert api.get(f"/webhooks/{made['id']}/deliveries?cursor=bogus", admin).status == 400
    assert api.post(f"/webhooks/{made['id']}/deliveries/evt_x/replay", None, admin).status in (400, 404)
    assert api.get("/webhooks/nope", admin).status == 404
    listed = api.get("/webhooks", admin).body
    assert [s["id"] for s in listed["subscriptions"]] == [made["id"]]
    assert "secret" not in json.dumps(listed["subscriptions"]).replace("secretsSigning", "")
    assert "appointment.created" in listed["eventTypes"]
    assert api.delete(f"/webhooks/{made['id']}", admin).status == 200
    assert api.get(f"/webhooks/{made['id']}", admin).status == 404


PRIVATE = (
    "https://10.1.2.3/hooks",
    "https://192.168.0.10/hooks",
    "https://172.16.5.4/hooks",
    "https://169.254.169.254/latest/meta-data",
    "https://[fd00::1]/hooks",
    "https://[fe80::1]/hooks",
    "https://[::ffff:10.0.0.1]/hooks",
    "https://0.0.0.0/hooks",
    "https://100.64.0.1/hooks",
    "https://metadata.google.internal/hooks",
)


@pytest.mark.parametrize("url", [*PRIVATE, "https://127.0.0.1/hooks", "https://[::1]/x", "https://localhost/x"])
def test_deployed_a_subscription_to_a_private_or_loopback_address_is_refused(url: str) -> None:
    with pytest.raises(InvalidInput):
        target(url, local=False)


def test_deployed_only_https_and_public_names_are_taken() -> None:
    assert target("https://crm.example.com/hooks?x=1", local=False) == "https://crm.example.com/hooks?x=1"
    with pytest.raises(InvalidInput):
        target("http://crm.example.com/hooks", local=False)
    assert target("http://127.0.0.1:9000/hooks", local=True)  # the local stack's own receivers


def test_private_addresses_are_refused_locally_too(api: Api, admin: str) -> None:
    for url in PRIVATE:
        answer = api.post("/webhooks", {"url": url, "types": ["appointment.created"]}, admin)
        assert answer.status == 400, (url, answer.body)
    assert api.get("/webhooks", admin).body["subscriptions"] == []


def test_deployed_a_name_that_resolves_to_loopback_is_refused_before_connecting(receiver: Receiver) -> None:
    """A public-looking name checked at subscription may point inside later (DNS rebinding): each delivery resolves
    it again and connects only to the address it checked."""
    from chalicelib.integrations.webhooks import HttpSender, Outgoing

    rebound = receiver.url.replace("127.0.0.1", "localhost")
    attempt = HttpSender(local=False).send(Outgoing(rebound, "evt_1", "{}", ["whsec_QUFBQUFBQUFBQUFBQUFBQQ=="]))
    assert attempt.code == 0 and "may not reach" in attempt.error
    assert receiver.requests == 0


def test_a_redirect_is_not_followed(receiver: Receiver) -> None:
    from chalicelib.integrations.webhooks import HttpSender, Outgoing

    receiver.answer = 302
    receiver.secrets = ["whsec_" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB"]
    attempt = HttpSender(local=True).send(Outgoing(receiver.url, "evt_1", '{"a":1}', receiver.secrets))
    assert attempt.code == 302 and not attempt.ok
    assert receiver.requests == 1  # the Location was not asked


def test_a_prepaid_booking_tells_its_payment_and_its_refund(
    api: Api, store: Store, admin: str, alice: str, receiver: Receiver
) -> None:
    from tests.integration.test_payments import consume, hold, pay

    subscribe(api, admin, receiver)
    held = hold(api, alice)
    pay(api, alice, held["id"])
    assert api.put(f"/appointments/{held['id']}/cancel", {"reason": "plans changed"}, alice).status == 200
    consume()  # the refund the cancellation owes, made and applied
    consume()
    settle(store, datetime.now(UTC))
    got = [(e["type"], e["sequence"], e["data"]["appointment"]["paymentStatus"]) for e in receiver.received]
    kinds = [t for t, _, _ in got]
    assert kinds == [
        "appointment.created",
        "payment.succeeded",
        "appointment.confirmed",
        "appointment.cancelled",
        "payment.refunded",
    ], got
    assert got[0][2] == "awaiting_payment" and got[1][2] == "paid" and got[-1][2] == "refunded"
    sequences = [s for _, s, _ in got]
    assert sequences == sorted(sequences) and sequences[1] == sequences[2]  # paid and confirmed: one change


def test_a_receiver_back_gets_what_waits_at_once_not_at_each_next_try(
    api: Api, store: Store, admin: str, alice: str, bob: str, receiver: Receiver
) -> None:
    subscribe(api, admin, receiver, ["appointment.created"])
    receiver.failing = 1  # the first try fails; its retry is 5 s away
    book(api, alice, "10:00")
    book(api, bob, "11:00")
    settle(store, datetime.now(UTC))  # no time passes: the other's success sends the waiting one at once
    assert len(receiver.received) == 2 and receiver.requests == 3
