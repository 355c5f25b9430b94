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
