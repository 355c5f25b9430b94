"""One stage of Slotbook on AWS."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from aws_cdk import aws_logs as logs
from constructs import Construct

from chalicelib.store.models import Item
from slotbook_infra.access import app_role
from slotbook_infra.alarms import Alarms
from slotbook_infra.handlers import FinishedChalice, log_groups, packaged_functions, tune_event_sources
from slotbook_infra.queues import HANDLER_TIMEOUT_SECONDS, failed_stream_batches, queue_with_dead_letters
from slotbook_infra.secret import app_secret, resolved_at_deploy
from slotbook_infra.stage import ROOT, Stage
from slotbook_infra.table import single_table

API_STAGE = "api"  # .chalice/config.json's api_gateway_stage


class SlotbookStack(Stack):
    """The stack's construct id is the stage's name: Chalice's construct takes it as its stage
    (`stages.<name>` in .chalice/config.json), and infra adds what only a deployment knows."""

    def __init__(self, scope: Construct, stage: Stage) -> None:
        super().__init__(scope, stage.name, stack_name=stage.stack_name, description=f"Slotbook ({stage.name})")
        indexes = [index["index_name"] for index in Item._get_schema()["global_secondary_indexes"]]
        table = single_table(self, stage.chalice_environment["TABLE_NAME"], keep=stage.keeps_data)
        notices = queue_with_dead_letters(self, "Notices", stage.named("notices"))
        payments = queue_with_dead_letters(self, "Payments", stage.named("payments"))
        webhooks = queue_with_dead_letters(self, "Webhooks", stage.named("webhooks"))
        stream_failures = failed_stream_batches(self, stage.named("stream-failures"))
        secret = app_secret(self, f"slotbook/{stage.name}", keep=stage.keeps_data)
        role = app_role(
            self,
            table=table,
            index_names=indexes,
            queues=[notices.queue, payments.queue, webhooks.queue],
            stream_failures=stream_failures,
            secret=secret,
            sender_email=stage.sender_email,
            log_group_prefix=f"/aws/lambda/{stage.stack_name}-",
        )
        environment = {
            "TABLE_NAME": table.table_name,
            "TABLE_STREAM_ARN": table.table_stream_arn,  # app.py's @on_dynamodb_record reads it at package time
            "NOTICES_QUEUE": notices.name,  # and its @on_sqs_message these
            "PAYMENTS_QUEUE": payments.name,
            "WEBHOOKS_QUEUE": webhooks.name,
            "SECRETS_ID": secret.secret_arn,
            "JWT_SECRET": resolved_at_deploy(secret, "JWT_SECRET", stage.secrets_version),
            "WECHAT_APP_SECRET": resolved_at_deploy(secret, "WECHAT_APP_SECRET", stage.secrets_version),
            "WECHAT_APP_ID": stage.wechat_app_id,
            "WECHAT_TEMPLATE_ID": stage.wechat_template_id,
            "SENDER_EMAIL": stage.sender_email,
        }
        config: dict[str, Any] = {
            "manage_iam_role": False,
            "iam_role_arn": role.role_arn,
            "lambda_architecture": "arm64",
            "lambda_memory_size": 512,
            "lambda_timeout": HANDLER_TIMEOUT_SECONDS,
            "environment_variables": environment,
        }
        app = FinishedChalice(self, "App", source_dir=str(ROOT), stage_config=config)
        tune_event_sources(app, stream_failures)
        log_groups(self, app, logs.RetentionDays.ONE_MONTH)
        api = app.get_resource("RestAPI")
        api.add_property_override("Name", stage.stack_name)
        api.add_property_override(
            "MethodSettings",
            [
                {
                    "ResourcePath": "/*",
                    "HttpMethod": "*",
                    "ThrottlingRateLimit": stage.api_rate,
                    "ThrottlingBurstLimit": stage.api_burst,
                }
            ],
        )

        alarms = Alarms(self, "Alarms", stage.alarm_email)
        alarms.dead_letters("NoticesDeadLetters", notices.dead_letters)
        alarms.dead_letters("PaymentsDeadLetters", payments.dead_letters)
        alarms.dead_letters("WebhooksDeadLetters", webhooks.dead_letters)
        alarms.dead_letters("StreamFailures", stream_failures)
        alarms.api_errors(stage.stack_name, API_STAGE)
        for name in packaged_functions(app):
            alarms.function_errors(name, app.get_resource(name).ref)
        alarms.throttles(table, indexes)
        CfnOutput(self, "SecretName", value=secret.secret_name, description="Set the Stripe and WeChat keys here")
        CfnOutput(self, "AlarmsTopic", value=alarms.topic.topic_arn)
