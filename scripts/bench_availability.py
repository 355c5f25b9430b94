"""Availability at scale, end to end: 20 staff, 2,000 appointments over the next 30 days, over HTTP.

The staff are made through the admin routes and given Mon-Sat hours through the staff route, on
`chalice local` (in this process, on a free port) in front of the bench's moto. The appointments are
written through the store's own booking write (`store/changes.writes_of_change`: the appointment, its
audit entry, the customer's profile, the notices it owes), and the calendar days they hold, as batch
writes rather than one transaction each: the use case's limit check is a Query on an index, which moto
answers by reading the whole table, so 2,000 bookings through it would take most of ten minutes.
Then the calls a customer app makes are timed: per staff member, the dates with free slots for 30
days, and the free slots of each of those 30 days.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from scripts import bench_calls

STAFF = 20
APPOINTMENTS = 2000
DAYS = 30
CUSTOMERS = 200  # ten upcoming appointments each: the default limit
SERVICES = ("svc-consult", "svc-cut", "svc-scalp")  # the demo's free services: confirmed at once
OPEN = ((9 * 60, 12 * 60), (13 * 60, 18 * 60))  # Mon-Sat, with the lunch break
HOURS = {
    "weekly": {d: [{"start": "09:00", "end": "18:00"}] for d in ("mon", "tue", "wed", "thu", "fri", "sat")},
    "breaks": [{"start": "12:00", "end": "13:00"}],
}


@dataclass(frozen=True)
class Timed:
    seconds: float
    calls: Counter[str]


@dataclass(frozen=True)
class Availability:
    dates: list[Timed]
    slots: list[Timed]
    total_seconds: float
    seeded_seconds: float
    items: Counter[str]  # what the seeding wrote, by item type

    @property
    def all(self) -> list[Timed]:
        return self.dates + self.slots


@contextmanager
def chalice_local(root: Path) -> Iterator[str]:
    """`chalice local` for the stage `local`, in a thread of this process, on a free port."""
    from chalice.cli import create_local_server
    from chalice.cli.factory import CLIFactory
    from chalice.local import ChaliceRequestHandler

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    ChaliceRequestHandler.log_message = lambda *_: None  # its access log: a line per request
    server = create_local_server(CLIFactory(project_dir=str(root)), "127.0.0.1", port, "local")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.server.shutdown()
        server.server.server_close()


class _Batched:
    """Stands in for the store's transaction: the same items, as batch writes. A customer's profile is
    updated at their first booking only: each booking's update sets the same fields, but for the time."""

    def __init__(self, batch: Any, written: Counter[str]) -> None:
        self._batch, self._written = batch, written
        self._profiles: set[tuple[str, str]] = set()

    def save(self, role: str, model: Any, condition: Any = None) -> None:
        model.update_local_version_attribute()  # what the transaction's put writes: the version after it
        self._batch.save(model)
        self._written[role] += 1

    def delete(self, role: str, model: Any, condition: Any = None) -> None:
        self._batch.delete(model)

    def update(self, role: str, model: Any, actions: list[Any], condition: Any = None) -> None:
        if (model.pk, model.sk) not in self._profiles:
            self._profiles.add((model.pk, model.sk))
            model.update(actions=actions)
            self._written[role] += 1


def _day_plan(rng: random.Random, wanted: int, durations: dict[str, int]) -> list[tuple[int, str]]:
    """Up to `wanted` non-overlapping (start minute, service) within the day's hours."""
    taken: list[tuple[int, int]] = []
    starts = list(range(9 * 60, 18 * 60, 30))
    rng.shuffle(starts)
    plan: list[tuple[int, str]] = []
    for start in starts:
        if len(plan) == wanted:
            break
        service = rng.choice(SERVICES)
        end = start + durations[service]
        fits = any(opens <= start and end <= closes for opens, closes in OPEN)
        if fits and all(end <= s or start >= e for s, e in taken):
            taken.append((start, end))
            plan.append((start, service))
    return plan


def seed(store: Any, staff_ids: list[str], now: datetime) -> Counter[str]:
    """APPOINTMENTS confirmed bookings spread over the staff and the next DAYS days, as the API writes them."""
    from chalicelib.domain import notices
    from chalicelib.domain.actor import Actor, Role
    from chalicelib.domain.appointment import Appointment
    from chalicelib.domain.availability import Slot, wall_instant
    from chalicelib.domain.contact import CustomerInfo
    from chalicelib.domain.history import Change
    from chalicelib.domain.occupancy import CalendarDay, holdings
    from chalicelib.store import mapping
    from chalicelib.store.changes import writes_of_change
    from chalicelib.store.models import Item
    from chalicelib.store.occupancy import day_item

    rng = random.Random(2000)
    catalogue = store.catalogue.read()
    zone = catalogue.settings.zone
    today = now.astimezone(zone).date()
    days = [today + timedelta(days=n) for n in range(1, DAYS)]
    days = [d for d in days if d.weekday() != 6]
    per_staff_day, extra = divmod(APPOINTMENTS, len(staff_ids) * len(days))
    durations = {s: catalogue.services[s].duration for s in SERVICES}
    written: Counter[str] = Counter()
    made = 0
    held: dict[tuple[str, date], CalendarDay] = {}
    with Item.batch_write() as batch:
        writes = _Batched(batch, written)
        for staff_id in staff_ids:
            member = catalogue.staff_member(staff_id)
            for day in days:
                wanted = per_staff_day + (1 if extra > 0 else 0)
                extra -= 1
                for start_minute, service_id in _day_plan(rng, wanted, durations):
                    n = made % CUSTOMERS
                    customer = Actor(f"bench-customer-{n}", Role.CUSTOMER, f"Bench Customer {n}")
                    info = CustomerInfo(customer.name, f"+86139{n:08d}")
                    start = wall_instant(day, start_minute, zone)
                    service = catalogue.services[service_id]
                    slot = Slot(start, start + timedelta(minutes=service.duration))
                    booked_at = now - timedelta(minutes=rng.randint(1, 600))
                    after = Appointment.book(customer.id, info, service, member, slot, catalogue.settings, booked_at)
                    change = Change.of("book", customer, None, after)
                    owed = notices.plan(None, after, booked_at)
                    item = mapping.appointment_item(after)
                    writes_of_change(cast(Any, writes), item, None, after, change, None, owed, None)
                    for key, holds in holdings(after.occupied, after.holder).items():
                        held[key] = held.get(key, CalendarDay(*key)).with_holds(after.holder, holds)
                    made += 1
        for day_held in held.values():  # each calendar day once, with every booking it holds
            writes.save("calendar", day_item(day_held, 1))
    assert made == APPOINTMENTS, f"planned {made} appointments, not {APPOINTMENTS}"
    return written


def measure(store: Any, now: datetime, root: Path) -> Availability:
    from chalicelib.config import get_settings
    from chalicelib.domain.actor import Role
    from chalicelib.services.identity import dev_login
    from scripts.soak import Http

    settings = get_settings()
    admin, _ = dev_login(settings, Role.ADMIN, "Bench Owner")
    desk, _ = dev_login(settings, Role.STAFF, "Bench Desk")
    with chalice_local(root) as url:
        api = Http(url)
        staff_ids = []
        for n in range(STAFF):
            member = {"name": f"Bench Stylist {n:02d}", "title": "Stylist", "serviceIds": list(SERVICES)}
            status, made = api.call("staff", "POST", "/admin/staff", member, token=admin)
            assert status == 201, (status, made)
            staff_id = made["staff"]["id"]
            status, body = api.call(
                "hours", "PUT", f"/appointments/staff/{staff_id}/availability", {"availability": HOURS}, token=desk
            )
            assert status == 200, (status, body)
            staff_ids.append(staff_id)
        started = time.perf_counter()
        items = seed(store, staff_ids, now)
        seeded = time.perf_counter() - started

        zone = store.catalogue.read().settings.zone
        today = now.astimezone(zone).date()
        dates, slots = [], []

        def timed(path: str) -> Timed:
            with bench_calls.recording() as calls:
                began = time.perf_counter()
                status, body = api.call("availability", "GET", path)
                took = time.perf_counter() - began
            assert status == 200, (path, status, body)
            return Timed(took, bench_calls.dynamodb(calls))

        started = time.perf_counter()
        for staff_id in staff_ids:
            query = f"serviceId=svc-cut&staffId={staff_id}"
            dates.append(timed(f"/appointments/availability/dates?{query}&days={DAYS}"))
            for day in (today + timedelta(days=n) for n in range(DAYS)):
                slots.append(timed(f"/appointments/availability/slots?{query}&date={day.isoformat()}"))
        total = time.perf_counter() - started
    return Availability(dates, slots, total, seeded, items)
