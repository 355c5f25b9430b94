"""The AWS calls a piece of work makes, from every botocore client of the process, with their parameters.

`install()` before the app makes its clients; then `with recording() as calls:` lists each call as the
client received it (operation and parameters), so it can be counted or made again from another client.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import botocore.session

_active: list[list[Call]] = []
_create_client = botocore.session.Session.create_client


@dataclass(frozen=True)
class Call:
    service: str
    operation: str
    params: dict[str, Any]


def _record(params: dict[str, Any], model: Any, **_: Any) -> None:
    for calls in _active:
        calls.append(Call(model.service_model.service_name, model.name, copy.deepcopy(params)))


def _recorded_client(self: botocore.session.Session, *args: Any, **kwargs: Any) -> Any:
    client = _create_client(self, *args, **kwargs)
    client.meta.events.register("provide-client-params", _record)
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


def shown(counted: Counter[str]) -> str:
    """`5 (GetItem 1, Query 2, TransactWriteItems 2)`."""
    return f"{sum(counted.values())} ({', '.join(f'{op} {n}' for op, n in sorted(counted.items()))})"
