"""The daily analytics figures, one attribute per counter: a day's in pk STATS, sk DAY#<date>; a customer's of a day
in pk CUSTSTATS, sk CUST#<date>#<customer>. A location other than the business's own has its own partitions
(STATS#<location>, CUSTSTATS#<location>): no partition takes every location's changes.

A customer's counters of a day are an item of their own, apart from the days': in one item for everyone's, a busy
day's item grew by ~100 bytes a customer, every update was charged for the whole of it (a write unit per KB), and
~4,000 customers a day would have passed DynamoDB's 400 KB. Items of the old shape (STATS, CUST#<date>, counters
named `<customer>:n`) still read and add up with the new ones; a rebuild rewrites them.

Counters and block marks are attributes named by what they count ("st:completed", "svc:svc-cut:n",
"blk:staff-li:<block id>"), so one UpdateItem adds a change to a day and one Query reads a period.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.operand import Path
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.block import Block
from chalicelib.domain.daily_figures import Bucket, Delta, Figures
from chalicelib.store import mapping
from chalicelib.store.models import AppointmentItem, BlockItem, EventItem, FiguresItem, Item

STATS = "STATS"
CUSTOMER_STATS = "CUSTSTATS"
RECORD_RETENTION = timedelta(days=2)  # a stream keeps records for 24 hours: a redelivery comes sooner


def partition(place: str = "", bucket: Bucket = Bucket.DAY) -> str:
    name = CUSTOMER_STATS if bucket is Bucket.CUSTOMERS else STATS
    return f"{name}#{place}" if place else name


def _sk(bucket: Bucket, day: date) -> str:
    return f"{bucket.value}#{day.isoformat()}"


def _item(bucket: Bucket, day: date, name: str) -> tuple[str, str]:
    """Where a figure is kept: its item's sort key, and its attribute (a customer's counter on their own item)."""
    if bucket is Bucket.CUSTOMERS:
        customer, _, counter = name.rpartition(":")
        return f"{_sk(bucket, day)}#{customer}", counter
    return _sk(bucket, day), name


def _named(sk: str) -> tuple[date, str]:
    """A figure item's day, and the prefix of its attributes' names (a customer item's: `<customer>:`)."""
    _, day, *customer = sk.split("#", 2)
    return date.fromisoformat(day), f"{customer[0]}:" if customer else ""


def _value(raw: Mapping[str, Any]) -> int | str | None:
    if "N" in raw:
        return int(raw["N"])
    if "S" in raw:
        return str(raw["S"])
    return None


class FigureStore:
    def __init__(self, connection: Connection, table_name: str) -> None:
        self._connection, self._table = connection, table_name

    def apply(self, record_id: str, delta: Delta, place: str = "", owner: tuple[date, str] | None = None) -> bool:
        """Add one change to its days at its location, once per stream record: False if the record was applied
        before.

        An appointment's change is claimed on its customer's item of its day (`owner`: that day and the customer),
        which names the records it has applied, in the update that counts it: 2 write units a change fewer than
        a claim item of its own (docs/cost.md). A block's change has no customer: an item of its own claims it."""
        actions: dict[tuple[str, str], list[Action]] = {}

        def at(bucket: Bucket, day: date, name: str) -> tuple[list[Action], Path]:
            sk, attribute = _item(bucket, day, name)
            return actions.setdefault((partition(place, bucket), sk), []), Path([attribute])

        for (bucket, day, name), amount in delta.add.items():
            updates, attribute = at(bucket, day, name)
            updates.append(attribute.add(amount))
        for (bucket, day, name), mark in delta.put.items():
            updates, attribute = at(bucket, day, name)
            updates.append(attribute.set(mark))
        for bucket, day, name in delta.drop:
            updates, attribute = at(bucket, day, name)
            updates.append(attribute.remove())
        claim = None
        if owner is not None:
            day, customer = owner
            claim = (partition(place, Bucket.CUSTOMERS), f"{_sk(Bucket.CUSTOMERS, day)}#{customer}")
            actions.setdefault(claim, []).append(FiguresItem.seen.add({record_id}))
        try:
            with TransactWrite(connection=self._connection) as tx:
                if claim is None:
                    tx.save(_claimed(record_id), condition=EventItem.pk.does_not_exist())
                for key, updates in sorted(actions.items()):
                    new = FiguresItem.seen.does_not_exist() | ~FiguresItem.seen.contains(record_id)
                    tx.update(
                        FiguresItem(*key),
                        actions=[Path(["kind"]).set("figures"), *updates],
                        condition=new if key == claim else None,
                    )
        except TransactWriteError as error:
            if any(r and r.code == "ConditionalCheckFailed" for r in error.cancellation_reasons or []):
                return False
            raise
        return True

    def read(self, bucket: Bucket, first: date, last: date, places: Iterable[str] = ("",)) -> dict[date, Figures]:
        """Every day's figures in [first, last] at these locations, added up: one Query (paged by 1 MB) each,
        whatever the bookings; the customers' also read any items of the old shape (one Query more)."""
        days: dict[date, dict[str, int | str]] = {}
        low, high = _sk(bucket, first), f"{_sk(bucket, last)}#~"
        for place in places:
            old = self._query(low, _sk(bucket, last), partition(place)) if bucket is Bucket.CUSTOMERS else ()
            for raw in (*self._query(low, high, partition(place, bucket)), *old):
                day, prefix = _named(raw["sk"]["S"])
                figures = days.setdefault(day, {})
                for attribute, v in raw.items():
                    value = _value(v) if attribute not in ("pk", "sk", "kind") else None
                    name = prefix + attribute
                    if isinstance(value, int):
                        figures[name] = int(figures.get(name, 0)) + value
                    elif value is not None:
                        figures[name] = value
        return dict(days)

    def replace_all(self, days: Mapping[tuple[Bucket, date], Figures], place: str = "") -> int:
        """The rebuild's write: every figure item of a location replaced by the given ones; how many were written."""
        fresh: dict[tuple[str, str], dict[str, Any]] = {}
        for (bucket, day), figures in days.items():
            for name, v in figures.items():
                pk, (sk, attribute) = partition(place, bucket), _item(bucket, day, name)
                item = fresh.setdefault((pk, sk), {"pk": {"S": pk}, "sk": {"S": sk}, "kind": {"S": "figures"}})
                item[attribute] = {"N": str(v)} if isinstance(v, int) else {"S": v}
        existing = [raw for bucket in Bucket for raw in self._query("#", "~", partition(place, bucket))]
        for raw in existing:  # the records a customer's item has applied stay named: a redelivery still counts once
            if "seen" in raw:
                key = (raw["pk"]["S"], raw["sk"]["S"])
                fresh.setdefault(key, {"pk": raw["pk"], "sk": raw["sk"], "kind": {"S": "figures"}})["seen"] = raw[
                    "seen"
                ]
        stale = [raw for raw in existing if (raw["pk"]["S"], raw["sk"]["S"]) not in fresh]
        requests = [{"DeleteRequest": {"Key": {"pk": raw["pk"], "sk": raw["sk"]}}} for raw in stale]
        requests += [{"PutRequest": {"Item": item}} for item in fresh.values()]
        for start in range(0, len(requests), 25):
            self._batch_write(requests[start : start + 25])
        return len(fresh)

    def _batch_write(self, requests: list[dict[str, Any]]) -> None:
        pending = {self._table: requests}
        while pending:
            answer = self._connection.client.batch_write_item(RequestItems=pending)
            pending = answer.get("UnprocessedItems") or {}

    def _query(self, low: str, high: str, pk: str) -> Iterator[dict[str, Any]]:
        start: dict[str, Any] | None = None
        while True:
            page = self._connection.client.query(
                TableName=self._table,
                KeyConditionExpression="pk = :pk AND sk BETWEEN :low AND :high",
                ExpressionAttributeValues={":pk": {"S": pk}, ":low": {"S": low}, ":high": {"S": high}},
                **({"ExclusiveStartKey": start} if start else {}),
            )
            yield from page.get("Items", [])
            start = page.get("LastEvaluatedKey")
            if not start:
                return


def _claimed(record_id: str) -> EventItem:
    return EventItem(
        f"EVENT#stream:{record_id}", "EVENT", event_type="stream", expires_at=datetime.now(UTC) + RECORD_RETENTION
    )


def every_appointment_and_block() -> Iterator[Appointment | Block]:
    """For the rebuild script only: a Scan, never on a request path."""
    for item in Item.scan(Path(["kind"]).is_in("appointment", "block")):
        found = _domain(item)
        if found is not None:
            yield found


def from_image(raw: Mapping[str, Any] | None) -> Appointment | Block | None:
    """An appointment or a block from a stream record's image; None for any other item."""
    if raw is None or raw.get("kind", {}).get("S") not in ("appointment", "block"):
        return None
    return _domain(Item.from_raw_data(dict(raw)))


def _domain(item: Item) -> Appointment | Block | None:
    if isinstance(item, AppointmentItem):
        return mapping.appointment_from(item)
    if isinstance(item, BlockItem):
        return mapping.block_from(item)
    return None
