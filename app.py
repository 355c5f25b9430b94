"""Slotbook's Chalice app: wiring only. Routes live in chalicelib/api, rules in chalicelib/domain."""

import os
from typing import Any

from chalice.app import Chalice, CloudWatchEvent, DynamoDBEvent, Rate, SQSEvent

from chalicelib.api import (
    admin,
    analytics,
    appointments,
    auth,
    catalogue,
    console,
    customers,
    front_desk,
    holds,
    locations,
    mcp,
    notifications,
    openapi,
    payments,
    schedule,
    waitlist,
    webhooks,
)
from chalicelib.observability import http_middleware

app = Chalice(app_name="slotbook")
LOCAL_STREAM = "arn:aws:dynamodb:us-east-1:000000000000:table/slotbook-local/stream/local"  # set by infra when deployed
app.register_middleware(http_middleware, "http")

for module in (
    payments,
    auth,
    catalogue,
    analytics,
    holds,
    appointments,
    front_desk,
    schedule,
    customers,
    admin,
    locations,
    notifications,
    waitlist,
    webhooks,
    mcp,
    openapi,
    console,
):
    app.register_blueprint(module.routes.blueprint)


@app.on_sqs_message(queue=os.environ.get("NOTICES_QUEUE", "slotbook-notices"), batch_size=10)
def deliver_notices(event: SQSEvent) -> dict[str, Any]:
    from chalicelib.workers import notices

    return notices.handle_batch(event.to_dict(), event.context)


@app.on_sqs_message(queue=os.environ.get("PAYMENTS_QUEUE", "slotbook-payments"), batch_size=10)
def apply_payments(event: SQSEvent) -> dict[str, Any]:
    from chalicelib.workers import payments

    return payments.handle_batch(event.to_dict(), event.context)


@app.on_sqs_message(queue=os.environ.get("WEBHOOKS_QUEUE", "slotbook-webhooks"), batch_size=1)
def deliver_webhooks(event: SQSEvent) -> dict[str, Any]:
    """Outbound webhooks: one message at a time, so a slow receiver holds up nothing but its own deliveries."""
    from chalicelib.workers import webhooks

    return webhooks.handle_batch(event.to_dict(), event.context)


@app.schedule(Rate(1, unit=Rate.MINUTES))
def sweep_webhooks(event: CloudWatchEvent) -> None:
    """Webhook events the requests did not announce, and deliveries whose next try is due, back on the queue."""
    from chalicelib.workers import webhooks

    webhooks.sweep()


@app.schedule(Rate(1, unit=Rate.MINUTES))
def sweep_notices(event: CloudWatchEvent) -> None:
    """Due reminders to the queue, and unpaid holds past their time let go."""
    from chalicelib.workers import notices

    notices.sweep()


@app.schedule(Rate(5, unit=Rate.MINUTES))
def mark_no_shows(event: CloudWatchEvent) -> None:
    from chalicelib.workers import notices

    notices.no_shows()


@app.on_dynamodb_record(stream_arn=os.environ.get("TABLE_STREAM_ARN", LOCAL_STREAM), starting_position="TRIM_HORIZON")
def count_changes(event: DynamoDBEvent) -> dict[str, Any]:
    """The table's stream: appointment and block changes into the daily analytics figures."""
    from chalicelib.workers import analytics

    return analytics.handle_batch(event.to_dict(), event.context)


@app.on_dynamodb_record(stream_arn=os.environ.get("TABLE_STREAM_ARN", LOCAL_STREAM), starting_position="LATEST")
def offer_freed_time(event: DynamoDBEvent) -> dict[str, Any]:
    """The table's stream: time a cancellation, a lapsed hold, a move or a removed block gives back, offered to the
    first waiting customer it fits."""
    from chalicelib.workers import waitlist

    return waitlist.handle_batch(event.to_dict(), event.context)
