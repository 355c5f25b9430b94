"""The table's stream consumer: each appointment or block change added to the daily figures, once."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import EventType
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from chalicelib.services import analytics
from chalicelib.store import get_store
from chalicelib.workers import partial_batch


def _apply(record: DynamoDBRecord) -> None:
    change = record.raw_event["dynamodb"]
    analytics.record_change(get_store(), record.raw_event["eventID"], change.get("OldImage"), change.get("NewImage"))


def handle_batch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Partial batch failures: Lambda retries from the first failed record; applied ones count once."""
    return partial_batch(event, _apply, EventType.DynamoDBStreams, context)
