"""The webhooks consumer (SQS: an appointment's events to fan out, a subscription's deliveries to try) and the
sweep that puts back what is due."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.batch import EventType
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from chalicelib.api.webhook_presenters import payload
from chalicelib.config import get_settings
from chalicelib.domain.messages import Message
from chalicelib.domain.webhooks import Subscription
from chalicelib.integrations.channels import Recipient
from chalicelib.integrations.queue import get_webhooks_queue
from chalicelib.integrations.webhooks import HttpSender
from chalicelib.observability import logger, masked_failures
from chalicelib.services import webhooks
from chalicelib.store import get_store
from chalicelib.workers import partial_batch


def _now() -> datetime:
    return datetime.now(UTC)


def alert_business(subscription: Subscription) -> None:
    """A paused subscription is texted to the business's alert mobile (and shown paused in the console)."""
    from chalicelib.workers.notices import get_channels

    phone = get_store().catalogue.settings().alert_phone
    text = f"Slotbook: webhook deliveries to {subscription.url} failed for a day; the subscription is paused."
    logger.warning("webhook subscription paused", extra={"subscription": subscription.id})
    if phone:
        get_channels()["sms"].send(Recipient(phone, "", None), Message("Webhooks paused", text, ""))


def work(body: dict[str, Any], now: datetime, clock: Callable[[], datetime] | None = _now) -> None:
    """One message's work, as of `now` (what is due by then is tried); `clock` times each try's end."""
    store, queue = get_store(), get_webhooks_queue()
    if body.get("kind") == "fan-out":
        webhooks.fan_out(store, queue, str(body["appointmentId"]))
    elif body.get("kind") == "deliver":
        sender = HttpSender(local=get_settings().is_local)
        subscription, appointment = str(body["subscriptionId"]), str(body["appointmentId"])
        eager = body.get("eager") is True
        webhooks.deliver(store, queue, sender, payload, subscription, appointment, now, alert_business, clock, eager)
    else:
        logger.warning("unknown webhook work dropped", extra={"kind": str(body.get("kind"))[:40]})


def _handle(record: SQSRecord) -> None:
    work(json.loads(record.body), _now())


def handle_batch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return partial_batch(event, _handle, EventType.SQS, context)


@masked_failures
def sweep(now: datetime | None = None) -> int:
    count = webhooks.sweep(get_store(), get_webhooks_queue(), now or _now())
    if count:
        logger.info("webhook work queued by the sweep", extra={"count": count})
    return count
