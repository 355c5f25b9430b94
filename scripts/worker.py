"""What Lambda does for the app's event handlers, done locally: drain the queues, fire the schedules and
follow the table's stream.

It calls the very handlers `app.py` registers (`deliver_notices`, `apply_payments`, `deliver_webhooks`,
`sweep_notices`, `sweep_webhooks`, `mark_no_shows`, `count_changes`, `offer_freed_time`) with the events Lambda
would pass, and deletes only the messages the handler did not report as failed.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
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


def stream_event(stream_arn: str, records: list[dict[str, Any]]) -> dict[str, Any]:
    """DynamoDB Streams records as Lambda's event source mapping hands them to a function."""

    def record(r: dict[str, Any]) -> dict[str, Any]:
        change = dict(r["dynamodb"])
        created = change.get("ApproximateCreationDateTime")
        if isinstance(created, datetime):
            change["ApproximateCreationDateTime"] = created.timestamp()
        return {**r, "dynamodb": change, "eventSourceARN": stream_arn}

    return {"Records": [record(r) for r in records]}


class TableStream:
    """The table's stream, read from its start the way Lambda reads it: a batch, a handler, a checkpoint."""

    def __init__(self, table_name: str, region: str, batch_size: int = 100, start: str = "TRIM_HORIZON") -> None:
        import boto3

        self.batch_size = batch_size
        self._streams = boto3.client("dynamodbstreams", region_name=region)
        table = boto3.client("dynamodb", region_name=region).describe_table(TableName=table_name)["Table"]
        self.arn: str = table["LatestStreamArn"]
        self._iterators: dict[str, str | None] = {}
        self._discover(start)

    def _discover(self, start: str = "TRIM_HORIZON") -> None:
        """Shards seen first at start-up are read from `start`; shards opened later, from their beginning."""
        for shard in self._streams.describe_stream(StreamArn=self.arn)["StreamDescription"]["Shards"]:
            if shard["ShardId"] not in self._iterators:
                self._iterators[shard["ShardId"]] = self._iterator(shard["ShardId"], start)

    def _iterator(self, shard_id: str, kind: str, sequence: str = "") -> str:
        extra = {"SequenceNumber": sequence} if sequence else {}
        answer = self._streams.get_shard_iterator(StreamArn=self.arn, ShardId=shard_id, ShardIteratorType=kind, **extra)
        return str(answer["ShardIterator"])

    def drain(self, handler: Callable[[dict[str, Any], Any], Any]) -> int:
        """Hand every record written so far to the handler; how many records it took."""
        self._discover()
        return sum(self._drain_shard(shard_id, handler) for shard_id in list(self._iterators))

    def _drain_shard(self, shard_id: str, handler: Callable[[dict[str, Any], Any], Any]) -> int:
        taken = 0
        while iterator := self._iterators[shard_id]:
            page = self._streams.get_records(ShardIterator=iterator, Limit=self.batch_size)
            records = page.get("Records", [])
            if records:
                answer = handler(stream_event(self.arn, records), None) or {}
                failed = [f["itemIdentifier"] for f in answer.get("batchItemFailures", [])]
                if failed:  # retried from the first failure on the next drain, as Lambda would
                    self._iterators[shard_id] = self._iterator(shard_id, "AT_SEQUENCE_NUMBER", failed[0])
                    return taken
                taken += len(records)
            self._iterators[shard_id] = page.get("NextShardIterator")
            if not records:
                return taken
        return taken


RUNS_AT_ONCE = 10


class LocalWorker:
    """Each event source on a thread of its own, as each is a Lambda of its own on AWS: a busy stream (the
    soak's 16 clients wrote faster than the figures were counted) never keeps the schedules waiting.
    An exception ends one pass of one source, never the source: Lambda would retry it."""

    def __init__(
        self,
        queue_url: str,
        region: str,
        sweep_seconds: float = 5.0,
        payments_url: str = "",
        table_name: str = "",
        webhooks_url: str = "",
    ) -> None:
        self.queue_url, self.region, self.sweep_seconds = queue_url, region, sweep_seconds
        self.payments_url, self.webhooks_url = payments_url, webhooks_url
        # from now on: what came before is in the figures already (the stack rebuilt them)
        self.stream = TableStream(table_name, region, start="LATEST") if table_name else None
        self.waitlist_stream = TableStream(table_name, region, start="LATEST") if table_name else None
        self.stopped = threading.Event()
        self.threads: list[threading.Thread] = []
        self.runs = threading.BoundedSemaphore(RUNS_AT_ONCE)  # the webhooks function's concurrent invocations

    def start(self) -> None:
        import boto3

        import app

        sqs = boto3.client("sqs", region_name=self.region)
        queues = [(self.queue_url, app.deliver_notices)]
        if self.payments_url:
            queues.append((self.payments_url, app.apply_payments))
        for url, handler in queues:
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            self._spawn(f"sqs {url.rsplit('/', 1)[-1]}", functools.partial(self._drain, sqs, url, arn, handler))
        schedules = [app.sweep_notices, app.mark_no_shows]
        if self.webhooks_url:  # a message per invocation, the invocations side by side, as Lambda scales them
            arn = sqs.get_queue_attributes(QueueUrl=self.webhooks_url, AttributeNames=["QueueArn"])["Attributes"]
            drain = functools.partial(self._drain_each, sqs, self.webhooks_url, arn["QueueArn"], app.deliver_webhooks)
            self._spawn("sqs webhooks", drain)
            schedules.append(app.sweep_webhooks)
        self._spawn("schedules", lambda: self._schedules(*schedules))
        if self.stream is not None:
            self._spawn("stream", functools.partial(self._follow, self.stream, app.count_changes))
        if self.waitlist_stream is not None:  # a second consumer of the stream, as on AWS; a second's lag is fine
            follow = functools.partial(self._follow, self.waitlist_stream, app.offer_freed_time, idle=1.0)
            self._spawn("waitlist", follow)

    def _spawn(self, name: str, one_pass: Callable[[], Any]) -> None:
        def loop() -> None:
            while not self.stopped.is_set():
                try:
                    one_pass()
                except Exception:  # as Lambda would, the batch is tried again on the next pass
                    logger.exception("local worker: handler failed", extra={"source": name})
                    self.stopped.wait(1.0)

        thread = threading.Thread(target=loop, name=f"slotbook-worker {name}", daemon=True)
        thread.start()
        self.threads.append(thread)

    def _schedules(self, *handlers: Callable[[dict[str, Any], Any], Any]) -> None:
        now = datetime.now(UTC)
        for handler in handlers:
            try:
                handler(scheduled_event(now), None)
            except Exception:  # one schedule's failure is not the next one's
                logger.exception("local worker: schedule failed", extra={"handler": handler.__name__})
        self.stopped.wait(self.sweep_seconds)

    def _follow(self, stream: TableStream, handler: Callable[[dict[str, Any], Any], Any], idle: float = 0.2) -> None:
        if not stream.drain(handler):
            self.stopped.wait(idle)  # nothing new: poll the shard again shortly, as Lambda does

    def _drain(self, sqs: Any, url: str, arn: str, handler: Callable[[dict[str, Any], Any], Any]) -> None:
        received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        messages = received.get("Messages", [])
        if not messages:
            return
        answer = handler(sqs_event(arn, messages), None) or {}
        failed = {f["itemIdentifier"] for f in answer.get("batchItemFailures", [])}
        done = [
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
            for i, m in enumerate(messages)
            if m["MessageId"] not in failed
        ]
        if done:
            sqs.delete_message_batch(QueueUrl=url, Entries=done)

    def _drain_each(self, sqs: Any, url: str, arn: str, handler: Callable[[dict[str, Any], Any], Any]) -> None:
        """Each message to an invocation of its own, up to `RUNS_AT_ONCE` side by side, as Lambda scales them: a slow
        one holds up only itself, and the next messages are taken while it runs."""
        if not self.runs.acquire(timeout=1.0):  # every run busy
            return
        free = 1
        while free < RUNS_AT_ONCE and self.runs.acquire(blocking=False):  # and as many more as are free (SQS: 10)
            free += 1
        received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=free, WaitTimeSeconds=1)
        messages = received.get("Messages", [])
        for _ in range(free - len(messages)):
            self.runs.release()

        def one(message: dict[str, Any]) -> None:
            try:
                answer = handler(sqs_event(arn, [message]), None) or {}
                if not answer.get("batchItemFailures"):
                    sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            finally:
                self.runs.release()

        for message in messages:
            threading.Thread(target=one, args=(message,), daemon=True).start()

    def stop(self) -> None:
        self.stopped.set()
        for thread in self.threads:
            thread.join(timeout=5)
