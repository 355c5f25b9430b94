"""Outbound webhooks in the table: subscriptions, the events a change wrote (the outbox), and each subscription's
deliveries of them, which are its delivery log.

- subscription: pk WEBHOOKS, sk SUB#<id>
- event: pk APPT#<appointment>, sk HOOK#<sequence>#<type>: the appointment as the change wrote it; in gsi5 under
  HOOKDUE until fanned out to the subscriptions' deliveries
- delivery: pk APPT#<appointment>, sk DLV#<subscription>#<sequence>#<type>; gsi1 HOOK#<subscription> / <event
  time>#<event id> (the log, newest first); in gsi5 under HOOKDUE while a later try is due

An appointment's events and deliveries sit beside it, so one Query reads them in order; both lapse after 30 days.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pynamodb.exceptions import PutError, UpdateError

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.errors import ConcurrentChange, NotFound
from chalicelib.domain.webhooks import (
    Attempt,
    Delivery,
    DeliveryStatus,
    Event,
    EventType,
    Subscription,
)
from chalicelib.store.mapping import appointment_from, timeline_key
from chalicelib.store.models import AppointmentItem, Item
from chalicelib.store.pages import decode_cursor, encode_cursor
from chalicelib.store.webhook_items import (
    DUE,
    PARTITION,
    RETENTION,
    HookDeliveryItem,
    HookEventItem,
    SubscriptionItem,
    delivery_key,
    delivery_of,
    event_key,
    event_of,
    subscription_item,
    subscription_of,
)


@dataclass(frozen=True)
class Pending:
    """An appointment's events (with the appointment as each change wrote it) and one subscription's deliveries."""

    events: dict[Event, Appointment]  # each as its change left it
    deliveries: list[Delivery]  # in the events' order


@dataclass(frozen=True)
class Due:
    fan_outs: list[str]  # appointments whose events wait to be fanned out
    deliveries: list[tuple[str, str]]  # (subscription, appointment) whose next try is due


class Webhooks:
    # subscriptions
    def subscriptions(self) -> list[Subscription]:
        """Every subscription of the business: one Query of a small partition."""
        return [subscription_of(i) for i in SubscriptionItem.query(PARTITION, SubscriptionItem.sk.startswith("SUB#"))]

    def subscription(self, subscription_id: str) -> Subscription:
        try:
            return subscription_of(SubscriptionItem.get(PARTITION, f"SUB#{subscription_id}", consistent_read=True))
        except SubscriptionItem.DoesNotExist:
            raise NotFound("No such webhook subscription.") from None

    def wanted(self) -> frozenset[EventType]:
        """The event types some subscription wants (a paused one too: it gets them when resumed)."""
        return frozenset(t for s in self.subscriptions() for t in s.types)

    def save(self, subscription: Subscription) -> Subscription:
        """Create or change a subscription, on condition nobody changed it since it was read (ConcurrentChange)."""
        item = subscription_item(subscription)
        try:
            item.save()
        except PutError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                raise ConcurrentChange("The subscription was changed meanwhile; reload it and try again.") from None
            raise
        return subscription_of(item)

    def remove(self, subscription_id: str) -> None:
        SubscriptionItem(PARTITION, f"SUB#{subscription_id}").delete(add_version_condition=False)

    # events and deliveries
    def pending(self, appointment_id: str, subscription_id: str | None = None) -> Pending:
        """The appointment's events, and the subscription's deliveries of them: one strongly consistent Query."""
        events: dict[Event, Appointment] = {}  # each as its change left it
        deliveries = []
        for item in Item.query(f"APPT#{appointment_id}", Item.sk.between("DLV#", "HOOK#~"), consistent_read=True):
            if isinstance(item, HookEventItem):
                written = AppointmentItem.from_raw_data(json.loads(zlib.decompress(item.snapshot)))
                events[event_of(item)] = appointment_from(written)
            elif isinstance(item, HookDeliveryItem) and item.subscription_id == subscription_id:
                deliveries.append(delivery_of(item))
        return Pending(dict(sorted(events.items(), key=lambda e: _in_order(e[0]))), sorted(deliveries, key=_order))

    def unfanned(self, appointment_id: str) -> list[Event]:
        """The appointment's events still waiting in the outbox, in order."""
        query = HookEventItem.query(
            f"APPT#{appointment_id}", HookEventItem.sk.startswith("HOOK#"), consistent_read=True
        )
        return sorted((event_of(i) for i in query if i.gsi5pk), key=_in_order)

    def fan_out(self, event: Event, subscriptions: Iterable[Subscription]) -> None:
        """A delivery of the event for each subscription (kept if already there), then the event out of the outbox."""
        for subscription in subscriptions:
            pk, sk = delivery_key(subscription.id, event)
            item = HookDeliveryItem(
                pk,
                sk,
                subscription_id=subscription.id,
                at=event.at,
                gsi1pk=f"HOOK#{subscription.id}",
                gsi1sk=f"{timeline_key(event.at)}#{event.id}",
                expires_at=event.at + RETENTION,
            )
            try:
                item.save(condition=Item.pk.does_not_exist())
            except PutError as error:
                if error.cause_response_code != "ConditionalCheckFailedException":
                    raise
        HookEventItem(f"APPT#{event.appointment_id}", event_key(event)).update(
            actions=[HookEventItem.gsi5pk.remove(), HookEventItem.gsi5sk.remove()], condition=Item.pk.exists()
        )

    def lease(self, delivery: Delivery, now: datetime, until: datetime) -> bool:
        """Take the delivery to try it: False if someone else is trying it, or it changed since it was read."""
        item = HookDeliveryItem(*delivery_key(delivery.subscription_id, delivery.event))
        free = HookDeliveryItem.lease_until.does_not_exist() | (HookDeliveryItem.lease_until < now)
        condition = (HookDeliveryItem.status == DeliveryStatus.PENDING.value) & (
            HookDeliveryItem.attempts == delivery.attempts
        )
        return _updated(item, [HookDeliveryItem.lease_until.set(until)], condition & free)

    def record(self, delivery: Delivery, leased_until: datetime) -> bool:
        """Write what a try came to, on condition the lease is still ours; a retry due later goes into gsi5."""
        item = HookDeliveryItem(*delivery_key(delivery.subscription_id, delivery.event))
        last = delivery.last or Attempt(0, 0)
        actions = [
            HookDeliveryItem.status.set(delivery.status.value),
            HookDeliveryItem.attempts.set(delivery.attempts),
            HookDeliveryItem.last_code.set(last.code),
            HookDeliveryItem.last_latency_ms.set(last.latency_ms),
            HookDeliveryItem.last_error.set(last.error[:500]),
            HookDeliveryItem.lease_until.remove(),
            *_due(delivery),
        ]
        if delivery.delivered_at:
            actions.append(HookDeliveryItem.delivered_at.set(delivery.delivered_at))
        return _updated(item, actions, HookDeliveryItem.lease_until == leased_until)

    def waiting(self, delivery: Delivery) -> None:
        """A delivery held back (its subscription paused) leaves gsi5 until resumed."""
        item = HookDeliveryItem(*delivery_key(delivery.subscription_id, delivery.event))
        item.update(actions=[HookDeliveryItem.gsi5pk.remove(), HookDeliveryItem.gsi5sk.remove()])

    def replay(self, delivery: Delivery) -> Delivery:
        """Try a delivery again from the schedule's start, unless it is still waiting for a try."""
        again = delivery.replayed()
        item = HookDeliveryItem(*delivery_key(delivery.subscription_id, delivery.event))
        actions = [
            HookDeliveryItem.status.set(again.status.value),
            HookDeliveryItem.attempts.set(0),
            HookDeliveryItem.replays.set(again.replays),
            HookDeliveryItem.next_at.remove(),
        ]
        if not _updated(item, actions, HookDeliveryItem.status != DeliveryStatus.PENDING.value):
            raise ConcurrentChange("That delivery is waiting for a try already.")
        return again

    def delivery(self, subscription_id: str, event: Event) -> Delivery:
        try:
            return delivery_of(HookDeliveryItem.get(*delivery_key(subscription_id, event), consistent_read=True))
        except HookDeliveryItem.DoesNotExist:
            raise NotFound("That is not a delivery of this subscription.") from None

    def log(self, subscription_id: str, cursor: str | None, limit: int) -> tuple[list[Delivery], str | None]:
        """A subscription's deliveries, newest event first: one Query of gsi1, a page at a time (the cursor opens
        only this subscription's log)."""
        partition = f"HOOK#{subscription_id}"
        query = Item.by_customer.query(
            partition,
            scan_index_forward=False,
            limit=limit,
            last_evaluated_key=decode_cursor(cursor, partition),
        )
        found = [delivery_of(i) for i in query if isinstance(i, HookDeliveryItem)]
        return found, encode_cursor(query.last_evaluated_key)

    def due(self, now: datetime, limit: int = 100) -> Due:
        """Events left in the outbox and deliveries whose next try is due: one Query of gsi5."""
        fan_outs, deliveries = [], []
        for item in Item.due.query(DUE, Item.gsi5sk <= timeline_key(now) + "~", limit=limit):
            appointment_id = item.pk.removeprefix("APPT#")
            if isinstance(item, HookEventItem):
                fan_outs.append(appointment_id)
            elif isinstance(item, HookDeliveryItem):
                deliveries.append((item.subscription_id, appointment_id))
        return Due(list(dict.fromkeys(fan_outs)), list(dict.fromkeys(deliveries)))


def _in_order(event: Event) -> tuple[int, int]:
    return event.sequence, event.position


def _order(delivery: Delivery) -> tuple[int, int]:
    return _in_order(delivery.event)


def _due(delivery: Delivery) -> list[Any]:
    if delivery.status is DeliveryStatus.PENDING and delivery.next_at is not None:
        key = f"{timeline_key(delivery.next_at)}#{delivery.event.appointment_id}#{delivery.subscription_id}"
        return [
            HookDeliveryItem.next_at.set(delivery.next_at),
            HookDeliveryItem.gsi5pk.set(DUE),
            HookDeliveryItem.gsi5sk.set(key),
        ]
    return [HookDeliveryItem.next_at.remove(), HookDeliveryItem.gsi5pk.remove(), HookDeliveryItem.gsi5sk.remove()]


def _updated(item: Item, actions: list[Any], condition: Any) -> bool:
    try:
        item.update(actions=actions, condition=condition)
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True
