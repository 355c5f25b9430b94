"""Outbound webhooks for admins: subscribe, change, pause and resume, rotate the secret, read the delivery log and
replay a delivery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.api import inputs, webhook_presenters
from chalicelib.api.docs import CURSOR, Doc, Param
from chalicelib.api.http import ADMINS, Call, Routes
from chalicelib.config import get_settings
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.webhooks import event_types, target
from chalicelib.integrations.queue import get_webhooks_queue
from chalicelib.services import webhooks
from chalicelib.services.webhooks import Wanted
from chalicelib.store import get_store

routes = Routes(__name__)


def _description(body: dict[str, Any]) -> str:
    return inputs.text(body, "description", required=False, max_length=200)


def _known(body: dict[str, Any], *names: str) -> dict[str, Any]:
    unknown = sorted(set(body) - set(names))
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(unknown)}.", dict.fromkeys(unknown, "unknown"))
    return body


@routes.route(
    "/webhooks",
    methods=("POST",),
    allow=ADMINS,
    status=201,
    doc=Doc(
        "Subscribe an address to events (its secret is shown once)", "WebhookSecretAnswer", "WebhookSubscriptionRequest"
    ),
)
def subscribe(call: Call) -> dict[str, Any]:
    body = _known(call.body, "url", "types", "description")
    wanted = Wanted(
        target(body.get("url"), get_settings().is_local), event_types(body.get("types")), _description(body)
    )
    made, secret = webhooks.subscribe(get_store(), wanted, datetime.now(UTC))
    return {"success": True, "subscription": webhook_presenters.subscription(made), "secret": secret}


@routes.route("/webhooks", allow=ADMINS, doc=Doc("The business's webhook subscriptions", "WebhookSubscriptions"))
def subscriptions(call: Call) -> dict[str, Any]:
    found = sorted(get_store().webhooks.subscriptions(), key=lambda s: s.created_at)
    return {
        "subscriptions": [webhook_presenters.subscription(s) for s in found],
        "eventTypes": webhook_presenters.event_types(),
    }


@routes.route("/webhooks/{subscription_id}", allow=ADMINS, doc=Doc("One subscription", "WebhookSubscriptionAnswer"))
def subscription(call: Call, subscription_id: str) -> dict[str, Any]:
    found = get_store().webhooks.subscription(subscription_id)
    return {"success": True, "subscription": webhook_presenters.subscription(found)}


@routes.route(
    "/webhooks/{subscription_id}",
    methods=("PATCH",),
    allow=ADMINS,
    doc=Doc("Change, pause or resume a subscription", "WebhookSubscriptionAnswer", "WebhookSubscriptionChange"),
)
def change(call: Call, subscription_id: str) -> dict[str, Any]:
    body, changes = _known(call.body, "url", "types", "description", "active"), dict[str, Any]()
    if "url" in body:
        changes["url"] = target(body["url"], get_settings().is_local)
    if "types" in body:
        changes["types"] = event_types(body["types"])
    if "description" in body:
        changes["description"] = _description(body)
    if "active" in body:
        changes["active"] = inputs.flag(body, "active")
    saved = webhooks.change(get_store(), get_webhooks_queue(), subscription_id, changes, datetime.now(UTC))
    return {"success": True, "subscription": webhook_presenters.subscription(saved)}


@routes.route(
    "/webhooks/{subscription_id}",
    methods=("DELETE",),
    allow=ADMINS,
    doc=Doc("Remove a subscription (its deliveries stop)", "Done", body_required=False),
)
def remove(call: Call, subscription_id: str) -> dict[str, Any]:
    webhooks.remove(get_store(), subscription_id)
    return {"success": True}


@routes.route(
    "/webhooks/{subscription_id}/rotate",
    methods=("POST",),
    allow=ADMINS,
    doc=Doc(
        "A new secret (shown once); the old one signs too for the overlap",
        "WebhookSecretAnswer",
        "WebhookRotation",
        body_required=False,
    ),
)
def rotate(call: Call, subscription_id: str) -> dict[str, Any]:
    raw = _known(call.body, "overlapHours").get("overlapHours", 24)
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise InvalidInput("overlapHours must be a whole number of hours, 0 to 168.", {"overlapHours": "invalid"})
    rotated, secret = webhooks.rotate(get_store(), subscription_id, timedelta(hours=raw), datetime.now(UTC))
    return {"success": True, "subscription": webhook_presenters.subscription(rotated), "secret": secret}


@routes.route(
    "/webhooks/{subscription_id}/deliveries",
    allow=ADMINS,
    doc=Doc(
        "The delivery log: each event's tries, status and latency",
        "WebhookDeliveries",
        params=(CURSOR, Param("limit", {"type": "integer", "minimum": 1, "maximum": 100}, description="default 50")),
    ),
)
def deliveries(call: Call, subscription_id: str) -> dict[str, Any]:
    cursor = call.query("cursor")
    limit = inputs.integer(call.query("limit"), "limit", 50, 1, 100)
    store = get_store()
    store.webhooks.subscription(subscription_id)
    found, after = store.webhooks.log(subscription_id, cursor, limit)
    return {"deliveries": [webhook_presenters.delivery(d) for d in found], "nextCursor": after}


@routes.route(
    "/webhooks/{subscription_id}/deliveries/{delivery_id}/replay",
    methods=("POST",),
    allow=ADMINS,
    status=202,
    doc=Doc("Send a delivery again (same id and payload)", "WebhookDeliveryAnswer", body_required=False),
)
def replay(call: Call, subscription_id: str, delivery_id: str) -> dict[str, Any]:
    again = webhooks.replay(get_store(), get_webhooks_queue(), subscription_id, delivery_id)
    return {"success": True, "delivery": webhook_presenters.delivery(again)}
