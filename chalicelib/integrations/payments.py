"""Stripe, behind the three calls the business needs: an intent per appointment, its state, a refund.

Deployed, an intent is created for WeChat Pay and confirmed at once (`client: mini_program`, the
mini program's app id), and the WeChat fields of its `next_action` become `wx.requestPayment`'s
parameters. The local stack's offline Stripe (localstripe) knows neither WeChat Pay confirmation nor
its next action, so there the intent is created unconfirmed and the parameters are signed by a local
stand-in (HMAC-SHA256 with the local secret key, WeChat Pay v2's scheme); a payment is completed with
a test card instead (`POST /dev/payments/{appointmentId}/pay`).

The SDK is imported where it is used: it (with requests and asyncio) is ~40 ms of a cold start that
only the payment routes and the payments consumer need.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Protocol

from chalicelib.config import StripeKeys, get_settings, stripe_keys
from chalicelib.domain.errors import BadSignature, InvalidInput, UpstreamUnavailable
from chalicelib.domain.payment_news import PaymentNews

WECHAT_ACTIONS = ("wechat_pay_mini_program", "wechat_pay_redirect_to_android_app")
TOLERANCE = 300  # seconds either side of now that a webhook's signature may be dated (Stripe's default)
MAX_MINOR = 10**12  # minor units: far above any real payment, far below what DynamoDB or a datetime can hold
MAX_ID = 255  # an id Stripe sends, and the key it becomes
MAX_MESSAGE = 5000  # a decline's reason (the appointment keeps its first 300 characters)
LAST_SECOND = 4_102_444_800  # 2100-01-01: an event's `created` beyond it is no date Stripe sends


@dataclass(frozen=True)
class Intent:
    id: str
    client_secret: str
    status: str
    amount: int
    currency: str
    wechat: dict[str, str]  # wx.requestPayment's timeStamp, nonceStr, package, signType, paySign


class PaymentProvider(Protocol):
    def create_intent(self, appointment_id: str, amount: int, currency: str) -> Intent: ...

    def intent(self, intent_id: str) -> Intent: ...

    def refund(self, intent_id: str, amount: int, key: str) -> int: ...

    def pay_with_test_card(self, intent_id: str, succeed: bool) -> str: ...


class StripePayments:
    def __init__(self, keys: StripeKeys, api_base: str, app_id: str, offline: bool) -> None:
        import stripe  # deferred (module docstring)

        addresses: Any = {"api": api_base} if api_base else None
        self._client = stripe.StripeClient(keys.secret_key, base_addresses=addresses, max_network_retries=2)
        self._local_key = keys.secret_key
        self._app_id, self._offline = app_id, offline

    def create_intent(self, appointment_id: str, amount: int, currency: str) -> Intent:
        params: dict[str, Any] = {
            "amount": amount,
            "currency": currency.lower(),
            "payment_method_types": ["wechat_pay"],
            "metadata": {"appointmentId": appointment_id},
        }
        if not self._offline:
            params |= {
                "payment_method_data": {"type": "wechat_pay"},
                "payment_method_options": {"wechat_pay": {"client": "mini_program", "app_id": self._app_id}},
                "confirm": True,
            }
        options: Any = {"idempotency_key": f"slotbook-pay-{appointment_id}"}
        return self._read(self._call(self._client.v1.payment_intents.create, params, options))

    def intent(self, intent_id: str) -> Intent:
        return self._read(self._call(self._client.v1.payment_intents.retrieve, intent_id))

    def refund(self, intent_id: str, amount: int, key: str) -> int:
        """Refund `amount`; answers Stripe's running total refunded on this payment, like charge.refunded does."""
        params: Any = {"payment_intent": intent_id, "amount": amount}
        self._call(self._client.v1.refunds.create, params, {"idempotency_key": key})
        refunds = self._call(self._client.v1.refunds.list, {"payment_intent": intent_id, "limit": 100})
        return sum(int(r.amount) for r in refunds.data if r.status != "failed")

    def pay_with_test_card(self, intent_id: str, succeed: bool) -> str:
        """The local stack only: what the customer's WeChat Pay would do, with Stripe's test cards."""
        import stripe  # deferred (module docstring)

        card = {"number": "4242424242424242" if succeed else "4000000000000341", "exp_month": 12, "exp_year": 2034}
        method = self._call(self._client.v1.payment_methods.create, {"type": "card", "card": {**card, "cvc": "123"}})
        self._call(self._client.v1.payment_intents.update, intent_id, {"payment_method": method.id})
        try:
            return str(self._client.v1.payment_intents.confirm(intent_id).status)
        except stripe.CardError as error:
            return f"declined: {error.user_message or error.code}"
        except stripe.InvalidRequestError as error:
            return f"refused: {error.user_message or error}"

    @staticmethod
    def _call(method: Any, *args: Any) -> Any:
        import stripe  # deferred (module docstring)

        try:
            return method(*args)
        except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as error:
            raise UpstreamUnavailable("The payment provider is not reachable; please try again.") from error

    def _read(self, intent: Any) -> Intent:
        return Intent(
            id=str(intent.id),
            client_secret=str(intent.client_secret),
            status=str(intent.status),
            amount=int(intent.amount),
            currency=str(intent.currency).upper(),
            wechat=self._wechat(intent),
        )

    def _wechat(self, intent: Any) -> dict[str, str]:
        action = intent.next_action.to_dict() if intent.next_action else {}
        for name in WECHAT_ACTIONS:
            fields = action.get(name)
            if fields:
                return {
                    "timeStamp": str(fields["timestamp"]),
                    "nonceStr": str(fields["nonce_str"]),
                    "package": str(fields.get("package") or f"prepay_id={fields['prepay_id']}"),
                    "signType": str(fields.get("sign_type", "RSA")),
                    "paySign": str(fields["sign"]),
                }
        if self._offline:
            return local_wechat_params(self._app_id, intent.id, self._local_key)
        return {}


def local_wechat_params(app_id: str, intent_id: str, key: str) -> dict[str, str]:
    """WeChat Pay v2's signature over the fields wx.requestPayment takes: a stand-in for the local stack."""
    fields = {
        "appId": app_id,
        "timeStamp": str(int(time.time())),
        "nonceStr": secrets.token_hex(16),
        "package": f"prepay_id={intent_id}",
        "signType": "HMAC-SHA256",
    }
    text = "&".join(f"{k}={fields[k]}" for k in sorted(fields)) + f"&key={key}"
    fields["paySign"] = hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest().upper()
    del fields["appId"]
    return fields


def verify_event(payload: str, signature: str | None, tolerance: int = TOLERANCE) -> dict[str, Any]:
    """The event Stripe signed: its signature checked on the raw body (BadSignature), dated within
    `tolerance` seconds of now either way (the SDK checks only the past), and a JSON object (InvalidInput)."""
    import stripe  # deferred (module docstring)

    try:
        stripe.WebhookSignature.verify_header(payload, signature, stripe_keys(get_settings()).webhook_secret, tolerance)
    except stripe.SignatureVerificationError as error:
        raise BadSignature(f"The Stripe-Signature does not match this body: {error.user_message}") from None
    if _signed_at(signature or "") > time.time() + tolerance:
        raise BadSignature("The Stripe-Signature is dated in the future, beyond the tolerance.")
    try:
        event = json.loads(payload)
    except (ValueError, RecursionError):
        raise InvalidInput("The signed body is not JSON.") from None
    if not isinstance(event, dict):
        raise InvalidInput("The signed body is not a Stripe event (a JSON object).")
    return event


def _signed_at(header: str) -> int:
    """The header's timestamp, read as the SDK reads it (the first `t=`)."""
    return int(next(item.split("=", 2)[1] for item in header.split(",") if item.split("=", 2)[0] == "t"))


@dataclass(frozen=True)
class PaymentEvent:
    """One of Stripe's events about a payment, read as news of it."""

    id: str
    type: str
    intent_id: str  # "" for a charge of no payment intent
    appointment_id: str  # the intent's metadata: for an intent not yet linked to its appointment
    news: PaymentNews


def read_event(event_id: object, event_type: object, created: object, obj: object) -> PaymentEvent | None:
    """Stripe's event as the app reads it; None for a type it does not follow. InvalidInput when it is not
    the shape Stripe sends: the webhook refuses it, so the consumer never retries what it cannot read."""
    envelope = _Fields({"id": event_id, "type": event_type, "created": created}, "")
    event_id, event_type = envelope.text("id", required=True), envelope.text("type", required=True)
    if not isinstance(obj, dict):
        raise InvalidInput("The event's data.object must be an object.", {"data.object": "not an object"})
    at = datetime.fromtimestamp(envelope.amount("created", most=LAST_SECOND), UTC)
    fields = _Fields(obj, "data.object.")
    if event_type == "payment_intent.succeeded":
        received = fields.amount("amount_received") or fields.amount("amount")
        return fields.event(event_id, event_type, fields.text("id"), PaymentNews(captured=received, at=at))
    if event_type == "payment_intent.payment_failed":
        error = _Fields(obj.get("last_payment_error") or {}, "data.object.last_payment_error.")
        reason = error.text("message", longest=MAX_MESSAGE) or error.text("code") or "payment failed"
        return fields.event(event_id, event_type, fields.text("id"), PaymentNews(failure=reason, at=at))
    if event_type == "charge.refunded":
        news = PaymentNews(captured=fields.amount("amount_captured"), refunded=fields.amount("amount_refunded"), at=at)
        return fields.event(event_id, event_type, fields.text("payment_intent"), news)
    return None


class _Fields:
    """Reading one object of Stripe's event, each field checked for the type and range Stripe sends."""

    def __init__(self, values: object, prefix: str) -> None:
        if not isinstance(values, dict):
            raise InvalidInput(f"{prefix.rstrip('.')} must be an object.", {prefix.rstrip("."): "not an object"})
        self.values, self.prefix = values, prefix

    def text(self, name: str, required: bool = False, longest: int = MAX_ID) -> str:
        value = self.values.get(name)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or len(value) > longest or (required and not value):
            raise InvalidInput(f"{self.prefix}{name} must be a string.", {self.prefix + name: "not a string"})
        return value

    def amount(self, name: str, most: int = MAX_MINOR) -> int:
        value = self.values.get(name)
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= most:
            raise InvalidInput(f"{self.prefix}{name} must be a whole number.", {self.prefix + name: "out of range"})
        return value

    def event(self, event_id: str, event_type: str, intent_id: str, news: PaymentNews) -> PaymentEvent:
        metadata = _Fields(self.values.get("metadata") or {}, f"{self.prefix}metadata.")
        return PaymentEvent(event_id, event_type, intent_id, metadata.text("appointmentId"), news)


def get_payments() -> PaymentProvider:
    s = get_settings()
    return _payments(stripe_keys(s), s.stripe_api_base, s.wechat_app_id or "wx-local", s.is_local)


@lru_cache(maxsize=2)
def _payments(keys: StripeKeys, api_base: str, app_id: str, offline: bool) -> StripePayments:
    return StripePayments(keys, api_base, app_id, offline)
