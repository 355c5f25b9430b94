"""`make bench`: figures, measured in one run on the local AWS (moto), printed and written to bench/results.md.

The main routes' DynamoDB calls; the stream consumer per change; then 10,000 past appointments over a
year, their figures rebuilt, and each report's calls and latency at 30 and 365 days.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

APPOINTMENTS = int(os.environ.get("BENCH_APPOINTMENTS", "10000"))
RUNS = 10


@contextmanager
def dynamodb_calls(client: Any) -> Iterator[Counter[str]]:
    """DynamoDB calls made through one botocore client, by operation."""
    calls: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    client.meta.events.register("before-call.dynamodb", count, unique_id="bench-count")
    try:
        yield calls
    finally:
        client.meta.events.unregister("before-call.dynamodb", unique_id="bench-count")


def seed_history(store: Any, now: datetime, count: int) -> int:
    """`count` closed appointments over the last 365 days, written in batches (their figures come after)."""
    from chalicelib.domain.appointment import Appointment, CustomerInfo
    from chalicelib.domain.availability import Slot, wall_instant
    from chalicelib.store import mapping
    from chalicelib.store.models import AppointmentItem
    from scripts.demo_data import FRONT_DESK, SERVICES, SETTINGS, STAFF

    rng = random.Random(10_000)
    today = now.astimezone(SETTINGS.zone).date()
    customers = [CustomerInfo(f"Customer {i}", f"+861380000{i:04d}") for i in range(1500)]
    with AppointmentItem.batch_write() as batch:
        for _ in range(count):
            day = today - timedelta(days=rng.randint(1, 365))
            staff = rng.choice(STAFF)
            service = rng.choice([s for s in SERVICES if staff.performs(s)])
            start = wall_instant(day, rng.choice(range(9 * 60, 17 * 60, 30)), SETTINGS.zone)
            slot = Slot(start, start + timedelta(minutes=service.duration))
            i = rng.randrange(len(customers))
            booked = Appointment.arrange(
                f"customer-{i}",
                customers[i],
                service,
                staff,
                slot,
                SETTINGS,
                start - timedelta(hours=rng.randint(2, 300)),
            )
            closed = slot.end + timedelta(minutes=5)
            final = rng.choices(
                [
                    booked.complete(closed),
                    booked.mark_no_show(closed),
                    booked.cancel(FRONT_DESK, "", booked.created_at, SETTINGS),
                ],
                weights=[80, 8, 12],
            )[0]
            batch.save(mapping.appointment_item(final))
    return count


def timed(action: Callable[[], Any], runs: int = RUNS) -> float:
    """Median latency in milliseconds."""
    took = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        took.append((time.perf_counter() - started) * 1000)
    return statistics.median(took)


Row = tuple[str, str, str, str, str]


def _shown(calls: Counter[str]) -> str:
    return f"{sum(calls.values())} ({', '.join(f'{op} {n}' for op, n in sorted(calls.items()))})"


def measure_stream_consumer(store: Any, now: datetime) -> Row:
    """Bookings and cancels through the use cases, then the stream consumer over their records."""
    import app
    from chalicelib.domain.appointment import Actor, Role
    from chalicelib.services import appointments
    from scripts import demo_data
    from scripts.worker import TableStream

    stream = TableStream(os.environ["TABLE_NAME"], "us-east-1", start="LATEST")
    front_desk = Actor("bench-desk", Role.STAFF, "Bench")
    day = (now + timedelta(days=3)).astimezone(demo_data.SETTINGS.zone).date()
    day += timedelta(days=int(day.weekday() == 6))
    changes = 0
    for hour in (10, 11, 14, 15, 16):
        wanted = appointments.BookingRequest("svc-cut", "staff-li", day, hour * 60, demo_data.CUSTOMERS[1])
        made = appointments.book(store, Actor(f"bench-{hour}", Role.CUSTOMER), wanted, now)
        appointments.cancel(store, front_desk, made.id, "", now)
        changes += 2
    with dynamodb_calls(store.connection.client) as calls:
        started = time.perf_counter()
        records = stream.drain(app.count_changes)
        took = (time.perf_counter() - started) * 1000 / changes
    per_change = Counter({op: n // changes for op, n in calls.items()})
    return (
        f"stream consumer, per change ({changes} changes, {records} records)",
        _shown(per_change),
        "",
        f"{took:.1f}",
        "",
    )


def measure_routes(store: Any, now: datetime) -> list[Row]:
    """The customer's and the front desk's main calls through the app's own routes (Chalice's test
    client, in process), each with its DynamoDB calls and median latency on moto."""
    import json

    from chalice.test import Client

    import app
    from chalicelib.config import get_settings
    from chalicelib.domain.appointment import Role
    from chalicelib.services.identity import dev_login
    from scripts import demo_data

    settings = get_settings()
    customer, _ = dev_login(settings, Role.CUSTOMER, "Bench Customer")
    staff, _ = dev_login(settings, Role.STAFF, "Bench Desk")
    day = (now + timedelta(days=4)).astimezone(demo_data.SETTINGS.zone).date()
    day += timedelta(days=int(day.weekday() == 6))
    rows: list[Row] = []
    with Client(app.app, stage_name="local", project_dir=str(ROOT)) as client:

        def call(method: str, path: str, token: str, body: Any = None) -> Any:
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            answer = client.http.request(method, path, headers=headers, body=json.dumps(body or {}).encode())
            assert answer.status_code < 300, (path, answer.status_code, answer.body)
            return json.loads(answer.body)

        def row(name: str, method: str, path: str, token: str, body: Any = None) -> Any:
            with dynamodb_calls(store.connection.client) as calls:
                started = time.perf_counter()
                answer = call(method, path, token, body)
                took = (time.perf_counter() - started) * 1000
            rows.append((name, _shown(calls), "", f"{took:.1f}", ""))
            return answer

        slots = "/appointments/availability/slots?serviceId=svc-cut&staffId=staff-li&date="
        row("slots of a day", "GET", f"{slots}{day}", customer)
        dates = "/appointments/availability/dates?serviceId=svc-cut&staffId=staff-li&days=30"
        row("dates with free slots, 30 days", "GET", dates, customer)
        booking = {
            "serviceId": "svc-cut",
            "staffId": "staff-li",
            "date": day.isoformat(),
            "timeSlot": "10:00",
            "customerInfo": {"name": "Bench Customer", "phone": "13800138000"},
        }
        made = row("book", "POST", "/appointments/book", customer, booking)["appointment"]
        moved = {"date": day.isoformat(), "timeSlot": "14:00"}
        row("reschedule", "PUT", f"/appointments/{made['id']}/reschedule", customer, moved)
        row("cancel", "PUT", f"/appointments/{made['id']}/cancel", customer, {"reason": "bench"})
        row("overview of a day", "GET", f"/appointments/schedule/overview?date={day}", staff)
    return rows


REPORTS = ("bookings", "services", "staff", "revenue", "customers")


def measure_report(store: Any, now: datetime, name: str, period: str) -> Row:
    """The report as the route makes it, then its own work alone on the figures it read."""
    from chalicelib.domain import analytics as figures
    from chalicelib.services import analytics

    def report() -> Any:
        return getattr(analytics, name)(store, period, now)

    with dynamodb_calls(store.connection.client) as calls:
        report()
    on_moto = timed(report)
    catalogue = store.catalogue()
    currency = catalogue.settings.currency
    window = figures.Window.ending(now.astimezone(catalogue.settings.zone).date(), period)
    bucket = figures.Bucket.CUSTOMERS if name == "customers" else figures.Bucket.DAY
    first = window.before(figures.LOOKBACK_DAYS).first if name == "customers" else window.first
    days = store.figures.read(bucket, first, window.last)
    assemble: dict[str, Callable[[], Any]] = {
        "bookings": lambda: figures.booking_metrics(days, window, currency),
        "services": lambda: figures.service_popularity(days, window, catalogue),
        "staff": lambda: figures.staff_utilization(days, window, catalogue),
        "revenue": lambda: figures.revenue(days, window, currency),
        "customers": lambda: figures.customer_insights(days, window, currency),
    }
    in_python = timed(assemble[name])
    return (f"report {name} {period}", _shown(calls), f"{len(days)}", f"{on_moto:.1f}", f"{in_python:.1f}")


def main() -> None:
    for name, value in {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}.items():
        os.environ.setdefault(name, value)
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
    from scripts import demo_data, local_aws
    from scripts.local_stack import stage_environment

    os.environ.update(stage_environment("local"))
    server, endpoint = local_aws.start(0)
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    from chalicelib.config import get_settings
    from chalicelib.services import analytics
    from chalicelib.store import get_store

    settings = get_settings()
    store = get_store()
    store.create_table()
    demo_data.load(store)
    local_aws.create_messaging(settings.notices_queue, settings.sender_email, settings.region)
    local_aws.create_payments(settings.payments_queue, settings.secrets_id, settings.region)
    now = datetime.now(UTC)
    rows = measure_routes(store, now)
    rows.append(measure_stream_consumer(store, now))

    started = time.perf_counter()
    seed_history(store, now, APPOINTMENTS)
    seeded = time.perf_counter() - started
    started = time.perf_counter()
    items = analytics.rebuild(store)
    rebuilt = time.perf_counter() - started
    rows += [measure_report(store, now, name, period) for name in REPORTS for period in ("30d", "365d")]
    server.stop()

    table = [
        "The routes through the app (Chalice's test client) and the stream consumer on the demo business; then",
        f"the reports at {APPOINTMENTS:,} appointments over 365 days ({items} figure items; seeded in {seeded:.1f} s,",
        f"figures rebuilt in {rebuilt:.1f} s), median of {RUNS} runs. moto on loopback serves each call, so",
        "times are context; `ms in Python` is a report's own work on the figures it read, without the calls.",
        "",
        "| operation | DynamoDB calls | figure items read | ms on moto (one call) | ms in Python |",
        "|---|---|---|---|---|",
        *(f"| {' | '.join(row)} |" for row in rows),
    ]
    text = "\n".join(table) + "\n"
    print(text)
    results = ROOT / "bench" / "results.md"
    results.parent.mkdir(exist_ok=True)
    results.write_text("# Benchmarks (`make bench`)\n\n" + text)


if __name__ == "__main__":
    main()
