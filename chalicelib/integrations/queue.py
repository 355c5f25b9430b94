"""The notices queue (SQS): use cases put messages on it, never on a channel directly."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Protocol

from chalicelib.config import get_settings


class NoticeQueue(Protocol):
    def send(self, message: dict[str, Any]) -> None: ...


class SqsQueue:
    def __init__(self, client: Any, queue_name: str) -> None:
        self._client, self._name = client, queue_name
        self._url: str | None = None

    @property
    def url(self) -> str:
        if self._url is None:
            self._url = str(self._client.get_queue_url(QueueName=self._name)["QueueUrl"])
        return self._url

    def send(self, message: dict[str, Any]) -> None:
        self._client.send_message(QueueUrl=self.url, MessageBody=json.dumps(message, separators=(",", ":")))


def get_queue() -> NoticeQueue:
    settings = get_settings()
    return _queue(settings.notices_queue, settings.region)


@lru_cache(maxsize=4)
def _queue(name: str, region: str) -> SqsQueue:
    import boto3

    return SqsQueue(boto3.client("sqs", region_name=region), name)
