"""Paying for a held appointment (the seed's processPayment), Stripe's webhook, and the local stand-in payer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.api import inputs, presenters
from chalicelib.api.docs import Doc, Param
from chalicelib.api.http import CUSTOMERS, PUBLIC, SIGNED_IN, Call, Routes
from chalicelib.config import get_settings
from chalicelib.domain.errors import NotFound
from chalicelib.integrations.payments import get_payments
from chalicelib.integrations.queue import get_payments_queue
from chalicelib.services import payments
from chalicelib.store import get_store

routes = Routes(__name__)


@routes.route(
    "/appointments/payment",
    methods=("POST",),
    allow=CUSTOMERS,
    doc=Doc("Start paying a held appointment", answer="PaymentAnswer", body="PaymentRequest"),
)
def start_payment(call: Call) -> dict[str, Any]:
    appointment_id = inputs.text(call.body, "appointmentId", max_length=64)
    appointment, intent = payments.start(
        get_store(), get_payments(), call.actor, appointment_id, call.body.get("amount"), datetime.now(UTC)
    )
    return presenters.payment(appointment, intent)


@routes.route(
    "/payments/stripe/webhook",
    methods=("POST",),
    allow=PUBLIC,
    doc=Doc(
        "Stripe's events (signed)",
        answer="Received",
        body="StripeEvent",
        params=(Param("Stripe-Signature", {"type": "string"}, where="header"),),
    ),
)
def stripe_webhook(call: Call) -> dict[str, Any]:
    event_id = payments.receive(get_payments_queue(), call.raw_text, call.header("stripe-signature"))
    return {"received": True, "id": event_id}


@routes.route(
    "/dev/payments/{appointment_id}/pay",
    methods=("POST",),
    allow=SIGNED_IN,
    doc=Doc(
        "Local stage only: pay as the customer would",
        answer="LocalPaymentAnswer",
        body="LocalPayment",
        body_required=False,
    ),
)
def pay_locally(call: Call, appointment_id: str) -> dict[str, Any]:
    """The local stage only: pay (or fail to pay) as the customer would in WeChat, with a Stripe test card."""
    if not get_settings().is_local:
        raise NotFound("Not found.")
    outcome = inputs.choice(call.body.get("outcome"), "outcome", ("succeed", "fail"), "succeed")
    status = payments.pay_locally(get_store(), get_payments(), call.actor, appointment_id, outcome == "succeed")
    return {"success": True, "paymentIntentStatus": status}
