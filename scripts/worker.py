"""What Lambda does for the app's event handlers, done locally: drain the queue and fire the schedules.

It calls the very handlers `app.py` registers (`deliver_notices`, `sweep_notices`) with the events
Lambda would pass, and deletes only the messages the handler did not report as failed.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from chalicelib.observability import logger


def sqs_event(queue_arn: str, messages: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": {},
                "md5OfBody": m.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": queue_arn.split(":")[3],
            }
            for m in messages
        ]
    }


def scheduled_event(now: datetime) -> dict[str, Any]:
    return {
        "version": "0",
        "id": "local",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "us-east-1",
        "resources": [],
        "detail": {},
    }


class LocalWorker(threading.Thread):
    def __init__(self, queue_url: str, region: str, sweep_seconds: float = 5.0, payments_url: str = "") -> None:
        super().__init__(name="slotbook-worker", daemon=True)
        self.queue_url, self.region, self.sweep_seconds = queue_url, region, sweep_seconds
        self.payments_url = payments_url
        self.stopped = threading.Event()

    def run(self) -> None:
        import boto3

        import app

        sqs = boto3.client("sqs", region_name=self.region)
        queues = [(self.queue_url, app.deliver_notices)]
        if self.payments_url:
            queues.append((self.payments_url, app.apply_payments))
        arns = {
            url: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            for url, _ in queues
        }
        next_sweep = 0.0
        while not self.stopped.is_set():
            now = datetime.now(UTC)
            if now.timestamp() >= next_sweep:
                self._guard(app.sweep_notices, scheduled_event(now))
                self._guard(app.mark_no_shows, scheduled_event(now))
                next_sweep = now.timestamp() + self.sweep_seconds
            for url, handler in queues:
                self._drain(sqs, url, arns[url], handler, wait=1 if len(queues) == 1 else 0)
            if len(queues) > 1:  # short polls on both; then wait a little on the first, long-poll style
                self.stopped.wait(0.2)

    def _drain(self, sqs: Any, url: str, arn: str, handler: Any, wait: int) -> None:
        received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=wait)
        messages = received.get("Messages", [])
        if not messages:
            return
        answer = self._guard(handler, sqs_event(arn, messages)) or {}
        failed = {f["itemIdentifier"] for f in answer.get("batchItemFailures", [])}
        done = [
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
            for i, m in enumerate(messages)
            if m["MessageId"] not in failed
        ]
        if done:
            sqs.delete_message_batch(QueueUrl=url, Entries=done)

    @staticmethod
    def _guard(handler: Any, event: dict[str, Any]) -> Any:
        try:
            return handler(event, None)
        except Exception:  # a handler that raises is what Lambda retries; the worker keeps running
            logger.exception("local worker: handler failed")
            return None

    def stop(self) -> None:
        self.stopped.set()
