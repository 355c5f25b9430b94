"""The notices consumer (SQS, partial batch failures) and the sweep that queues due notices."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from aws_lambda_powertools.utilities.batch import EventType
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from chalicelib.config import get_settings
from chalicelib.integrations.aws import client
from chalicelib.integrations.channels import Channel, SesEmail, SnsSms, WeChatPush
from chalicelib.integrations.queue import get_queue
from chalicelib.observability import logger, masked_failures
from chalicelib.services import notices, outbox
from chalicelib.store import get_store
from chalicelib.workers import partial_batch


@lru_cache(maxsize=2)
def _channels(region: str, sender: str, app_id: str, secret: str, template: str, base: str) -> dict[str, Channel]:
    return {
        "email": SesEmail(client("ses", region), sender),
        "sms": SnsSms(client("sns", region)),
        "push": WeChatPush(app_id, secret, template, base),
    }


def get_channels() -> dict[str, Channel]:
    s = get_settings()
    return _channels(
        s.region, s.sender_email, s.wechat_app_id, s.wechat_app_secret, s.wechat_template_id, s.wechat_api_base
    )


def _deliver(record: SQSRecord) -> None:
    sent = notices.deliver(get_store(), get_channels(), json.loads(record.body), datetime.now(UTC))
    logger.info("notice delivered", extra={"message_id": record.message_id, "channels": sent})


def handle_batch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """One bad message fails alone: its id is reported back and only it returns to the queue."""
    return partial_batch(event, _deliver, EventType.SQS, context)


@masked_failures
def sweep(now: datetime | None = None) -> int:
    count = outbox.sweep(get_store(), get_queue(), now or datetime.now(UTC))
    if count:
        logger.info("due notices queued", extra={"count": count})
    return count


@masked_failures
def no_shows(now: datetime | None = None) -> int:
    from chalicelib.services.appointments import mark_no_shows

    marked = mark_no_shows(get_store(), now or datetime.now(UTC))
    if marked:
        logger.info("no-shows marked", extra={"appointments": [a.id for a in marked]})
    return len(marked)
