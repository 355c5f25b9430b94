"""The DynamoDB request units of a booking's whole life, as `docs/cost.md` counts them, measured.

`python scripts/bench_write_units.py` drives one booking's life through the app on the local AWS (moto,
in this process; Chalice's test client for the routes, the app's own handlers for the queue, the sweep and
the stream): browse, book a haircut with two reminders, the confirmation delivered, the customer's list and
the appointment, both reminders swept and delivered, completed by staff, the stream consumer after each
change; then a cancellation and a reschedule of bookings of their own. Every DynamoDB request of the app's
client is captured (botocore's `provide-client-params` and `after-call` events) and each item it reads or
writes is sized as DynamoDB sizes it, from the item as the table holds it before and after the request
(read back through a client of the script's own, which is not counted):

- an item is the UTF-8 length of each attribute name plus its value: a string its UTF-8 bytes, a number
  1 byte per two significant digits plus 1, a boolean or null 1, a list or map 3 bytes plus 1 per element
  and the elements, a set its elements;
- a write costs 1 unit per KB (rounded up) of the larger of the item before and after, twice inside
  TransactWriteItems (condition checks included), and 1 unit per KB of the index entry for each global
  secondary index it puts, changes or deletes an entry in (two when it moves the entry's key), as the
  index's projection makes the entry;
- a read costs 1 unit per 4 KB (rounded up) read, half when eventually consistent (every index read): a
  Query counts the items it reads before any filter; BatchGetItem each item apart.
"""

from __future__ import annotations

import copy
import json
import math
import os
import sys
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KB = 1024
READ_BLOCK = 4 * KB
TRANSACTION_FACTOR = 2
CANCELLED_SHARE = RESCHEDULED_SHARE = 0.1  # of bookings, as docs/cost.md weighs them
WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}

Raw = Mapping[str, Any]  # an item as the low-level API gives it: {"name": {"S": "..."}, ...}


# --- sizes, as DynamoDB counts them ---------------------------------------------------------------------------


def _number_size(text: str) -> int:
    digits = text.lstrip("-").replace(".", "").lstrip("0").rstrip("0") or "0"
    if "e" in text.lower():
        digits = format(Decimal(text).normalize(), "f").lstrip("-").replace(".", "").strip("0") or "0"
    return (len(digits) + 1) // 2 + 1


def value_size(value: Raw) -> int:
    (kind, inner), *_ = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        return _number_size(inner)
    if kind == "B":
        return len(inner)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "L":
        return 3 + sum(1 + value_size(v) for v in inner)
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + value_size(v) for k, v in inner.items())
    if kind == "SS":
        return sum(len(s.encode()) for s in inner)
    if kind == "NS":
        return sum(_number_size(n) for n in inner)
    if kind == "BS":
        return sum(len(b) for b in inner)
    raise ValueError(f"unknown attribute type {kind}")


def item_size(item: Raw | None) -> int:
    return sum(len(name.encode()) + value_size(v) for name, v in (item or {}).items())


def write_units(size: int) -> int:
    return max(1, math.ceil(size / KB))


def read_units(size: int, consistent: bool) -> float:
    return max(1, math.ceil(size / READ_BLOCK)) * (1.0 if consistent else 0.5)


@dataclass(frozen=True)
class Index:
    name: str
    keys: tuple[str, ...]
    projection: str  # ALL | KEYS_ONLY | INCLUDE
    included: frozenset[str] = frozenset()

    def entry(self, item: Raw | None, table_keys: tuple[str, ...]) -> dict[str, Any] | None:
        """The item as this index holds it; None if the item has no entry in it (a sparse index)."""
        if item is None or any(k not in item for k in self.keys):
            return None
        if self.projection == "ALL":
            return dict(item)
        kept = {*table_keys, *self.keys, *(self.included if self.projection == "INCLUDE" else ())}
        return {k: v for k, v in item.items() if k in kept}

    def write_units(self, before: Raw | None, after: Raw | None, table_keys: tuple[str, ...]) -> int:
        old, new = self.entry(before, table_keys), self.entry(after, table_keys)
        if old == new:
            return 0
        if old is None or new is None:
            return write_units(item_size(old or new))
        if any(old[k] != new[k] for k in self.keys):  # the entry moves: a delete and a put
            return write_units(item_size(old)) + write_units(item_size(new))
        return write_units(max(item_size(old), item_size(new)))


# --- the meter ------------------------------------------------------------------------------------------------


@dataclass
class Cost:
    """What some work cost: its calls, read units, write units on the table and on the indexes."""

    calls: Counter[str] = field(default_factory=Counter)
    read: float = 0.0
    table: int = 0
    indexes: int = 0
    written: dict[str, list[int]] = field(default_factory=dict)  # item kind: sizes written
    transactions: list[int] = field(default_factory=list)  # items per TransactWriteItems
    detail: list[str] = field(default_factory=list)  # each item written: what it cost

    @property
    def writes(self) -> int:
        return self.table + self.indexes

    def add(self, other: Cost) -> None:
        self.calls.update(other.calls)
        self.read += other.read
        self.table += other.table
        self.indexes += other.indexes
        for kind, sizes in other.written.items():
            self.written.setdefault(kind, []).extend(sizes)
        self.transactions += other.transactions
        self.detail += other.detail


class Meter:
    """Every DynamoDB request of one botocore client, costed into whichever `Cost` is open."""

    def __init__(self, client: Any, table_name: str) -> None:
        import boto3

        self._client = client
        self._probe = boto3.client("dynamodb", region_name=client.meta.region_name)  # not metered
        described = self._probe.describe_table(TableName=table_name)["Table"]
        self.table_keys = tuple(k["AttributeName"] for k in described["KeySchema"])
        self.indexes = [
            Index(
                i["IndexName"],
                tuple(k["AttributeName"] for k in i["KeySchema"]),
                i["Projection"]["ProjectionType"],
                frozenset(i["Projection"].get("NonKeyAttributes", ())),
            )
            for i in described.get("GlobalSecondaryIndexes", [])
        ]
        self._open: list[Cost] = []
        events = client.meta.events
        for event, unique_id in (("provide-client-params", "before"), ("after-call", "after")):  # a meter before
            events.unregister(f"{event}.dynamodb", unique_id=f"write-units-{unique_id}")
        events.register("provide-client-params.dynamodb", self._before, unique_id="write-units-before")
        events.register("after-call.dynamodb", self._after, unique_id="write-units-after")

    @contextmanager
    def measuring(self) -> Iterator[Cost]:
        cost = Cost()
        self._open.append(cost)
        try:
            yield cost
        finally:
            self._open.remove(cost)

    def _get(self, table: str, key: Raw) -> dict[str, Any] | None:
        found = self._probe.get_item(TableName=table, Key=dict(key), ConsistentRead=True).get("Item")
        return dict(found) if found else None

    def _key(self, item: Raw) -> dict[str, Any]:
        return {k: item[k] for k in self.table_keys}

    def _targets(self, operation: str, params: Raw) -> list[tuple[str, str, dict[str, Any], Raw | None]]:
        """(action, table, key, item put) for each item a write names."""
        if operation == "PutItem":
            return [("Put", params["TableName"], self._key(params["Item"]), params["Item"])]
        if operation in ("UpdateItem", "DeleteItem"):
            return [(operation.removesuffix("Item"), params["TableName"], dict(params["Key"]), None)]
        if operation == "TransactWriteItems":
            found = []
            for entry in params["TransactItems"]:
                ((action, body),) = entry.items()
                item = body.get("Item")
                found.append((action, body["TableName"], self._key(item) if item else dict(body["Key"]), item))
            return found
        if operation == "BatchWriteItem":
            found = []
            for table, requests in params["RequestItems"].items():
                for request in requests:
                    if "PutRequest" in request:
                        item = request["PutRequest"]["Item"]
                        found.append(("Put", table, self._key(item), item))
                    else:
                        found.append(("Delete", table, dict(request["DeleteRequest"]["Key"]), None))
            return found
        return []

    def _before(self, params: Raw, model: Any, context: dict[str, Any], **_: Any) -> None:
        if not self._open:
            return
        targets = self._targets(model.name, params)
        before = [self._get(table, key) for _, table, key, _ in targets]
        context["write_units"] = (copy.deepcopy(dict(params)), targets, before)

    def _after(self, parsed: Raw, model: Any, context: dict[str, Any], **_: Any) -> None:
        taken = context.pop("write_units", None)
        if not self._open or taken is None:
            return
        params, targets, before = taken
        cost = Cost(Counter({model.name: 1}))
        if model.name in WRITES:
            self._cost_writes(cost, model.name, targets, before)
        else:
            cost.read = self._read_units(model.name, params, parsed)
        for open_cost in self._open:
            open_cost.add(cost)

    def _cost_writes(self, cost: Cost, operation: str, targets: list[Any], before: list[Any]) -> None:
        factor = TRANSACTION_FACTOR if operation == "TransactWriteItems" else 1
        if operation == "TransactWriteItems":
            cost.transactions.append(len(targets))
        for (action, table, key, put), old in zip(targets, before, strict=True):
            new = self._get(table, key)
            size = max(item_size(old), item_size(new), item_size(put))
            cost.table += factor * write_units(size)
            kind = (new or old or put or {}).get("kind", {}).get("S", "(absent)")
            indexes = {i.name: i.write_units(old, new, self.table_keys) for i in self.indexes}
            if action != "ConditionCheck":
                cost.indexes += sum(indexes.values())
                if new is not None or old is not None:
                    cost.written.setdefault(kind, []).append(item_size(new if new is not None else old))
            shown = ", ".join(f"{name} {n}" for name, n in indexes.items() if n)
            cost.detail.append(
                f"{operation} {action} {kind} {key[self.table_keys[1]]['S'] if len(self.table_keys) > 1 else ''}: "
                f"{size} B, {factor * write_units(size)} + {shown or 'no index'}"
            )

    def _read_units(self, operation: str, params: Raw, parsed: Raw) -> float:
        if operation == "GetItem":
            return read_units(item_size(parsed.get("Item")), bool(params.get("ConsistentRead")))
        if operation == "BatchGetItem":
            units = 0.0
            for table, wanted in params["RequestItems"].items():
                found = {json.dumps(self._key(i), sort_keys=True): i for i in parsed["Responses"].get(table, [])}
                for key in wanted["Keys"]:
                    item = found.get(json.dumps(dict(key), sort_keys=True))
                    units += read_units(item_size(item), bool(wanted.get("ConsistentRead")))
            return units
        if operation in ("Query", "Scan"):
            return self._query_units(operation, params)
        return 0.0

    def _query_units(self, operation: str, params: Raw) -> float:
        """A Query is charged for what it reads before the filter: run again without filter or projection."""
        bare = {k: v for k, v in params.items() if k not in ("FilterExpression", "ProjectionExpression", "Select")}
        used = " ".join(str(bare.get(k, "")) for k in ("KeyConditionExpression",))
        names = {k: v for k, v in params.get("ExpressionAttributeNames", {}).items() if k in used}
        values = {k: v for k, v in params.get("ExpressionAttributeValues", {}).items() if k in used}
        bare.pop("ExpressionAttributeNames", None)
        bare.pop("ExpressionAttributeValues", None)
        if names:
            bare["ExpressionAttributeNames"] = names
        if values:
            bare["ExpressionAttributeValues"] = values
        items = getattr(self._probe, operation.lower())(**bare).get("Items", [])
        consistent = bool(params.get("ConsistentRead")) and "IndexName" not in params
        return read_units(sum(item_size(i) for i in items), consistent)


# --- a booking's life -----------------------------------------------------------------------------------------


@dataclass
class Step:
    name: str
    cost: Cost
    changes: int = 0  # stream records the consumer applied after it
    stream: Cost = field(default_factory=Cost)


@dataclass
class Life:
    steps: list[Step]  # a completed booking
    cancelled: Step
    rescheduled: Step
    per_transaction: dict[str, int]  # the booking's transaction: items, by service

    @property
    def completed(self) -> Cost:
        total = Cost()
        for step in self.steps:
            total.add(step.cost)
            total.add(step.stream)
        return total

    @staticmethod
    def whole(step: Step) -> Cost:
        total = Cost()
        total.add(step.cost)
        total.add(step.stream)
        return total

    @property
    def average_writes(self) -> float:
        cancelled, moved = self.whole(self.cancelled), self.whole(self.rescheduled)
        return self.completed.writes + CANCELLED_SHARE * cancelled.writes + RESCHEDULED_SHARE * moved.writes

    @property
    def average_reads(self) -> float:
        cancelled, moved = self.whole(self.cancelled), self.whole(self.rescheduled)
        return self.completed.read + CANCELLED_SHARE * cancelled.read + RESCHEDULED_SHARE * moved.read


class Driver:
    """The app, driven as the mini program, the queue, the schedule and the stream drive it."""

    def __init__(self, client: Any, meter: Meter, zone: Any) -> None:
        import boto3

        import app
        from chalicelib.config import get_settings
        from chalicelib.domain.actor import Role
        from chalicelib.services.identity import dev_login
        from scripts.worker import TableStream

        self.app, self.http, self.meter, self.zone = app, client.http, meter, zone
        self.settings = get_settings()
        self.sqs = boto3.client("sqs", region_name=self.settings.region)
        self.admin, _ = dev_login(self.settings, Role.ADMIN, "Write Units Owner")
        self.customers = 0
        self.new_customer()
        self.stream = TableStream(self.settings.table_name, self.settings.region, start="LATEST")

    def new_customer(self) -> None:
        """The next booking's customer: each of the life's bookings is a customer's first, under no daily cap."""
        from chalicelib.domain.actor import Role
        from chalicelib.services.identity import dev_login

        self.customers += 1
        self.name, self.phone = f"Customer {self.customers}", f"1380013{self.customers:04d}"
        self.customer, _ = dev_login(self.settings, Role.CUSTOMER, self.name)

    def call(self, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token or self.customer}", "Content-Type": "application/json"}
        if method == "POST":
            headers["Idempotency-Key"] = uuid.uuid4().hex
        answer = self.http.request(method, path, headers=headers, body=json.dumps(body or {}).encode())
        assert answer.status_code < 300, (method, path, answer.status_code, answer.body)
        return json.loads(answer.body)

    def step(self, name: str, *actions: Any) -> Step:
        """Run the actions metered, then the stream consumer over what they changed, metered apart."""
        with self.meter.measuring() as cost:
            for action in actions:
                action()
        with self.meter.measuring() as stream:
            changes = self.stream.drain(self.app.count_changes)
        return Step(name, cost, changes, stream)

    def deliver(self) -> None:
        """The notices queue drained through the app's `deliver_notices`, as Lambda would."""
        from scripts.worker import sqs_event

        url = self.sqs.get_queue_url(QueueName=self.settings.notices_queue)["QueueUrl"]
        arn = f"arn:aws:sqs:{self.settings.region}:123456789012:{self.settings.notices_queue}"
        while messages := self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            self.app.deliver_notices(sqs_event(arn, messages), None)
            entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)]
            self.sqs.delete_message_batch(QueueUrl=url, Entries=entries)

    def sweep(self, at: datetime) -> None:
        from chalicelib.workers import notices

        notices.sweep(at)

    def book(self, service: str, staff: str, day: date, time: str) -> dict[str, Any]:
        body = {
            "serviceId": service,
            "staffId": staff,
            "date": day.isoformat(),
            "timeSlot": time,
            "customerInfo": {"name": self.name, "phone": self.phone},
        }
        return dict(self.call("POST", "/appointments/book", body)["appointment"])


def working_day(after: datetime, days: int, zone: Any) -> date:
    day = (after + timedelta(days=days)).astimezone(zone).date()
    return day + timedelta(days=int(day.weekday() == 6))


def completed_life(d: Driver, day: date) -> list[Step]:
    from chalicelib.domain.actor import Actor, Role
    from chalicelib.services import appointments
    from chalicelib.store import get_store

    dates = "/appointments/availability/dates?serviceId=svc-cut&staffId=staff-li&days=30"
    slots = "/appointments/availability/slots?serviceId=svc-cut&staffId=staff-li&date="
    steps = [
        d.step(
            "browse: services, staff, dates (30 days), slots (two dates)",
            lambda: d.call("GET", "/appointments/services"),
            lambda: d.call("GET", "/appointments/services/svc-cut/staff"),
            lambda: d.call("GET", dates),
            lambda: d.call("GET", f"{slots}{day}"),
            lambda: d.call("GET", f"{slots}{day + timedelta(days=1)}"),
        )
    ]
    made: dict[str, Any] = {}
    booking = "book (haircut, 2 reminders; its confirmation relayed)"
    steps.append(d.step(booking, lambda: made.update(d.book(*HAIRCUT, day, "10:00"))))
    steps.append(d.step("confirmation delivered", d.deliver))
    steps.append(
        d.step(
            "the customer's list, then the appointment",
            lambda: d.call("GET", "/appointments/mine"),
            lambda: d.call("GET", f"/appointments/{made['id']}"),
        )
    )
    start = datetime.fromisoformat(f"{made['date']}T{made['timeSlot']}").replace(tzinfo=d.zone)
    for offset in (timedelta(hours=24), timedelta(hours=2)):
        steps.append(
            d.step(
                f"reminder {offset.total_seconds() / 3600:.0f}h before: swept, relayed, delivered",
                lambda at=start - offset + timedelta(seconds=1): d.sweep(at),
                d.deliver,
            )
        )
    staff = Actor("write-units-desk", Role.STAFF, "Front Desk")
    steps.append(
        d.step(
            "completed by staff",
            lambda: appointments.move(get_store(), staff, made["id"], "complete", start + timedelta(minutes=10)),
        )
    )
    return steps


HAIRCUT = ("svc-cut", "staff-li")


def cancellation(d: Driver, day: date) -> Step:
    d.new_customer()
    made = d.book("svc-cut", "staff-wang", day, "11:00")
    d.stream.drain(d.app.count_changes)
    d.deliver()
    return d.step(
        "cancelled by the customer, its notice delivered",
        lambda: d.call("PUT", f"/appointments/{made['id']}/cancel", {"reason": "cannot come"}),
        d.deliver,
    )


def reschedule(d: Driver, day: date) -> Step:
    d.new_customer()
    made = d.book("svc-cut", "staff-wang", day, "14:00")
    d.stream.drain(d.app.count_changes)
    d.deliver()
    return d.step(
        "rescheduled by the customer, its notice delivered",
        lambda: d.call("PUT", f"/appointments/{made['id']}/reschedule", {"date": day.isoformat(), "timeSlot": "16:00"}),
        d.deliver,
    )


def revenue_protection(d: Driver, day: date) -> list[Step]:
    """What deposits, fees owed and the waitlist add (issue 18): each step as a booking's life meters it, the
    stream's consumers included (the analytics', and the waitlist's offering freed time)."""
    from chalicelib.domain.actor import Actor, Role
    from chalicelib.services import appointments
    from chalicelib.store import get_store
    from scripts.worker import TableStream

    desk = Actor("write-units-desk", Role.STAFF, "Front Desk")
    admin = d.admin
    d.call("PUT", "/admin/settings", {"depositPolicy": "everyone", "feesOwed": True}, admin)
    d.call("PUT", "/admin/services/svc-scalp", {"deposit": {"percent": 20}}, admin)
    steps = []
    d.new_customer()
    held: dict[str, Any] = {}
    steps.append(
        d.step("book asking a deposit (a hold)", lambda: held.update(d.book("svc-scalp", "staff-chen", day, "09:00")))
    )
    d.new_customer()
    missed: dict[str, Any] = {}
    missed.update(d.book("svc-cut", "staff-wang", day, "09:00"))
    d.stream.drain(d.app.count_changes)
    start = datetime.fromisoformat(f"{missed['date']}T{missed['timeSlot']}").replace(tzinfo=d.zone)
    steps.append(
        d.step(
            "no-show with its fee owed (no deposit)",
            lambda: appointments.move(get_store(), desk, missed["id"], "no-show", start + timedelta(minutes=30)),
        )
    )
    steps.append(d.step("the next booking carries the fee owed", lambda: d.book("svc-cut", "staff-wang", day, "13:00")))
    d.new_customer()
    taken, owner = d.book("svc-cut", "staff-li", day, "15:00"), d.customer
    d.stream.drain(d.app.count_changes)
    offers = TableStream(d.settings.table_name, d.settings.region, start="LATEST")  # the waitlist's own reader
    d.new_customer()
    wish = {
        "serviceId": "svc-cut",
        "staffId": "staff-li",
        "fromDate": day.isoformat(),
        "toDate": day.isoformat(),
        "fromTime": "14:00",
        "toTime": "18:00",
        "customerInfo": {"name": d.name, "phone": d.phone},
    }
    steps.append(d.step("join the waitlist", lambda: d.call("POST", "/waitlist", wish)))
    waiting = d.customer
    with d.meter.measuring() as cost:
        d.call("PUT", f"/appointments/{taken['id']}/cancel", {}, owner)
    with d.meter.measuring() as offered:
        offers.drain(d.app.offer_freed_time)
        d.stream.drain(d.app.count_changes)
    steps.append(Step("a cancellation, and the offer to the first in line (the stream's consumers)", cost, 0, offered))
    entry = d.call("GET", "/waitlist/mine", token=waiting)["entries"][0]
    steps.append(
        d.step("the offer booked", lambda: d.call("POST", f"/appointments/{entry['offerId']}/accept", token=waiting))
    )
    d.call("PUT", "/admin/settings", {"depositPolicy": "everyone", "feesOwed": False}, admin)
    d.call("PUT", "/admin/services/svc-scalp", {"deposit": None}, admin)
    return steps


def items_per_booking(d: Driver, day: date) -> dict[str, int]:
    """Items in a booking's transaction: a 30-minute consultation, and a 12-hour service across UTC midnight."""
    service = d.call("POST", "/admin/services", {"name": "Twelve hours", "duration": 720, "price": 1}, d.admin)
    long_id = service["service"]["id"]
    member = d.call("POST", "/admin/staff", {"name": "Long Shift", "serviceIds": [long_id]}, d.admin)["staff"]
    hours = {k: [{"start": "06:00", "end": "20:00"}] for k in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    d.call("PUT", f"/appointments/staff/{member['id']}/availability", {"availability": {"weekly": hours}}, d.admin)
    counted = {}
    d.new_customer()
    for name, service_id, staff_id, time in (
        ("30-minute consultation", "svc-consult", "staff-chen", "09:00"),
        ("12-hour service from 07:00 local (23:00 UTC, across UTC midnight)", long_id, member["id"], "07:00"),
    ):
        with d.meter.measuring() as cost:
            d.book(service_id, staff_id, day, time)
        counted[name] = cost.transactions[0]
    return counted


def measure(now: datetime) -> Life:
    """One booking's life on the table `get_store()` is bound to, which holds the demo business."""
    from chalice.test import Client

    import app
    from chalicelib.store import get_store
    from scripts import demo_data

    store = get_store()
    meter = Meter(store.table.connection.client, store.table.name)
    zone = demo_data.SETTINGS.zone
    with Client(app.app, stage_name="local", project_dir=str(ROOT)) as client:
        d = Driver(client, meter, zone)
        steps = completed_life(d, working_day(now, 9, zone))  # days `make bench`'s other measures leave free
        cancelled = cancellation(d, working_day(now, 10, zone))
        moved = reschedule(d, working_day(now, 11, zone))
        per_transaction = items_per_booking(d, working_day(now, 12, zone))
    return Life(steps, cancelled, moved, per_transaction)


# --- the table ------------------------------------------------------------------------------------------------


def _calls(calls: Counter[str]) -> str:
    return ", ".join(f"{n} {op}" for op, n in sorted(calls.items(), key=lambda c: (-c[1], c[0]))) or "none"


def _units(cost: Cost) -> str:
    return f"{cost.table} + {cost.indexes} = **{cost.writes}**" if cost.indexes else f"{cost.writes}"


def report(life: Life) -> str:
    stream = Cost()
    changes = 0
    rows = []
    for step in life.steps:
        rows.append(f"| {step.name} | {_calls(step.cost.calls)} | {step.cost.read:g} | {_units(step.cost)} |")
        stream.add(step.stream)
        changes += step.changes
    rows.append(
        f"| the stream consumer after each step ({changes} records; those that move a figure written) | "
        f"{_calls(stream.calls)} | {stream.read:g} | {_units(stream)} |"
    )
    completed = life.completed
    rows.append(f"| **a completed booking** | | **{completed.read:g}** | **{completed.writes}** |")
    for share, step in ((CANCELLED_SHARE, life.cancelled), (RESCHEDULED_SHARE, life.rescheduled)):
        whole = Life.whole(step)
        rows.append(
            f"| {step.name}, with the stream ({share:.0%} of bookings) | {_calls(whole.calls)} | "
            f"{whole.read:g} | {_units(whole)} |"
        )
    rows.append(f"| **average per booking** | | **{life.average_reads:.1f}** | **{life.average_writes:.1f}** |")
    written = Cost()
    for step in (*life.steps, life.cancelled, life.rescheduled):
        written.add(Life.whole(step))
    sizes = ", ".join(
        f"{kind} {min(s):,}" + (f"-{max(s):,}" if max(s) != min(s) else "") + " B"
        for kind, s in sorted(written.written.items(), key=lambda kv: -max(kv[1]))
    )
    transactions = "; ".join(f"{name}: {n} items" for name, n in life.per_transaction.items())
    return "\n".join(
        [
            "| step of one booking | calls | read units | write units (table + indexes) |",
            "|---|---|---|---|",
            *rows,
            "",
            f"Item sizes written: {sizes}.",
            "",
            f"The booking's transaction: {transactions}.",
        ]
    )


def revenue_report(now: datetime) -> str:
    from chalice.test import Client

    import app
    from chalicelib.store import get_store
    from scripts import demo_data

    store = get_store()
    meter = Meter(store.table.connection.client, store.table.name)
    zone = demo_data.SETTINGS.zone
    with Client(app.app, stage_name="local", project_dir=str(ROOT)) as client:
        d = Driver(client, meter, zone)
        steps = revenue_protection(d, working_day(now, 15, zone))  # a day the rest of the measures leave free
    rows = ["| step | write units (table + indexes) | of which the stream's consumers |", "|---|---|---|"]
    for step in steps:
        whole = Life.whole(step)
        rows.append(f"| {step.name} | {whole.table} + {whole.indexes} = **{whole.writes}** | {step.stream.writes} |")
    return "\n".join(rows)


Row = tuple[str, str, str, str]


def bench_rows(now: datetime) -> list[Row]:
    """`make bench`'s rows (scripts/bench.py), on the table it set up."""
    life = measure(now)
    completed = life.completed
    return [
        (
            "write units of a booking's life (docs/cost.md's weighing)",
            f"{life.average_writes:.1f} per booking",
            _calls(completed.calls),
            f"a completed booking {completed.writes} ({completed.table} table + {completed.indexes} indexes); "
            f"a cancellation {Life.whole(life.cancelled).writes}, a reschedule {Life.whole(life.rescheduled).writes}"
            f"; read units {life.average_reads:.1f}; scripts/bench_write_units.py",
        ),
        (
            "items in a booking's transaction",
            " / ".join(str(n) for n in life.per_transaction.values()),
            "1 TransactWriteItems",
            "; ".join(f"{name}: {n} items" for name, n in life.per_transaction.items()),
        ),
    ]


def boto3_items(table: str, kind: str) -> list[dict[str, Any]]:
    import boto3

    pages = boto3.client("dynamodb").get_paginator("scan").paginate(TableName=table)
    return [i for page in pages for i in page["Items"] if i.get("kind", {}).get("S") == kind]


def demo_business() -> tuple[Any, Any, Any]:
    """In-process moto on a free port holding the demo business as `make run` loads it: (server, store, settings)."""
    for name, value in {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}.items():
        os.environ.setdefault(name, value)
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
    from scripts import demo_data, local_aws
    from scripts.local_stack import stage_environment
    from scripts.soak import untrack_moto_instances

    os.environ.update(stage_environment("local"))
    os.environ["POWERTOOLS_LOG_LEVEL"] = "WARNING"  # a log line per request would bury the figures
    untrack_moto_instances()
    server, endpoint = local_aws.start(0)
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    from chalicelib.config import get_settings
    from chalicelib.store import get_store

    settings = get_settings()
    store = get_store()
    store.table.create()
    demo_data.load(store)
    local_aws.create_messaging(settings.notices_queue, settings.sender_email, settings.region)
    local_aws.create_payments(settings.payments_queue, settings.secrets_id, settings.region)
    return server, store, settings


def main() -> None:
    server, _, settings = demo_business()
    try:
        life = measure(datetime.now(UTC))
        print(report(life))
        if "--appointment" in sys.argv:
            found = boto3_items(settings.table_name, "appointment")[-1]
            for name, value in sorted(found.items(), key=lambda kv: -(len(kv[0]) + value_size(kv[1]))):
                print(f"  {name}: {len(name.encode()) + value_size(value)} B  {value}")
            print(f"  total {item_size(found)} B")
        if "--revenue" in sys.argv:  # issue 18's deposits, fees owed and waitlist
            print(revenue_report(datetime.now(UTC)))
        if "--detail" in sys.argv:
            for step in (*life.steps, life.cancelled, life.rescheduled):
                print(f"\n{step.name}:", *step.cost.detail, "stream:", *step.stream.detail, sep="\n  ")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
