"""Paying for a held appointment, the provider's events, refunds owed, and holds that lapse."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.errors import ConcurrentChange, NotFound, PaymentNotDue, UpstreamUnavailable
from chalicelib.domain.history import Change
from chalicelib.domain.money import Money, ensure_amount_matches
from chalicelib.domain.notices import Kind, Notice
from chalicelib.domain.payment_news import PaymentNews, heard
from chalicelib.integrations.payments import Intent, PaymentEvent, PaymentProvider, read_event, verify_event
from chalicelib.integrations.queue import NoticeQueue
from chalicelib.observability import logger
from chalicelib.services.appointments import visible
from chalicelib.services.unit_of_work import commit
from chalicelib.store import Store
from chalicelib.store.payments import EventSeen

PROVIDER = Actor("system:stripe", Role.STAFF, "Stripe")
HOLD_JOB = Actor("system:holds", Role.STAFF, "Hold expiry")
ATTEMPTS = 3


def start(
    store: Store, provider: PaymentProvider, actor: Actor, appointment_id: str, amount: object, now: datetime
) -> tuple[Appointment, Intent]:
    """The appointment's one payment intent (made on the first call, the same one after), for what it asks before
    the visit: its price, or a deposit, with any fees carried. The client's `amount` is that, or the price (the
    seed's client sends `totalAmount`; WeChat Pay's sheet shows what is taken)."""
    appointment = visible(store, actor, appointment_id)
    appointment.ensure_payable(now)
    due = Money(appointment.asked.due, appointment.price.currency)
    if amount is None or Money.from_major(amount, due.currency) != appointment.price:
        ensure_amount_matches(amount, due, field="amount")
    if appointment.payment_intent_id:
        intent = provider.intent(appointment.payment_intent_id)
    else:
        intent = provider.create_intent(appointment.id, due.minor, due.currency)
        kept = store.payments.attach_intent(appointment, intent.id)
        if kept != intent.id:  # a concurrent first call won; Stripe's idempotency key makes them one intent
            intent = provider.intent(kept)
    if not intent.wechat:
        raise UpstreamUnavailable("The payment provider returned no WeChat Pay parameters; please try again.")
    return appointment, intent


def receive(queue: NoticeQueue, payload: str, signature: str | None) -> str:
    """A webhook: verified on its raw body and read (what cannot be read is refused here, not retried
    later), then queued; the consumer applies it."""
    event = verify_event(payload, signature)
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    read_event(event.get("id"), event.get("type"), event.get("created"), obj)
    queue.send(
        {"source": "stripe", "id": event["id"], "type": event["type"], "created": event.get("created"), "object": obj}
    )
    return str(event["id"])


def handle(store: Store, provider: PaymentProvider, message: Mapping[str, Any], now: datetime) -> str:
    """One message of the payments queue: a provider event, or a refund the outbox owes."""
    if message.get("kind") == Kind.REFUND.value:
        return refund(store, provider, str(message["appointmentId"]), now)
    if message.get("source") == "stripe":
        event = read_event(message.get("id"), message.get("type"), message.get("created"), message.get("object"))
        return apply_event(store, event, now) if event else "ignored"
    raise ValueError(f"not a payments message: {sorted(message)}")


def apply_event(store: Store, event: PaymentEvent, now: datetime) -> str:
    """Idempotent on the event id, and the same in any order: the appointment merges what each event says.
    An event about a payment the app does not know is recorded once and acknowledged: retrying it would
    only carry it to the dead-letter queue."""
    appointment = _appointment_of(store, event)
    if appointment is None:
        if not store.payments.claim_event(event.id, event.type):
            return "seen"
        logger.warning("payment event for no appointment", extra={"event": event.id, "intent": event.intent_id})
        return "unknown payment"
    try:
        changed = _update(
            store,
            appointment.id,
            lambda a: heard(a, event.news, now),
            event.type,
            event=(event.id, event.type),
            first=appointment,
        )
    except EventSeen:
        return "seen"
    if not changed:
        return "applied" if store.payments.claim_event(event.id, event.type) else "seen"
    return "applied"


def _appointment_of(store: Store, event: PaymentEvent) -> Appointment | None:
    linked = store.payments.appointment_of_intent(event.intent_id) if event.intent_id else None
    appointment_id = linked or event.appointment_id
    try:
        return store.appointments.get(appointment_id) if appointment_id else None
    except NotFound:
        return None


def _update(
    store: Store,
    appointment_id: str,
    step: Callable[[Appointment], Appointment],
    action: str,
    reason: str = "",
    event: tuple[str, str] | None = None,
    first: Appointment | None = None,
) -> bool:
    """Apply `step` to the appointment and commit it; read again and retry when someone changed it meanwhile.
    False when the step changes nothing."""
    before = first or store.appointments.get(appointment_id)
    for _ in range(ATTEMPTS):
        after = step(before)
        if after == before:
            return False
        try:
            commit(store, before, after, Change.of(action, PROVIDER, before, after, reason), event=event)
            return True
        except ConcurrentChange:
            before = store.appointments.get(appointment_id)
    raise ConcurrentChange(f"appointment {appointment_id} kept changing")


def refund(store: Store, provider: PaymentProvider, appointment_id: str, now: datetime) -> str:
    """Give back what the refund policy decided and was not given back yet: once per total promised (the
    provider's idempotency key), so a redelivered message refunds nothing twice and a waiver after a fee refunds
    the rest."""
    appointment = store.appointments.get(appointment_id)
    if appointment.refunded_amount >= appointment.refund_requested or not appointment.payment_intent_id:
        return "nothing owed"
    owed = appointment.refund_requested - appointment.refunded_amount  # a waiver's after a fee's: a second refund
    key = f"slotbook-refund-{appointment_id}-{appointment.refund_requested}"  # one refund per total promised
    total = provider.refund(appointment.payment_intent_id, owed, key=key)
    # Stripe's running total, never ours plus this one: its charge.refunded webhook may have counted it already
    step = lambda a: heard(a, PaymentNews(refunded=total), now)  # noqa: E731
    _update(store, appointment_id, step, "refund", f"{owed} refunded", first=appointment)
    return "refunded"


def expire_hold(store: Store, hold: Notice, now: datetime) -> Appointment | None:
    """A held time whose payment did not come: cancelled (`hold_expired`), its time free again."""
    appointment = store.appointments.get(hold.appointment_id)
    if appointment.hold_lapses_at is None:
        store.outbox.relayed(hold)  # paid or let go meanwhile: nothing to expire
        return None
    if not appointment.hold_lapsed(now):
        return None  # due by the second the outbox keeps, not yet by the instant: the next sweep's
    after = appointment.expire_hold(now)
    try:
        return commit(store, appointment, after, Change.of("expire", HOLD_JOB, appointment, after, "hold_expired"))
    except ConcurrentChange:
        return None  # paid or cancelled meanwhile, or another run expired it


def pay_locally(store: Store, provider: PaymentProvider, actor: Actor, appointment_id: str, succeed: bool) -> str:
    """The local stack's stand-in for the customer paying in WeChat: a test card on the offline Stripe."""
    appointment = visible(store, actor, appointment_id)
    if not appointment.payment_intent_id:
        raise PaymentNotDue("Start the payment first: POST /appointments/payment.")
    return provider.pay_with_test_card(appointment.payment_intent_id, succeed)
