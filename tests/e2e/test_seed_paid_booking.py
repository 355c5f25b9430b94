"""The seed's paid booking, unchanged, on the running stack: the hold, the payment parameters, and the
signed webhook from the offline Stripe that confirms the appointment through SQS and the worker."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.e2e.conftest import Stack, run_seed
from tests.e2e.http import call, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def paid(local_stack: Stack) -> dict[str, Any]:
    token = sign_in(local_stack.url, "customer", "Li Lei")
    return {"token": token, **run_seed("run_seed_paid_booking.mjs", local_stack.url, token)}


def test_the_seed_reaches_wx_request_payment_with_the_parameters(paid: dict[str, Any]) -> None:
    requests = [e for e in paid["log"] if e["call"] == "request"]
    assert [(e["method"], e["url"], e["statusCode"]) for e in requests[-2:]] == [
        ("POST", "/appointments/book", 201),
        ("POST", "/appointments/payment", 200),
    ]
    (payment,) = [e for e in paid["log"] if e["call"] == "requestPayment"]
    assert {"timeStamp", "nonceStr", "package", "signType", "paySign"} <= set(payment)
    assert payment["package"] == f"prepay_id={payment['paymentIntentId']}"
    modal = [e for e in paid["log"] if e["call"] == "showModal"][-1]
    assert modal["title"] == "Booking Confirmed"  # the payment sheet said paid


def test_the_offline_stripes_signed_webhook_confirms_the_appointment(local_stack: Stack, paid: dict[str, Any]) -> None:
    _, mine = call(local_stack.url, "GET", "/appointments/mine", token=paid["token"])
    (appointment,) = [a for a in mine["appointments"] if a["serviceId"] == paid["service"]]
    started = time.monotonic()
    # localstripe sends its webhook 1 s after the payment; the consumer confirms, then stamps the queued confirmation
    while appointment["status"] != "confirmed" or appointment["confirmationSentAt"] is None:
        assert time.monotonic() - started < 30, appointment
        time.sleep(0.2)
        _, shown = call(local_stack.url, "GET", f"/appointments/{appointment['id']}", token=paid["token"])
        appointment = shown["appointment"]
    print(f"payment to confirmed: {time.monotonic() - started:.2f} s after the page finished")
    assert (appointment["paymentStatus"], appointment["paidAmount"]) == ("paid", 399.0)
    assert appointment["holdExpiresAt"] is None
