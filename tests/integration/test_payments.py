"""The paid path on the real stripe SDK against localstripe, webhooks signed with Stripe's own scheme."""

from __future__ import annotations

import io
import json
import os
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import stripe
import time_machine

import app
from chalicelib.config import StripeKeys
from chalicelib.domain.actor import Role
from chalicelib.integrations.payments import StripePayments, read_event
from chalicelib.services import payments
from chalicelib.store import Store
from scripts import local_stripe
from scripts.worker import scheduled_event
from tests.conftest import working_day
from tests.dynamodb_calls import count_dynamodb_calls
from tests.integration.conftest import Api, booking, token_for
from tests.integration.notices_helpers import bodies, event, receive_all
from tests.integration.test_booking_routes import error_code, slots

PAYMENTS = "slotbook-payments"
COLOUR = 399.0
DAY = working_day().isoformat()


def hold(api: Api, token: str, time: str = "10:00") -> dict[str, Any]:
    answer = api.post("/appointments/book", booking("svc-colour", time=time, totalAmount=COLOUR), token)
    assert answer.status == 201, answer.body
    return dict(answer.body["appointment"])


def start_payment(api: Api, token: str, appointment_id: str, amount: float = COLOUR) -> Any:
    return api.post("/appointments/payment", {"appointmentId": appointment_id, "amount": amount}, token)


def offline_stripe() -> stripe.StripeClient:
    """Stripe as the test sees it: the same offline Stripe and key the app uses."""
    return stripe.StripeClient(local_stripe.SECRET_KEY, base_addresses={"api": os.environ["STRIPE_API_BASE"]})


def stripe_intent(intent_id: str) -> dict[str, Any]:
    return dict(offline_stripe().v1.payment_intents.retrieve(intent_id).to_dict())


def signed(event_type: str, obj: dict[str, Any], event_id: str | None = None) -> tuple[str, str]:
    payload = json.dumps(
        {
            "id": event_id or f"evt_{time.monotonic_ns()}",
            "object": "event",
            "type": event_type,
            "created": int(time.time()),
            "data": {"object": obj},
        }
    )
    return payload, stripe.WebhookSignature.generate_signature_header(payload, local_stripe.WEBHOOK_SECRET)


def post_webhook(api: Api, payload: str, signature: str) -> Any:
    return api.call("POST", "/payments/stripe/webhook", raw=payload, headers={"Stripe-Signature": signature})


def consume() -> list[dict[str, Any]]:
    """Drain the payments queue through the app's own consumer, as Lambda would."""
    messages = receive_all(PAYMENTS)
    if messages:
        assert app.apply_payments(event(messages, PAYMENTS), None) == {"batchItemFailures": []}
    return bodies(messages)


def pay(api: Api, token: str, appointment_id: str, amount: float = COLOUR) -> dict[str, Any]:
    """The customer pays (a test card on the offline Stripe) and Stripe's signed event comes back."""
    intent_id = start_payment(api, token, appointment_id, amount).body["paymentIntentId"]
    paid = api.post(f"/dev/payments/{appointment_id}/pay", {"outcome": "succeed"}, token)
    assert paid.status == 200 and paid.body["paymentIntentStatus"] == "succeeded", paid.body
    intent = stripe_intent(intent_id)
    assert post_webhook(api, *signed("payment_intent.succeeded", intent)).status == 200
    consume()
    return intent


def appointment(api: Api, token: str, appointment_id: str) -> dict[str, Any]:
    return dict(api.get(f"/appointments/{appointment_id}", token).body["appointment"])


def test_a_paid_service_is_held_and_payment_answers_what_wx_request_payment_needs(
    api: Api, alice: str, bob: str, staff: str
) -> None:
    held = hold(api, alice)
    assert (held["status"], held["paymentStatus"]) == ("pending", "awaiting_payment")
    expires = datetime.fromisoformat(held["holdExpiresAt"]) - datetime.now(UTC)
    assert timedelta(minutes=14) < expires <= timedelta(minutes=15)
    answer = start_payment(api, alice, held["id"])
    assert answer.status == 200, answer.body
    params = answer.body
    assert {"timeStamp", "nonceStr", "package", "signType", "paySign", "paymentIntentId", "clientSecret"} <= set(params)
    assert params["package"] == f"prepay_id={params['paymentIntentId']}" and params["signType"] == "HMAC-SHA256"
    intent = stripe_intent(params["paymentIntentId"])
    assert (intent["amount"], intent["currency"]) == (39900, "cny")
    assert intent["metadata"] == {"appointmentId": held["id"]}
    again = start_payment(api, alice, held["id"])
    assert again.body["paymentIntentId"] == params["paymentIntentId"]  # one intent per appointment


def test_payment_refuses_a_wrong_amount_another_customer_staff_and_a_free_service(
    api: Api, alice: str, bob: str, staff: str
) -> None:
    held = hold(api, alice)
    wrong = start_payment(api, alice, held["id"], amount=1)
    assert wrong.status == 400 and error_code(wrong.body) == "AMOUNT_MISMATCH"
    assert wrong.body["error"]["fields"] == {"amount": "expected 399.0"}  # the field the payer sent
    assert start_payment(api, bob, held["id"]).status == 404
    assert start_payment(api, staff, held["id"]).status == 403
    assert start_payment(api, alice, "nope").status == 404
    assert api.post("/appointments/payment", {"amount": COLOUR}, alice).status == 400
    free = api.post("/appointments/book", booking(time="14:00"), alice).body["appointment"]
    not_due = start_payment(api, alice, free["id"], amount=88)
    assert not_due.status == 409 and error_code(not_due.body) == "PAYMENT_NOT_DUE"
    assert appointment(api, alice, held["id"])["paymentStatus"] == "awaiting_payment"


def test_a_signed_success_confirms_once_and_a_replay_changes_nothing(api: Api, alice: str, staff: str) -> None:
    held = hold(api, alice)
    receive_all()
    intent = pay(api, alice, held["id"])
    confirmed = appointment(api, alice, held["id"])
    assert (confirmed["status"], confirmed["paymentStatus"], confirmed["paidAmount"]) == ("confirmed", "paid", COLOUR)
    assert confirmed["confirmationSentAt"] is not None and confirmed["holdExpiresAt"] is None
    assert [b["kind"] for b in bodies(receive_all())] == ["confirmation"]
    history = api.get(f"/appointments/{held['id']}/history", staff).body["history"]
    payload, signature = signed("payment_intent.succeeded", intent, event_id="evt_replayed")
    for _ in range(2):  # the same event twice, and a fresh one about the same payment
        assert post_webhook(api, payload, signature).status == 200
        consume()
    assert post_webhook(api, *signed("payment_intent.succeeded", intent)).status == 200
    consume()
    assert appointment(api, alice, held["id"]) == confirmed
    assert api.get(f"/appointments/{held['id']}/history", staff).body["history"] == history
    assert receive_all() == []


def test_a_forged_or_stale_webhook_is_400_and_queues_nothing(api: Api, alice: str) -> None:
    held = hold(api, alice)
    intent_id = start_payment(api, alice, held["id"]).body["paymentIntentId"]
    payload, _ = signed("payment_intent.succeeded", {"id": intent_id, "amount_received": 39900})
    forged = stripe.WebhookSignature.generate_signature_header(payload, "whsec_someone_else")
    stale = stripe.WebhookSignature.generate_signature_header(
        payload, local_stripe.WEBHOOK_SECRET, timestamp=int(time.time()) - 301
    )
    for signature in (forged, stale, "", "t=1,v1=00"):
        answer = post_webhook(api, payload, signature)
        assert answer.status == 400 and error_code(answer.body) == "BAD_SIGNATURE", signature
    assert post_webhook(api, payload + " ", signed("x", {})[1]).status == 400  # a body its signature is not for
    assert receive_all(PAYMENTS) == []
    assert appointment(api, alice, held["id"])["status"] == "pending"


def test_a_signature_dated_in_the_future_beyond_the_tolerance_is_refused(api: Api, alice: str) -> None:
    held = hold(api, alice)
    intent_id = start_payment(api, alice, held["id"]).body["paymentIntentId"]
    payload, _ = signed("payment_intent.succeeded", {"id": intent_id, "amount_received": 39900})
    ahead = stripe.WebhookSignature.generate_signature_header(
        payload, local_stripe.WEBHOOK_SECRET, timestamp=int(time.time()) + 301
    )
    answer = post_webhook(api, payload, ahead)
    assert answer.status == 400 and error_code(answer.body) == "BAD_SIGNATURE"
    assert receive_all(PAYMENTS) == []
    skewed = stripe.WebhookSignature.generate_signature_header(
        payload, local_stripe.WEBHOOK_SECRET, timestamp=int(time.time()) + 60
    )
    assert post_webhook(api, payload, skewed).status == 200  # a clock a minute fast is within the tolerance


def test_a_signed_body_that_is_not_a_stripe_event_is_400_and_queues_nothing(api: Api) -> None:
    def event_with(obj: Any, **envelope: Any) -> str:
        fields = {"id": "evt_1", "type": "payment_intent.succeeded", "created": 1, "data": {"object": obj}}
        return json.dumps({**fields, **envelope})

    bodies_ = [
        *("[]", "[1, 2]", "1", '"evt"', "null", "true", "not json", "", "[" * 3000 + "]" * 3000),
        event_with({"id": "pi_1"}, id=7),
        event_with({"id": "pi_1"}, type=None),
        event_with({"id": "pi_1"}, created="yesterday"),
        event_with({"id": "pi_1"}, created=10**30),
        event_with([]),
        event_with("pi_1"),
        event_with({"id": "pi_1", "amount_received": "39900"}),
        event_with({"id": "pi_1", "amount_received": -1}),
        event_with({"id": "pi_1", "amount_received": 1.5}),
        event_with({"id": "pi_1", "amount_received": 10**40}),
        event_with({"id": ["pi_1"], "amount_received": 39900}),
        event_with({"id": "pi_1", "amount_received": 39900, "metadata": "appt"}),
        event_with({"id": "pi_1", "last_payment_error": "declined"}, type="payment_intent.payment_failed"),
        event_with({"payment_intent": "pi_1", "amount_refunded": True}, type="charge.refunded"),
        '{"id": "evt_1", "type": "charge.refunded", "data": {"object": {"amount_refunded": 1e999999}}}',
    ]
    for body in bodies_:
        answer = post_webhook(
            api, body, stripe.WebhookSignature.generate_signature_header(body, local_stripe.WEBHOOK_SECRET)
        )
        assert answer.status == 400 and error_code(answer.body) == "INVALID_INPUT", (body[:80], answer.body)
    assert receive_all(PAYMENTS) == []


def test_an_event_about_a_payment_the_app_does_not_know_is_recorded_once_and_acknowledged(
    api: Api, store: Store, log_lines: io.StringIO
) -> None:
    strangers = [
        signed("payment_intent.succeeded", {"id": "pi_elsewhere", "amount_received": 500}, "evt_stranger"),
        signed(
            "charge.refunded",
            {"payment_intent": "pi_gone", "amount_refunded": 500, "metadata": {"appointmentId": "gone"}},
        ),
        signed("payment_intent.payment_failed", {"id": "pi_gone", "metadata": {"appointmentId": "gone"}}),
        signed("charge.refunded", {"payment_intent": None, "amount_refunded": 500}),  # a charge of no intent
    ]
    for payload, signature in [*strangers, strangers[0]]:  # the first one delivered twice
        assert post_webhook(api, payload, signature).status == 200
    assert len(consume()) == 5  # each acknowledged: none left on the queue for a retry
    assert receive_all(PAYMENTS) == []
    assert not store.payments.claim_event("evt_stranger", "payment_intent.succeeded")  # recorded
    assert log_lines.getvalue().count("payment event for no appointment") == 4  # once each, not per delivery


def test_a_refund_heard_before_the_success_confirms_the_hold_and_keeps_its_time(api: Api, alice: str) -> None:
    held = hold(api, alice)
    intent_id = start_payment(api, alice, held["id"]).body["paymentIntentId"]
    api.post(f"/dev/payments/{held['id']}/pay", {"outcome": "succeed"}, alice)
    receive_all()
    charge = {"payment_intent": intent_id, "amount_captured": 39900, "amount_refunded": 10000}
    post_webhook(api, *signed("charge.refunded", charge))  # Stripe's events overtake each other
    consume()
    post_webhook(api, *signed("payment_intent.succeeded", stripe_intent(intent_id)))
    consume()
    after = appointment(api, alice, held["id"])
    assert (after["status"], after["paymentStatus"], after["holdExpiresAt"]) == (
        "confirmed",
        "partially_refunded",
        None,
    )
    assert (after["paidAmount"], after["refundedAmount"]) == (COLOUR, 100.0)
    assert "10:00" not in slots(api, "svc-colour")
    assert [b["kind"] for b in bodies(receive_all())] == ["confirmation"]


def test_a_failed_payment_is_recorded_and_the_hold_stays_until_paid(api: Api, alice: str) -> None:
    held = hold(api, alice)
    intent_id = start_payment(api, alice, held["id"]).body["paymentIntentId"]
    declined = api.post(f"/dev/payments/{held['id']}/pay", {"outcome": "fail"}, alice)
    assert declined.body["paymentIntentStatus"].startswith("declined")
    failure = {"id": intent_id, "last_payment_error": {"message": "Your card was declined."}}
    post_webhook(api, *signed("payment_intent.payment_failed", failure))
    consume()
    failed = appointment(api, alice, held["id"])
    assert (failed["status"], failed["paymentStatus"]) == ("pending", "awaiting_payment")
    assert failed["paymentError"] == "Your card was declined."
    assert "10:00" not in slots(api, "svc-colour")  # still held
    succeeded = {"id": intent_id, "status": "succeeded", "amount_received": 39900}  # paid on a second try
    post_webhook(api, *signed("payment_intent.succeeded", succeeded))
    consume()
    post_webhook(api, *signed("payment_intent.payment_failed", failure))  # the first try's news, arriving late
    consume()
    paid = appointment(api, alice, held["id"])
    assert (paid["status"], paid["paymentStatus"], paid["paymentError"]) == ("confirmed", "paid", None)


def test_an_unpaid_hold_expires_frees_its_time_and_a_late_payment_is_refunded(
    api: Api, alice: str, store: Store
) -> None:
    held = hold(api, alice)
    start_payment(api, alice, held["id"])
    expiry = datetime.fromisoformat(held["holdExpiresAt"])
    with time_machine.travel(expiry - timedelta(seconds=30), tick=False):
        app.sweep_notices(scheduled_event(datetime.now(UTC)), None)
    assert appointment(api, alice, held["id"])["status"] == "pending"
    with time_machine.travel(expiry + timedelta(seconds=30), tick=False):
        app.sweep_notices(scheduled_event(datetime.now(UTC)), None)
        app.sweep_notices(scheduled_event(datetime.now(UTC)), None)  # twice: expired once
    expired = appointment(api, alice, held["id"])
    assert (expired["status"], expired["cancelledReason"], expired["paymentStatus"]) == (
        "cancelled",
        "hold_expired",
        "unpaid",
    )
    assert "10:00" in slots(api, "svc-colour")
    assert [b["kind"] for b in bodies(receive_all())] == ["cancellation"]
    late = start_payment(api, alice, held["id"])
    assert late.status == 409 and error_code(late.body) == "APPOINTMENT_CLOSED"
    # the customer had the payment sheet open and paid just after the hold lapsed
    api.post(f"/dev/payments/{held['id']}/pay", {"outcome": "succeed"}, alice)
    intent = stripe_intent(store.appointments.get(held["id"]).payment_intent_id)
    post_webhook(api, *signed("payment_intent.succeeded", intent))
    assert [b.get("type") for b in consume()] == ["payment_intent.succeeded"]
    assert [b.get("kind") for b in consume()] == ["refund"]  # owed through the outbox, then given back
    refunded = appointment(api, alice, held["id"])
    assert (refunded["status"], refunded["paymentStatus"]) == ("cancelled", "refunded")
    assert (refunded["paidAmount"], refunded["refundedAmount"]) == (COLOUR, COLOUR)
    assert refunds_at_stripe(intent["id"]) == [39900]


def test_a_hold_the_sweep_meets_in_its_last_second_is_let_go_by_the_next_sweep(api: Api, store: Store) -> None:
    with time_machine.travel(datetime.now(UTC).replace(microsecond=600_000), tick=False):
        held = hold(api, token_for(Role.CUSTOMER, "Last Second"))
    expiry = store.appointments.get(held["id"]).hold_expires_at
    assert expiry is not None and expiry.microsecond == 600_000

    with time_machine.travel(expiry.replace(microsecond=0), tick=False):  # the outbox's due key: that second
        app.sweep_notices(scheduled_event(datetime.now(UTC)), None)
    assert store.appointments.get(held["id"]).status.value == "pending"  # not lapsed yet, and not forgotten:
    with time_machine.travel(expiry + timedelta(seconds=5), tick=False):
        app.sweep_notices(scheduled_event(datetime.now(UTC)), None)

    expired = store.appointments.get(held["id"])
    assert (expired.status.value, expired.cancelled_reason) == ("cancelled", "hold_expired")


def refunds_at_stripe(intent_id: str) -> list[int]:
    return [int(r.amount) for r in offline_stripe().v1.refunds.list({"payment_intent": intent_id}).data]


def test_cancelling_a_paid_appointment_refunds_by_the_policy(api: Api, alice: str, staff: str) -> None:
    early = hold(api, alice, "10:00")
    pay(api, alice, early["id"])
    assert api.put(f"/appointments/{early['id']}/cancel", {"reason": "plans"}, alice).status == 200
    consume()
    assert appointment(api, alice, early["id"])["refundedAmount"] == COLOUR  # before the cutoff: all of it

    late, business = hold(api, alice, "13:00"), hold(api, alice, "15:00")
    pay(api, alice, late["id"])
    pay(api, alice, business["id"])
    inside_cutoff = datetime.fromisoformat(f"{DAY}T13:00:00+08:00") - timedelta(hours=5)
    with time_machine.travel(inside_cutoff, tick=False):
        customer, desk = token_for(Role.CUSTOMER, "Alice"), token_for(Role.STAFF, "Front Desk")  # valid then
        refused = api.put(f"/appointments/{late['id']}/cancel", {}, customer)
        assert refused.status == 409 and error_code(refused.body) == "CANCELLATION_WINDOW_CLOSED"
        by_phone = {"reason": "Customer called", "requestedByCustomer": True}
        assert api.put(f"/appointments/{late['id']}/cancel", by_phone, desk).status == 200
        assert api.put(f"/appointments/{business['id']}/cancel", {"reason": "Stylist ill"}, desk).status == 200
        consume()
    late_after = appointment(api, alice, late["id"])
    assert (late_after["refundedAmount"], late_after["paymentStatus"]) == (COLOUR / 2, "partially_refunded")
    assert appointment(api, alice, business["id"])["refundedAmount"] == COLOUR  # the business cancelled: all
    assert refunds_at_stripe(late_after["paymentIntentId"]) == [19950]
    assert api.put(f"/appointments/{late['id']}/cancel", {"requestedByCustomer": "yes"}, staff).status == 400


def test_stripe_refund_events_record_the_running_total_in_any_order(api: Api, alice: str) -> None:
    held = hold(api, alice)
    intent = pay(api, alice, held["id"])
    charge = {"payment_intent": intent["id"], "amount_captured": 39900}
    for total in (20000, 10000, 20000):  # a later, larger total; an older one arriving late; a duplicate
        post_webhook(api, *signed("charge.refunded", {**charge, "amount_refunded": total}))
        consume()
    after = appointment(api, alice, held["id"])
    assert (after["refundedAmount"], after["paymentStatus"]) == (200.0, "partially_refunded")
    assert post_webhook(api, *signed("customer.created", {"id": "cus_1"})).status == 200
    assert consume()[0]["type"] == "customer.created"  # acknowledged, ignored


def test_payment_and_its_event_take_a_bounded_number_of_dynamodb_calls(api: Api, alice: str) -> None:
    held = hold(api, alice)
    with count_dynamodb_calls() as first:
        intent_id = start_payment(api, alice, held["id"]).body["paymentIntentId"]
    with count_dynamodb_calls() as again:
        start_payment(api, alice, held["id"])
    api.post(f"/dev/payments/{held['id']}/pay", {"outcome": "succeed"}, alice)
    with count_dynamodb_calls() as webhook:
        post_webhook(api, *signed("payment_intent.succeeded", stripe_intent(intent_id)))
    with count_dynamodb_calls() as consumer:
        consume()
    assert (first, again, webhook) == ({"Query": 1, "TransactWriteItems": 1}, {"Query": 1}, {})
    # intent->appointment, the appointment and its stamps, the webhook subscriptions; confirm, relay
    assert consumer == {"GetItem": 1, "Query": 2, "TransactWriteItems": 1, "UpdateItem": 1}


def test_the_stripe_secrets_never_reach_a_log_line(api: Api, alice: str, log_lines: io.StringIO) -> None:
    held = hold(api, alice)
    start_payment(api, alice, held["id"])
    post_webhook(api, "{}", "t=1,v1=forged")
    pay(api, alice, held["id"])
    logged = log_lines.getvalue()
    assert '"path":"/payments/stripe/webhook"' in logged and "payment message" in logged
    for secret in (local_stripe.SECRET_KEY, local_stripe.WEBHOOK_SECRET):
        assert secret not in logged


class WebhookOvertakes(StripePayments):
    """Stripe, with its charge.refunded webhook applied before our refund call even returns."""

    def __init__(self, store: Store) -> None:
        super().__init__(
            StripeKeys(local_stripe.SECRET_KEY, local_stripe.WEBHOOK_SECRET), os.environ["STRIPE_API_BASE"], "wx", True
        )
        self.store = store

    def refund(self, intent_id: str, amount: int, key: str) -> int:
        total = super().refund(intent_id, amount, key)
        charge = {"payment_intent": intent_id, "amount_refunded": sum(refunds_at_stripe(intent_id))}
        event = read_event(f"evt_{key}", "charge.refunded", int(time.time()), charge)
        assert event is not None
        payments.apply_event(self.store, event, datetime.now(UTC))
        return total


def test_a_refund_is_counted_once_when_stripes_webhook_overtakes_it(
    api: Api, alice: str, staff: str, store: Store
) -> None:
    held = hold(api, alice)
    pay(api, alice, held["id"])
    inside_cutoff = datetime.fromisoformat(f"{DAY}T10:00:00+08:00") - timedelta(hours=5)
    with time_machine.travel(inside_cutoff, tick=False):
        desk = token_for(Role.STAFF, "Front Desk")
        api.put(f"/appointments/{held['id']}/cancel", {"requestedByCustomer": True}, desk)
    (message,) = bodies(receive_all(PAYMENTS))
    payments.handle(store, WebhookOvertakes(store), message, datetime.now(UTC))
    after = appointment(api, alice, held["id"])
    assert (after["refundedAmount"], after["paymentStatus"]) == (COLOUR / 2, "partially_refunded")
    assert refunds_at_stripe(after["paymentIntentId"]) == [19950]
