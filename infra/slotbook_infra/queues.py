"""The SQS queues, each with its dead-letter queue, as scripts/local_aws.py makes them locally."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_sqs as sqs
from constructs import Construct

MAX_RECEIVES = 5  # a message failed this often goes to the dead-letter queue (local_aws.create_queue too)
HANDLER_TIMEOUT_SECONDS = 30  # the Lambda timeout of every handler (stack.py)


@dataclass(frozen=True)
class QueuePair:
    queue: sqs.Queue
    dead_letters: sqs.Queue
    name: str  # the literal name: Chalice needs it at package time for its event source


def queue_with_dead_letters(scope: Construct, id: str, name: str) -> QueuePair:
    dead_letters = sqs.Queue(
        scope, f"{id}DeadLetters", queue_name=f"{name}-dlq", retention_period=Duration.days(14), enforce_ssl=True
    )
    queue = sqs.Queue(
        scope,
        f"{id}Queue",
        queue_name=name,
        # AWS's advice for a queue a Lambda consumes: six times the function's timeout
        visibility_timeout=Duration.seconds(6 * HANDLER_TIMEOUT_SECONDS),
        dead_letter_queue=sqs.DeadLetterQueue(queue=dead_letters, max_receive_count=MAX_RECEIVES),
        enforce_ssl=True,
    )
    return QueuePair(queue, dead_letters, name)


def failed_stream_batches(scope: Construct, name: str) -> sqs.Queue:
    """Where Lambda records a stream batch it gave up on (its shard and sequence numbers, not the records)."""
    return sqs.Queue(scope, "StreamFailures", queue_name=name, retention_period=Duration.days(14), enforce_ssl=True)
