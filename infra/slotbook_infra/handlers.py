"""What Chalice's construct made of app.py's handlers, and the settings Chalice has no option for."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aws_cdk import RemovalPolicy
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from chalice.cdk import Chalice
from constructs import Construct

from scripts import lambda_package

PARTIAL_BATCHES = ["ReportBatchItemFailures"]  # the handlers answer with Powertools' batchItemFailures
STREAM_RETRIES = 5  # then the batch's position goes to the stream-failures queue and the shard moves on


class FinishedChalice(Chalice):
    """Chalice's construct, its package finished for Lambda before it becomes the functions' asset:
    the runtime's SDK left out, bytecode shipped (scripts/lambda_package.py)."""

    def _package_app(self) -> None:  # the construct packages, then makes the asset from deployment.zip
        super()._package_app()
        package = Path(self._sam_package_dir)
        lambda_package.finish(package / "deployment.zip", lambda_package.runtime_of(package / "sam.json"))


def packaged_functions(app: Chalice) -> dict[str, dict[str, Any]]:
    """Logical id -> properties of each Lambda function in the template Chalice packaged."""
    # the construct keeps the packaged template only privately; CfnInclude cannot give back its events
    template = json.loads((Path(app._sam_package_dir) / "sam.json").read_text())
    return {
        name: resource["Properties"]
        for name, resource in template["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    }


def tune_event_sources(app: Chalice, stream_failures: sqs.Queue) -> None:
    """Partial-batch responses for the queue and stream handlers; bounded retries for the stream."""
    for name, properties in packaged_functions(app).items():
        function = app.get_resource(name)
        for event, source in properties.get("Events", {}).items():
            path = f"Events.{event}.Properties"
            if source["Type"] in ("SQS", "DynamoDB"):
                function.add_property_override(f"{path}.FunctionResponseTypes", PARTIAL_BATCHES)
            if source["Type"] == "DynamoDB":
                function.add_property_override(f"{path}.MaximumRetryAttempts", STREAM_RETRIES)
                function.add_property_override(f"{path}.BisectBatchOnFunctionError", True)
                function.add_property_override(
                    f"{path}.DestinationConfig", {"OnFailure": {"Destination": stream_failures.queue_arn}}
                )


def log_groups(scope: Construct, app: Chalice, keep_days: logs.RetentionDays) -> None:
    """Each function's log group, with a retention (Chalice's own option names the API handler's wrongly)."""
    for name in packaged_functions(app):
        logs.LogGroup(
            scope,
            f"{name}Logs",
            log_group_name=f"/aws/lambda/{app.get_resource(name).ref}",
            retention=keep_days,
            removal_policy=RemovalPolicy.DESTROY,
        )
