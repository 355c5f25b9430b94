"""The only package that knows the DynamoDB table; it speaks domain objects outward.

`Store` is the table by what it keeps, one module each. The write that makes double booking
impossible is `occupancy`; the transaction of an appointment's change is `changes`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from chalicelib.config import get_settings
from chalicelib.store.appointments import AppointmentStore
from chalicelib.store.blocks import BlockStore
from chalicelib.store.catalogue import CatalogueStore
from chalicelib.store.changes import Changes
from chalicelib.store.customers import CustomerStore
from chalicelib.store.idempotency import Replays
from chalicelib.store.models import bind_table
from chalicelib.store.occupancy import THROTTLED
from chalicelib.store.outbox import Outbox
from chalicelib.store.payments import PaymentStore
from chalicelib.store.table import Table
from chalicelib.store.texts import TextCounts
from chalicelib.store.timelines import Timelines
from chalicelib.store.waitlist import Waitlist
from chalicelib.store.webhooks import Webhooks

if TYPE_CHECKING:
    from chalicelib.store.figures import FigureStore


class Store:
    def __init__(self, table_name: str, region: str) -> None:
        self.table = Table(table_name, region)
        self.catalogue = CatalogueStore(self.table)
        self.appointments = AppointmentStore()
        self.changes = Changes(self.table)
        self.timelines = Timelines()
        self.blocks = BlockStore(self.table)
        self.customers = CustomerStore()
        self.outbox = Outbox()
        self.payments = PaymentStore(self.table, self.appointments)
        self.replays = Replays(self.appointments)
        self.texts = TextCounts()  # texts sent per day to each number and customer
        self.waitlist = Waitlist()
        self.webhooks = Webhooks()  # outbound subscriptions, their events and deliveries

    @property
    def figures(self) -> FigureStore:
        """The daily analytics figures."""
        from chalicelib.store.figures import FigureStore  # deferred: only reports and the stream consumer read them

        return FigureStore(self.table.connection, self.table.name)


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
