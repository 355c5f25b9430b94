"""The only package that knows the DynamoDB table; it speaks domain objects outward."""

from __future__ import annotations

from functools import lru_cache

from chalicelib.config import get_settings
from chalicelib.store.repository import Store


def get_store() -> Store:
    settings = get_settings()
    return _store(settings.table_name, settings.region)


@lru_cache(maxsize=4)
def _store(table_name: str, region: str) -> Store:
    return Store(table_name, region)
