"""The deployed table is the table the pynamodb model declares (what `Item.create_table()` makes locally)."""

from __future__ import annotations

import json
from typing import Any

from pynamodb.attributes import TTLAttribute

from chalicelib.store.models import Item
from tests.infra.template import ROOT, Template

SCHEMA = Item._get_schema()


def table(template: Template) -> dict[str, Any]:
    return dict(template.only("AWS::DynamoDB::Table")[1]["Properties"])


def test_there_is_one_table_named_as_the_stage_config_names_it(template: Template) -> None:
    stage = template.functions["app.app"]["Environment"]["Variables"]["STAGE"]
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    assert table(template)["TableName"] == config["stages"][stage]["environment_variables"]["TABLE_NAME"]


def test_the_keys_are_the_models(template: Template) -> None:
    assert table(template)["KeySchema"] == SCHEMA["key_schema"]
    assert sorted(table(template)["AttributeDefinitions"], key=str) == sorted(SCHEMA["attribute_definitions"], key=str)


def test_every_index_has_the_models_keys_and_projection(template: Template) -> None:
    deployed = {i["IndexName"]: (i["KeySchema"], i["Projection"]) for i in table(template)["GlobalSecondaryIndexes"]}
    declared = {i["index_name"]: (i["key_schema"], i["projection"]) for i in SCHEMA["global_secondary_indexes"]}
    assert deployed == declared
    assert sorted(declared) == ["gsi1", "gsi2", "gsi3", "gsi4", "gsi5"]
    assert "LocalSecondaryIndexes" not in table(template)
    assert not SCHEMA["local_secondary_indexes"]


def test_the_stream_carries_the_images_the_model_asks_for(template: Template) -> None:
    assert table(template)["StreamSpecification"] == {"StreamViewType": Item.Meta.stream_view_type}


def test_items_expire_on_the_models_ttl_attribute(template: Template) -> None:
    (ttl,) = [a.attr_name for a in Item.get_attributes().values() if isinstance(a, TTLAttribute)]
    assert table(template)["TimeToLiveSpecification"] == {"AttributeName": ttl, "Enabled": True}


def test_it_is_on_demand_with_point_in_time_recovery(template: Template) -> None:
    assert table(template)["BillingMode"] == Item.Meta.billing_mode == "PAY_PER_REQUEST"
    recovery = table(template)["PointInTimeRecoverySpecification"]
    assert recovery["PointInTimeRecoveryEnabled"] is True
