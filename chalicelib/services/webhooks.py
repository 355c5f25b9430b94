"""Outbound webhooks: subscriptions kept by admins, and the work the webhooks queue carries.

A change writes its events in its own transaction (store/changes.py) and the request puts a `fan-out` message for
the appointment on the queue; the sweep puts one for any event the fast path missed. Fanning out makes a delivery
of each event for each active subscription that wants it, then a `deliver` message per subscription and
appointment. Delivering tries that subscription's deliveries of that appointment in order, each once its time
has come: a failed one is tried again after the schedule's wait (domain/webhooks.py), and the ones after it wait
for it. Each subscription and appointment is a message of its own, so a slow or failing receiver holds up only
its own deliveries.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.errors import ConcurrentChange, InvalidInput, NotFound
from chalicelib.domain.webhooks import (
    LEASE,
    MAX_SUBSCRIPTIONS,
    Delivery,
    DeliveryStatus,
    Event,
    EventType,
    Secret,
    Subscription,
    new_secret,
)
from chalicelib.integrations.queue import DelayQueue
from chalicelib.integrations.webhooks import Outgoing, Sender
from chalicelib.observability import logger
from chalicelib.store import Store

LOOK_AGAIN = 2  # seconds: a delivery another run is trying is looked at again then
TRIES_PER_RUN = 2  # each try is bounded by its timeouts (integrations/webhooks.py): 2 x 13 s < the 30 s timeout
Render = Callable[[Event, Appointment], str]  # the payload of an event (the appointment as it left it), as JSON
Alert = Callable[[Subscription], None]  # tells the business a subscription was paused


@dataclass(frozen=True)
class Wanted:
    url: str
    types: frozenset[EventType]
    description: str = ""


def subscribe(store: Store, wanted: Wanted, now: datetime) -> tuple[Subscription, str]:
    """A new subscription, and its secret: shown this once."""
    if len(store.webhooks.subscriptions()) >= MAX_SUBSCRIPTIONS:
        raise InvalidInput(f"A business may have at most {MAX_SUBSCRIPTIONS} webhook subscriptions.", {})
    secret = new_secret()
    made = Subscription(uuid.uuid4().hex[:16], wanted.url, wanted.types, (Secret(secret),), now, wanted.description)
    return store.webhooks.save(made), secret


def change(
    store: Store, queue: DelayQueue, subscription_id: str, changes: dict[str, Any], now: datetime
) -> Subscription:
    """Change the address, the types, the description, or pause and resume it (resuming sends what waited)."""
    current = store.webhooks.subscription(subscription_id)
    changed = replace(current, **{k: v for k, v in changes.items() if k != "active"})
    active = changes.get("active")
    if active is True and not current.active:
        changed = changed.resumed()
    elif active is False and current.active:
        changed = changed.paused("paused by an admin", now)
    saved = store.webhooks.save(changed)
    if saved.active and not current.active:
        _resume(store, queue, saved)
    return saved


def rotate(store: Store, subscription_id: str, overlap: timedelta, now: datetime) -> tuple[Subscription, str]:
    """A new secret, shown this once; the old one signs too until the overlap ends."""
    secret = new_secret()
    rotated = store.webhooks.subscription(subscription_id).rotated(secret, overlap, now)
    return store.webhooks.save(rotated), secret


def remove(store: Store, subscription_id: str) -> None:
    store.webhooks.subscription(subscription_id)  # NotFound if there is none
    store.webhooks.remove(subscription_id)


def replay(store: Store, queue: DelayQueue, subscription_id: str, event_id: str) -> Delivery:
    """Send a delivery again, as it was first sent (same id, same payload), from the schedule's start."""
    store.webhooks.subscription(subscription_id)
    appointment_id, sequence, kind = Event.parse_id(event_id)
    for delivery in store.webhooks.pending(appointment_id, subscription_id).deliveries:
        if delivery.event.sequence == sequence and delivery.event.type is kind:
            again = store.webhooks.replay(delivery)
            queue.send(deliver_message(subscription_id, appointment_id))
            return again
    raise NotFound("That is not a delivery of this subscription.")


# The queue's work
def fan_out_message(appointment_id: str) -> dict[str, Any]:
    return {"kind": "fan-out", "appointmentId": appointment_id}


def deliver_message(subscription_id: str, appointment_id: str, eager: bool = False) -> dict[str, Any]:
    """`eager`: the receiver is back, so what waits is tried now rather than at its next try."""
    message = {"kind": "deliver", "subscriptionId": subscription_id, "appointmentId": appointment_id}
    return {**message, "eager": True} if eager else message


def announce(queue: DelayQueue, appointment_id: str) -> None:
    """The fast path after a change that made events; if it fails, the sweep finds them in the outbox."""
    try:
        queue.send(fan_out_message(appointment_id))
    except Exception:
        logger.exception("webhook events left for the sweep", extra={"appointment": appointment_id})


def fan_out(store: Store, queue: DelayQueue, appointment_id: str) -> int:
    """Each of the appointment's events still in the outbox, in order, becomes a delivery for each subscription
    that wants it (a paused one keeps them for when it is resumed); then each subscription is told to deliver.
    Repeating it makes nothing twice."""
    events = store.webhooks.unfanned(appointment_id)
    if not events:
        return 0
    subscriptions = store.webhooks.subscriptions()
    told: set[str] = set()
    for event in events:
        wanting = [s for s in subscriptions if s.wants(event.type)]
        store.webhooks.fan_out(event, wanting)
        told.update(s.id for s in wanting)
    for subscription_id in sorted(told):
        queue.send(deliver_message(subscription_id, appointment_id))
    return len(events)


def deliver(
    store: Store,
    queue: DelayQueue,
    sender: Sender,
    render: Render,
    subscription_id: str,
    appointment_id: str,
    now: datetime,
    alert: Alert | None = None,
    clock: Callable[[], datetime] | None = None,
    eager: bool = False,
) -> list[Delivery]:
    """Try the subscription's deliveries of the appointment in order, while they succeed; what each try came to.

    `now`: when the work was taken up (what is due by then is tried; `eager`: whatever waits); `clock`: the time
    each try ends, for the log (defaults to `now`). The first success after failures sends the subscription's
    other waiting deliveries at once (`eager`): a receiver that is back gets its backlog now, not hours later.
    """
    try:
        subscription = store.webhooks.subscription(subscription_id)
    except NotFound:  # removed: its deliveries lapse with their retention
        return []
    tried: list[Delivery] = []
    while True:  # read again after delivering: a delivery made meanwhile, whose own run found this one busy
        pending = store.webhooks.pending(appointment_id, subscription_id)
        progressed = False
        for delivery in pending.deliveries:
            if delivery.settled:
                continue
            if len(tried) == TRIES_PER_RUN:  # the rest in a run of its own, well inside the function's timeout
                queue.send(deliver_message(subscription_id, appointment_id))
                return tried
            if not subscription.active:
                store.webhooks.waiting(delivery)  # resuming the subscription sends it
                return tried
            if not delivery.due(now) and not (eager and delivery.status is DeliveryStatus.PENDING):
                _wake(queue, subscription_id, appointment_id, delivery, now)
                return tried
            lease = now + LEASE
            if not store.webhooks.lease(delivery, now, lease):  # another run is trying it: look again shortly
                queue.send(deliver_message(subscription_id, appointment_id), delay=LOOK_AGAIN)
                return tried
            appointment = pending.events.get(delivery.event)
            result = _try(store, sender, render, subscription, delivery, appointment, lease, now, clock)
            ended = clock() if clock else now
            if result is None:  # its lease was lost meanwhile
                return tried
            tried.append(result)
            subscription = _health(store, queue, subscription, result, ended, alert)
            if result.status is DeliveryStatus.PENDING:  # to be tried again later: the ones after it wait for it
                _wake(queue, subscription_id, appointment_id, result, ended)
                return tried
            progressed = True
        if not progressed:
            return tried


def _try(
    store: Store,
    sender: Sender,
    render: Render,
    subscription: Subscription,
    delivery: Delivery,
    appointment: Appointment | None,
    lease: datetime,
    now: datetime,
    clock: Callable[[], datetime] | None,
) -> Delivery | None:
    """One try of a leased delivery at `now` (its end by `clock`), recorded; None if the lease was lost first."""
    if appointment is None:  # its event lapsed (30 days): nothing left to send
        done = replace(delivery, status=DeliveryStatus.FAILED)
        return done if store.webhooks.record(done, lease) else None
    body = render(delivery.event, appointment)
    attempt = sender.send(Outgoing(subscription.url, delivery.event.id, body, subscription.signing(now)))
    result = delivery.after(attempt, clock() if clock else now, jitter=random.uniform(-1.0, 1.0))
    if not store.webhooks.record(result, lease):
        return None
    logger.info(
        "webhook delivery tried",
        extra={
            "event": delivery.event.id,
            "subscription": subscription.id,
            "code": attempt.code,
            "latency_ms": attempt.latency_ms,
            "status": result.status.value,
        },
    )
    return result


def _health(
    store: Store, queue: DelayQueue, subscription: Subscription, result: Delivery, now: datetime, alert: Alert | None
) -> Subscription:
    """The subscription after a try: well again on a success (what waits for it sent at once), failing on a
    failure (and paused after a day of them)."""
    if result.status is not DeliveryStatus.DELIVERED:
        return _failed(store, subscription, now, alert)
    if subscription.failing_since is None:
        return subscription
    well = _marked(store, subscription, lambda s: replace(s, failing_since=None))
    _resume(store, queue, well, eager=True)
    return well


def _failed(store: Store, subscription: Subscription, now: datetime, alert: Alert | None) -> Subscription:
    """A failure starts the subscription's failing time; after a day of failures it is paused, and the business
    told once."""
    failing = _marked(store, subscription, lambda s: s.failed(now))
    if not failing.should_pause(now):
        return failing
    paused = _marked(store, failing, lambda s: s.paused("every delivery failed for a day", now) if s.active else s)
    if alert is not None and paused.paused_at == now:
        alert(paused)
    return paused


def _marked(store: Store, subscription: Subscription, mark: Callable[[Subscription], Subscription]) -> Subscription:
    """Save a mark of the subscription's health; another delivery's mark since is read and marked again."""
    for _ in range(3):
        marked = mark(subscription)
        if marked == subscription:
            return subscription
        try:
            return store.webhooks.save(marked)
        except ConcurrentChange:
            subscription = store.webhooks.subscription(subscription.id)
    return subscription


def _wake(queue: DelayQueue, subscription_id: str, appointment_id: str, delivery: Delivery, now: datetime) -> None:
    """A message for when the delivery is next due, if SQS can hold it that long; the sweep finds it otherwise."""
    wait = (delivery.next_at - now).total_seconds() if delivery.next_at else 0
    if wait <= 900:
        queue.send(deliver_message(subscription_id, appointment_id), delay=max(0, int(wait) + 1))


def _resume(store: Store, queue: DelayQueue, subscription: Subscription, eager: bool = False) -> None:
    """Deliver what waits (the recent log's pending deliveries): after a pause, or, `eager`, at once when the
    receiver is back (a success after failures), rather than at each one's next try."""
    waiting, cursor = [], None
    for _ in range(10):
        found, cursor = store.webhooks.log(subscription.id, cursor, 100)
        waiting += [d.event.appointment_id for d in found if d.status is DeliveryStatus.PENDING]
        if cursor is None:
            break
    for appointment_id in dict.fromkeys(waiting):
        queue.send(deliver_message(subscription.id, appointment_id, eager))


def sweep(store: Store, queue: DelayQueue, now: datetime) -> int:
    """Events the fast path missed, and deliveries whose next try has come, back on the queue."""
    due = store.webhooks.due(now)
    for appointment_id in due.fan_outs:
        queue.send(fan_out_message(appointment_id))
    for subscription_id, appointment_id in due.deliveries:
        queue.send(deliver_message(subscription_id, appointment_id))
    return len(due.fan_outs) + len(due.deliveries)
