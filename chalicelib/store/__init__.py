"""The only package that knows the DynamoDB table; it speaks domain objects outward."""

from __future__ import annotations

from functools import lru_cache

from chalicelib.config import get_settings
from chalicelib.store.models import bind_table
from chalicelib.store.repository import Store


def get_store() -> Store:
    settings = get_settings()
    bind_table(settings.table_name, settings.region)  # models are bound per process; keep them on this table
    return _store(settings.table_name, settings.region)


@lru_cache(maxsize=4)
def _store(table_name: str, region: str) -> Store:
    return Store(table_name, region)


_TRANSIENT = {
    "ThrottlingException",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "TransactionInProgressException",
}


def is_transient(error: Exception) -> bool:
    """A storage failure worth a retry by the client (503), as opposed to a bug (500)."""
    from pynamodb.exceptions import PynamoDBException

    if not isinstance(error, PynamoDBException):
        return False
    return error.cause_response_code is None or error.cause_response_code in _TRANSIENT
