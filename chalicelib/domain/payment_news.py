"""What the payment provider tells of an appointment's payment, one event at a time, and the appointment as it
hears it (`heard`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.payment_status import PaymentStatus
from chalicelib.domain.status import Status

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class PaymentNews:
    """What one event of the payment provider says about an appointment's payment (minor units)."""

    captured: int = 0  # the money taken
    refunded: int = 0  # the provider's running total given back
    failure: str = ""  # why an attempt was declined
    at: datetime = EPOCH  # when the provider said it


def heard(appointment: Appointment, news: PaymentNews, now: datetime) -> Appointment:
    """The appointment with its payment as the provider has told it so far. What it says is merged, never replayed:
    amounts only grow, a refund implies the money was taken, and of two declines the later one's reason stands, so
    every order and every repeat of one payment's events ends where the natural order does."""
    taken = max(appointment.paid_amount, news.captured, news.refunded)
    after = _taken(appointment, taken, now) if taken > 0 and appointment.paid_amount == 0 else appointment
    refunded = max(after.refunded_amount, news.refunded)
    after = replace(after, paid_amount=taken, refunded_amount=refunded)
    if taken > 0:
        after = replace(after, payment_status=PaymentStatus.of(taken, refunded, required=True))
    elif news.failure and (news.at, news.failure[:300]) > (after.payment_error_at or EPOCH, after.payment_error):
        after = replace(after, payment_error=news.failure[:300], payment_error_at=news.at)
    return appointment if after == appointment else replace(after, updated_at=now)


def _taken(appointment: Appointment, amount: int, now: datetime) -> Appointment:
    """The first news that the money was taken. A pending hold is confirmed; one that had lapsed by now (the sweep
    may not have come yet) or was let go is cancelled, and all of it is given back: its time may be someone else's,
    and its customer was told it was cancelled."""
    closed = appointment.expire_hold(now) if appointment.hold_lapsed(now) else appointment
    taken = replace(closed, paid_amount=amount, payment_error="", payment_error_at=None)
    if closed.status is Status.PENDING:
        return replace(taken, status=Status.CONFIRMED, hold_expires_at=None)
    if closed.status is Status.CANCELLED:
        return replace(taken, refund_requested=amount)
    return taken
