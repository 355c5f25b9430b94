"""Every order of one payment's events ends as the natural order does: the payments consumer and the
hold sweep on a real table (moto), fed Stripe-shaped events shuffled, repeated and late."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.contact import CustomerInfo
from chalicelib.integrations.payments import get_payments
from chalicelib.integrations.queue import get_queue
from chalicelib.services import availability, booking, outbox, payments
from chalicelib.services.booking import BookingRequest
from chalicelib.store import Store
from chalicelib.store.appointments import AppointmentStore
from chalicelib.store.idempotency import Replays
from chalicelib.store.mapping import customer_key
from chalicelib.store.models import CustomerItem
from chalicelib.store.payments import PaymentStore
from tests.conftest import LOCAL_ENV, fresh_store, working_day
from tests.integration.notices_helpers import bodies, receive_all

DAY = working_day()
PRICE = 39900
IN_TIME, TOO_LATE = timedelta(minutes=5), timedelta(minutes=20)  # the hold lasts 15 minutes
PAYMENTS = "slotbook-payments"
REASONS = ("Your card was declined.", "Your card has expired.", "Your card has insufficient funds.")


@dataclass(frozen=True)
class Told:
    """One of Stripe's events about the payment, before it is addressed to an intent."""

    n: int  # its place in the natural order: declines first, then the success, then the refunds
    type: str
    fields: tuple[tuple[str, Any], ...]

    def message(self, intent_id: str, event_id: str) -> dict[str, Any]:
        key = "payment_intent" if self.type.startswith("charge.") else "id"
        obj = {key: intent_id, **dict(self.fields)}
        return {"source": "stripe", "id": event_id, "type": self.type, "created": 1_700_000_000 + self.n, "object": obj}

    @property
    def says_taken(self) -> bool:
        return self.type != "payment_intent.payment_failed"


Step = tuple[Told | None, bool, bool]  # the event (None: the sweep runs), a redelivery of its id?, lapsed?


@st.composite
def payments_told(draw: st.DrawFn) -> tuple[list[Told], list[Step]]:
    declines = draw(st.lists(st.sampled_from(REASONS), max_size=2))
    natural = [
        Told(i, "payment_intent.payment_failed", (("last_payment_error", {"message": r}),))
        for i, r in enumerate(declines)
    ]
    if draw(st.booleans()):
        natural.append(Told(10, "payment_intent.succeeded", (("amount", PRICE), ("amount_received", PRICE))))
    totals = sorted(draw(st.lists(st.integers(1, PRICE), max_size=2, unique=True)))
    natural += [
        Told(20 + i, "charge.refunded", (("amount_captured", PRICE), ("amount_refunded", t)))
        for i, t in enumerate(totals)
    ]
    again = draw(st.lists(st.tuples(st.sampled_from(natural), st.booleans()), max_size=2)) if natural else []
    delivered = draw(st.permutations([(told, False) for told in natural] + again))
    lapse = draw(st.integers(0, len(delivered)))
    steps: list[Step] = [(told, same_id, i >= lapse) for i, (told, same_id) in enumerate(delivered)]
    for _ in range(draw(st.integers(0, 2))):
        where = draw(st.integers(0, len(steps)))
        steps.insert(where, (None, False, sum(1 for told, _, _ in steps[:where] if told) >= lapse))
    return natural, steps


def hold(store: Store, staff_id: str, customer: str, now: datetime, owing: bool = False) -> Appointment:
    """A prepaid colour; or, `owing` a fee from before as large, a free haircut whose payment carries the fee."""
    service, price = ("svc-cut", 88.0) if owing else ("svc-colour", 399.0)
    if owing:
        CustomerItem(*customer_key(customer)).update(actions=[CustomerItem.owed.add(PRICE)])
    request = BookingRequest(service, staff_id, DAY, 600, CustomerInfo("Guest", "+8613800138000"), "", price)
    booked = booking.book(store, Actor(customer, Role.CUSTOMER), request, now)
    assert booked.asked.due == PRICE
    store.payments.attach_intent(booked, f"pi_{customer}")
    return store.appointments.get(booked.id)


def deliver(store: Store, held: Appointment, steps: list[Step], booked: datetime) -> None:
    """Through the payments consumer's own service, each event with its own id or a redelivered one."""
    for serial, (told, same_id, late) in enumerate(steps):
        now = booked + (TOO_LATE if late else IN_TIME)
        if told is None:
            outbox.sweep(store, get_queue(), now)
            continue
        event_id = f"evt_{held.id}_{told.n}" if same_id else f"evt_{held.id}_{told.n}_{serial}"
        outcome = payments.handle(store, get_payments(), told.message(held.payment_intent_id, event_id), now)
        assert outcome in ("applied", "seen"), outcome


def outcome(store: Store, appointment_id: str, owed: dict[str, list[str]], now: datetime) -> tuple[Any, ...]:
    a = store.appointments.get(appointment_id)
    _, offered = availability.available_slots(store, a.service_id, a.staff_id, DAY, now)
    held = a.start not in {slot.start for slot in offered}
    money = (a.paid_amount, a.refunded_amount, a.refund_requested, a.payment_error, a.payment_error_at)
    fees_owed = store.customers.owed(a.customer_id)  # a fee carried: settled by the payment, or owed again
    return a.status, a.payment_status, a.cancelled_reason, a.hold_expires_at, held, money, sorted(owed[a.id]), fees_owed


@settings(max_examples=15, deadline=None)
@given(payments_told(), st.booleans())
def test_every_order_of_a_payments_events_ends_as_the_natural_order_does(
    local_stage: str, drawn: tuple[list[Told], list[Step]], owing: bool
) -> None:
    """`owing`: the customer owes a fee and the booking's payment carries it (domain/fees.py): whatever the order,
    the fee ends settled or owed again as in the natural order."""
    natural, steps = drawn
    store, booked = fresh_store(local_stage), datetime.now(UTC)
    if owing:
        store.catalogue.save_settings(replace(store.catalogue.settings(), fees_owed=True))
    in_order = hold(store, "staff-li", "natural", booked, owing)
    shuffled = hold(store, "staff-wang", "shuffled", booked, owing)
    taken_in_time = next((not late for told, _, late in steps if told and told.says_taken), False)
    deliver(store, in_order, [(told, False, not taken_in_time) for told in natural], booked)
    deliver(store, shuffled, steps, booked)
    outbox.sweep(store, get_queue(), booked + TOO_LATE)  # the sweep comes eventually
    owed: dict[str, list[str]] = defaultdict(list)  # what each was told, and the refunds it is owed
    for body in bodies(receive_all() + receive_all(PAYMENTS)):
        owed[body["appointmentId"]].append(f"{body['kind']} {body['amount'] or ''}".strip())
    now = booked + TOO_LATE
    assert store.appointments.get(in_order.id).paid_amount == (PRICE if any(t.says_taken for t in natural) else 0)
    assert outcome(store, shuffled.id, owed, now) == outcome(store, in_order.id, owed, now)
    if owing:  # settled by a booking that stands; owed again when it was let go or its payment given back
        ended = store.appointments.get(shuffled.id)
        assert store.customers.owed("shuffled") == (0 if ended.status.value == "confirmed" else PRICE)


class InterleavedReads(AppointmentStore):
    """Appointments, with someone else's change landing just after this caller's first read of one."""

    def __init__(self, meanwhile: Callable[[], object]) -> None:
        self.meanwhile: Callable[[], object] | None = meanwhile

    def get(self, appointment_id: str) -> Appointment:
        read = super().get(appointment_id)
        meanwhile, self.meanwhile = self.meanwhile, None
        if meanwhile:
            meanwhile()
        return read


class Interleaved(Store):
    """The table, with someone else's change landing just after this caller's first read of an appointment."""

    def __init__(self, meanwhile: Callable[[], object]) -> None:
        super().__init__(LOCAL_ENV["TABLE_NAME"], "us-east-1")
        self.appointments = InterleavedReads(meanwhile)
        self.payments = PaymentStore(self.table, self.appointments)
        self.replays = Replays(self.appointments)


SUCCEEDED = Told(10, "payment_intent.succeeded", (("amount", PRICE), ("amount_received", PRICE)))


def told_so_far() -> list[str]:
    return sorted(f"{b['kind']} {b['amount'] or ''}".strip() for b in bodies(receive_all() + receive_all(PAYMENTS)))


def test_a_payment_committed_while_the_sweep_decides_keeps_its_hold(store: Store) -> None:
    booked = datetime.now(UTC)
    held = hold(store, "staff-li", "racer", booked)
    expiry = held.hold_expires_at
    assert expiry is not None
    message, in_time = SUCCEEDED.message(held.payment_intent_id, "e1"), expiry - timedelta(seconds=1)
    paid = lambda: payments.handle(store, get_payments(), message, in_time)  # noqa: E731
    outbox.sweep(Interleaved(paid), get_queue(), expiry + timedelta(seconds=1))  # it read the hold still unpaid
    after = store.appointments.get(held.id)
    assert (after.status.value, after.payment_status.value, after.refund_requested) == ("confirmed", "paid", 0)
    assert told_so_far() == ["confirmation"]
    outbox.sweep(store, get_queue(), expiry + timedelta(minutes=5))
    assert store.appointments.get(held.id) == after  # no hold left for a later sweep to let go


def test_a_payment_whose_write_loses_to_the_sweep_is_refunded_in_full(store: Store) -> None:
    booked = datetime.now(UTC)
    held = hold(store, "staff-li", "racer", booked)
    expiry = held.hold_expires_at
    assert expiry is not None
    swept = lambda: outbox.sweep(store, get_queue(), expiry + timedelta(seconds=1))  # noqa: E731
    message = SUCCEEDED.message(held.payment_intent_id, "e1")
    in_time = expiry - timedelta(seconds=1)
    assert payments.handle(Interleaved(swept), get_payments(), message, in_time) == "applied"  # read it unpaid
    after = store.appointments.get(held.id)
    assert (after.status.value, after.cancelled_reason, after.refund_requested) == ("cancelled", "hold_expired", PRICE)
    assert told_so_far() == ["cancellation", f"refund {PRICE}"]
    _, offered = availability.available_slots(store, "svc-colour", "staff-li", DAY, expiry)
    assert held.start in {slot.start for slot in offered}
