"""The local AWS's transaction patch: a failed TransactWriteItems leaves items and stream as they were."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from scripts import local_aws


@pytest.fixture(scope="module")
def dynamodb() -> Iterator[tuple[Any, Any]]:
    server, endpoint = local_aws.start(0)
    options = {"endpoint_url": endpoint, "region_name": "us-east-1"}
    client, streams = boto3.client("dynamodb", **options), boto3.client("dynamodbstreams", **options)
    client.create_table(
        TableName="undo",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk")],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    yield client, streams
    server.stop()


def key(sk: str) -> dict[str, Any]:
    return {"pk": {"S": "P"}, "sk": {"S": sk}}


def table_and_stream(client: Any, streams: Any) -> tuple[list[Any], int]:
    items = sorted(client.scan(TableName="undo")["Items"], key=lambda i: i["sk"]["S"])
    arn = client.describe_table(TableName="undo")["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    return items, len(streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"])


def test_a_failed_transaction_puts_back_every_item_it_touched_and_trims_the_stream(dynamodb: tuple[Any, Any]) -> None:
    client, streams = dynamodb
    client.put_item(TableName="undo", Item={**key("a"), "v": {"N": "1"}})
    client.put_item(TableName="undo", Item={**key("b"), "v": {"N": "1"}})
    client.put_item(TableName="undo", Item={**key("z"), "v": {"N": "1"}})
    before = table_and_stream(client, streams)
    writes = [
        {"Update": {"TableName": "undo", "Key": key("a"), "UpdateExpression": "SET v = :two",
                    "ExpressionAttributeValues": {":two": {"N": "2"}}}},
        {"Put": {"TableName": "undo", "Item": {**key("c"), "v": {"N": "3"}}}},
        {"Delete": {"TableName": "undo", "Key": key("b")}},
        {"Put": {"TableName": "undo", "Item": {**key("a2"), "v": {"N": "9"}}}},
        {"ConditionCheck": {"TableName": "undo", "Key": key("z"), "ConditionExpression": "attribute_not_exists(pk)"}},
    ]  # fmt: skip

    with pytest.raises(ClientError) as refused:
        client.transact_write_items(TransactItems=writes)

    assert refused.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert table_and_stream(client, streams) == before

    client.transact_write_items(TransactItems=writes[:4])

    items, records = table_and_stream(client, streams)
    assert [(i["sk"]["S"], i["v"]["N"]) for i in items] == [("a", "2"), ("a2", "9"), ("c", "3"), ("z", "1")]
    assert records == before[1] + 4


def test_items_read_back_as_written_whichever_way_they_are_written_out(dynamodb: tuple[Any, Any]) -> None:
    """Attribute values without binary skip moto's shape-by-shape writer (local_aws.serialize_items_as_held);
    with binary they take it. Either way every read answers what was written."""
    client, _ = dynamodb
    plain = {
        "s": {"S": "日本 ü"},
        "n": {"N": "-12.5"},
        "yes": {"BOOL": True},
        "none": {"NULL": True},
        "ss": {"SS": ["a", "b"]},
        "ns": {"NS": ["1", "2"]},
        "m": {"M": {"deep": {"L": [{"S": "x"}, {"M": {"n": {"N": "3"}}}, {"L": []}]}, "empty": {"M": {}}}},
    }
    binary = {"b": {"B": b"\x00\xffraw"}, "bs": {"BS": [b"\x01", b"\x02"]}, "m": {"M": {"b": {"B": b"in a map"}}}}
    client.put_item(TableName="undo", Item={**key("plain"), **plain})
    client.put_item(TableName="undo", Item={**key("binary"), **binary})

    for sk, written in (("plain", plain), ("binary", binary)):
        wanted = {**key(sk), **written}
        got = client.get_item(TableName="undo", Key=key(sk), ConsistentRead=True)["Item"]
        queried = client.query(
            TableName="undo",
            KeyConditionExpression="pk = :p AND sk = :s",
            ExpressionAttributeValues={":p": {"S": "P"}, ":s": {"S": sk}},
        )["Items"]
        batch = client.batch_get_item(RequestItems={"undo": {"Keys": [key(sk)]}})["Responses"]["undo"]
        assert _sets_sorted(got) == _sets_sorted(wanted)
        assert [_sets_sorted(i) for i in queried] == [_sets_sorted(wanted)]
        assert [_sets_sorted(i) for i in batch] == [_sets_sorted(wanted)]


def _sets_sorted(item: dict[str, Any]) -> dict[str, Any]:
    """DynamoDB's sets have no order."""
    return {k: {t: sorted(v) if t in ("SS", "NS", "BS") else v for t, v in a.items()} for k, a in item.items()}
