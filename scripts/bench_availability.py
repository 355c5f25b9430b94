"""Availability at scale, end to end: 20 staff, at 0, 200 and 2,000 appointments over the next 30 days, over HTTP.

The staff are made through the admin routes and given Mon-Sat hours through the staff route, on
`chalice local` (in this process, on a free port) in front of the bench's moto. The appointments are
written through the store's own booking write (`store/changes.writes_of_change`: the appointment, its
audit entry, the customer's profile, the notices it owes), and the calendar days they hold, as batch
writes rather than one transaction each: the use case's limit check is a Query on an index, which moto
answers by reading the whole table, so 2,000 bookings through it would take most of ten minutes.
The 2,000 are planned at once and written in order, so each level holds the one before it, spread over
every staff member and day. At each level the calls a customer app makes are timed: per staff member, the
dates with free slots for 30 days, and the free slots of each of those 30 days; and the items DynamoDB
read for them are counted from its answers (each Query's ScannedCount), by partition.
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
from typing import TYPE_CHECKING, Any, cast

from scripts import bench_calls

if TYPE_CHECKING:
    from chalicelib.domain.occupancy import CalendarDay, DayKey

STAFF = 20
LEVELS = (0, 200, 2000)
APPOINTMENTS = LEVELS[-1]
DAYS = 30
CUSTOMERS = 200  # ten upcoming appointments each: the default limit
SERVICES = ("svc-consult", "svc-cut", "svc-scalp")  # the demo's free services: confirmed at once
OPEN = ((9 * 60, 12 * 60), (13 * 60, 18 * 60))  # Mon-Sat, with the lunch break
HOURS = {
    "weekly": {d: [{"start": "09:00", "end": "18:00"}] for d in ("mon", "tue", "wed", "thu", "fri", "sat")},
    "breaks": [{"start": "12:00", "end": "13:00"}],
}
ANY_RUNS = 5
VISIT = "services=svc-cut,svc-scalp"  # a haircut then a scalp treatment, each for any staff: one visit
CALENDAR, CATALOGUE = "CAL#", "BUSINESS"  # the partitions availability reads: a calendar's days, the catalogue


@dataclass(frozen=True)
class Timed:
    seconds: float
    calls: Counter[str]
    read: Counter[str]  # items DynamoDB read (ScannedCount), by partition: CALENDAR, CATALOGUE


@dataclass(frozen=True)
class Level:
    appointments: int
    dates: list[Timed]
    slots: list[Timed]
    total_seconds: float
    seeded_seconds: float
    items: Counter[str]  # what the seeding has written so far, by item type
    calendar_days: int  # calendar-day items in the table
    any_dates: list[Timed]  # the dates for any staff: one call over everyone who performs the service, ANY_RUNS times
    visit_dates: list[Timed]  # the dates of a visit (a haircut then a scalp treatment, each for any staff), likewise

    @property
    def all(self) -> list[Timed]:
        return self.dates + self.slots

    def read_per_staff_day(self, partition: str) -> float:
        """Items read by the 30-day dates calls, per staff member and day asked."""
        return sum(t.read[partition] for t in self.dates) / (len(self.dates) * DAYS)


@dataclass(frozen=True)
class Availability:
    levels: list[Level]

    @property
    def busiest(self) -> Level:
        return self.levels[-1]


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

    def __init__(self, batch: Any, written: Counter[str], profiles: set[tuple[str, str]]) -> None:
        self._batch, self._written, self._profiles = batch, written, profiles

    def save(self, role: str, model: Any, condition: Any = None) -> None:
        model.update_local_version_attribute()  # what the transaction's put writes: the version after it
        self._batch.save(model)
        self._written[role] += 1

    def delete(self, role: str, model: Any, condition: Any = None) -> None:
        self._batch.delete(model)

    def update(self, role: str, model: Any, actions: list[Any], condition: Any = None) -> None:
        if role != "profile":  # a schedule: each booking's own item
            model.update(actions=actions)
            self._written[role] += 1
        elif (model.pk, model.sk) not in self._profiles:
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


@dataclass(frozen=True)
class Booking:
    staff_id: str
    day: date
    start_minute: int
    service_id: str


def plan(catalogue: Any, staff_ids: list[str], today: date) -> list[Booking]:
    """APPOINTMENTS bookings spread over the staff and the next DAYS days (Sundays closed), in an order that
    spreads every prefix too: the first 200 fall on all staff and days as the 2,000 do."""
    rng = random.Random(2000)
    days = [today + timedelta(days=n) for n in range(1, DAYS)]
    days = [d for d in days if d.weekday() != 6]
    per_staff_day, extra = divmod(APPOINTMENTS, len(staff_ids) * len(days))
    durations = {s: catalogue.services[s].duration for s in SERVICES}
    planned = []
    for staff_id in staff_ids:
        for day in days:
            wanted = per_staff_day + (1 if extra > 0 else 0)
            extra -= 1
            planned += [Booking(staff_id, day, m, s) for m, s in _day_plan(rng, wanted, durations)]
    assert len(planned) == APPOINTMENTS, f"planned {len(planned)} appointments, not {APPOINTMENTS}"
    rng.shuffle(planned)
    return planned


class Seeder:
    """Writes planned bookings as the API writes them, and rewrites each calendar day they touch with every
    booking it holds so far."""

    def __init__(self, catalogue: Any, now: datetime) -> None:
        self.catalogue, self.now = catalogue, now
        self.rng = random.Random(2001)
        self.written: Counter[str] = Counter()
        self.profiles: set[tuple[str, str]] = set()
        self.held: dict[DayKey, CalendarDay] = {}
        self.revisions: Counter[DayKey] = Counter()
        self.made = 0

    def write(self, bookings: list[Booking]) -> None:
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

        settings = self.catalogue.settings
        touched: set[DayKey] = set()
        with Item.batch_write() as batch:
            writes = _Batched(batch, self.written, self.profiles)
            for booking in bookings:
                n = self.made % CUSTOMERS
                customer = Actor(f"bench-customer-{n}", Role.CUSTOMER, f"Bench Customer {n}")
                info = CustomerInfo(customer.name, f"+86139{n:08d}")
                member = self.catalogue.staff_member(booking.staff_id)
                service = self.catalogue.services[booking.service_id]
                start = wall_instant(booking.day, booking.start_minute, settings.zone)
                slot = Slot(start, start + timedelta(minutes=service.duration))
                booked_at = self.now - timedelta(minutes=self.rng.randint(1, 600))
                after = Appointment.book(customer.id, info, service, member, slot, settings, booked_at)
                change = Change.of("book", customer, None, after)
                owed = notices.plan(None, after, booked_at)
                item = mapping.appointment_item(after)
                writes_of_change(cast(Any, writes), item, None, after, change, None, owed, None)
                for key, holds in holdings(after.occupied, after.holder).items():
                    self.held[key] = self.held.get(key, CalendarDay(*key)).with_holds(after.holder, holds)
                    touched.add(key)
                self.made += 1
            for key in touched:  # each calendar day once, with every booking it holds
                self.revisions[key] += 1
                writes.save("calendar", day_item(self.held[key], self.revisions[key]))


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
        catalogue = store.catalogue.read()
        today = now.astimezone(catalogue.settings.zone).date()
        planned = plan(catalogue, staff_ids, today)
        seeder = Seeder(catalogue, now)

        def timed(path: str) -> Timed:
            with bench_calls.recording() as calls:
                began = time.perf_counter()
                status, body = api.call("availability", "GET", path)
                took = time.perf_counter() - began
            assert status == 200, (path, status, body)
            read = Counter({p: bench_calls.items_read(calls, p) for p in (CALENDAR, CATALOGUE)})
            return Timed(took, bench_calls.dynamodb(calls), read)

        levels = []
        for level in LEVELS:
            started = time.perf_counter()
            seeder.write(planned[seeder.made : level])
            seeded = time.perf_counter() - started
            dates, slots = [], []
            started = time.perf_counter()
            for staff_id in staff_ids:
                query = f"serviceId=svc-cut&staffId={staff_id}"
                dates.append(timed(f"/appointments/availability/dates?{query}&days={DAYS}"))
                for day in (today + timedelta(days=n) for n in range(DAYS)):
                    slots.append(timed(f"/appointments/availability/slots?{query}&date={day.isoformat()}"))
            total = time.perf_counter() - started
            anyone = [timed(f"/appointments/availability/dates?serviceId=svc-cut&days={DAYS}") for _ in range(ANY_RUNS)]
            visit = [timed(f"/appointments/availability/dates?{VISIT}&days={DAYS}") for _ in range(ANY_RUNS)]
            written = Counter(seeder.written)
            levels.append(Level(level, dates, slots, total, seeded, written, len(seeder.held), anyone, visit))
    return Availability(levels)
