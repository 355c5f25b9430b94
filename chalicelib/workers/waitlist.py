"""The table's stream, a second consumer: time a change gives back is offered to the waitlist."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.batch import EventType
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from chalicelib.services import waitlist
from chalicelib.store import get_store
from chalicelib.store.figures import from_image
from chalicelib.workers import partial_batch


def _offer(record: DynamoDBRecord) -> None:
    change = record.raw_event["dynamodb"]
    before, after = from_image(change.get("OldImage")), from_image(change.get("NewImage"))
    waitlist.fill(get_store(), before, after, datetime.now(UTC))


def handle_batch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Partial batch failures: Lambda retries from the first failed record. A retried record offers only time that
    is still free (an offer made the first time holds it), so nothing is offered twice."""
    return partial_batch(event, _offer, EventType.DynamoDBStreams, context)
