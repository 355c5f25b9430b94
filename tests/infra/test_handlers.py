"""app.py's handlers, queues and schedules are the ones deployed, wired to the resources infra declares."""

from __future__ import annotations

import json
from typing import Any

from chalicelib import config
from tests.infra.template import Template, event_sources_under, get_att

MAX_RECEIVES = 5  # scripts/local_aws.create_queue: a message is dead-lettered after five failed receives
PARTIAL_BATCHES = ["ReportBatchItemFailures"]  # the handlers answer with Powertools' batchItemFailures


def environment(template: Template) -> dict[str, Any]:
    """Every function runs with the same environment: the stage's."""
    (found,) = {json.dumps(f["Environment"]["Variables"], sort_keys=True) for f in template.functions.values()}
    return dict(json.loads(found))


def handlers(template: Template, kind: str) -> dict[str, dict[str, Any]]:
    """app.py's handlers of one kind (`SQSEventConfig`, ...), as imported with the deployed environment."""
    sources = event_sources_under(environment(template))
    return {handler: source for handler, source in sources.items() if source["kind"] == kind}


def events(template: Template, kind: str) -> dict[str, dict[str, Any]]:
    """Handler string -> the properties of its event source of this kind (`SQS`, `Schedule`, `DynamoDB`)."""
    found = {}
    for handler, function in template.functions.items():
        for event in function.get("Events", {}).values():
            if event["Type"] == kind:
                assert handler not in found, f"{handler} has two {kind} event sources"
                found[handler] = event["Properties"]
    return found


def test_every_handler_in_app_py_is_a_function_and_there_is_no_other(template: Template) -> None:
    sources = event_sources_under(environment(template))
    assert set(template.functions) == {"app.app", *sources}
    assert len(template.functions) >= 3


def test_each_queue_handler_consumes_the_queue_app_py_names_in_partial_batches(template: Template) -> None:
    expected = handlers(template, "SQSEventConfig")
    assert (
        set(events(template, "SQS"))
        == set(expected)
        == {"app.deliver_notices", "app.apply_payments", "app.deliver_webhooks"}
    )
    for handler, event in events(template, "SQS").items():
        name = expected[handler]["queue"]
        template.queue_named(name)
        assert event["Queue"] == {"Fn::Sub": f"arn:${{AWS::Partition}}:sqs:${{AWS::Region}}:${{AWS::AccountId}}:{name}"}
        assert event["BatchSize"] == expected[handler]["batch_size"]
        assert event["FunctionResponseTypes"] == PARTIAL_BATCHES


def test_the_queues_the_code_sends_to_exist_with_a_dead_letter_queue(template: Template) -> None:
    queue_settings = [key for key in config._KEYS if key.endswith("_QUEUE")]
    assert queue_settings == ["NOTICES_QUEUE", "PAYMENTS_QUEUE", "WEBHOOKS_QUEUE"]
    timeout = max(f["Timeout"] for f in template.functions.values())
    for key in queue_settings:
        name = environment(template)[key]
        _, queue = template.queue_named(name)
        dead_letters_id, _ = template.queue_named(f"{name}-dlq")
        redrive = {"deadLetterTargetArn": get_att(dead_letters_id, "Arn"), "maxReceiveCount": MAX_RECEIVES}
        assert queue["RedrivePolicy"] == redrive
        assert queue["VisibilityTimeout"] >= 6 * timeout  # AWS's advice for a queue a Lambda consumes


def test_the_schedules_are_app_pys(template: Template) -> None:
    expected = {h: s["schedule_expression"] for h, s in handlers(template, "ScheduledEventConfig").items()}
    deployed = {h: e["Schedule"] for h, e in events(template, "Schedule").items()}
    assert (
        deployed
        == expected
        == {
            "app.sweep_notices": "rate(1 minute)",
            "app.sweep_webhooks": "rate(1 minute)",
            "app.mark_no_shows": "rate(5 minutes)",
        }
    )


STREAM_CONSUMERS = {"app.count_changes", "app.offer_freed_time"}  # the analytics, and the waitlist's offers


def test_the_stream_handlers_read_the_tables_stream_in_partial_batches(template: Template) -> None:
    table_id, _ = template.only("AWS::DynamoDB::Table")
    stream = get_att(table_id, "StreamArn")
    expected = handlers(template, "DynamoDBEventConfig")
    assert set(events(template, "DynamoDB")) == set(expected) == STREAM_CONSUMERS
    for name in STREAM_CONSUMERS:  # each a function of its own: a slow one never holds the other back
        event = events(template, "DynamoDB")[name]
        assert json.loads(expected[name]["stream_arn"]) == event["Stream"] == stream
        assert event["BatchSize"] == expected[name]["batch_size"]
        assert event["StartingPosition"] == expected[name]["starting_position"]
        assert event["FunctionResponseTypes"] == PARTIAL_BATCHES


def test_a_stream_batch_that_keeps_failing_is_set_aside_rather_than_blocking_its_shard(template: Template) -> None:
    for name in STREAM_CONSUMERS:
        event = events(template, "DynamoDB")[name]
        assert 0 < event["MaximumRetryAttempts"] <= 10
        failures = event["DestinationConfig"]["OnFailure"]["Destination"]
        assert [n for n in template.of_type("AWS::SQS::Queue") if get_att(n, "Arn") == failures]


def test_the_app_finds_its_table_and_secret_in_its_environment(template: Template) -> None:
    env = environment(template)
    table_id, _ = template.only("AWS::DynamoDB::Table")
    secret_id, _ = template.only("AWS::SecretsManager::Secret")
    assert env["TABLE_NAME"] == {"Ref": table_id}
    assert env["SECRETS_ID"] == {"Ref": secret_id}
    for key in ("JWT_SECRET", "WECHAT_APP_SECRET"):  # resolved by CloudFormation from the secret at deploy
        start, secret, rest = env[key]["Fn::Join"][1]
        assert (start, secret) == ("{{resolve:secretsmanager:", {"Ref": secret_id})
        assert rest.startswith(f":SecretString:{key}:")
        assert rest.endswith("}}")
    assert {"STAGE", "TABLE_NAME", "JWT_SECRET"} <= set(env)  # config.load_settings refuses to start without them
