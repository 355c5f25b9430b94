"""`make bench`: one table, measured in one run, printed and written to bench/results.md.

In order: the deployment package (`chalice package`) and its cold import against a bare Chalice app
(scripts/bench_import.py); then, on the local AWS (moto, in this process), the main routes' DynamoDB
calls, the write units of a booking's whole life (scripts/bench_write_units.py), the stream consumer, the
booking's overhead over its own AWS calls (scripts/bench_booking.py), the reports at 10,000 appointments,
and availability for 20 staff at 0, 200 and 2,000 appointments over HTTP, with the items it read
(scripts/bench_availability.py).
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import bench_calls  # noqa: E402

APPOINTMENTS = int(os.environ.get("BENCH_APPOINTMENTS", "10000"))
RUNS = 5
IMPORT_RUNS = int(os.environ.get("BENCH_IMPORT_RUNS", "15"))
BOOKINGS = 40


def seed_history(store: Any, now: datetime, count: int) -> int:
    """`count` closed appointments over the last 365 days, written in batches (their figures come after)."""
    from chalicelib.domain.appointment import Appointment
    from chalicelib.domain.availability import Slot, wall_instant
    from chalicelib.domain.contact import CustomerInfo
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
                    booked.mark_no_show(closed, SETTINGS),
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


Row = tuple[str, str, str, str]  # measure, figure, DynamoDB calls, context


def measure_stream_consumer(store: Any, now: datetime) -> Row:
    """Bookings and cancels through the use cases, then the stream consumer over their records."""
    import app
    from chalicelib.domain.actor import Actor, Role
    from chalicelib.services import appointments, booking
    from scripts import demo_data
    from scripts.worker import TableStream

    stream = TableStream(os.environ["TABLE_NAME"], "us-east-1", start="LATEST")
    front_desk = Actor("bench-desk", Role.STAFF, "Bench")
    day = (now + timedelta(days=3)).astimezone(demo_data.SETTINGS.zone).date()
    day += timedelta(days=int(day.weekday() == 6))
    changes = 0
    for hour in (10, 11, 14, 15, 16):
        wanted = booking.BookingRequest("svc-cut", "staff-li", day, hour * 60, demo_data.CUSTOMERS[1])
        made = booking.book(store, Actor(f"bench-{hour}", Role.CUSTOMER), wanted, now)
        appointments.cancel(store, front_desk, made.id, "", now)
        changes += 2
    with bench_calls.recording() as calls:
        started = time.perf_counter()
        records = stream.drain(app.count_changes)
        took = (time.perf_counter() - started) * 1000 / changes
    per_change = Counter({op: n // changes for op, n in bench_calls.dynamodb(calls).items()})
    return (
        "stream consumer, per change",
        f"{took:.1f} ms",
        bench_calls.shown(per_change),
        f"{changes} changes, {records} stream records, through the app's `count_changes`",
    )


def measure_routes(store: Any, now: datetime) -> list[Row]:
    """The customer's and the front desk's main calls through the app's own routes (Chalice's test
    client, in process), each with its DynamoDB calls and median latency on moto."""
    import json

    from chalice.test import Client

    import app
    from chalicelib.config import get_settings
    from chalicelib.domain.actor import Role
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
            with bench_calls.recording() as calls:
                started = time.perf_counter()
                answer = call(method, path, token, body)
                took = (time.perf_counter() - started) * 1000
            rows.append((name, f"{took:.1f} ms", bench_calls.shown(bench_calls.dynamodb(calls)), "one call"))
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
    from chalicelib.domain.daily_figures import Bucket
    from chalicelib.domain.periods import Window
    from chalicelib.services import analytics

    def report() -> Any:
        return getattr(analytics, name)(store, period, now)

    with bench_calls.recording() as calls:
        report()
    on_moto = timed(report)
    catalogue = store.catalogue.read()
    currency = catalogue.settings.currency
    window = Window.ending(now.astimezone(catalogue.settings.zone).date(), period)
    bucket = Bucket.CUSTOMERS if name == "customers" else Bucket.DAY
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
    return (
        f"report {name} {period}",
        f"{on_moto:.1f} ms",
        bench_calls.shown(bench_calls.dynamodb(calls)),
        f"{len(days)} figure items read; {in_python:.1f} ms of it in Python",
    )


def machine() -> Row:
    cpu = platform.processor() or platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []:
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    system = platform.platform(terse=True)
    if Path("/etc/os-release").exists():
        fields = dict(line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line)
        system = f"{fields.get('PRETTY_NAME', '').strip(chr(34))}, Linux {platform.release()}"
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    python = f"Python {platform.python_version()}"
    return ("machine", f"{cpu}, {os.cpu_count()} cores", "", f"{python}; {system}; load average {load} at the start")


def package_rows() -> list[Row]:
    from scripts import bench_import

    with tempfile.TemporaryDirectory(prefix="slotbook-package-") as out:
        chalice_zip = bench_import.package(Path(out) / "chalice")
        finished = bench_import.deployed(chalice_zip, Path(out))
        raw, _ = bench_import.cold_import(chalice_zip, IMPORT_RUNS)
        deployed, extra = bench_import.cold_import(finished, IMPORT_RUNS)
        size, raw_size = bench_import.package_size(finished), bench_import.package_size(chalice_zip)
    mb = 1_000_000
    largest = ", ".join(f"{name} {n / mb:.1f}" for name, n in size.largest)
    beyond = ", ".join(f"{name} {ms:.0f}" for name, ms in extra[:8])
    how = f"median of {IMPORT_RUNS} fresh interpreters each, interleaved, with -B (/var/task is read-only)"
    return [
        (
            "cold import of app.py vs a bare Chalice app importing boto3, as deployed",
            f"{deployed.ratio:.2f}x",
            "",
            f"app {deployed.app_seconds * 1000:.0f} ms, bare {deployed.bare_seconds * 1000:.0f} ms "
            f"(CPU time {deployed.cpu_ratio:.2f}x); {how}; the package finished by scripts/lambda_package.py "
            f"(bytecode shipped, the runtime's SDK left out); beyond the bare app's imports (ms, -X importtime): "
            f"{beyond}",
        ),
        (
            "the same, as `chalice package` builds it",
            f"{raw.ratio:.2f}x",
            "",
            f"app {raw.app_seconds * 1000:.0f} ms, bare {raw.bare_seconds * 1000:.0f} ms "
            f"(CPU time {raw.cpu_ratio:.2f}x); sources only, botocore vendored: each cold start compiles them",
        ),
        (
            "deployment package, as deployed",
            f"{size.zip_bytes / mb:.1f} MB zipped",
            "",
            f"{size.unzipped_bytes / mb:.1f} MB unzipped (bytecode included); largest (MB unzipped): {largest}; "
            f"as `chalice package --stage dev` builds it: {raw_size.zip_bytes / mb:.1f} MB zipped, "
            f"{raw_size.unzipped_bytes / mb:.1f} MB unzipped",
        ),
    ]


def booking_rows(store: Any, now: datetime) -> list[Row]:
    from scripts import bench_booking

    o = bench_booking.measure(store, now, BOOKINGS, ROOT)
    others = ", ".join(f"{op} {n}" for op, n in sorted(o.others.items()))
    return [
        (
            "booking overhead: `POST /appointments/book` through the app vs its DynamoDB calls made directly",
            f"{o.ratio:.2f}x",
            bench_calls.shown(o.calls),
            f"median of {o.bookings} bookings on the demo business: {o.app_ms:.1f} ms through the app (Chalice's "
            "test client, in process) "
            f"vs {o.dynamodb_ms:.1f} ms for the same calls from a plain boto3 client to the same moto; the app's "
            f"time also holds {others} ({o.others_ms:.1f} ms made directly): {o.all_calls_ratio:.2f}x all its calls",
        )
    ]


def webhook_rows(now: datetime) -> list[Row]:
    from scripts import bench_webhooks

    return bench_webhooks.bench_rows(now)


def write_unit_rows(now: datetime) -> list[Row]:
    from scripts import bench_write_units

    return bench_write_units.bench_rows(now)


def availability_rows(store: Any, now: datetime) -> list[Row]:
    from scripts import bench_availability as scale
    from scripts.soak import percentile

    a = scale.measure(store, now, ROOT)
    first, busiest = a.levels[0], a.busiest

    def p50(timed: list[Any]) -> float:
        return percentile([t.seconds * 1000 for t in timed], 0.5)

    def calls_of(timed: list[Any]) -> str:
        calls = Counter(bench_calls.shown(t.calls) for t in timed)
        return "; ".join(f"{c} in {n} calls" if len(calls) > 1 else c for c, n in calls.most_common())

    def row(name: str, pick: Callable[[Any], list[Any]]) -> Row:
        ms = [t.seconds * 1000 for t in pick(busiest)]
        at_levels = ", ".join(f"{level.appointments:,}: {p50(pick(level)):.1f} ms" for level in a.levels)
        return (
            f"{name}, at {busiest.appointments:,} appointments",
            f"p50 {percentile(ms, 0.5):.1f} ms, p99 {percentile(ms, 0.99):.1f} ms",
            calls_of(pick(busiest)),
            f"{len(ms)} calls; p50 by appointments held: {at_levels}",
        )

    levels = " / ".join(f"{level.appointments:,}" for level in a.levels)
    totals = " / ".join(f"{level.total_seconds:.1f} s" for level in a.levels)
    seeded = ", ".join(
        f"{level.appointments:,}: {level.calendar_days:,} calendar days, {level.items['stamps']:,} schedules"
        for level in a.levels[1:]
    )
    calendar = " / ".join(f"{level.read_per_staff_day(scale.CALENDAR):.2f}" for level in a.levels)
    everything = " / ".join(
        f"{level.read_per_staff_day(scale.CALENDAR) + level.read_per_staff_day(scale.CATALOGUE):.2f}"
        for level in a.levels
    )
    catalogue = {sum(t.read[scale.CATALOGUE] for t in level.dates) // len(level.dates) for level in a.levels}
    return [
        (
            f"availability for {scale.STAFF} staff x {scale.DAYS} days over HTTP, a customer app's calls, "
            f"at {levels} appointments",
            f"{totals}; {busiest.appointments:,} vs 0: {busiest.total_seconds / first.total_seconds:.2f}x",
            f"{sum(sum(t.calls.values()) for t in busiest.all):,} in all at each",
            f"{len(busiest.all)} requests at each level, one after another: per staff member the dates with free "
            f"slots for {scale.DAYS} days, then the slots of each day; `chalice local` in process, on moto; staff "
            "made through `POST /admin/staff`, appointments written through the store, each level adding to the "
            f"one before ({seeded}; {busiest.seeded_seconds:.1f} s for the last); p50 per call "
            f"{p50(first.all):.1f} / {p50(busiest.all):.1f} ms at 0 / {busiest.appointments:,}",
        ),
        (
            f"items read per staff-day, dates with free slots for {scale.DAYS} days, at {levels} appointments",
            f"{calendar} calendar-day items; {everything} with the catalogue",
            calls_of(busiest.dates),
            "measured, not computed: each Query's ScannedCount as DynamoDB answered it (botocore `after-call`, "
            f"scripts/bench_calls.py), summed over the {len(busiest.dates)} calls and divided by "
            f"{len(busiest.dates)} staff x {scale.DAYS} days; the calendar's Query reads at most one item per "
            f"UTC day it spans, whatever the day holds; the catalogue's Query (settings, services, staff) read "
            f"{' / '.join(map(str, sorted(catalogue)))} items a call, whatever the bookings",
        ),
        row(f"availability: dates with free slots, {scale.DAYS} days, per staff member", lambda level: level.dates),
        (
            f"availability for any staff: dates with free slots, {scale.DAYS} days, one call over everyone who "
            f"performs the service, at {levels} appointments",
            " / ".join(f"{p50(level.any_dates):.0f} ms" for level in a.levels)
            + f"; {busiest.appointments:,} vs 0: {p50(busiest.any_dates) / p50(first.any_dates):.2f}x",
            calls_of(busiest.any_dates),
            f"median of {scale.ANY_RUNS} calls at each level, {scale.STAFF} bench stylists and the demo's two who cut "
            "hair; calendar-day items read a call: "
            + " / ".join(f"{level.any_dates[0].read[scale.CALENDAR]}" for level in a.levels)
            + f", the catalogue {first.any_dates[0].read[scale.CATALOGUE]}",
        ),
        (
            f"availability of a visit (a haircut then a scalp treatment, each for any staff): dates with free starts, "
            f"{scale.DAYS} days, one call, at {levels} appointments",
            " / ".join(f"{p50(level.visit_dates):.0f} ms" for level in a.levels)
            + f"; {busiest.appointments:,} vs 0: {p50(busiest.visit_dates) / p50(first.visit_dates):.2f}x",
            calls_of(busiest.visit_dates),
            f"median of {scale.ANY_RUNS} calls at each level; each candidate's calendar read once for both services; "
            "calendar-day items read a call: "
            + " / ".join(f"{level.visit_dates[0].read[scale.CALENDAR]}" for level in a.levels),
        ),
        row("availability: slots of a day, per staff member and day", lambda level: level.slots),
        row("availability: either, per call", lambda level: level.all),
    ]


def main() -> None:
    bench_calls.install()
    rows = [machine(), *package_rows()]
    from scripts.bench_write_units import demo_business

    server, store, _ = demo_business()  # before anything of chalicelib is imported: it sets the environment
    from chalicelib.services import analytics

    now = datetime.now(UTC)
    units = write_unit_rows(now)  # first, on the demo business alone: its sweeps relay its own booking's messages
    rows += measure_routes(store, now)
    rows += units
    rows.append(measure_stream_consumer(store, now))
    rows += booking_rows(store, now)
    rows += webhook_rows(now)

    started = time.perf_counter()
    seed_history(store, now, APPOINTMENTS)
    seeded = time.perf_counter() - started
    started = time.perf_counter()
    items = analytics.rebuild(store)
    rebuilt = time.perf_counter() - started
    rows += [measure_report(store, now, name, period) for name in REPORTS for period in ("30d", "365d")]
    rows += availability_rows(store, now)
    server.stop()

    table = [
        "Measured in one run of `make bench`. Ratios are the figures; absolute times are context: moto on",
        "loopback serves every AWS call, in the bench's own process (reading one partition for a Query on the",
        "table's key, as DynamoDB does: scripts/local_aws.py). Routes go through the app (Chalice's test client)",
        f"on the demo business, one call each; the reports run over {APPOINTMENTS:,} past appointments ({items} figure",
        f"items; seeded in {seeded:.1f} s, figures rebuilt in {rebuilt:.1f} s), median of {RUNS} runs.",
        "",
        "| measure | figure | DynamoDB calls | context |",
        "|---|---|---|---|",
        *(f"| {' | '.join(row)} |" for row in rows),
    ]
    text = "\n".join(table) + "\n"
    print(text)
    results = ROOT / "bench" / "results.md"
    results.parent.mkdir(exist_ok=True)
    before = results.read_text() if results.exists() else ""
    measured_apart = before[before.find("\n## ") :] if "\n## " in before else ""  # the peer side by side
    results.write_text("# Benchmarks (`make bench`)\n\n" + text + measured_apart)


if __name__ == "__main__":
    main()
