"""CloudWatch alarms, all to one SNS topic: dead letters, API 5xx rate, handler errors, DynamoDB throttles."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

FIVE_MINUTES = Duration.minutes(5)
API_5XX_RATE = 0.05  # of requests, over five minutes


class Alarms(Construct):
    def __init__(self, scope: Construct, id: str, email: str) -> None:
        super().__init__(scope, id)
        self.topic = sns.Topic(self, "Topic", display_name="Slotbook alarms")
        if email:
            self.topic.add_subscription(subscriptions.EmailSubscription(email))

    def _alarm(self, id: str, description: str, metric: cloudwatch.IMetric, threshold: float) -> None:
        alarm = cloudwatch.Alarm(
            self,
            id,
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))

    def dead_letters(self, id: str, queue: sqs.Queue) -> None:
        depth = queue.metric_approximate_number_of_messages_visible(period=FIVE_MINUTES, statistic="Maximum")
        self._alarm(
            f"{id}Depth", f"Messages waiting in {queue.queue_name}: see why they failed, then redrive", depth, 1
        )

    def api_errors(self, api_name: str, stage: str) -> None:
        rate = cloudwatch.Metric(
            namespace="AWS/ApiGateway",
            metric_name="5XXError",
            dimensions_map={"ApiName": api_name, "Stage": stage},
            statistic="Average",  # 5XXError is 0 or 1 per request: its average is the rate
            period=FIVE_MINUTES,
        )
        self._alarm("Api5xxRate", f"More than {API_5XX_RATE:.0%} of API requests answered 5xx", rate, API_5XX_RATE)

    def function_errors(self, id: str, function_name: str) -> None:
        errors = cloudwatch.Metric(
            namespace="AWS/Lambda",
            metric_name="Errors",
            dimensions_map={"FunctionName": function_name},
            statistic="Sum",
            period=FIVE_MINUTES,
        )
        self._alarm(f"{id}Errors", f"{id} failed (an error, a timeout or out of memory)", errors, 1)

    def throttles(self, table: dynamodb.Table, index_names: list[str]) -> None:
        def events(kind: str, index: str = "") -> cloudwatch.Metric:
            dimensions = {"TableName": table.table_name} | ({"GlobalSecondaryIndexName": index} if index else {})
            return cloudwatch.Metric(
                namespace="AWS/DynamoDB",
                metric_name=f"{kind}ThrottleEvents",
                dimensions_map=dimensions,
                statistic="Sum",
                period=FIVE_MINUTES,
            )

        table_events = {"r": events("Read"), "w": events("Write")}
        self._alarm("TableThrottles", "DynamoDB throttled the table", _sum(table_events), 1)
        index_events = {
            f"{k[0].lower()}{n}": events(k, name) for n, name in enumerate(index_names) for k in ("Read", "Write")
        }
        self._alarm(
            "IndexThrottles", "DynamoDB throttled an index (writes back up into the table)", _sum(index_events), 1
        )


def _sum(metrics: Mapping[str, cloudwatch.IMetric]) -> cloudwatch.MathExpression:
    # SUM(METRICS()) adds what is there: each throttle metric exists only for periods with throttles
    return cloudwatch.MathExpression(expression="SUM(METRICS())", using_metrics=metrics, period=FIVE_MINUTES)
