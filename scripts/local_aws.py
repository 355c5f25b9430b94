"""moto in server mode as the local AWS, made as atomic as DynamoDB where our invariants depend on it,
and fast enough to follow a table's stream under load.

moto's threaded server runs requests in parallel but evaluates a transaction's conditions and applies
its writes without a lock, so two TransactWriteItems can both pass their checks; real DynamoDB
serializes them. And a Query walks the table's dict while another thread's write resizes it: under
the soak's 16 clients, 61 Queries failed with "dictionary changed size during iteration" (botocore
retried them). One lock around moto's DynamoDB calls restores both guarantees locally; moto is bound
to one core by the GIL anyway. Every patch here is of the emulator, never of our code.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
from typing import Any

_CALLS = (
    *("put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item"),
    *("get_item", "batch_get_item", "transact_get_items", "query", "scan"),
)
_lock = threading.RLock()


def serialize_dynamodb() -> None:
    """moto's DynamoDB calls one at a time, and its stream reads with them: a transaction's stream records
    exist from its writes until its rollback trims them, and a stream read in between (the local worker
    polls all the time) took a failed booking for a real one, so the figures drifted. Under the same
    lock, a read sees only committed transactions, as on AWS."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodbstreams.models import DynamoDBStreamsBackend

    for name in _CALLS:
        _under_lock(DynamoDBBackend, name)
    _under_lock(DynamoDBStreamsBackend, "get_records")


def _under_lock(owner: type, name: str) -> None:
    original = getattr(owner, name)
    if getattr(original, "serialized", False):
        return

    def locked(*args: Any, **kwargs: Any) -> Any:
        with _lock:
            return original(*args, **kwargs)

    functools.update_wrapper(locked, original)
    locked.serialized = True  # type: ignore[attr-defined]
    setattr(owner, name, locked)


def snapshot_tables_once() -> None:
    """moto backs a transaction up by deep-copying each table it touches, once per item of the
    transaction, its stream's records included: a booking's transaction cost time in proportion to the
    whole table (a soak slowed from 100 bookings a minute to 24 as the table grew). Writes are
    serialized (`serialize_dynamodb`), so an undo log is enough: the items the transaction
    names, copied before it runs, are put back if it fails, and the stream is trimmed back.
    """
    import copy

    from moto.dynamodb import models
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    original = models.DynamoDBBackend.transact_write_items
    if getattr(original, "snapshots_once", False):
        return

    class _TablesUncopied:  # what the original's `copy.deepcopy(table)` gets: the table itself
        @staticmethod
        def deepcopy(thing: Any, memo: dict[int, Any] | None = None) -> Any:
            return thing if isinstance(thing, Table) else copy.deepcopy(thing, memo)

    def named(backend: Any, entry: dict[str, Any]) -> tuple[Any, Any, Any] | None:
        kind, op = next(iter(entry.items()))
        table = backend.tables.get(op.get("TableName", ""))
        key = op.get("Item") if kind == "Put" else op.get("Key")
        if table is None or not isinstance(key, dict) or table.hash_key_attr not in key:
            return None
        if table.has_range_key and table.range_key_attr not in key:
            return None
        range_key = DynamoType(key[table.range_key_attr]) if table.has_range_key else None
        return table, DynamoType(key[table.hash_key_attr]), range_key

    def restore(table: Any, hash_key: Any, range_key: Any, before: Any) -> None:
        partition = table.items[hash_key] if range_key is not None else table.items
        slot = range_key if range_key is not None else hash_key
        if before is None:
            partition.pop(slot, None)
        else:
            partition[slot] = before

    def transact(self: Any, transact_items: list[dict[str, Any]]) -> None:
        streams = [(t.stream_shard, len(t.stream_shard.items)) for t in self.tables.values() if t.stream_shard]
        undo = []
        for entry in transact_items:
            try:
                found = named(self, entry)
                if found:
                    undo.append((*found, copy.deepcopy(found[0].get_item(found[1], found[2]))))
            except Exception:  # a malformed key: the original refuses it before writing anything
                continue
        models.copy = _TablesUncopied  # type: ignore[attr-defined,assignment]
        try:
            original(self, transact_items)
        except Exception:
            for table, hash_key, range_key, before in reversed(undo):
                restore(table, hash_key, range_key, before)
            for shard, size in streams:
                del shard.items[size:]
            raise
        finally:
            models.copy = copy  # type: ignore[attr-defined]

    functools.update_wrapper(transact, original)
    transact.snapshots_once = True  # type: ignore[attr-defined]
    models.DynamoDBBackend.transact_write_items = transact  # type: ignore[method-assign]


def query_one_partition() -> None:
    """moto answers a Query on a table's own key by walking every item of the table and keeping the
    partition asked for: the cost of a slots call grew with the whole table (2 to 5 s at the bench's
    ~60,000 items; a third of the soak's CPU), where DynamoDB reads that partition alone. Here such a
    Query sees its partition only; what moto then does with it is unchanged. Queries on an index still
    read the whole table, as moto does. Queries are serialized, so the partition is handed over
    through the table for the length of the call.
    """
    import inspect

    from moto.dynamodb.models.table import Table

    original_query, original_items = Table.query, Table.all_items
    if getattr(original_query, "one_partition", False):
        return
    signature = inspect.signature(original_query)

    def all_items(self: Any) -> list[Any]:
        scoped = self.__dict__.get("_one_partition")
        return list(scoped) if scoped is not None else original_items(self)

    def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        if signature.bind(self, hash_key, *args, **kwargs).arguments.get("index_name") or not self.range_key_attr:
            return original_query(self, hash_key, *args, **kwargs)
        self._one_partition = self.items.get(hash_key, {}).values()
        try:
            return original_query(self, hash_key, *args, **kwargs)
        finally:
            self._one_partition = None

    functools.update_wrapper(query, original_query)
    query.one_partition = True  # type: ignore[attr-defined]
    Table.query = query  # type: ignore[method-assign]
    Table.all_items = all_items  # type: ignore[method-assign]


def serialize_items_as_held() -> None:
    """moto 5.2 writes every answer through botocore's shape model, member by member: each attribute value
    of each item returned walks the `AttributeValue` union's ten members, ~1 ms an item on this machine (a
    Query of 30 calendar days took 38 ms against 9 for none; DynamoDB's own cost for such items is a few
    microseconds each). moto holds an item's attribute values in the wire's JSON already, so they are
    written as held, and only a value with binary in it (which the model encodes in base64) takes the long
    way. `tests/unit/test_local_aws.py` checks that both ways give the same answer."""
    from moto.core.serialize import JSONSerializer

    original = JSONSerializer._serialize_type_structure
    if getattr(original, "as_held", False):
        return

    def structure(self: Any, serialized: Any, value: Any, shape: Any, key: str) -> None:
        if shape.name == "AttributeValue" and key and _plain(value):
            serialized[key] = value
            return
        original(self, serialized, value, shape, key)

    functools.update_wrapper(structure, original)
    structure.as_held = True  # type: ignore[attr-defined]
    JSONSerializer._serialize_type_structure = structure  # type: ignore[method-assign]


_PLAIN = {"S": str, "N": str, "BOOL": bool, "NULL": bool, "SS": list, "NS": list}


def _plain(value: Any) -> bool:
    """An attribute value in the wire's JSON with no binary in it."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    ((kind, inner),) = value.items()
    if kind == "M":
        return isinstance(inner, dict) and all(_plain(v) for v in inner.values())
    if kind == "L":
        return isinstance(inner, list) and all(_plain(v) for v in inner)
    return kind in _PLAIN and isinstance(inner, _PLAIN[kind])


def start(port: int) -> tuple[Any, str]:
    """A moto server on 127.0.0.1 (port 0 picks a free one); returns it with its endpoint URL."""
    from moto.server import ThreadedMotoServer

    snapshot_tables_once()
    serialize_dynamodb()
    query_one_partition()
    serialize_items_as_held()
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
