"""Paying for a held appointment, Stripe's webhook, and the local stand-in payer."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from chalicelib.api.schemas.base import Done, Model


class PaymentRequest(Model):
    appointmentId: str = Field(max_length=64)
    amount: float = Field(description="What the client shows, in major units; checked (AMOUNT_MISMATCH).")


class PaymentAnswer(Done):
    """`wx.requestPayment`'s fields (spread unchanged by the mini program) and the Stripe intent."""

    timeStamp: str
    nonceStr: str
    package: str
    signType: str
    paySign: str
    paymentIntentId: str
    clientSecret: str
    amount: float
    currency: str
    holdExpiresAt: str | None


class StripeEvent(Model):
    """Stripe's event, verified with the Stripe-Signature header over the raw body (dated within 300 s of
    now, either way: else 400 BAD_SIGNATURE). A signed body that is not such an object is 400 INVALID_INPUT."""

    id: str
    type: str
    created: int | None = None
    data: dict[str, Any] = Field(description="`object`: the payment intent or charge the event is about.")


class Received(Model):
    received: Literal[True]
    id: str


class LocalPayment(Model):
    outcome: Literal["succeed", "fail"] | None = None


class LocalPaymentAnswer(Done):
    paymentIntentStatus: str
