"""A soak over HTTP: concurrent clients book, cancel, reschedule and pay, then the table's invariants are checked.

    .venv/bin/python scripts/soak.py                       # its own local stack, on free ports
    .venv/bin/python scripts/soak.py --url http://127.0.0.1:8000 --aws http://127.0.0.1:5000   # `make run`'s

Each client is a thread with its own customers (a new one before the per-customer limits bite). A
round books a service of the demo catalogue, or the facial it adds for the run (processing time in the
middle, one of two rooms every stylist shares; `--rooms 0` leaves it out), with one of its staff on one
of the next working days, at a time availability offers or, for a share of rounds, at a time picked blind (the calendar
transaction, not the availability read, must then refuse an overlap); then it may cancel or move one
of its appointments, or pay a hold. 409 SLOT_TAKEN and 400 TIME_NOT_OFFERED are what contention
looks like; any 5xx is a failure. It prints throughput and p50/p99 per operation, then the invariants
(scripts/invariants.py) once the worker has caught up, and exits non-zero on a 5xx or a violation.

On its own stack it first sets a 10-minute buffer after each booking and 5-minute holds, so that the
buffers are in the overlap check and unpaid holds lapse (and must be let go) while it runs. Its own
stack is `make run`'s with one difference (`--as-is` drops it): moto keeps every model instance it
ever made for its dashboard, and a transaction's backup is a copy of the whole table, so the local
AWS keeps a table's worth of copies per transaction (5 GB after ~300 bookings); here it keeps none.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import queue
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import invariants, soak_webhooks  # noqa: E402

SERVICE_MIX = {"svc-consult": 30, "svc-cut": 35, "svc-scalp": 20, "svc-colour": 15}
ROOM_TYPE = "soak room"
ROOM_SERVICE = {  # added for the run, with `Options.rooms` rooms of its type; retired at the end
    "name": "Soak facial",
    "duration": 75,
    "price": 0,
    "needs": [ROOM_TYPE],
    "segments": [{"minutes": 25}, {"minutes": 25, "staffFree": True}, {"minutes": 25}],
}
ROOM_SHARE = 25  # its weight beside SERVICE_MIX's
VISIT = ("svc-cut", "svc-scalp")  # a haircut then a scalp treatment, each for any staff, booked as one visit
VISIT_SHARE = 15  # its weight beside SERVICE_MIX's
DEPOSIT_SERVICE = "svc-scalp"  # asks a deposit of everyone during the soak (Options.deposit)
GRID = [f"{m // 60:02d}:{m % 60:02d}" for m in range(9 * 60, 18 * 60, 30)]  # blind picks: every half hour open


@dataclass(frozen=True)
class Sample:
    operation: str
    status: int  # 0: no answer (connection refused, reset, timed out)
    code: str  # the error body's code, "" on success
    seconds: float


@dataclass(frozen=True)
class Options:
    clients: int = 16
    bookings: int = 1000  # booking attempts (POST /appointments/book), all clients together
    days: int = 45  # working days to spread over: 10 would hold ~180 bookings at once, all of them 409s after
    first_day: int = 2  # days ahead of today: past the 24 h cancellation cutoff
    cancel: float = 0.20  # of rounds, a cancel after the booking
    reschedule: float = 0.15  # of rounds, a move after the booking
    pay: float = 0.25  # of holds, paid at once (the rest lapse, or are cancelled)
    blind: float = 0.25  # of bookings and moves, at a time picked without asking availability
    hot: float = 0.20  # of bookings, on one of the first three days at their first free time
    seed: int = 9
    rooms: int = 2  # soak rooms shared by every stylist, and a facial with processing time that needs one
    deposit: int = 30  # percent of the scalp treatment's price asked as a deposit (of everyone); 0: none
    wait: float = 0.5  # of bookings refused SLOT_TAKEN, the customer joins the waitlist for that morning or afternoon
    take_offer: float = 0.7  # of offers a waiting customer finds, booked (the rest let pass)
    webhooks: bool = False  # a receiver subscribed to every event (scripts/soak_webhooks.py)


@dataclass
class Catalogue:
    zone: ZoneInfo
    prices: dict[str, float]
    holds: set[str]  # services that need payment or a deposit: booked as pending holds
    performers: dict[str, list[str]]
    max_upcoming: int
    max_holds: int
    mix: dict[str, int]  # service id (or VISIT_ID) -> its weight among the bookings

    def price(self, service_id: str) -> float:
        return sum(self.prices[i] for i in service_id.split(","))


class Recorder:
    """Every request's outcome, from every client thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.samples: list[Sample] = []
        self.server_errors: list[str] = []
        self.counts: Counter[str] = Counter()

    def add(self, sample: Sample, path: str, body: Any) -> None:
        with self._lock:
            self.samples.append(sample)
            if sample.status >= 500 or sample.status == 0:
                self.server_errors.append(f"{sample.operation} {path}: {sample.status} {json.dumps(body)[:300]}")

    def tally(self) -> tuple[int, int, int]:
        """Booking attempts, bookings made, requests: so far."""
        with self._lock:
            attempts = sum(n for what, n in self.counts.items() if what.startswith("book "))
            return attempts, self.counts["book 201"], len(self.samples)

    def count(self, what: str) -> None:
        with self._lock:
            self.counts[what] += 1


class Budget:
    """The booking attempts left, shared by the clients."""

    def __init__(self, total: int) -> None:
        self._left, self._lock = total, threading.Lock()

    def take(self) -> bool:
        with self._lock:
            self._left -= 1
            return self._left >= 0


def _code(body: Any) -> str:
    return str(body.get("error", {}).get("code", "")) if isinstance(body, dict) else ""


class Http:
    """JSON over one fresh connection per request, as urllib would; every request recorded."""

    def __init__(self, base: str, recorder: Recorder | None = None) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.recorder = recorder

    def call(
        self, operation: str, method: str, path: str, body: Any = None, token: str = "", key: str = ""
    ) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if key:
            headers["Idempotency-Key"] = key
        payload = json.dumps(body).encode() if body is not None else None
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            status, raw = response.status, response.read()
            try:
                answer = json.loads(raw or b"null")
            except ValueError:
                answer = raw.decode(errors="replace")
        except (OSError, http.client.HTTPException) as error:
            status, answer = 0, {"error": {"code": type(error).__name__, "message": str(error)}}
        finally:
            connection.close()
        if self.recorder is not None:
            self.recorder.add(Sample(operation, status, _code(answer), time.perf_counter() - started), path, answer)
        return status, answer

    def sign_in(self, role: str, name: str) -> str:
        status, body = self.call("sign-in", "POST", "/auth/dev-login", {"role": role, "name": name})
        if status != 200:
            raise RuntimeError(f"dev-login as {role} answered {status}: {body}")
        return str(body["token"])


def add_rooms(api: Http, admin: str, rooms: int) -> str:
    """`rooms` rooms of one type, and the service needing one, performed by everyone; its id."""
    for n in range(rooms):
        room = {"name": f"Soak room {n + 1}", "type": ROOM_TYPE}
        status, body = api.call("setup", "POST", "/admin/resources", room, admin)
        if status != 201:
            raise RuntimeError(f"adding a room answered {status}: {body}")
    status, body = api.call("setup", "POST", "/admin/services", ROOM_SERVICE, admin)
    if status != 201:
        raise RuntimeError(f"adding the room's service answered {status}: {body}")
    service_id = str(body["service"]["id"])
    performs: dict[str, set[str]] = {}
    _, listed = api.call("setup", "GET", "/appointments/services")
    for service in listed["services"]:
        _, staff = api.call("setup", "GET", f"/appointments/services/{service['id']}/staff")
        for member in staff["staff"]:
            performs.setdefault(member["id"], set()).add(service["id"])
    for staff_id, services in performs.items():
        body = {"serviceIds": sorted(services | {service_id})}
        status, answer = api.call("setup", "PUT", f"/admin/staff/{staff_id}", body, admin)
        if status != 200:
            raise RuntimeError(f"giving {staff_id} the room's service answered {status}: {answer}")
    return service_id


def read_catalogue(api: Http, admin: str, extra: dict[str, int] | None = None) -> Catalogue:
    """The demo's services of SERVICE_MIX, and `extra` (service id -> weight)."""
    mix = {**SERVICE_MIX, **(extra or {})}
    wanted = set(mix) | set(VISIT)
    _, settings = api.call("setup", "GET", "/admin/settings", token=admin)
    _, listed = api.call("setup", "GET", "/appointments/services")
    services = {s["id"]: s for s in listed["services"] if s["id"] in wanted}
    performers = {}
    for service_id in services:
        _, staff = api.call("setup", "GET", f"/appointments/services/{service_id}/staff")
        performers[service_id] = [member["id"] for member in staff["staff"]]
    return Catalogue(
        zone=ZoneInfo(settings["settings"]["timezone"]),
        prices={i: float(s["price"]) for i, s in services.items()},
        holds={i for i, s in services.items() if s["requiresPayment"] or s["deposit"]}
        | ({VISIT_ID} if any(services[i]["requiresPayment"] or services[i]["deposit"] for i in VISIT) else set()),
        performers={**{i: p for i, p in performers.items() if p}, VISIT_ID: ["any"]},
        max_upcoming=int(settings["settings"]["maxUpcoming"]),
        max_holds=int(settings["settings"]["maxUnpaidHolds"]),
        mix={
            **{i: weight for i, weight in mix.items() if performers.get(i)},
            **({VISIT_ID: VISIT_SHARE} if all(performers.get(i) for i in VISIT) else {}),
        },
    )


VISIT_ID = ",".join(VISIT)  # the visit as the soak's mix names it: the query's `services`


def what(service_id: str, staff_id: str) -> dict[str, Any]:
    """A booking's services as its body says them: one with its staff member, or the visit's, each for any."""
    if service_id == VISIT_ID:
        return {"services": [{"serviceId": i} for i in VISIT]}
    return {"serviceId": service_id, "staffId": staff_id}


def working_days(zone: ZoneInfo, first: int, count: int) -> list[str]:
    day, days = datetime.now(zone).date() + timedelta(days=first), list[str]()
    while len(days) < count:
        if day.weekday() != 6:  # the demo business rests on Sundays
            days.append(day.isoformat())
        day += timedelta(days=1)
    return days


@dataclass
class Booked:
    id: str
    token: str
    service_id: str
    staff_id: str


@dataclass
class Customer:
    token: str
    bookings: int = 0
    holds: int = 0


@dataclass
class SoakClient:
    number: int
    api: Http
    catalogue: Catalogue
    days: list[str]
    options: Options
    run_id: str
    recorder: Recorder
    rng: random.Random = field(init=False)
    booked: list[Booked] = field(default_factory=list)
    customer: Customer | None = None
    customers: int = 0
    waiting: list[Customer] = field(default_factory=list)  # customers of this client on the waitlist

    def __post_init__(self) -> None:
        self.rng = random.Random(f"{self.options.seed}-{self.number}")

    def run(self, budget: Budget) -> None:
        while budget.take():
            self.round()

    def round(self) -> None:
        booked = self.book()
        if self.waiting and self.rng.random() < 0.5:
            self.answer_offers(self.rng.choice(self.waiting))
        roll = self.rng.random()
        if booked and booked.service_id in self.catalogue.holds and self.rng.random() < self.options.pay:
            self.pay(booked)
        if roll < self.options.cancel and self.booked:
            self.cancel(self.rng.choice([booked] if booked and self.rng.random() < 0.5 else self.booked))
        elif roll < self.options.cancel + self.options.reschedule and self.booked:
            self.move(self.rng.choice(self.booked))

    def current_customer(self, hold: bool) -> Customer:
        c = self.customer
        if c is None or c.bookings >= self.catalogue.max_upcoming - 1 or (hold and c.holds >= self.catalogue.max_holds):
            self.customers += 1
            name = f"Soak {self.run_id} {self.number}-{self.customers}"
            c = self.customer = Customer(self.api.sign_in("customer", name))
        return c

    def pick_time(self, service_id: str, staff_id: str, day: str, hot: bool) -> str | None:
        if not hot and self.rng.random() < self.options.blind:
            return self.rng.choice(GRID)
        asked = f"services={service_id}" if service_id == VISIT_ID else f"serviceId={service_id}&staffId={staff_id}"
        query = f"{asked}&date={day}"
        status, body = self.api.call("slots", "GET", f"/appointments/availability/slots?{query}")
        if status != 200 or not body["slots"]:
            return None
        slots = [str(s["start"]) for s in body["slots"]]
        return slots[0] if hot else self.rng.choice(slots)

    def book(self) -> Booked | None:
        mix = self.catalogue.mix
        service_id = self.rng.choices(list(mix), weights=list(mix.values()))[0]
        staff_id = self.rng.choice(self.catalogue.performers[service_id])
        hot = self.rng.random() < self.options.hot
        day = self.rng.choice(self.days[:3] if hot else self.days)
        start = self.pick_time(service_id, staff_id, day, hot) or self.rng.choice(GRID)
        hold = service_id in self.catalogue.holds
        customer = self.current_customer(hold)
        customer.bookings += 1
        customer.holds += int(hold)
        body = {
            **what(service_id, staff_id),
            "date": day,
            "timeSlot": start,
            "customerInfo": {"name": "Soak", "phone": "13800138000", "email": "soak@example.com"},
            "totalAmount": self.catalogue.price(service_id),
        }
        status, answer = self.api.call("book", "POST", "/appointments/book", body, customer.token, uuid.uuid4().hex)
        self.recorder.count(f"book {status} {_code(answer)}".strip())
        if _code(answer) == "SLOT_TAKEN" and service_id != VISIT_ID and self.rng.random() < self.options.wait:
            self.join_waitlist(customer, service_id, staff_id, day, start)
        if status != 201:
            return None
        booked = Booked(answer["appointment"]["id"], customer.token, service_id, staff_id)
        self.booked.append(booked)
        return booked

    def join_waitlist(self, customer: Customer, service_id: str, staff_id: str, day: str, start: str) -> None:
        """Wait for that staff member's morning or afternoon, the time refused in it."""
        morning = start < "13:00"
        wish = {
            "serviceId": service_id,
            "staffId": staff_id,
            "fromDate": day,
            "toDate": day,
            "fromTime": "09:00" if morning else "13:00",
            "toTime": "13:00" if morning else "21:00",
            "customerInfo": {"name": "Soak", "phone": "13800138000"},
        }
        status, answer = self.api.call("waitlist", "POST", "/waitlist", wish, customer.token)
        self.recorder.count(f"waitlist {status} {_code(answer)}".strip())
        if status == 201 and customer not in self.waiting:
            self.waiting.append(customer)

    def answer_offers(self, customer: Customer) -> None:
        """The offers a waiting customer finds: booked, or let pass."""
        status, answer = self.api.call("waitlist", "GET", "/waitlist/mine", token=customer.token)
        if status != 200:
            return
        for entry in answer["entries"]:
            if entry["status"] != "offered":
                continue
            offer = entry["offerId"]
            if self.rng.random() < self.options.take_offer:
                status, answer = self.api.call("accept", "POST", f"/appointments/{offer}/accept", {}, customer.token)
                self.recorder.count(f"accept {status} {_code(answer)}".strip())
            else:
                status, answer = self.api.call("let pass", "PUT", f"/appointments/{offer}/cancel", {}, customer.token)
                self.recorder.count(f"accept let pass {status} {_code(answer)}".strip())

    def cancel(self, booked: Booked) -> None:
        body = {"reason": "soak"}
        status, answer = self.api.call("cancel", "PUT", f"/appointments/{booked.id}/cancel", body, booked.token)
        self.recorder.count(f"cancel {status} {_code(answer)}".strip())
        if status == 200 or _code(answer) == "ILLEGAL_TRANSITION":  # done, or a lapsed hold already let go
            self.booked.remove(booked)

    def move(self, booked: Booked) -> None:
        day = self.rng.choice(self.days)
        start = self.pick_time(booked.service_id, booked.staff_id, day, hot=False) or self.rng.choice(GRID)
        body = {"date": day, "timeSlot": start}
        path = f"/appointments/{booked.id}/reschedule"
        status, answer = self.api.call("reschedule", "PUT", path, body, booked.token, uuid.uuid4().hex)
        self.recorder.count(f"reschedule {status} {_code(answer)}".strip())
        if _code(answer) == "APPOINTMENT_CLOSED":  # a lapsed hold the sweep let go
            self.booked.remove(booked)

    def pay(self, booked: Booked) -> None:
        body = {"appointmentId": booked.id, "amount": self.catalogue.price(booked.service_id)}
        status, answer = self.api.call("pay-start", "POST", "/appointments/payment", body, booked.token)
        if status == 200:
            path, outcome = f"/dev/payments/{booked.id}/pay", {"outcome": "succeed"}
            status, answer = self.api.call("pay", "POST", path, outcome, booked.token)
        self.recorder.count(f"pay {status} {_code(answer)}".strip())


@dataclass
class Result:
    options: Options
    seconds: float
    recorder: Recorder
    customers: int

    def outcomes(self, operation: str) -> Counter[str]:
        """Each answer's status and code, as "201" or "409 SLOT_TAKEN", with how many got it."""
        prefix = operation + " "
        return Counter({k.removeprefix(prefix): n for k, n in self.recorder.counts.items() if k.startswith(prefix)})

    def succeeded(self, operation: str, status: int) -> int:
        return self.outcomes(operation)[str(status)]


def soak(url: str, options: Options, progress: float = 0) -> Result:
    """Run the clients against the stack at `url` until the booking attempts are spent; every
    `progress` seconds (if any), a line on how far it got."""
    recorder = Recorder()
    setup = Http(url)
    admin = setup.sign_in("admin", "Soak Owner")
    room_service = add_rooms(setup, admin, options.rooms) if options.rooms else None
    deposit = {"deposit": {"percent": options.deposit} if options.deposit else None}
    setup.call("setup", "PUT", f"/admin/services/{DEPOSIT_SERVICE}", deposit, admin)
    try:
        catalogue = read_catalogue(setup, admin, {room_service: ROOM_SHARE} if room_service else None)
        return _run(url, options, recorder, catalogue, progress)
    finally:  # a stack shared with other checks lists the services it had before, as they were
        if room_service:
            setup.call("setup", "DELETE", f"/admin/services/{room_service}", token=admin)
        setup.call("setup", "PUT", f"/admin/services/{DEPOSIT_SERVICE}", {"deposit": None}, admin)


def _run(url: str, options: Options, recorder: Recorder, catalogue: Catalogue, progress: float) -> Result:
    days = working_days(catalogue.zone, options.first_day, options.days)
    run_id = uuid.uuid4().hex[:8]
    clients = [
        SoakClient(n, Http(url, recorder), catalogue, days, options, run_id, recorder) for n in range(options.clients)
    ]
    budget = Budget(options.bookings)
    threads = [threading.Thread(target=c.run, args=(budget,), name=f"soak-{c.number}") for c in clients]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():
            thread.join(timeout=progress or None)
            if thread.is_alive():
                elapsed = time.perf_counter() - started
                attempts, made, requests = recorder.tally()
                print(f"  {elapsed:5.0f} s: {attempts} booking attempts, {made} made, {requests} requests", flush=True)
    return Result(options, time.perf_counter() - started, recorder, sum(c.customers for c in clients))


def percentile(values: list[float], share: float) -> float:
    """Nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def report(result: Result) -> str:
    samples = result.recorder.samples
    wall = result.seconds
    lines = [
        f"{result.options.clients} clients, {wall:.1f} s, {result.customers} customers, "
        f"{len(samples)} requests ({len(samples) / wall:.1f}/s)",
        "",
        f"{'operation':<12}{'requests':>9}{'2xx':>7}{'409':>6}{'400':>6}{'4xx':>6}{'5xx':>6}{'p50 ms':>9}{'p99 ms':>9}",
    ]
    for operation in sorted({s.operation for s in samples}):
        mine = [s for s in samples if s.operation == operation]
        seconds = [s.seconds * 1000 for s in mine]

        def share(low: int, high: int, group: list[Sample] = mine) -> int:
            return sum(1 for s in group if low <= s.status <= high)

        other = share(401, 499) - share(409, 409)
        errors = share(500, 599) + sum(1 for s in mine if s.status == 0)
        lines.append(
            f"{operation:<12}{len(mine):>9}{share(200, 299):>7}{share(409, 409):>6}{share(400, 400):>6}"
            f"{other:>6}{errors:>6}{percentile(seconds, 0.5):>9.0f}{percentile(seconds, 0.99):>9.0f}"
        )
    booked = result.succeeded("book", 201)
    attempted = sum(result.outcomes("book").values())
    lines += [
        "",
        f"bookings: {attempted} attempted, {booked} made ({booked / wall:.1f}/s; {attempted / wall:.1f} attempts/s)",
    ]
    for operation in ("book", "cancel", "reschedule", "pay", "waitlist", "accept"):
        outcomes = ", ".join(f"{k}: {n}" for k, n in sorted(result.outcomes(operation).items()))
        lines.append(f"  {operation:<11}{outcomes}")
    if result.recorder.server_errors:
        lines += ["", f"{len(result.recorder.server_errors)} server errors or dropped requests, the first ones:"]
        lines += [f"  {e}" for e in result.recorder.server_errors[:10]]
    return "\n".join(lines)


def report_invariants(settled: invariants.Settled, seconds: float) -> str:
    appointments = settled.snapshot.appointments.values()
    statuses = Counter(a.status.value for a in appointments)
    lapsed = sum(1 for a in appointments if a.cancelled_reason == "hold_expired")
    by_status = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
    snapshot = settled.snapshot
    by_kind = Counter(calendar.partition(":")[0] for calendar, _ in snapshot.days)
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(by_kind.items()))
    offers = Counter(a.offer.value for a in appointments if a.offer)
    deposits = sum(1 for a in appointments if a.asked.deposit)
    lines = [
        f"the table: {len(appointments)} appointments ({by_status}; {lapsed} holds let go by the sweep), "
        f"{len(snapshot.blocks)} blocks, {len(snapshot.days)} calendar days ({kinds}) holding "
        f"{sum(map(len, snapshot.days.values()))} intervals",
        f"deposits asked: {deposits}; waitlist: {len(snapshot.entries)} entries, "
        f"{sum(offers.values())} offers ({', '.join(f'{n} {state}' for state, n in sorted(offers.items())) or 'none'})",
        f"invariants ({settled.scans} scan{'s' * (settled.scans > 1)} of the table, {seconds:.1f} s"
        f"{'; the last two read the same items' if settled.still else ''}):",
    ]
    for name, violations in settled.results.items():
        lines.append(f"  {name:<38}{'holds' if not violations else f'{len(violations)} VIOLATIONS'}")
        lines += [f"    {v}" for v in violations[:10]]
    return "\n".join(lines)


def configure(url: str, hold_minutes: int | None, buffer_after: int | None) -> None:
    changes = {
        name: value
        for name, value in (("holdMinutes", hold_minutes), ("bufferAfter", buffer_after))
        if value is not None
    }
    if changes:
        api = Http(url)
        status, body = api.call("setup", "PUT", "/admin/settings", changes, api.sign_in("admin", "Soak Owner"))
        if status != 200:
            raise RuntimeError(f"settings {changes} refused: {status} {body}")


@dataclass(frozen=True)
class Stack:
    url: str
    aws: str
    log: str


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def untrack_moto_instances() -> None:
    """moto's BaseModel appends every instance to its class's `instances_tracked` (for the dashboard at
    /moto-api/) and never lets go: each transaction's deep copy of the table stays alive. DynamoDB's
    models are made untracked; nothing else reads that list."""
    from moto.core.common_models import BaseModel

    tracked = BaseModel.__new__

    def new(cls: type[Any], *args: Any, **kwargs: Any) -> Any:
        if cls.__module__.startswith("moto.dynamodb."):
            return object.__new__(cls)
        return tracked(cls, *args, **kwargs)

    BaseModel.__new__ = staticmethod(new)  # type: ignore[method-assign]


def serve() -> None:
    """`make run`'s stack, in this process, with DynamoDB's model instances untracked."""
    untrack_moto_instances()
    from scripts import local_stack as make_run

    make_run.main()


@contextmanager
def local_stack(as_is: bool = False) -> Iterator[Stack]:
    """`make run`'s stack on free ports (see `serve`, unless `as_is`), its output in a temporary file."""
    env = {**os.environ, "MOTO_PORT": "0", "STRIPE_PORT": "0", "API_PORT": str(_free_port()), "PYTHONUNBUFFERED": "1"}
    env.pop("AWS_ENDPOINT_URL", None)
    command = [str(ROOT / "scripts" / "local_stack.py")] if as_is else [str(Path(__file__).resolve()), "--serve"]
    process = subprocess.Popen(
        [sys.executable, *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log = tempfile.NamedTemporaryFile("w", prefix="soak-stack-", suffix=".log", delete=False)  # noqa: SIM115
    lines: queue.Queue[str] = queue.Queue()

    def drain() -> None:
        for line in process.stdout or []:
            lines.put(line)
            log.write(line)
            log.flush()

    threading.Thread(target=drain, daemon=True).start()
    fields: dict[str, str] = {}
    try:
        while "url" not in fields:
            try:
                line = lines.get(timeout=90)
            except queue.Empty:
                raise RuntimeError(f"the local stack was not ready in 90 s; see {log.name}") from None
            words = line.split()
            if line.startswith("  local AWS"):
                fields["aws"] = words[2]
            elif line.startswith("READY "):
                fields["url"] = words[1]
        yield Stack(fields["url"], fields["aws"], log.name)
    finally:
        process.send_signal(signal.SIGTERM)  # as Ctrl-C; SIGINT is ignored when this runs in the background
        try:
            process.wait(timeout=90)  # a big table takes moto a while to let go of
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def table_name() -> str:
    from scripts.local_stack import stage_environment

    return os.environ.get("TABLE_NAME") or stage_environment("local")["TABLE_NAME"]


def run(url: str, aws: str, options: Options, settle: float) -> bool:
    print(
        f"soak: {options.clients} clients, {options.bookings} booking attempts over {options.days} working days, {url}"
    )
    receiver = soak_webhooks.attach(Http(url)) if options.webhooks else None
    result = soak(url, options, progress=60)
    print(report(result), flush=True)
    started = time.perf_counter()
    settled = invariants.settle(invariants.dynamodb(aws), table_name(), within=settle)
    print("\n" + report_invariants(settled, time.perf_counter() - started))
    delivered = True
    if receiver is not None:
        log = soak_webhooks.settle(Http(url), receiver, within=settle)
        print("\n" + soak_webhooks.report(receiver, log), flush=True)
        delivered = soak_webhooks.holds(receiver, log)
        soak_webhooks.detach(Http(url), receiver)
    return not result.recorder.server_errors and settled.holds and delivered


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--url", help="a running stack's API (default: start one on free ports)")
    parser.add_argument("--aws", help="its local AWS endpoint, where the table is (needed with --url)")
    parser.add_argument("--clients", type=int, default=Options.clients)
    parser.add_argument("--bookings", type=int, default=Options.bookings, help="booking attempts, all clients")
    parser.add_argument("--days", type=int, default=Options.days, help="working days to spread them over")
    parser.add_argument("--first-day", type=int, default=Options.first_day, help="days ahead of today of the first")
    parser.add_argument("--seed", type=int, default=Options.seed)
    parser.add_argument("--rooms", type=int, default=Options.rooms, help="rooms for a facial with processing time")
    parser.add_argument("--hold-minutes", type=int, help="set holdMinutes first (own stack: 5)")
    parser.add_argument("--buffer-after", type=int, help="set bufferAfter first (own stack: 10)")
    parser.add_argument(
        "--settle", type=float, default=600.0, help="seconds for the invariants to hold, or the table to stand still"
    )
    parser.add_argument("--as-is", action="store_true", help="own stack exactly as `make run` (moto's leak kept)")
    parser.add_argument("--webhooks", action="store_true", help="attach a receiver subscribed to every event")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # the stack's own process
    args = parser.parse_args(argv)
    if args.serve:
        serve()
        return 0
    if bool(args.url) != bool(args.aws):
        parser.error("--url and --aws go together")
    options = Options(
        args.clients, args.bookings, args.days, args.first_day, seed=args.seed, rooms=args.rooms, webhooks=args.webhooks
    )
    if args.url:
        configure(args.url, args.hold_minutes, args.buffer_after)
        return 0 if run(args.url, args.aws, options, args.settle) else 1
    with local_stack(args.as_is) as stack:
        print(f"local stack at {stack.url}, AWS {stack.aws}, its log in {stack.log}")
        hold = 5 if args.hold_minutes is None else args.hold_minutes
        configure(stack.url, hold, 10 if args.buffer_after is None else args.buffer_after)
        return 0 if run(stack.url, stack.aws, options, args.settle) else 1


if __name__ == "__main__":
    sys.exit(main())
