"""Reading what the local AWS holds: queued messages and what SES and SNS 'sent'."""

from __future__ import annotations

import json
import os
import urllib.request
from typing import Any

import boto3

from scripts.worker import sqs_event

QUEUE = "slotbook-notices"


def queue_url(name: str = QUEUE) -> str:
    return str(boto3.client("sqs").get_queue_url(QueueName=name)["QueueUrl"])


def receive_all(name: str = QUEUE) -> list[dict[str, Any]]:
    sqs, url = boto3.client("sqs"), queue_url(name)
    messages: list[dict[str, Any]] = []
    while True:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0).get("Messages", [])
        if not batch:
            return messages
        messages += batch
        sqs.delete_message_batch(
            QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)]
        )


def bodies(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [json.loads(m["Body"]) for m in messages]


def event(messages: list[dict[str, Any]], name: str = QUEUE) -> dict[str, Any]:
    return sqs_event("arn:aws:sqs:us-east-1:123456789012:" + name, messages)


def sent() -> dict[str, list[dict[str, Any]]]:
    with urllib.request.urlopen(f"{os.environ['AWS_ENDPOINT_URL']}/moto-api/data.json") as response:
        data = json.loads(response.read())
    email = data.get("ses", {}).get("Message", [])
    email = email if isinstance(email, list) else [m for r in email.values() for m in r]
    return {"sms": list(data.get("sns", {}).get("SMS", [])), "email": email}
