"""The AWS calls a piece of work makes, from every botocore client of the process, with their parameters.

`install()` before the app makes its clients; then `with recording() as calls:` lists each call as the
client received it (operation and parameters), so it can be counted or made again from another client, and
what DynamoDB answered: the items it returned and, for a Query or Scan, the items it read (`ScannedCount`).
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import botocore.session

_active: list[list[Call]] = []
_create_client = botocore.session.Session.create_client


@dataclass(frozen=True)
class Call:
    service: str
    operation: str
    params: dict[str, Any]
    answered: dict[str, int] = field(default_factory=dict)  # "returned", "scanned": filled when it answers

    @property
    def partition(self) -> str:
        """A Query's partition key value, as asked (`CAL#staff:<id>`, `BUSINESS`); "" for other calls."""
        if self.operation != "Query":
            return ""
        values = self.params.get("ExpressionAttributeValues", {})
        return next((v["S"] for v in values.values() if "S" in v), "")


def _record(params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
    made = [Call(model.service_model.service_name, model.name, copy.deepcopy(params)) for _ in _active]
    for calls, call in zip(_active, made, strict=True):
        calls.append(call)
    context["bench_calls"] = made


def _answered(parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
    """The items of the answer: a Query's or Scan's Count and ScannedCount; a GetItem's item; a BatchGetItem's."""
    if "Count" in parsed:
        returned, scanned = parsed["Count"], parsed.get("ScannedCount", parsed["Count"])
    elif "Responses" in parsed and isinstance(parsed["Responses"], dict):
        returned = scanned = sum(len(items) for items in parsed["Responses"].values())
    else:
        returned = scanned = int("Item" in parsed)
    for call in context.get("bench_calls", ()):
        call.answered.update(returned=returned, scanned=scanned)


def _recorded_client(self: botocore.session.Session, *args: Any, **kwargs: Any) -> Any:
    client = _create_client(self, *args, **kwargs)
    client.meta.events.register("provide-client-params", _record)
    client.meta.events.register("after-call.dynamodb", _answered)
    return client


def install() -> None:
    botocore.session.Session.create_client = _recorded_client


@contextmanager
def recording() -> Iterator[list[Call]]:
    calls: list[Call] = []
    _active.append(calls)
    try:
        yield calls
    finally:
        _active.remove(calls)


def dynamodb(calls: list[Call]) -> Counter[str]:
    return Counter(c.operation for c in calls if c.service == "dynamodb")


def items_read(calls: list[Call], partition_prefix: str = "") -> int:
    """The items DynamoDB read for the Queries among the calls (ScannedCount, summed), of partitions so named."""
    return sum(
        c.answered.get("scanned", 0)
        for c in calls
        if c.service == "dynamodb" and c.operation == "Query" and c.partition.startswith(partition_prefix)
    )


def shown(counted: Counter[str]) -> str:
    """`5 (GetItem 1, Query 2, TransactWriteItems 2)`."""
    return f"{sum(counted.values())} ({', '.join(f'{op} {n}' for op, n in sorted(counted.items()))})"
