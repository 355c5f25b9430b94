"""The payments consumer (SQS, partial batch failures): Stripe's events and the refunds the outbox owes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.batch import EventType
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from chalicelib.integrations.payments import get_payments
from chalicelib.observability import logger
from chalicelib.services import payments
from chalicelib.store import get_store
from chalicelib.workers import partial_batch


def _apply(record: SQSRecord) -> None:
    message = json.loads(record.body)
    outcome = payments.handle(get_store(), get_payments(), message, datetime.now(UTC))
    logger.info("payment message", extra={"type": message.get("type") or message.get("kind"), "outcome": outcome})


def handle_batch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return partial_batch(event, _apply, EventType.SQS, context)
