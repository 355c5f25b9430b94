"""Booking "any staff": the union of everyone's slots, the business's policy choosing, the reason in the history."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import time_machine

from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.availability import wall_instant
from chalicelib.domain.contact import CustomerInfo
from chalicelib.services import booking as booking_service
from chalicelib.services.booking import BookingRequest
from chalicelib.store import Store
from tests.conftest import SHANGHAI, working_day
from tests.integration.conftest import Api, booking, follow_stream, token_for
from tests.integration.test_analytics import working_days_back

DAY = working_day().isoformat()
OWNER = token_for(Role.ADMIN, "Owner")


def book(api: Api, token: str, **changes: Any) -> dict[str, Any]:
    answer = api.post("/appointments/book", booking(**changes), token)
    assert answer.status == 201, answer.body
    return dict(answer.body["appointment"])


def book_in_the_past(store: Store, customer: str, staff_id: str | None, day: date, hhmm: str) -> str:
    """Booked three days ahead of a past day's time (test_analytics.py's way); returns who took it."""
    minutes = int(hhmm[:2]) * 60 + int(hhmm[3:])
    request = BookingRequest("svc-cut", staff_id, day, minutes, CustomerInfo(customer, "+8613800138000"))
    starts = wall_instant(day, minutes, SHANGHAI)
    return booking_service.book(
        store, Actor(f"c-{customer}", Role.CUSTOMER, customer), request, starts - timedelta(days=3)
    ).staff_id


def slots(api: Api, staff: str = "") -> list[str]:
    query = f"/appointments/availability/slots?serviceId=svc-cut&date={DAY}" + (f"&staffId={staff}" if staff else "")
    answer = api.get(query)
    assert answer.status == 200, answer.body
    return [s["start"] for s in answer.body["slots"]]


def detail_of_booking(api: Api, appointment_id: str, token: str) -> str:
    history = api.get(f"/appointments/{appointment_id}/history", token).body["history"]
    return str(next(h for h in history if h["action"] == "book")["detail"])


def test_dates_and_slots_for_any_staff_are_the_union_of_everyone_who_performs_it(api: Api, alice: str) -> None:
    book(api, alice, time="10:00")
    book(api, alice, staff_id="staff-wang", time="10:00")
    book(api, alice, time="11:00")
    assert "10:00" not in slots(api) and "10:00" not in slots(api, "any")  # both taken
    assert "11:00" in slots(api) and "11:00" not in slots(api, "staff-li")  # Wang is free
    assert slots(api) == sorted(set(slots(api, "staff-li")) | set(slots(api, "staff-wang")))
    dates = api.get("/appointments/availability/dates?serviceId=svc-cut&days=14").body["dates"]
    assert {"date": DAY, "slotCount": len(slots(api))} in dates


def test_any_staff_goes_to_the_fewest_minutes_this_week_and_the_history_says_why(
    api: Api, alice: str, staff: str
) -> None:
    book(api, alice, time="10:00")  # Li Na has a haircut this week, Wang Lei nothing
    first = book(api, alice, staff_id=None, time="14:00")
    assert (first["staffId"], first["assignedBy"]) == ("staff-wang", "fewest-minutes")
    assert detail_of_booking(api, first["id"], staff).startswith("fewest minutes this week: Wang Lei 0, Li Na ")
    second = book(api, alice, staff_id="any", time="15:00")  # now even: the name decides
    assert second["staffId"] == "staff-li"
    chosen_by_customer = book(api, alice, staff_id="staff-wang", time="16:00")
    assert chosen_by_customer["assignedBy"] is None


def test_the_business_sets_the_policy_weights_and_priorities(api: Api, alice: str) -> None:
    book(api, alice, time="10:00")  # Li Na 45 minutes, Wang Lei none
    assert api.put("/admin/staff/staff-li", {"priority": 5}, OWNER).status == 200
    assert api.put("/admin/settings", {"assignment": "priority"}, OWNER).body["settings"]["assignment"] == "priority"
    assert book(api, alice, staff_id=None, time="14:00")["staffId"] == "staff-li"  # the senior first
    book(api, alice, staff_id="staff-wang", time="10:00")  # Li Na 90 minutes, Wang Lei 45: the fewest is his
    changed = api.put("/admin/staff/staff-li", {"weight": 900, "priority": 3}, OWNER)
    assert (changed.body["staff"]["weight"], changed.body["staff"]["priority"]) == (900, 3)
    api.put("/admin/settings", {"assignment": "weighted"}, OWNER)
    weighted = book(api, alice, staff_id=None, time="15:00")
    assert (weighted["staffId"], weighted["assignedBy"]) == ("staff-li", "weighted")  # 9 shares in 10 are hers


def test_a_policy_weight_or_priority_out_of_range_is_a_400_that_changes_nothing(api: Api) -> None:
    for path, body, field in (
        ("/admin/settings", {"assignment": "round-robin"}, "assignment"),
        ("/admin/staff/staff-li", {"weight": 0}, "weight"),
        ("/admin/staff/staff-li", {"priority": 9}, "priority"),
        ("/admin/staff/staff-li", {"weight": "heavy"}, "weight"),
    ):
        answer = api.put(path, body, OWNER)
        assert answer.status == 400 and field in answer.body["error"]["fields"], answer.body
    assert api.get("/admin/settings", OWNER).body["settings"]["assignment"] == "fewest-minutes"
    li = api.put("/admin/staff/staff-li", {}, OWNER).body["staff"]
    assert (li["weight"], li["priority"]) == (100, 3)


def test_the_owner_reads_the_active_staff_with_their_weight_and_priority(api: Api, staff: str) -> None:
    assert api.put("/admin/staff/staff-li", {"weight": 250, "priority": 5}, OWNER).status == 200
    assert api.call("DELETE", "/admin/staff/staff-chen", token=OWNER).status == 200

    listed = api.get("/admin/staff", OWNER)

    assert listed.status == 200, listed.body
    assert [(m["name"], m["weight"], m["priority"]) for m in listed.body["staff"]] == [
        ("Li Na", 250, 5),
        ("Wang Lei", 100, 3),
    ]
    assert api.get("/admin/staff", staff).status == 403


def test_any_staff_when_everyone_is_taken_is_a_409_and_nobody_is_booked(api: Api, alice: str) -> None:
    book(api, alice, time="10:00")
    book(api, alice, staff_id="staff-wang", time="10:00")
    refused = api.post("/appointments/book", booking(staff_id=None, time="10:00"), alice)
    assert refused.status == 409 and refused.body["error"]["code"] == "SLOT_TAKEN"
    assert refused.body["error"]["fields"] == {"staffId": "any"}
    assert len(api.get("/appointments/mine", alice).body["appointments"]) == 2


def test_a_move_for_any_staff_keeps_the_customer_with_their_staff_member_when_free_else_the_policy_chooses(
    api: Api, alice: str, staff: str
) -> None:
    moving = book(api, alice, time="10:00")
    book(api, alice, time="15:00")  # Li Na's 15:00 is taken

    def move(to: str) -> dict[str, Any]:
        answer = api.put(
            f"/appointments/{moving['id']}/reschedule", {"date": DAY, "timeSlot": to, "staffId": "any"}, alice
        )
        assert answer.status == 200, answer.body
        return dict(answer.body["appointment"])

    kept = move("10:30")  # overlapping its own time: that counts as free
    assert (kept["staffId"], kept["timeSlot"]) == ("staff-li", "10:30")
    moved = move("15:00")
    assert (moved["staffId"], moved["assignedBy"]) == ("staff-wang", "fewest-minutes")
    reasons = [h["reason"] for h in api.get(f"/appointments/{moving['id']}/history", staff).body["history"]]
    assert reasons[-2:] == ["kept with Li Na, free at the new time", "fewest minutes this week: Wang Lei 0"]


def test_the_staff_report_counts_the_bookings_the_policy_gave_each(store: Store, api: Api, staff: str) -> None:
    day = working_days_back(1, 6)[0]
    by_li = book_in_the_past(store, "Ann", "staff-li", day, "10:00")
    assigned = book_in_the_past(store, "Bo", None, day, "10:00")  # Li Na is taken: Wang Lei
    assert (by_li, assigned) == ("staff-li", "staff-wang")
    follow_stream()
    rows = api.get("/appointments/analytics/staff?period=7d", staff).body["utilization"]
    counted = {r["staffId"]: r["assignedBookings"] for r in rows}
    assert (counted["staff-li"], counted["staff-wang"]) == (0, 1)


def test_a_customer_cannot_move_for_any_staff_inside_the_cutoff_either(api: Api, alice: str) -> None:
    moving = book(api, alice, time="10:00")
    with time_machine.travel(datetime.fromisoformat(moving["scheduledAt"]) - timedelta(hours=10), tick=False):
        alice_then = token_for(Role.CUSTOMER, "Alice")  # a token of that time: the one from now has expired by then
        late = api.put(
            f"/appointments/{moving['id']}/reschedule", {"date": DAY, "timeSlot": "15:00", "staffId": "any"}, alice_then
        )
    assert late.status == 409 and late.body["error"]["code"] == "CANCELLATION_WINDOW_CLOSED", late.body
