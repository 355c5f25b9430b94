"""moto in server mode as the local AWS, made as atomic as DynamoDB where our invariants depend on it,
and fast enough to follow a table's stream.

moto's threaded server runs requests in parallel but evaluates a transaction's conditions and applies
its writes without a lock, so two TransactWriteItems can both pass their checks; real DynamoDB
serializes them. One lock around moto's DynamoDB writes restores that guarantee locally; it patches
the emulator, never our code.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
from typing import Any

_WRITES = ("put_item", "update_item", "delete_item", "transact_write_items")
_lock = threading.RLock()


def serialize_dynamodb_writes() -> None:
    from moto.dynamodb.models import DynamoDBBackend

    for name in _WRITES:
        original = getattr(DynamoDBBackend, name)
        if getattr(original, "serialized", False):
            continue

        def locked(*args: Any, __original: Any = original, **kwargs: Any) -> Any:
            with _lock:
                return __original(*args, **kwargs)

        functools.update_wrapper(locked, original)
        locked.serialized = True  # type: ignore[attr-defined]
        setattr(DynamoDBBackend, name, locked)


def snapshot_tables_once() -> None:
    """moto backs a transaction up by deep-copying the whole table once per item of the transaction,
    its stream's records included: quadratic as the table and its stream grow (a 20-item booking on a
    busy table took seconds). One copy per table per transaction, sharing the stream (trimmed back
    if the transaction fails), restores the same state on failure.
    """
    import copy

    from moto.dynamodb import models
    from moto.dynamodb.models.table import Table

    original = models.DynamoDBBackend.transact_write_items
    if getattr(original, "snapshots_once", False):
        return

    def transact(self: Any, transact_items: list[dict[str, Any]]) -> None:
        snapshots: dict[int, Any] = {}
        streams = [(t.stream_shard, len(t.stream_shard.items)) for t in self.tables.values() if t.stream_shard]

        class _Copy:
            @staticmethod
            def deepcopy(thing: Any, memo: dict[int, Any] | None = None) -> Any:
                if not isinstance(thing, Table):
                    return copy.deepcopy(thing, memo)
                if id(thing) not in snapshots:
                    shared = {id(thing.stream_shard): thing.stream_shard} if thing.stream_shard else {}
                    snapshots[id(thing)] = copy.deepcopy(thing, shared)
                return snapshots[id(thing)]

        models.copy = _Copy  # type: ignore[attr-defined,assignment]
        try:
            original(self, transact_items)
        except Exception:
            for shard, size in streams:
                del shard.items[size:]
            raise
        finally:
            models.copy = copy  # type: ignore[attr-defined]

    functools.update_wrapper(transact, original)
    transact.snapshots_once = True  # type: ignore[attr-defined]
    models.DynamoDBBackend.transact_write_items = transact  # type: ignore[method-assign]


def start(port: int) -> tuple[Any, str]:
    """A moto server on 127.0.0.1 (port 0 picks a free one); returns it with its endpoint URL."""
    from moto.server import ThreadedMotoServer

    snapshot_tables_once()
    serialize_dynamodb_writes()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's per-request log
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    host, bound = server.get_host_and_port()
    return server, f"http://{host}:{bound}"


def create_queue(queue_name: str, region: str) -> str:
    """A queue with its dead-letter queue (after 5 receives); returns the queue URL."""
    import boto3

    sqs = boto3.client("sqs", region_name=region)
    dlq_url = sqs.create_queue(QueueName=f"{queue_name}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "5"})
    url = sqs.create_queue(QueueName=queue_name, Attributes={"VisibilityTimeout": "60", "RedrivePolicy": redrive})
    return str(url["QueueUrl"])


def create_messaging(queue_name: str, sender: str, region: str) -> str:
    """The notices queue with its dead-letter queue, and a verified sender; returns the queue URL."""
    import boto3

    boto3.client("ses", region_name=region).verify_email_identity(EmailAddress=sender)
    return create_queue(queue_name, region)


def create_payments(queue_name: str, secret_id: str, region: str) -> str:
    """The payments queue and the secret holding the offline Stripe's keys; returns the queue URL."""
    import boto3

    from scripts import local_stripe

    keys = {"STRIPE_SECRET_KEY": local_stripe.SECRET_KEY, "STRIPE_WEBHOOK_SECRET": local_stripe.WEBHOOK_SECRET}
    secrets = boto3.client("secretsmanager", region_name=region)
    try:
        secrets.create_secret(Name=secret_id, SecretString=json.dumps(keys))
    except secrets.exceptions.ResourceExistsException:
        secrets.put_secret_value(SecretId=secret_id, SecretString=json.dumps(keys))
    return create_queue(queue_name, region)
