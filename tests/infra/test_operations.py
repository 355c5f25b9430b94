"""What keeps the deployment watched and bounded: alarms, API throttling, log retention."""

from __future__ import annotations

from typing import Any

from tests.infra.template import Template


def alarms(template: Template) -> list[dict[str, Any]]:
    return [r["Properties"] for r in template.of_type("AWS::CloudWatch::Alarm").values()]


def dimension(alarm: dict[str, Any], name: str) -> Any:
    return next((d["Value"] for d in alarm.get("Dimensions", []) if d["Name"] == name), None)


def test_every_dead_letter_queue_has_a_depth_alarm(template: Template) -> None:
    dead_letter_ids = {
        q["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
        for q in template.of_type("AWS::SQS::Queue").values()
        if "RedrivePolicy" in q["Properties"]
    }
    watched = {
        dimension(a, "QueueName")["Fn::GetAtt"][0]
        for a in alarms(template)
        if a.get("MetricName") == "ApproximateNumberOfMessagesVisible"
    }
    assert len(dead_letter_ids) == 3  # notices, payments, webhooks
    assert dead_letter_ids <= watched


def test_every_function_has_an_errors_alarm(template: Template) -> None:
    functions = {name for name in template.of_type("AWS::Serverless::Function")}
    watched = {dimension(a, "FunctionName")["Ref"] for a in alarms(template) if a.get("MetricName") == "Errors"}
    assert watched == functions


def test_the_api_5xx_rate_is_watched(template: Template) -> None:
    _, api = template.only("AWS::Serverless::Api")
    (rate,) = [a for a in alarms(template) if a.get("MetricName") == "5XXError"]
    assert dimension(rate, "ApiName") == api["Properties"]["Name"]
    assert dimension(rate, "Stage") == api["Properties"]["StageName"]
    assert rate["Statistic"] == "Average"
    assert 0 < rate["Threshold"] < 1


def test_dynamodb_throttles_of_the_table_and_its_indexes_are_watched(template: Template) -> None:
    table_id, _ = template.only("AWS::DynamoDB::Table")
    watched = {
        (m["MetricStat"]["Metric"]["MetricName"], _index(m["MetricStat"]["Metric"]))
        for a in alarms(template)
        for m in a.get("Metrics", [])
        if "MetricStat" in m
        and {"Name": "TableName", "Value": {"Ref": table_id}} in m["MetricStat"]["Metric"]["Dimensions"]
    }
    indexes = ["", "gsi1", "gsi2", "gsi3", "gsi4", "gsi5"]
    assert watched == {(f"{kind}ThrottleEvents", index) for kind in ("Read", "Write") for index in indexes}


def _index(metric: dict[str, Any]) -> str:
    return next((d["Value"] for d in metric["Dimensions"] if d["Name"] == "GlobalSecondaryIndexName"), "")


def test_the_api_is_throttled(template: Template) -> None:
    _, api = template.only("AWS::Serverless::Api")
    (settings,) = api["Properties"]["MethodSettings"]
    assert settings["ResourcePath"] == "/*"
    assert settings["HttpMethod"] == "*"
    assert 0 < settings["ThrottlingRateLimit"] <= settings["ThrottlingBurstLimit"]


def test_every_function_logs_to_a_group_with_a_retention(template: Template) -> None:
    retention = {
        str(g["Properties"]["LogGroupName"]): g["Properties"].get("RetentionInDays")
        for g in template.of_type("AWS::Logs::LogGroup").values()
    }
    for name in template.of_type("AWS::Serverless::Function"):
        group = {"Fn::Join": ["", ["/aws/lambda/", {"Ref": name}]]}
        assert retention[str(group)] > 0
