"""Outbound webhooks: which events a change makes, who subscribed to them, and when a failed delivery is tried
again (the Standard Webhooks scheme signs them: integrations/webhooks.py).

An appointment's events are written in the transaction of its change (the outbox), each numbered by the
appointment's version after it (`sequence`), so a receiver can order and deduplicate them. Each subscription gets
an appointment's events in that order: one waits until the one before it is delivered or given up.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.status import Status
from chalicelib.domain.waitlist import Offer

MAX_SUBSCRIPTIONS = 20
MAX_OVERLAP = timedelta(days=7)
LEASE = timedelta(seconds=60)  # a delivery being tried: longer than its timeouts
GIVE_UP_PAUSE = timedelta(days=1)  # a subscription failing this long is paused, and the business told
# After each failed attempt, the next one waits (each ±10%): over a day and a quarter in all, as Svix's schedule.
RETRY_AFTER = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata", "instance-data"})


class EventType(StrEnum):
    CREATED = "appointment.created"
    CONFIRMED = "appointment.confirmed"
    RESCHEDULED = "appointment.rescheduled"
    CANCELLED = "appointment.cancelled"
    COMPLETED = "appointment.completed"
    NO_SHOW = "appointment.no_show"
    PAYMENT_SUCCEEDED = "payment.succeeded"
    PAYMENT_REFUNDED = "payment.refunded"
    FEE_WAIVED = "fee.waived"
    OFFERED = "waitlist.offered"
    OFFER_ACCEPTED = "waitlist.accepted"


_FINAL = {
    Status.CANCELLED: EventType.CANCELLED,
    Status.COMPLETED: EventType.COMPLETED,
    Status.NO_SHOW: EventType.NO_SHOW,
}


def events_of(before: Appointment | None, after: Appointment) -> tuple[EventType, ...]:
    """What a change tells an integrator, in the order it happened: paid before confirmed, moved before anything
    else the move did. A change that tells nothing (a note, a reminder's stamp) makes no event."""
    if before is None:
        return (EventType.OFFERED if after.offer is Offer.OFFERED else EventType.CREATED,)
    made: list[EventType] = []
    if (before.start, before.staff_id) != (after.start, after.staff_id):
        made.append(EventType.RESCHEDULED)
    if after.paid_amount > before.paid_amount:
        made.append(EventType.PAYMENT_SUCCEEDED)
    if before.offer is Offer.OFFERED and after.offer is Offer.ACCEPTED:
        made.append(EventType.OFFER_ACCEPTED)
    if before.status is not after.status:
        if after.status is Status.CONFIRMED:
            made.append(EventType.CONFIRMED)
        elif after.status in _FINAL:
            made.append(_FINAL[after.status])
    if after.refunded_amount > before.refunded_amount:
        made.append(EventType.PAYMENT_REFUNDED)
    if after.fee is not None and after.fee.waived and not (before.fee is not None and before.fee.waived):
        made.append(EventType.FEE_WAIVED)
    return tuple(made)


@dataclass(frozen=True)
class Event:
    appointment_id: str
    sequence: int  # the appointment's version the change wrote: rises with each change
    type: EventType
    at: datetime
    position: int = 0  # its place among the events of its change (paid before confirmed)

    @property
    def id(self) -> str:
        """The same for every delivery and replay of the event (the `webhook-id` header): receivers dedupe on it."""
        return f"evt_{self.appointment_id}_{self.sequence}_{self.type.value}"

    @classmethod
    def parse_id(cls, event_id: str) -> tuple[str, int, EventType]:
        """(appointment id, sequence, type) of an event id; InvalidInput if it names none."""
        try:
            prefix, appointment_id, sequence, kind = event_id.split("_", 3)
            if prefix != "evt" or not appointment_id:
                raise ValueError(event_id)
            return appointment_id, int(sequence), EventType(kind)
        except ValueError:
            raise InvalidInput("That is not a delivery of this subscription.", {"deliveryId": "unknown"}) from None


def made_by(before: Appointment | None, after: Appointment, at: datetime, wanted: Iterable[EventType]) -> list[Event]:
    """The events a change makes that some subscription wants (none: nothing is written)."""
    wanted = frozenset(wanted)
    made = [t for t in events_of(before, after) if t in wanted]
    return [Event(after.id, after.version + 1, t, at, n) for n, t in enumerate(made)]


class State(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"


@dataclass(frozen=True)
class Secret:
    value: str  # whsec_<base64>
    until: datetime | None = None  # a rotated-out secret signs too until then


def new_secret() -> str:
    """A Standard Webhooks secret: whsec_ and 32 random bytes, base64."""
    import base64

    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


@dataclass(frozen=True)
class Subscription:
    id: str
    url: str
    types: frozenset[EventType]
    secrets: tuple[Secret, ...]
    created_at: datetime
    description: str = ""
    state: State = State.ACTIVE
    paused_reason: str = ""
    paused_at: datetime | None = None
    failing_since: datetime | None = None  # the first failure since the last success
    version: int = 0

    @property
    def active(self) -> bool:
        return self.state is State.ACTIVE

    def wants(self, kind: EventType) -> bool:
        return kind in self.types

    def signing(self, now: datetime) -> tuple[str, ...]:
        """The secrets that sign now: the current one, and a rotated-out one until its overlap ends."""
        return tuple(s.value for s in self.secrets if s.until is None or s.until > now)

    def rotated(self, secret: str, overlap: timedelta, now: datetime) -> Subscription:
        if not timedelta(0) <= overlap <= MAX_OVERLAP:
            raise InvalidInput("overlapHours must be from 0 to 168.", {"overlapHours": "out of range"})
        current = next(s for s in self.secrets if s.until is None)
        kept = (replace(current, until=now + overlap),) if overlap else ()
        return replace(self, secrets=(Secret(secret), *kept))

    def failed(self, now: datetime) -> Subscription:
        return self if self.failing_since else replace(self, failing_since=now)

    def should_pause(self, now: datetime) -> bool:
        return self.active and self.failing_since is not None and now - self.failing_since >= GIVE_UP_PAUSE

    def paused(self, reason: str, now: datetime) -> Subscription:
        return replace(self, state=State.PAUSED, paused_reason=reason, paused_at=now)

    def resumed(self) -> Subscription:
        return replace(self, state=State.ACTIVE, paused_reason="", paused_at=None, failing_since=None)


def event_types(raw: object) -> frozenset[EventType]:
    if not isinstance(raw, list) or not raw or not all(isinstance(t, str) for t in raw):
        raise InvalidInput(
            'types must be a non-empty list of event types, like ["appointment.created"].', {"types": "invalid"}
        )
    unknown = sorted({t for t in raw if t not in EventType._value2member_map_})
    if unknown:
        raise InvalidInput(
            f"Unknown event types: {', '.join(unknown)}. Known: {', '.join(t.value for t in EventType)}.",
            {"types": "unknown"},
        )
    return frozenset(EventType(t) for t in raw)


def target(url: object, local: bool) -> str:
    """A receiver's address: https (http too on the local stack), a host name or a public address, no credentials.
    Where the name points is checked again before each delivery (`address_allowed`)."""
    if not isinstance(url, str) or not 0 < len(url) <= 2000:
        raise InvalidInput("url must be an address of at most 2,000 characters.", {"url": "invalid"})
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise InvalidInput("url is not a valid address.", {"url": "invalid"}) from None
    schemes = ("https", "http") if local else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        raise InvalidInput(f"url must start with {' or '.join(s + '://' for s in schemes)}.", {"url": "invalid"})
    if parts.username or parts.password or parts.fragment:
        raise InvalidInput("url may not carry credentials or a fragment.", {"url": "invalid"})
    if port == 0:
        raise InvalidInput("url's port is not valid.", {"url": "invalid"})
    host = parts.hostname.rstrip(".").lower()
    if host in METADATA_HOSTS or (host == "localhost" and not local):
        raise InvalidInput("url may not point at this network's own services.", {"url": "private address"})
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        return url
    if not address_allowed(literal, local):
        raise InvalidInput(
            "url may not point at a private, loopback or link-local address.", {"url": "private address"}
        )
    return url


def address_allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address, local: bool) -> bool:
    """Deliveries go to public addresses only (never loopback, private, link-local, the cloud's metadata service or
    anything reserved); the local stack may deliver to its own loopback, where the tests receive."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return local
    return address.is_global and not address.is_multicast


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # not yet delivered: waiting for its turn, its time, or a paused subscription
    DELIVERED = "delivered"
    FAILED = "failed"  # every attempt of the schedule failed; a replay tries again


@dataclass(frozen=True)
class Attempt:
    """What one try of a delivery met: the receiver's status code (0: none), how long it took, what went wrong."""

    code: int
    latency_ms: int
    error: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.code < 300


@dataclass(frozen=True)
class Delivery:
    subscription_id: str
    event: Event
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    next_at: datetime | None = None  # when it may be tried (None: now)
    last: Attempt | None = None
    delivered_at: datetime | None = None
    replays: int = 0

    def due(self, now: datetime) -> bool:
        return self.status is DeliveryStatus.PENDING and (self.next_at is None or self.next_at <= now)

    @property
    def settled(self) -> bool:
        """Done with, as far as the events after it are concerned: delivered or given up."""
        return self.status is not DeliveryStatus.PENDING

    def after(self, attempt: Attempt, now: datetime, jitter: float) -> Delivery:
        """The delivery once tried: delivered, due again after the schedule's wait (±10% by `jitter` in [-1, 1]),
        or failed when the schedule is spent."""
        tried = replace(self, attempts=self.attempts + 1, last=attempt)
        if attempt.ok:
            return replace(tried, status=DeliveryStatus.DELIVERED, delivered_at=now, next_at=None)
        spent = tried.attempts  # tries since the last replay
        if spent > len(RETRY_AFTER):
            return replace(tried, status=DeliveryStatus.FAILED, next_at=None)
        wait = RETRY_AFTER[spent - 1]
        return replace(tried, next_at=now + wait * (1 + 0.1 * max(-1.0, min(1.0, jitter))))

    def replayed(self) -> Delivery:
        return replace(self, status=DeliveryStatus.PENDING, attempts=0, next_at=None, replays=self.replays + 1)
