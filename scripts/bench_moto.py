"""moto, for the bench, reading one partition where DynamoDB reads one partition.

moto answers a Query on a table's own key by sorting every item of the table and keeping the
partition asked for: at the bench's ~60,000 items a slots call's two Queries took 2 to 5 seconds,
a cost of the emulator that DynamoDB, which reads the partition alone, does not have. Here such a
Query sees its partition only (what moto then does with it is unchanged). Queries on an index still
read the whole table, as moto does. It patches the emulator, never the app; moto serves each request
on its own thread, so the partition is handed over per thread.
"""

from __future__ import annotations

import functools
import inspect
import threading
from typing import Any

_partition = threading.local()


def query_one_partition() -> None:
    from moto.dynamodb.models.table import Table

    original_query, original_items = Table.query, Table.all_items
    if getattr(original_query, "one_partition", False):
        return
    signature = inspect.signature(original_query)

    def all_items(self: Any) -> list[Any]:
        scoped = getattr(_partition, "items", None)
        if scoped is not None and scoped[0] is self:
            return list(scoped[1])
        return list(original_items(self))

    def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        if signature.bind(self, hash_key, *args, **kwargs).arguments.get("index_name") or not self.range_key_attr:
            return original_query(self, hash_key, *args, **kwargs)
        _partition.items = (self, self.items.get(hash_key, {}).values())
        try:
            return original_query(self, hash_key, *args, **kwargs)
        finally:
            _partition.items = None

    functools.update_wrapper(query, original_query)
    query.one_partition = True  # type: ignore[attr-defined]
    Table.query = query  # type: ignore[method-assign]
    Table.all_items = all_items  # type: ignore[method-assign]
