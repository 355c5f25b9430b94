"""Short holds on moto: a free slot kept for a customer for a few minutes, booked by them on the terms of any booking,
let go, or released by the sweep of lapsed holds; nobody else can book it meanwhile."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import time_machine

import app
from chalicelib.store import Store
from scripts.worker import scheduled_event
from tests.integration.conftest import Api, booking
from tests.integration.test_booking_routes import error_code, slots


def hold(api: Api, token: str, **changes: Any) -> dict[str, Any]:
    answer = api.post("/appointments/hold", booking(**changes), token)
    assert answer.status == 201, answer.body
    return dict(answer.body["appointment"])


def test_a_hold_keeps_the_slot_for_its_customer_for_the_minutes_asked_and_asks_nothing(
    api: Api, alice: str, bob: str
) -> None:
    before = datetime.now().astimezone()
    held = hold(api, alice, minutes=3)
    assert (held["status"], held["hold"], held["paymentStatus"], held["amountDue"]) == (
        "pending",
        "placed",
        "not_required",
        0,
    )
    expires = datetime.fromisoformat(held["holdExpiresAt"])
    assert before + timedelta(minutes=2) < expires <= datetime.now().astimezone() + timedelta(minutes=3)
    assert "10:00" not in slots(api)
    taken = api.post("/appointments/book", booking(), bob)
    assert (taken.status, error_code(taken.body)) == (409, "SLOT_TAKEN")


def test_booking_a_held_slot_confirms_it_and_a_replay_with_the_same_key_answers_the_same(api: Api, alice: str) -> None:
    held = hold(api, alice)
    key = {"Idempotency-Key": "book-held-1"}
    booked = api.post(f"/appointments/{held['id']}/book", token=alice, headers=key)
    assert booked.status == 200, booked.body
    assert (booked.body["appointment"]["status"], booked.body["appointment"]["hold"]) == ("confirmed", "booked")
    again = api.post(f"/appointments/{held['id']}/book", token=alice, headers=key)
    assert again.status == 200 and again.body["appointment"]["id"] == held["id"]
    without_key = api.post(f"/appointments/{held['id']}/book", token=alice)
    assert (without_key.status, error_code(without_key.body)) == (409, "ILLEGAL_TRANSITION")


def test_a_held_slot_of_a_prepaid_service_becomes_a_hold_awaiting_its_payment(api: Api, alice: str) -> None:
    held = hold(api, alice, service="svc-colour", time="13:00")
    assert held["amountDue"] == 0
    booked = api.post(f"/appointments/{held['id']}/book", token=alice).body["appointment"]
    assert (booked["status"], booked["paymentStatus"], booked["amountDue"]) == ("pending", "awaiting_payment", 399)
    assert booked["holdExpiresAt"] is not None


def test_a_hold_let_go_frees_its_time_at_no_cost(api: Api, alice: str) -> None:
    held = hold(api, alice)
    quote = api.get(f"/appointments/{held['id']}", alice).body["cancellation"]
    assert quote["fee"] == 0
    gone = api.put(f"/appointments/{held['id']}/cancel", {}, alice).body["appointment"]
    assert (gone["status"], gone["hold"], gone["cancelledReason"]) == ("cancelled", "released", "hold_released")
    assert "10:00" in slots(api)


def test_a_lapsed_hold_is_released_by_the_sweep_and_can_no_longer_be_booked(api: Api, alice: str, store: Store) -> None:
    held = hold(api, alice, minutes=1)
    lapsed = datetime.fromisoformat(held["holdExpiresAt"]) + timedelta(seconds=5)
    with time_machine.travel(lapsed, tick=False):
        late = api.post(f"/appointments/{held['id']}/book", token=alice)
        assert (late.status, error_code(late.body)) == (409, "HOLD_EXPIRED")
        app.sweep_notices(scheduled_event(lapsed), None)
        after = api.get(f"/appointments/{held['id']}", alice).body["appointment"]
        assert (after["status"], after["hold"], after["cancelledReason"]) == ("cancelled", "released", "hold_expired")
        assert "10:00" in slots(api)


def test_another_customer_can_neither_see_nor_book_a_hold(api: Api, alice: str, bob: str, staff: str) -> None:
    held = hold(api, alice)
    assert api.get(f"/appointments/{held['id']}", bob).status == 404
    assert api.post(f"/appointments/{held['id']}/book", token=bob).status == 404
    assert api.post(f"/appointments/{held['id']}/book", token=staff).status == 403
    confirmed = api.put(f"/appointments/{held['id']}/confirm", {}, staff)
    assert (confirmed.status, error_code(confirmed.body)) == (409, "ILLEGAL_TRANSITION")


def test_holds_count_against_the_unpaid_holds_limit_and_minutes_are_bounded(api: Api, alice: str) -> None:
    for time in ("10:00", "11:00", "14:00"):
        hold(api, alice, time=time)
    fourth = api.post("/appointments/hold", booking(time="15:00"), alice)
    assert (fourth.status, error_code(fourth.body)) == (409, "LIMIT_REACHED")
    too_long = api.post("/appointments/hold", booking(time="16:00", minutes=16), alice)
    assert (too_long.status, too_long.body["error"]["fields"]) == (400, {"minutes": "out of range"})
    not_a_number = api.post("/appointments/hold", booking(time="16:00", minutes="5"), alice)
    assert not_a_number.status == 400
