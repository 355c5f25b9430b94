"""The single table, declared from the pynamodb model itself.

`Item._get_schema()` is the schema `Item.create_table()` sends, which is how the local stack and the tests
make their table: so the deployed table has the same keys and indexes by construction, and
tests/infra checks the synthesized template against the model all the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct
from pynamodb.attributes import TTLAttribute

from chalicelib.store.models import Item

TYPES = {"S": dynamodb.AttributeType.STRING, "N": dynamodb.AttributeType.NUMBER, "B": dynamodb.AttributeType.BINARY}


def single_table(scope: Construct, name: str, keep: bool) -> dynamodb.Table:
    schema = Item._get_schema()
    if schema["local_secondary_indexes"]:
        raise ValueError("The model declares a local secondary index that this table lacks: add it here too.")
    types = {a["AttributeName"]: TYPES[a["AttributeType"]] for a in schema["attribute_definitions"]}

    def keys(key_schema: Sequence[Mapping[str, object]]) -> dict[object, dynamodb.Attribute]:
        """HASH and RANGE -> their attributes."""
        names = {k["KeyType"]: str(k["AttributeName"]) for k in key_schema}
        return {role: dynamodb.Attribute(name=name, type=types[name]) for role, name in names.items()}

    table_keys = keys(schema["key_schema"])
    table = dynamodb.Table(
        scope,
        "Table",
        table_name=name,
        partition_key=table_keys["HASH"],
        sort_key=table_keys.get("RANGE"),
        billing_mode=dynamodb.BillingMode[Item.Meta.billing_mode],
        stream=dynamodb.StreamViewType[Item.Meta.stream_view_type],
        time_to_live_attribute=_ttl_attribute(),
        point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=True
        ),
        deletion_protection=keep,
        removal_policy=RemovalPolicy.RETAIN if keep else RemovalPolicy.DESTROY,
    )
    for index in schema["global_secondary_indexes"]:
        index_keys, projection = keys(index["key_schema"]), index["projection"]
        table.add_global_secondary_index(
            index_name=index["index_name"],
            partition_key=index_keys["HASH"],
            sort_key=index_keys.get("RANGE"),
            projection_type=dynamodb.ProjectionType[projection["ProjectionType"]],
            non_key_attributes=projection.get("NonKeyAttributes"),
        )
    return table


def _ttl_attribute() -> str | None:
    names = [a.attr_name for a in Item.get_attributes().values() if isinstance(a, TTLAttribute)]
    return names[0] if names else None
