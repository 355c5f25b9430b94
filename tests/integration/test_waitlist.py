"""The waitlist on moto: freed time offered to the first in line, held for them, booked, let pass, lapsed and
cascaded, raced; the stream's second consumer (`offer_freed_time`) run as Lambda would run it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import boto3
import pytest
import time_machine

import app
from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.errors import ConcurrentChange
from chalicelib.domain.history import Change
from chalicelib.services import schedule
from chalicelib.services.unit_of_work import commit
from chalicelib.store import Store
from scripts import invariants
from scripts.worker import TableStream, scheduled_event
from tests.conftest import LOCAL_ENV, SHANGHAI, working_day
from tests.integration.conftest import Api, booking, follow_stream, token_for
from tests.integration.notices_helpers import bodies, receive_all
from tests.integration.test_booking_routes import error_code, slots

DAY = working_day().isoformat()
DESK = Actor("front-desk", Role.STAFF, "Front Desk")


@pytest.fixture
def offers(store: Store) -> Callable[[], int]:
    """The stream's waitlist consumer, reading on from where it stopped: how many records it took."""
    stream = TableStream(LOCAL_ENV["TABLE_NAME"], "us-east-1")
    return lambda: stream.drain(app.offer_freed_time)


def wait(api: Api, token: str, name: str, **changes: Any) -> dict[str, Any]:
    answer = api.post("/waitlist", {**_wish(name), **changes}, token)
    assert answer.status == 201, answer.body
    return dict(answer.body["entry"])


def book(api: Api, token: str, time: str = "10:00") -> dict[str, Any]:
    answer = api.post("/appointments/book", booking(time=time), token)
    assert answer.status == 201, answer.body
    return dict(answer.body["appointment"])


def entries(api: Api, token: str) -> list[dict[str, Any]]:
    return list(api.get("/waitlist/mine", token).body["entries"])


def offer_of(api: Api, token: str) -> dict[str, Any]:
    (entry,) = entries(api, token)
    assert entry["status"] == "offered", entry
    return dict(api.get(f"/appointments/{entry['offerId']}", token).body["appointment"])


def test_a_cancelled_slot_is_offered_to_the_first_waiting_customer_and_booked_by_them(
    api: Api, alice: str, bob: str, staff: str, offers: Callable[[], int]
) -> None:
    carol, dave = token_for(Role.CUSTOMER, "Carol"), token_for(Role.CUSTOMER, "Dave")
    taken = book(api, alice)
    wait(api, bob, "Bob")
    wait(api, carol, "Carol")
    assert [e["status"] for e in entries(api, bob)] == ["waiting"]
    receive_all()

    assert api.put(f"/appointments/{taken['id']}/cancel", {"reason": "plans"}, alice).status == 200
    offers()
    offer = offer_of(api, bob)
    assert (offer["status"], offer["offer"], offer["timeSlot"], offer["staffId"]) == (
        "pending",
        "offered",
        "10:00",
        "staff-li",
    )
    assert (offer["paymentStatus"], offer["amountDue"]) == ("not_required", 0)  # nothing asked until booked
    assert api.get(f"/appointments/{offer['id']}", bob).body["cancellation"] is None  # letting it pass costs nothing
    held_for = datetime.fromisoformat(offer["holdExpiresAt"]) - datetime.now(SHANGHAI)
    assert timedelta(minutes=29) < held_for <= timedelta(minutes=30)  # waitlistOfferMinutes
    assert [e["status"] for e in entries(api, carol)] == ["waiting"]  # second in line: nothing yet
    told = [b for b in bodies(receive_all()) if b["kind"] == "waitlist-offer"]
    assert [b["appointmentId"] for b in told] == [offer["id"]]

    assert "10:00" not in slots(api)  # held for Bob: nobody else can book it meanwhile
    refused = api.post("/appointments/book", booking(time="10:00"), dave)
    assert refused.status == 409 and error_code(refused.body) == "SLOT_TAKEN"
    assert api.post(f"/appointments/{offer['id']}/accept", {}, carol).status == 404  # not hers
    assert api.post("/appointments/payment", {"appointmentId": offer["id"]}, bob).status == 409  # book it first

    booked = api.post(f"/appointments/{offer['id']}/accept", {}, bob)
    assert booked.status == 200, booked.body
    assert (booked.body["appointment"]["status"], booked.body["appointment"]["offer"]) == ("confirmed", "accepted")
    assert [e["status"] for e in entries(api, bob)] == ["booked"]
    line = api.get(f"/waitlist?date={DAY}", staff).body["entries"]
    assert [e["customerInfo"]["name"] for e in line] == ["Carol"]  # Bob is out of the line
    assert api.get(f"/waitlist?date={DAY}", bob).status == 403

    follow_stream()
    started = datetime.fromisoformat(offer["scheduledAt"])
    with time_machine.travel(started + timedelta(days=1), tick=False):
        report = api.get("/appointments/analytics/bookings?period=7d", token_for(Role.STAFF, "Desk")).body
    assert report["metrics"]["waitlist"] == {
        "offers": 1,
        "accepted": 1,
        "freedMinutes": 45,
        "filledMinutes": 45,
        "filledShare": 100.0,
    }


def test_an_offer_let_pass_goes_to_the_next_in_line_and_a_lapsed_one_to_nobody_who_passed_it(
    api: Api, alice: str, bob: str, offers: Callable[[], int]
) -> None:
    carol = token_for(Role.CUSTOMER, "Carol")
    taken = book(api, alice)
    wait(api, bob, "Bob")
    wait(api, carol, "Carol")
    api.put(f"/appointments/{taken['id']}/cancel", {}, alice)
    offers()
    to_bob = offer_of(api, bob)
    assert api.put(f"/appointments/{to_bob['id']}/cancel", {}, bob).status == 200  # let it pass
    passed = api.get(f"/appointments/{to_bob['id']}", bob).body["appointment"]
    assert (passed["status"], passed["offer"], passed["paymentStatus"]) == ("cancelled", "passed", "not_required")
    assert [e["status"] for e in entries(api, bob)] == ["waiting"]  # still waiting, for other times
    offers()
    to_carol = offer_of(api, carol)
    assert to_carol["timeSlot"] == "10:00"

    lapsed = datetime.fromisoformat(to_carol["holdExpiresAt"]) + timedelta(seconds=5)
    with time_machine.travel(lapsed, tick=False):
        app.sweep_notices(scheduled_event(lapsed), None)
        offers()
    carol_now = token_for(Role.CUSTOMER, "Carol")
    after = api.get(f"/appointments/{to_carol['id']}", carol_now).body["appointment"]
    assert (after["status"], after["offer"], after["cancelledReason"]) == ("cancelled", "passed", "offer_lapsed")
    assert [e["status"] for e in entries(api, bob)] == ["waiting"]  # Bob let 10:00 pass: not offered it again
    assert [e["status"] for e in entries(api, carol)] == ["waiting"]
    assert "10:00" in slots(api)  # free for anyone


def test_two_racing_acceptances_of_one_offer_give_one_booking(
    api: Api, alice: str, bob: str, store: Store, offers: Callable[[], int]
) -> None:
    taken = book(api, alice)
    wait(api, bob, "Bob")
    api.put(f"/appointments/{taken['id']}/cancel", {}, alice)
    offers()
    offer_id = offer_of(api, bob)["id"]
    bob_actor = Actor(next(e["customerId"] for e in entries(api, bob)), Role.CUSTOMER, "Bob")
    first, second = store.appointments.get(offer_id), store.appointments.get(offer_id)  # both read it open
    now = datetime.now(SHANGHAI)
    settings = store.catalogue.settings()
    winner = first.accept_offer(first.terms, settings, now)
    commit(store, first, winner, Change.of("accept", bob_actor, first, winner))
    loser = second.accept_offer(second.terms, settings, now)
    with pytest.raises(ConcurrentChange):
        commit(store, second, loser, Change.of("accept", bob_actor, second, loser))
    again = api.post(f"/appointments/{offer_id}/accept", {}, bob)
    assert again.status == 409 and error_code(again.body) == "ILLEGAL_TRANSITION"
    assert store.appointments.get(offer_id).status.value == "confirmed"


def test_the_deposit_rules_apply_when_an_offer_is_booked(
    api: Api, alice: str, bob: str, offers: Callable[[], int]
) -> None:
    boss = token_for(Role.ADMIN, "Owner")
    assert api.put("/admin/settings", {"depositPolicy": "everyone"}, boss).status == 200
    assert api.put("/admin/services/svc-cut", {"deposit": {"amount": 20}}, boss).status == 200
    taken = book(api, alice)
    wait(api, bob, "Bob")
    api.put(f"/appointments/{taken['id']}/cancel", {}, alice)
    offers()
    offer = offer_of(api, bob)
    assert offer["amountDue"] == 0  # an offer asks nothing until it is booked
    booked = api.post(f"/appointments/{offer['id']}/accept", {}, bob).body["appointment"]
    assert (booked["status"], booked["amountDue"], booked["deposit"]["reason"]) == ("pending", 20.0, "deposit")


def test_a_removed_block_is_offered_and_nothing_is_offered_inside_the_minimum_notice(
    api: Api, bob: str, store: Store, offers: Callable[[], int]
) -> None:
    blocked = api.post(
        "/appointments/schedule/block",
        {"staffId": "staff-li", "date": DAY, "timeSlot": "10:00-11:00"},
        token_for(Role.STAFF, "Front Desk"),
    )
    assert blocked.status in (200, 201), blocked.body
    wait(api, bob, "Bob", fromTime="10:00", toTime="11:00")
    start = datetime.fromisoformat(f"{DAY}T10:00:00+08:00")
    with time_machine.travel(start - timedelta(minutes=90), tick=False):  # inside the 120 minutes' notice
        schedule.unblock(store, blocked.body["id"])
        offers()
    assert [e["status"] for e in entries(api, bob)] == ["waiting"]
    again = schedule.block_time(store, DESK, "staff-li", working_day(), 600, 660, "", datetime.now(SHANGHAI))
    schedule.unblock(store, again.id)
    offers()
    assert offer_of(api, bob)["timeSlot"] == "10:00"


def test_entries_are_checked_listed_left_and_lapse_with_their_window(
    api: Api, alice: str, bob: str, staff: str
) -> None:
    far = (working_day() + timedelta(days=90)).isoformat()
    for bad, field in (
        ({"toDate": far}, "toDate"),
        ({"fromTime": "12:00", "toTime": "09:00"}, "toTime"),
        ({"fromDate": "2026-01-01"}, "fromDate"),
        ({"serviceId": "svc-nope"}, None),
        ({"staffId": "staff-chen"}, None),  # does not perform haircuts
    ):
        answer = api.post("/waitlist", {**_wish("Bob"), **bad}, bob)
        assert 400 <= answer.status < 500, (bad, answer.body)
        if field:
            assert field in answer.body["error"]["fields"], answer.body
    assert entries(api, bob) == []
    assert api.post("/waitlist", _wish("Bob"), staff).status == 403

    made = [wait(api, bob, "Bob", fromTime=f"{9 + n:02d}:00", toTime=f"{10 + n:02d}:00") for n in range(5)]
    too_many = api.post("/waitlist", _wish("Bob"), bob)
    assert too_many.status == 409 and error_code(too_many.body) == "LIMIT_REACHED"
    assert api.delete(f"/waitlist/{made[0]['id']}", alice).status == 404  # not hers
    assert api.delete(f"/waitlist/{made[0]['id']}", bob).body["entry"]["status"] == "left"
    assert api.delete(f"/waitlist/{made[1]['id']}", staff).status == 200
    assert api.delete(f"/waitlist/{made[1]['id']}", bob).body["entry"]["status"] == "left"  # twice: the same
    assert sorted(e["status"] for e in entries(api, bob)) == ["left", "left", "waiting", "waiting", "waiting"]

    after_window = datetime.fromisoformat(f"{DAY}T23:00:00+08:00") + timedelta(days=1)
    with time_machine.travel(after_window, tick=False):
        later = api.get("/waitlist/mine", token_for(Role.CUSTOMER, "Bob")).body["entries"]
    assert sorted(e["status"] for e in later) == ["lapsed", "lapsed", "lapsed", "left", "left"]


def _wish(name: str) -> dict[str, Any]:
    return {
        "serviceId": "svc-cut",
        "staffId": "staff-li",
        "fromDate": DAY,
        "toDate": DAY,
        "fromTime": "09:00",
        "toTime": "12:00",
        "customerInfo": {"name": name, "phone": "13800138000"},
    }


def test_the_invariant_checker_holds_with_offers_and_names_an_offer_taken_by_someone_else(
    api: Api, alice: str, bob: str, offers: Callable[[], int]
) -> None:
    taken = book(api, alice)
    wait(api, bob, "Bob")
    api.put(f"/appointments/{taken['id']}/cancel", {}, alice)
    offers()
    follow_stream()
    client = boto3.client("dynamodb", region_name="us-east-1")

    def snapshot() -> invariants.Snapshot:
        return invariants.Snapshot.of(invariants.scan(client, LOCAL_ENV["TABLE_NAME"]))

    held = snapshot()
    assert {name: v for name, v in invariants.check(held, datetime.now(SHANGHAI)).items() if v} == {}
    (offer,) = [a for a in held.appointments.values() if a.is_offer]
    held.appointments["intruder"] = replace(offer, id="intruder", offer=None, waitlist="", customer_id="c-2")
    (entry,) = held.entries.values()
    held.entries[entry.id] = replace(entry, offer_id="")
    found = sorted(v.invariant for v in invariants.offers(held))
    assert found == ["entry offered no open offer", "offer without its entry", "offered and taken"]  # both sides

    assert api.post(f"/appointments/{offer.id}/accept", {}, bob).status == 200
    assert (
        invariants.offers(snapshot()) == []
    )  # a booked entry still names the offer it booked (the soak's false alarm)


def test_leaving_with_an_open_offer_lets_it_go_to_the_next_in_line(
    api: Api, alice: str, bob: str, offers: Callable[[], int]
) -> None:
    carol = token_for(Role.CUSTOMER, "Carol")
    taken = book(api, alice)
    entry = wait(api, bob, "Bob")
    wait(api, carol, "Carol")
    api.put(f"/appointments/{taken['id']}/cancel", {}, alice)
    offers()
    to_bob = offer_of(api, bob)
    left = api.delete(f"/waitlist/{entry['id']}", bob)
    assert left.status == 200 and left.body["entry"]["status"] == "left"
    gone = api.get(f"/appointments/{to_bob['id']}", bob).body["appointment"]
    assert (gone["status"], gone["offer"], gone["cancelledReason"]) == ("cancelled", "passed", "left_waitlist")
    offers()
    assert offer_of(api, carol)["timeSlot"] == "10:00"
