"""The queues (SQS): use cases put messages on them, never on a channel or the payment provider directly.

Customer messages go to the notices queue; refunds owed and the payment provider's events go to the
payments queue; outbound webhook work goes to the webhooks queue.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Protocol

from chalicelib.config import get_settings
from chalicelib.domain.notices import Kind
from chalicelib.integrations.aws import client


class NoticeQueue(Protocol):
    def send(self, message: dict[str, Any]) -> None: ...


class DelayQueue(Protocol):
    def send(self, message: dict[str, Any], delay: int = 0) -> None:
        """`delay`: seconds before it can be received, up to SQS's 900."""


class SqsQueue:
    def __init__(self, client: Any, queue_name: str) -> None:
        self._client, self._name = client, queue_name
        self._url: str | None = None

    @property
    def url(self) -> str:
        if self._url is None:
            self._url = str(self._client.get_queue_url(QueueName=self._name)["QueueUrl"])
        return self._url

    def send(self, message: dict[str, Any], delay: int = 0) -> None:
        body = json.dumps(message, separators=(",", ":"))
        self._client.send_message(QueueUrl=self.url, MessageBody=body, DelaySeconds=max(0, min(900, delay)))


class Outbound:
    """Routes each outbox message to its queue by kind."""

    def __init__(self, notices: NoticeQueue, payments: NoticeQueue) -> None:
        self.notices, self.payments = notices, payments

    def send(self, message: dict[str, Any]) -> None:
        (self.payments if message.get("kind") == Kind.REFUND.value else self.notices).send(message)


def get_queue() -> Outbound:
    settings = get_settings()
    return Outbound(_queue(settings.notices_queue, settings.region), get_payments_queue())


def get_webhooks_queue() -> DelayQueue:
    """Webhook work: an appointment's events to fan out, a subscription's deliveries to try."""
    settings = get_settings()
    return _queue(settings.webhooks_queue, settings.region)


def get_payments_queue() -> NoticeQueue:
    settings = get_settings()
    return _queue(settings.payments_queue, settings.region)


@lru_cache(maxsize=4)
def _queue(name: str, region: str) -> SqsQueue:
    return SqsQueue(client("sqs", region), name)
