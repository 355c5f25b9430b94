"""The one role every handler runs with: only the actions the code makes, only on this stage's resources."""

from __future__ import annotations

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from constructs import Construct

# Transactions need no action of their own: each item in one is checked as the write it is.
TABLE_ACTIONS = [
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
]
STREAM_ACTIONS = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"]
SEND_ACTIONS = ["sqs:GetQueueUrl", "sqs:SendMessage"]
CONSUME_ACTIONS = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]


def app_role(
    scope: Construct,
    *,
    table: dynamodb.Table,
    index_names: list[str],
    queues: list[sqs.Queue],
    stream_failures: sqs.Queue,
    secret: secretsmanager.Secret,
    sender_email: str,
    log_group_prefix: str,
) -> iam.Role:
    stack = Stack.of(scope)
    sender_domain = sender_email.rpartition("@")[2]
    ses_identities = [
        stack.format_arn(service="ses", resource="identity", resource_name=n) for n in (sender_email, sender_domain)
    ]
    logs = stack.format_arn(
        service="logs",
        resource="log-group",
        resource_name=f"{log_group_prefix}*",
        arn_format=ArnFormat.COLON_RESOURCE_NAME,
    )
    statements = [
        iam.PolicyStatement(
            actions=TABLE_ACTIONS,
            resources=[table.table_arn, *(f"{table.table_arn}/index/{name}" for name in index_names)],
        ),
        iam.PolicyStatement(actions=STREAM_ACTIONS, resources=[f"{table.table_arn}/stream/*"]),
        iam.PolicyStatement(actions=SEND_ACTIONS + CONSUME_ACTIONS, resources=[q.queue_arn for q in queues]),
        iam.PolicyStatement(actions=["sqs:SendMessage"], resources=[stream_failures.queue_arn]),
        iam.PolicyStatement(
            actions=["ses:SendEmail"],
            resources=ses_identities,
            conditions={"StringEquals": {"ses:FromAddress": sender_email}},
        ),
        # SMS goes straight to a phone number, which has no ARN: allow publishing to anything but a topic
        iam.PolicyStatement(actions=["sns:Publish"], not_resources=[f"arn:{stack.partition}:sns:*:*:*"]),
        iam.PolicyStatement(actions=["secretsmanager:GetSecretValue"], resources=[secret.secret_arn]),
        iam.PolicyStatement(actions=["logs:CreateLogStream", "logs:PutLogEvents"], resources=[f"{logs}:*"]),
    ]
    return iam.Role(
        scope,
        "AppRole",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description="Slotbook's Lambda handlers",
        # inline, so no function (nor its event source mapping) exists before its permissions do
        inline_policies={"slotbook": iam.PolicyDocument(statements=statements)},
    )
