"""What outbound webhooks cost, and how they ride out a receiver's outage (docs/cost.md, issue 19's note).

    .venv/bin/python scripts/bench_webhooks.py

On the local AWS (moto, in this process) with the demo business and one subscription to every event type, the
work is done as the deployed functions do it (`workers.webhooks.work`) at times this script chooses, so hours of
the retry schedule pass in seconds:

0. request time: bookings and cancellations through the app, in alternating blocks without and with a
   subscription (its deliveries left to the queue, as on AWS);
1. cost: bookings then cancellations, each change metered (scripts/bench_write_units.py's Meter) with and
   without the subscription, and the webhooks queue's work metered per event: write and read units, SQS
   requests, the function's time per message;
2. outage: a receiver down for the first two hours while 50 events arrive over its first 50 minutes; every
   minute the sweep and the queue's work run; how many tries each event took and when it arrived.
"""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bench_write_units import Driver, Meter, demo_business, working_day  # noqa: E402

QUEUE_TIME: list[float] = []
BLOCKS, PER_BLOCK = 6, 8  # bookings (each then cancelled) without and with a subscription, alternating blocks


class Receiver:
    """Counts every request; down (503) while `down` is set."""

    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()  # webhook-id: tries
        self.down = False
        self.arrived: dict[str, datetime] = {}
        self.clock = datetime.now(UTC)
        me = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length", "0")))
                event_id = str(self.headers.get("webhook-id"))
                me.requests[event_id] += 1
                if not me.down:
                    me.arrived.setdefault(event_id, me.clock)
                self.send_response(503 if me.down else 204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"


def work(now: datetime) -> int:
    """The webhooks queue's messages, as the function takes them, at `now`; how many."""
    import boto3

    from chalicelib.config import get_settings
    from chalicelib.workers import webhooks

    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName=get_settings().webhooks_queue)["QueueUrl"]
    done = 0
    while batch := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        for message in batch:
            started = time.perf_counter()
            webhooks.work(json.loads(message["Body"]), now, clock=None)
            QUEUE_TIME.append(time.perf_counter() - started)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            done += 1
    return done


def sqs_requests(client: Any) -> Counter[str]:
    """Every SQS request of the app's own client, counted (sends; the function's receives are per message)."""
    counted: Counter[str] = Counter()
    client.meta.events.register("after-call.sqs", lambda model, **_: counted.update([model.name]))
    return counted


def main() -> None:
    server, store, settings = demo_business()
    from chalice.test import Client

    import app
    from chalicelib.integrations.aws import client
    from scripts import demo_data, local_aws

    local_aws.create_queue(settings.webhooks_queue, settings.region)
    meter = Meter(store.table.connection.client, store.table.name)
    sent = sqs_requests(client("sqs", settings.region))
    zone = demo_data.SETTINGS.zone
    receiver = Receiver()
    try:
        with Client(app.app, stage_name="local", project_dir=str(ROOT)) as http:
            cost = api_cost(http, datetime.now(UTC), meter)
            print(
                f"request time, median of {cost.requests} each way: {cost.with_ms:.1f} ms with a subscription, "
                f"{cost.without_ms:.1f} ms without ({cost.ratio:.2f}x)"
            )
            d = Driver(http, meter, zone)
            day = working_day(datetime.now(UTC), 12, zone)

            def book_and_cancel(time_slot: str) -> None:
                d.new_customer()
                made = d.book("svc-consult", "staff-li", day, time_slot)
                d.call("PUT", f"/appointments/{made['id']}/cancel", {})

            with meter.measuring() as bare:
                book_and_cancel("10:00")
            subscribed = d.call("POST", "/webhooks", {"url": receiver.url, "types": list_types()}, d.admin)
            subscription = subscribed["subscription"]["id"]
            with meter.measuring() as hooked:
                book_and_cancel("11:00")
            sent.clear()
            QUEUE_TIME.clear()
            with meter.measuring() as delivering:
                work(datetime.now(UTC))
            events = len(receiver.requests)
            print(cost_report(bare, hooked, delivering, sent, events))
            d.call("DELETE", f"/webhooks/{subscription}", None, d.admin)
            print(outage(d, day, receiver))
    finally:
        receiver.server.shutdown()
        server.stop()


@dataclass(frozen=True)
class ApiCost:
    without_ms: float  # median request time of a booking or a cancellation, no subscription
    with_ms: float  # the same, a subscription to every event attached (its deliveries are the queue's work)
    requests: int

    @property
    def ratio(self) -> float:
        return self.with_ms / self.without_ms


def api_cost(client: Any, first: datetime, meter: Meter | None = None) -> ApiCost:
    """Bookings and their cancellations through the app (Chalice's test client, in process), in alternating blocks
    without and with a subscription, so that drift falls on both alike; the webhooks queue is left alone while
    they run, as on AWS its work runs in functions of its own."""
    from scripts import demo_data
    from scripts.bench_booking import _openings

    zone = demo_data.SETTINGS.zone
    d = Driver(client, meter or Meter(client_for_meter(), table_name()), zone)
    openings = _openings((first + timedelta(days=20)).astimezone(zone).date(), zone)
    timed: dict[bool, list[float]] = {False: [], True: []}
    subscription = ""
    receiver = Receiver()
    try:
        for block in range(BLOCKS):
            attached = block % 2 == 1
            if attached and not subscription:
                made = d.call("POST", "/webhooks", {"url": receiver.url, "types": list_types()}, d.admin)
                subscription = made["subscription"]["id"]
            elif not attached and subscription:
                d.call("DELETE", f"/webhooks/{subscription}", None, d.admin)
                subscription = ""
            for _ in range(PER_BLOCK):
                d.new_customer()
                staff, day, time_slot = next(openings)
                started = time.perf_counter()
                booked = d.book("svc-consult", staff, day, time_slot)
                timed[attached].append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                d.call("PUT", f"/appointments/{booked['id']}/cancel", {})
                timed[attached].append((time.perf_counter() - started) * 1000)
    finally:
        if subscription:
            d.call("DELETE", f"/webhooks/{subscription}", None, d.admin)
        receiver.server.shutdown()
    return ApiCost(statistics.median(timed[False]), statistics.median(timed[True]), len(timed[True]))


def client_for_meter() -> Any:
    from chalicelib.store import get_store

    return get_store().table.connection.client


def table_name() -> str:
    from chalicelib.config import get_settings

    return get_settings().table_name


def bench_rows(now: datetime) -> list[tuple[str, str, str, str]]:
    """`make bench`'s row (scripts/bench.py), on the table it set up (with the webhooks queue)."""
    from chalice.test import Client

    import app
    from chalicelib.config import get_settings
    from scripts import local_aws

    settings = get_settings()
    local_aws.create_queue(settings.webhooks_queue, settings.region)
    with Client(app.app, stage_name="local", project_dir=str(ROOT)) as client:
        cost = api_cost(client, now)
    return [
        (
            "a booking's and a cancellation's request time with a webhook subscription attached vs without",
            f"{cost.ratio:.2f}x",
            "+1 item in the change's transaction, +1 SQS message",
            f"median of {cost.requests} requests each way, in alternating blocks of {PER_BLOCK} bookings and their "
            f"cancellations: {cost.with_ms:.1f} ms with, {cost.without_ms:.1f} ms without (the subscriptions' Query "
            "is made either way); the deliveries are the webhooks queue's work, apart; scripts/bench_webhooks.py",
        )
    ]


def list_types() -> list[str]:
    from chalicelib.domain.webhooks import EventType

    return [t.value for t in EventType]


def cost_report(bare: Any, hooked: Any, delivering: Any, sent: Counter[str], events: int) -> str:
    change_writes = (hooked.writes - bare.writes) / 2  # two changes: the booking and the cancellation
    change_reads = (hooked.read - bare.read) / 2
    per_event_writes = delivering.writes / events
    per_event_reads = delivering.read / events
    sends = sent["SendMessage"] / events
    ms = statistics.mean(QUEUE_TIME) * 1000 if QUEUE_TIME else 0.0
    return "\n".join(
        [
            f"events: {events} (a booking and its cancellation, one subscription)",
            f"per change that makes an event: +{change_writes:.1f} write units, +{change_reads:.1f} read units "
            f"(the event in the change's transaction; the subscriptions read)",
            f"per event, the queue's work: {per_event_writes:.1f} write units, {per_event_reads:.1f} read units, "
            f"{sends:.1f} messages sent (+ the request's own fan-out message), {len(QUEUE_TIME) / events:.1f} "
            f"function runs of {ms:.0f} ms on average here",
            f"delivery calls: {dict(delivering.calls)}",
        ]
    )


def outage(d: Any, day: Any, receiver: Receiver) -> str:
    """50 events (25 bookings, each cancelled) over the first 50 minutes of a two-hour outage; a minute at a time."""
    from chalicelib.integrations.queue import get_webhooks_queue
    from chalicelib.services import webhooks
    from chalicelib.store import get_store

    receiver.requests.clear()
    receiver.arrived.clear()
    made = d.call(
        "POST", "/webhooks", {"url": receiver.url, "types": ["appointment.created", "appointment.cancelled"]}, d.admin
    )
    subscription = made["subscription"]["id"]
    start = datetime.now(UTC)
    receiver.down = True
    booked = 0
    for minute in range(0, 8 * 60):
        now = start + timedelta(minutes=minute)
        receiver.clock = now
        receiver.down = minute < 120
        if minute < 50 and minute % 2 == 0:  # the same time each time: the cancellation freed it
            d.new_customer()
            made_one = d.book("svc-consult", "staff-li", day, "14:00")
            d.call("PUT", f"/appointments/{made_one['id']}/cancel", {})
            booked += 1
        webhooks.sweep(get_store(), get_webhooks_queue(), now)
        work(now)
    tries = list(receiver.requests.values())
    late = sorted((at - start).total_seconds() / 60 for at in receiver.arrived.values())
    d.call("DELETE", f"/webhooks/{subscription}", None, d.admin)
    return "\n".join(
        [
            f"outage: receiver down 0-120 min, {len(tries)} events over the first 50 min, the sweep every minute",
            f"  delivered: {len(receiver.arrived)} of {len(tries)}; tries per event: mean "
            f"{statistics.mean(tries):.2f}, max {max(tries)} (retries per event {statistics.mean(tries) - 1:.2f})",
            f"  arrived from minute {late[0]:.0f} to {late[-1]:.0f} (the receiver was back at 120)",
        ]
    )


if __name__ == "__main__":
    main()
