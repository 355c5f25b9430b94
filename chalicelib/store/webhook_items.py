"""Outbound webhooks' items and how they map to the domain (store/webhooks.py reads and writes them).

- subscription: pk WEBHOOKS, sk SUB#<id>
- event: pk APPT#<appointment>, sk HOOK#<sequence>#<position>#<type>, in gsi5 under HOOKDUE until fanned out
- delivery: pk APPT#<appointment>, sk DLV#<subscription>#<sequence>#<position>#<type>; gsi1 HOOK#<subscription>
"""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime, timedelta

from pynamodb.attributes import (
    BinaryAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)

from chalicelib.domain.webhooks import (
    Attempt,
    Delivery,
    DeliveryStatus,
    Event,
    EventType,
    Secret,
    State,
    Subscription,
)
from chalicelib.store.mapping import timeline_key
from chalicelib.store.models import AppointmentItem, Item

RETENTION = timedelta(days=30)
SWEEP_AFTER = timedelta(minutes=1)  # an event the request's own message has not fanned out by then is swept
PARTITION = "WEBHOOKS"
DUE = "HOOKDUE"


class SubscriptionItem(Item, discriminator="webhook"):
    url = UnicodeAttribute()
    types = UnicodeSetAttribute()
    secrets = JSONAttribute()  # [{"value": "whsec_...", "until": iso or null}]
    created_at = UTCDateTimeAttribute()
    description = UnicodeAttribute(default="")
    state = UnicodeAttribute(default=State.ACTIVE.value)
    paused_reason = UnicodeAttribute(default="")
    paused_at = UTCDateTimeAttribute(null=True)
    failing_since = UTCDateTimeAttribute(null=True)
    version = VersionAttribute()


class HookEventItem(Item, discriminator="hook_event"):
    at = UTCDateTimeAttribute()
    # the appointment item as the change wrote it (DynamoDB's typed form), as compressed JSON: ~0.5 KB rather than
    # 2, so the event costs 2 write units in the transaction and 1 in gsi5, not 4 and 2
    snapshot = BinaryAttribute(legacy_encoding=False)


class HookDeliveryItem(Item, discriminator="hook_delivery"):
    subscription_id = UnicodeAttribute()
    at = UTCDateTimeAttribute()  # the event's
    status = UnicodeAttribute(default=DeliveryStatus.PENDING.value)
    attempts = NumberAttribute(default=0)
    replays = NumberAttribute(default=0)
    next_at = UTCDateTimeAttribute(null=True)
    lease_until = UTCDateTimeAttribute(null=True)
    last_code = NumberAttribute(null=True)
    last_latency_ms = NumberAttribute(null=True)
    last_error = UnicodeAttribute(null=True)
    delivered_at = UTCDateTimeAttribute(null=True)


def event_item(event: Event, appointment: AppointmentItem) -> HookEventItem:
    return HookEventItem(
        f"APPT#{event.appointment_id}",
        event_key(event),
        at=event.at,
        snapshot=zlib.compress(json.dumps(appointment.serialize(), separators=(",", ":")).encode(), 9),
        gsi5pk=DUE,
        gsi5sk=f"{timeline_key(event.at + SWEEP_AFTER)}#{event.appointment_id}#fan-out",
        expires_at=event.at + RETENTION,
    )


def event_key(event: Event) -> str:
    """In the order they happened: by the change, then within it."""
    return f"HOOK#{event.sequence:06d}#{event.position}#{event.type.value}"


def event_of(item: HookEventItem) -> Event:
    _, sequence, position, kind = item.sk.split("#", 3)
    return Event(item.pk.removeprefix("APPT#"), int(sequence), EventType(kind), item.at, int(position))


def delivery_key(subscription_id: str, event: Event) -> tuple[str, str]:
    return f"APPT#{event.appointment_id}", f"DLV#{subscription_id}#{event_key(event).removeprefix('HOOK#')}"


def delivery_of(item: HookDeliveryItem) -> Delivery:
    _, _, sequence, position, kind = item.sk.split("#", 4)
    event = Event(item.pk.removeprefix("APPT#"), int(sequence), EventType(kind), item.at, int(position))
    last = None
    if item.last_code is not None:
        last = Attempt(int(item.last_code), int(item.last_latency_ms or 0), item.last_error or "")
    return Delivery(
        item.subscription_id,
        event,
        DeliveryStatus(item.status),
        int(item.attempts),
        item.next_at,
        last,
        item.delivered_at,
        int(item.replays),
    )


def subscription_item(s: Subscription) -> SubscriptionItem:
    item = SubscriptionItem(
        PARTITION,
        f"SUB#{s.id}",
        url=s.url,
        types={t.value for t in s.types},
        secrets=[{"value": x.value, "until": x.until.isoformat() if x.until else None} for x in s.secrets],
        created_at=s.created_at,
        description=s.description,
        state=s.state.value,
        paused_reason=s.paused_reason,
        paused_at=s.paused_at,
        failing_since=s.failing_since,
    )
    if s.version:  # a new one has none: saving it is on condition that none is there
        item.version = s.version
    return item


def subscription_of(item: SubscriptionItem) -> Subscription:
    return Subscription(
        id=item.sk.removeprefix("SUB#"),
        url=item.url,
        types=frozenset(EventType(t) for t in item.types),
        secrets=tuple(
            Secret(str(s["value"]), datetime.fromisoformat(s["until"]).astimezone(UTC) if s.get("until") else None)
            for s in item.secrets
        ),
        created_at=item.created_at,
        description=item.description,
        state=State(item.state),
        paused_reason=item.paused_reason,
        paused_at=item.paused_at,
        failing_since=item.failing_since,
        version=int(item.version or 0),
    )
