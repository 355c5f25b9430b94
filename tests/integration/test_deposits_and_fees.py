"""Deposits, late-cancellation and no-show fees, fees owed, and deposits asked by a customer's history: on moto and
the offline Stripe, through the API as the mini program and the front desk use it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

import app
from chalicelib.domain.actor import Actor, Role
from chalicelib.services import appointments
from chalicelib.store import Store
from scripts.worker import scheduled_event
from tests.conftest import working_day
from tests.integration.conftest import Api, booking, follow_stream, token_for
from tests.integration.test_booking_routes import error_code
from tests.integration.test_payments import appointment, consume, pay, refunds_at_stripe, start_payment

CUT = 88.0  # svc-cut, free of prepayment: a deposit is what the policy asks
DAY = working_day().isoformat()
DESK = Actor("front-desk", Role.STAFF, "Front Desk")


@pytest.fixture
def boss() -> str:
    return token_for(Role.ADMIN, "Owner")


def settle(api: Api, boss: str, **settings: Any) -> None:
    answer = api.put("/admin/settings", settings, boss)
    assert answer.status == 200, answer.body


def deposit_on_cuts(api: Api, boss: str, rule: dict[str, Any]) -> None:
    assert api.put("/admin/services/svc-cut", {"deposit": rule}, boss).status == 200


def book(api: Api, token: str, time: str = "10:00", **changes: Any) -> dict[str, Any]:
    answer = api.post("/appointments/book", booking(time=time, **changes), token)
    assert answer.status == 201, answer.body
    return dict(answer.body["appointment"])


def starts(a: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(a["scheduledAt"])


def owed(api: Api, token: str) -> float:
    return float(api.get("/customers/me", token).body["owed"])


def test_a_deposit_is_shown_asked_paid_and_refunded_in_full_on_a_timely_cancel(
    api: Api, boss: str, alice: str, bob: str
) -> None:
    settle(api, boss, depositPolicy="everyone")
    deposit_on_cuts(api, boss, {"percent": 20})
    chinese = api.get("/appointments/policy?serviceId=svc-cut", bob).body["policy"]["deposit"]["message"]
    assert chinese == "预约需支付17.60 CNY定金，余款到店支付。"  # in the customer's language: Chinese unless they chose
    english = {"preferences": {"locale": "en"}}
    assert api.put("/customers/me/notification-preferences", english, alice).status == 200
    policy = api.get("/appointments/policy?serviceId=svc-cut", alice).body["policy"]
    assert (policy["amountDue"], policy["balanceDue"], policy["deposit"]["reason"]) == (17.6, 70.4, "deposit")
    assert (policy["lateCancelFee"], policy["noShowFee"], policy["lateCancelHours"]) == (44.0, 88.0, 24)

    held = book(api, alice)  # the seed's client: totalAmount is the price, as it always sent
    assert (held["status"], held["paymentStatus"], held["amountDue"]) == ("pending", "awaiting_payment", 17.6)
    assert held["deposit"]["message"] == "A deposit of 17.60 CNY holds the booking; the rest is paid at the visit."
    assert start_payment(api, alice, held["id"], amount=1).status == 400  # neither the deposit nor the price
    intent = pay(api, alice, held["id"], amount=CUT)  # the seed pays `totalAmount`: what is due is taken
    assert intent["amount"] == 1760
    paid = api.get(f"/appointments/{held['id']}", alice).body
    assert (paid["appointment"]["status"], paid["appointment"]["amountDue"]) == ("confirmed", 0)
    assert paid["cancellation"] == {
        **paid["cancellation"],
        **{"online": True, "late": False, "fee": 0, "refund": 17.6},
    }

    assert api.put(f"/appointments/{held['id']}/cancel", {"reason": "plans"}, alice).status == 200
    consume()
    cancelled = appointment(api, alice, held["id"])
    assert (cancelled["refundedAmount"], cancelled["fee"]) == (17.6, None)
    assert refunds_at_stripe(intent["id"]) == [1760]


def test_a_late_cancel_keeps_the_fee_from_the_deposit_and_a_waiver_refunds_it(
    api: Api, boss: str, alice: str, bob: str, staff: str
) -> None:
    settle(api, boss, depositPolicy="everyone", lateCancelHours=168, cancelCutoffHours=0, lateCancelFeePercent=10)
    deposit_on_cuts(api, boss, {"amount": 30})
    held = book(api, alice)
    intent = pay(api, alice, held["id"], amount=30)
    quote = api.get(f"/appointments/{held['id']}", alice).body["cancellation"]
    assert (quote["online"], quote["late"], quote["fee"], quote["refund"]) == (True, True, 8.8, 21.2)

    assert api.put(f"/appointments/{held['id']}/cancel", {}, alice).status == 200
    consume()
    late = appointment(api, alice, held["id"])
    assert late["fee"] == {
        "kind": "late-cancel",
        "amount": 8.8,
        "kept": 8.8,
        "owed": 0,
        "waivedBy": None,
        "waivedReason": None,
    }
    assert (late["refundedAmount"], refunds_at_stripe(intent["id"])) == (21.2, [2120])

    assert api.post(f"/appointments/{held['id']}/waive-fee", {"reason": "x"}, alice).status == 403
    assert api.post(f"/appointments/{held['id']}/waive-fee", {}, staff).status == 400  # why, always
    waived = api.post(f"/appointments/{held['id']}/waive-fee", {"reason": "Flat tyre"}, staff)
    assert waived.status == 200, waived.body
    assert waived.body["appointment"]["fee"]["waivedBy"] == "Front Desk"
    consume()
    assert appointment(api, alice, held["id"])["refundedAmount"] == 30.0
    assert sorted(refunds_at_stripe(intent["id"])) == [880, 2120]  # the fee's own refund, once
    again = api.post(f"/appointments/{held['id']}/waive-fee", {"reason": "again"}, staff)
    assert again.status == 409
    consume()
    assert len(refunds_at_stripe(intent["id"])) == 2
    history = api.get(f"/appointments/{held['id']}/history", staff).body["history"]
    (waiver,) = [h for h in history if h["action"] == "waive-fee"]
    assert (waiver["reason"], waiver["by"]["role"]) == ("Flat tyre", "staff")
    assert api.post(f"/appointments/{held['id']}/waive-fee", {"reason": "x"}, bob).status == 403


def test_a_no_show_keeps_the_fee_from_the_deposit_whether_staff_or_the_job_mark_it(
    api: Api, boss: str, alice: str, store: Store
) -> None:
    settle(api, boss, depositPolicy="everyone", noShowFeePercent=25)  # 22.00 of 88, from a 30.00 deposit
    deposit_on_cuts(api, boss, {"amount": 30})
    by_staff, by_job = book(api, alice, "10:00"), book(api, alice, "14:00")
    for held in (by_staff, by_job):
        pay(api, alice, held["id"], amount=30)
    with time_machine.travel(starts(by_staff) + timedelta(minutes=20), tick=False):
        desk = token_for(Role.STAFF, "Front Desk")
        assert api.put(f"/appointments/{by_staff['id']}/no-show", {}, desk).status == 200
    with time_machine.travel(starts(by_job) + timedelta(hours=2), tick=False):
        app.mark_no_shows(scheduled_event(datetime.now(UTC)), None)
    consume()
    for held in (by_staff, by_job):
        after = appointment(api, alice, held["id"])
        assert after["status"] == "no-show"
        assert (after["fee"]["kind"], after["fee"]["kept"], after["refundedAmount"]) == ("no-show", 22.0, 8.0)


def test_a_fee_no_payment_covers_is_owed_and_the_next_bookings_payment_settles_it(
    api: Api, boss: str, alice: str, store: Store
) -> None:
    settle(api, boss, depositPolicy="none", feesOwed=True, noShowFeePercent=50)
    missed = book(api, alice, "10:00")
    appointments.move(store, DESK, missed["id"], "no-show", starts(missed) + timedelta(minutes=20))
    assert appointment(api, alice, missed["id"])["fee"]["owed"] == 44.0
    assert owed(api, alice) == 44.0
    policy = api.get("/appointments/policy?serviceId=svc-cut", alice).body["policy"]
    assert (policy["amountDue"], policy["feesCarried"], policy["deposit"]) == (44.0, 44.0, None)

    let_go = book(api, alice, "14:00")  # carries the fee: owed no more while it is held ...
    assert (let_go["status"], let_go["amountDue"], let_go["feesCarried"]) == ("pending", 44.0, 44.0)
    assert owed(api, alice) == 0
    assert api.put(f"/appointments/{let_go['id']}/cancel", {}, alice).status == 200
    assert owed(api, alice) == 44.0  # ... and owed again when the hold is let go unpaid

    settled = book(api, alice, "15:00")
    intent = pay(api, alice, settled["id"], amount=44)
    assert intent["amount"] == 4400 and appointment(api, alice, settled["id"])["status"] == "confirmed"
    assert api.put(f"/appointments/{settled['id']}/cancel", {}, alice).status == 200  # in time: nothing kept ...
    consume()
    assert appointment(api, alice, settled["id"])["refundedAmount"] == 0  # ... but the old fee is not given back
    assert owed(api, alice) == 0
    assert book(api, alice, "16:00")["status"] == "confirmed"  # nothing owed, nothing asked


def test_a_waived_fee_is_no_longer_owed(api: Api, boss: str, alice: str, staff: str, store: Store) -> None:
    settle(api, boss, feesOwed=True, depositPolicy="none")
    missed = book(api, alice)
    appointments.move(store, DESK, missed["id"], "no-show", starts(missed) + timedelta(minutes=20))
    assert owed(api, alice) == 88.0  # the default no-show fee: the whole price
    assert api.post(f"/appointments/{missed['id']}/waive-fee", {"reason": "Hospital"}, staff).status == 200
    assert owed(api, alice) == 0


def test_a_repeat_no_show_customer_is_asked_for_a_deposit_and_told_why(
    api: Api, boss: str, alice: str, bob: str, store: Store
) -> None:
    settle(api, boss, depositPolicy="missed-appointments", depositMisses=2, depositMonths=6, depositPercent=30)
    for time in ("10:00", "14:00"):
        missed = book(api, alice, time)
        appointments.move(store, DESK, missed["id"], "no-show", starts(missed) + timedelta(minutes=20))
    asked = api.get("/appointments/policy?serviceId=svc-cut", alice).body["policy"]["deposit"]
    assert (asked["amount"], asked["reason"]) == (26.4, "missed-appointments")
    assert "因您近期有2次预约未到或逾期取消" in asked["message"]  # Alice reads Chinese (her preferences' default)
    assert api.get("/appointments/policy?serviceId=svc-cut", bob).body["policy"]["deposit"] is None
    assert api.get("/appointments/policy?serviceId=svc-cut").body["policy"]["deposit"] is None  # nobody signed in

    again = book(api, alice, "11:00", date=working_day(4).isoformat())
    assert (again["status"], again["amountDue"], again["deposit"]["reason"]) == ("pending", 26.4, "missed-appointments")
    assert book(api, bob, "15:00")["status"] == "confirmed"  # no history: no deposit


def test_new_customers_are_asked_a_deposit_until_their_first_completed_visit(
    api: Api, boss: str, alice: str, store: Store
) -> None:
    settle(api, boss, depositPolicy="new-customers", depositPercent=50)
    first = book(api, alice, "10:00")
    assert (first["deposit"]["reason"], first["amountDue"]) == ("new-customer", 44.0)
    pay(api, alice, first["id"], amount=44)
    done = appointments.move(store, DESK, first["id"], "complete", starts(first) + timedelta(minutes=50), "cash")
    assert (done.settled_by, done.balance_due) == ("cash", 0)
    assert book(api, alice, "14:00")["status"] == "confirmed"  # a customer now: nothing asked


def test_completing_records_how_the_rest_was_paid(api: Api, alice: str, staff: str) -> None:
    made = book(api, alice)
    with time_machine.travel(starts(made) + timedelta(minutes=30), tick=False):
        desk = token_for(Role.STAFF, "Front Desk")
        wrong = api.put(f"/appointments/{made['id']}/complete", {"settledBy": "beans"}, desk)
        assert wrong.status == 400 and error_code(wrong.body) == "INVALID_INPUT"
        done = api.put(f"/appointments/{made['id']}/complete", {"settledBy": "wechat"}, desk)
    assert done.status == 200 and done.body["appointment"]["settledBy"] == "wechat"


@pytest.mark.parametrize(
    "bad",
    [
        {"depositPolicy": "rich-people"},
        {"depositPercent": 101},
        {"lateCancelFeePercent": -1},
        {"feesOwed": "yes"},
        {"depositMonths": 0},
        {"lateCancelRefundPercent": 50},  # became lateCancelFeePercent
    ],
)
def test_bad_fee_and_deposit_settings_are_400_and_change_nothing(api: Api, boss: str, bad: dict[str, Any]) -> None:
    before = api.get("/admin/settings", boss).body["settings"]
    assert api.put("/admin/settings", bad, boss).status == 400
    assert api.get("/admin/settings", boss).body["settings"] == before


@pytest.mark.parametrize(
    "rule", [{"percent": 0}, {"amount": 89}, {"amount": 10, "percent": 10}, {"amount": 0}, {"share": 5}, "half"]
)
def test_a_bad_service_deposit_is_400_and_changes_nothing(api: Api, boss: str, rule: Any) -> None:
    assert api.put("/admin/services/svc-cut", {"deposit": rule}, boss).status == 400
    cut = next(s for s in api.get("/appointments/services").body["services"] if s["id"] == "svc-cut")
    assert cut["deposit"] is None


def test_only_admins_set_deposits_and_fees(api: Api, alice: str, staff: str) -> None:
    for token in (alice, staff):
        assert api.put("/admin/settings", {"depositPolicy": "none"}, token).status == 403
        assert api.put("/admin/services/svc-cut", {"deposit": {"percent": 10}}, token).status == 403


def test_the_bookings_report_compares_missed_appointments_with_and_without_a_deposit(
    api: Api, boss: str, alice: str, store: Store
) -> None:
    settle(api, boss, depositPolicy="everyone", lateCancelHours=168, cancelCutoffHours=0)
    deposit_on_cuts(api, boss, {"amount": 20})  # cuts ask a deposit; the scalp treatment asks none
    missed, kept = book(api, alice, "10:00"), book(api, alice, "14:00")
    for held in (missed, kept):
        pay(api, alice, held["id"], amount=20)
    no_deposit, cancelled = (book(api, alice, t, service="svc-scalp", totalAmount=168.0) for t in ("11:00", "16:00"))
    assert no_deposit["deposit"] is None and cancelled["deposit"] is None
    assert api.put(f"/appointments/{cancelled['id']}/cancel", {}, alice).status == 200  # within 168 hours: late
    for made, action in ((missed, "no-show"), (kept, "complete"), (no_deposit, "no-show")):
        appointments.move(store, DESK, made["id"], action, starts(made) + timedelta(minutes=50))
    follow_stream()
    with time_machine.travel(starts(kept) + timedelta(days=1), tick=False):
        report = api.get("/appointments/analytics/bookings?period=7d", token_for(Role.STAFF, "Desk")).body
    effect = report["metrics"]["deposits"]
    assert effect["with"] == {
        "bookings": 2,
        "noShows": 1,
        "lateCancellations": 0,
        "noShowRate": 50.0,  # percent, as every rate of the reports
        "lateCancellationRate": 0,
    }
    assert (effect["without"]["bookings"], effect["without"]["noShows"], effect["without"]["lateCancellations"]) == (
        2,
        1,
        1,
    )
