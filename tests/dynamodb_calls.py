"""Counting real DynamoDB calls with botocore's own event hooks, to hold each operation to its ceiling."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import botocore.session

_active: list[Counter[str]] = []
_sizes: list[list[int]] = []
_original_create_client = botocore.session.Session.create_client


def _count(model: Any, **_: Any) -> None:
    for counter in _active:
        counter[model.name] += 1


def _size(params: dict[str, Any], **_: Any) -> None:
    for sizes in _sizes:
        sizes.append(len(params["TransactItems"]))


def _create_client(self: botocore.session.Session, *args: Any, **kwargs: Any) -> Any:
    client = _original_create_client(self, *args, **kwargs)
    client.meta.events.register("before-call.dynamodb", _count)
    client.meta.events.register("before-parameter-build.dynamodb.TransactWriteItems", _size)
    return client


def install() -> None:
    """Hook every botocore client made from now on (call before the app makes any)."""
    botocore.session.Session.create_client = _create_client


@contextmanager
def count_dynamodb_calls() -> Iterator[Counter[str]]:
    counter: Counter[str] = Counter()
    _active.append(counter)
    try:
        yield counter
    finally:
        _active.remove(counter)


@contextmanager
def transaction_sizes() -> Iterator[list[int]]:
    """The number of items of each TransactWriteItems sent meanwhile, in order."""
    sizes: list[int] = []
    _sizes.append(sizes)
    try:
        yield sizes
    finally:
        _sizes.remove(sizes)
