"""The only package that knows the DynamoDB table; it speaks domain objects outward."""

from __future__ import annotations

from functools import lru_cache

from chalicelib.config import get_settings
from chalicelib.store.models import bind_table
from chalicelib.store.occupancy import THROTTLED
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
    "Throttling",  # SQS and others
    "RequestThrottled",
    "KmsThrottled",
    "InternalError",
}


def is_transient(error: Exception) -> bool:
    """An AWS failure worth a retry by the client (503), as opposed to a bug (500)."""
    from botocore.exceptions import ClientError, HTTPClientError
    from botocore.exceptions import ConnectionError as NetworkError
    from pynamodb.exceptions import PynamoDBException, TransactWriteError

    reasons = error.cancellation_reasons or [] if isinstance(error, TransactWriteError) else []
    if THROTTLED & {r.code for r in reasons if r and r.code}:  # one item of a transaction was throttled
        return True
    if isinstance(error, PynamoDBException):
        return error.cause_response_code is None or error.cause_response_code in _TRANSIENT
    if isinstance(error, (NetworkError, HTTPClientError)):
        return True
    if isinstance(error, ClientError):
        status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
        return error.response.get("Error", {}).get("Code") in _TRANSIENT or status >= 500
    return False
