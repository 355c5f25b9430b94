"""Visits: several services back to back booked, offered, moved and cancelled as one appointment."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.actor import Role
from tests.conftest import working_day
from tests.integration.conftest import Api, booking, token_for
from tests.integration.notices_helpers import bodies, receive_all
from tests.integration.test_payments import appointment, pay, start_payment

DAY = working_day().isoformat()
CUT_THEN_SCALP = [
    {"serviceId": "svc-cut", "staffId": "staff-wang"},
    {"serviceId": "svc-scalp", "staffId": "staff-chen"},
]


def visit(services: Any = CUT_THEN_SCALP, time: str = "10:00", **changes: Any) -> dict[str, Any]:
    body = booking(time=time, **{"totalAmount": 256.0, **changes})
    del body["serviceId"], body["staffId"]
    return {**body, "services": services}


def book_visit(api: Api, token: str, **changes: Any) -> dict[str, Any]:
    answer = api.post("/appointments/book", visit(**changes), token)
    assert answer.status == 201, answer.body
    return dict(answer.body["appointment"])


def slots(api: Api, query: str) -> list[str]:
    answer = api.get(f"/appointments/availability/slots?date={DAY}&{query}")
    assert answer.status == 200, answer.body
    return [s["start"] for s in answer.body["slots"]]


def parts(appointment: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [(p["serviceId"], p["staffId"], p["timeSlot"], p["endTime"]) for p in appointment["services"]]


def test_a_visit_is_one_appointment_of_its_services_back_to_back_each_with_its_staff_member(
    api: Api, alice: str
) -> None:
    booked = book_visit(api, alice)

    assert parts(booked) == [
        ("svc-cut", "staff-wang", "10:00", "10:45"),
        ("svc-scalp", "staff-chen", "10:45", "11:45"),
    ]
    assert (booked["serviceId"], booked["staffId"]) == ("svc-cut", "staff-wang")  # the seed reads the first
    assert (booked["serviceName"], booked["staffName"]) == ("Haircut + Scalp treatment", "Wang Lei, Chen Jing")
    assert (booked["timeSlot"], booked["endTime"], booked["duration"]) == ("10:00", "11:45", 105)
    assert (booked["totalAmount"], booked["status"]) == (256.0, "confirmed")
    assert "10:00" not in slots(api, "serviceId=svc-cut&staffId=staff-wang")
    assert "11:00" in slots(api, "serviceId=svc-cut&staffId=staff-wang")  # Wang is free once his part is done
    assert "10:30" not in slots(api, "serviceId=svc-scalp&staffId=staff-chen")  # would run into Chen's part
    assert "09:30" in slots(api, "serviceId=svc-scalp&staffId=staff-chen")  # Chen is free until 10:45


def test_the_offered_starts_are_those_where_the_whole_visit_fits(api: Api, alice: str, bob: str) -> None:
    query = "services=svc-cut:staff-wang,svc-scalp:staff-chen"
    before = slots(api, query)
    assert "16:30" not in before and "16:00" in before  # the scalp would end at 18:15, past closing; 17:45 is fine
    assert "11:30" not in before  # the haircut would run into the lunch break
    taken = api.post("/appointments/book", booking("svc-scalp", "staff-chen", time="11:00"), bob)
    assert taken.status == 201, taken.body

    after = slots(api, query)

    assert "10:00" not in after  # the scalp would start at 10:45, into Bob's 11:00
    assert "09:30" not in after and "09:00" in after  # the scalp at 9:45-10:45 is clear, at 10:15 it is not
    assert set(after) == set(before) - {"09:30", "10:00", "10:30"}
    spans = api.get(f"/appointments/availability/slots?date={DAY}&{query}").body["slots"]
    assert {"start": "09:00", "end": "10:45", "duration": 105} in spans
    dates = api.get(f"/appointments/availability/dates?{query}&days=14").body["dates"]
    assert {"date": DAY, "slotCount": len(after)} in dates


def test_any_staff_per_service_is_the_union_and_the_policy_chooses_each_with_its_reason(
    api: Api, alice: str, staff: str
) -> None:
    for_anyone = slots(api, "services=svc-cut:any,svc-scalp")
    assert "10:00" in for_anyone
    booked = book_visit(api, alice, services=[{"serviceId": "svc-cut"}, {"serviceId": "svc-scalp", "staffId": "any"}])

    cut, scalp = booked["services"]
    assert {cut["staffId"], scalp["staffId"]} <= {"staff-li", "staff-wang", "staff-chen"}
    assert (cut["assignedBy"], scalp["assignedBy"]) == ("fewest-minutes", "fewest-minutes")
    history = api.get(f"/appointments/{booked['id']}/history", staff).body["history"]
    detail = next(h for h in history if h["action"] == "book")["detail"]
    assert detail.startswith("Haircut: fewest minutes this week: ") and "; Scalp treatment: fewest minutes" in detail


def test_a_visit_is_all_or_nothing_when_one_of_its_services_is_taken(api: Api, alice: str, bob: str) -> None:
    assert api.post("/appointments/book", booking("svc-scalp", "staff-chen", time="10:30"), bob).status == 201

    refused = api.post("/appointments/book", visit(), alice)

    assert refused.status == 409 and refused.body["error"]["code"] == "SLOT_TAKEN", refused.body
    assert "10:00" in slots(api, "serviceId=svc-cut&staffId=staff-wang")  # the haircut took nothing either
    assert api.get("/appointments/mine", alice).body["appointments"] == []


def test_a_service_asked_for_any_staff_goes_to_whoever_is_free_for_its_part(api: Api, alice: str, bob: str) -> None:
    api.post("/appointments/book", booking("svc-scalp", "staff-chen", time="10:30"), bob)

    booked = book_visit(
        api, alice, services=[{"serviceId": "svc-cut", "staffId": "staff-wang"}, {"serviceId": "svc-scalp"}]
    )

    assert parts(booked)[1] == ("svc-scalp", "staff-li", "10:45", "11:45")  # Chen is busy: Li Na does it


def test_cancelling_a_visit_frees_every_service_time(api: Api, alice: str) -> None:
    booked = book_visit(api, alice)

    cancelled = api.put(f"/appointments/{booked['id']}/cancel", {"reason": "plans changed"}, alice)

    assert cancelled.status == 200 and cancelled.body["appointment"]["status"] == "cancelled"
    assert "10:00" in slots(api, "serviceId=svc-cut&staffId=staff-wang")
    assert "10:30" in slots(api, "serviceId=svc-scalp&staffId=staff-chen")


def test_moving_a_visit_moves_it_whole_keeping_the_order_and_each_staff_member(api: Api, alice: str) -> None:
    booked = book_visit(api, alice)
    path = f"/appointments/{booked['id']}/reschedule"

    moved = api.put(path, {"date": DAY, "timeSlot": "14:00"}, alice)

    assert moved.status == 200, moved.body
    assert parts(moved.body["appointment"]) == [
        ("svc-cut", "staff-wang", "14:00", "14:45"),
        ("svc-scalp", "staff-chen", "14:45", "15:45"),
    ]
    assert "10:00" in slots(api, "serviceId=svc-cut&staffId=staff-wang")
    assert "10:30" in slots(api, "serviceId=svc-scalp&staffId=staff-chen")
    assert "15:00" not in slots(api, "serviceId=svc-scalp&staffId=staff-chen")
    overlapping_itself = api.put(path, {"date": DAY, "timeSlot": "14:30"}, alice)
    assert overlapping_itself.status == 200, overlapping_itself.body
    one_staff = api.put(path, {"date": DAY, "timeSlot": "15:00", "staffId": "staff-li"}, alice)
    assert one_staff.status == 400 and one_staff.body["error"]["fields"] == {"staffId": "per service in a visit"}


def test_moving_a_visit_for_any_staff_chooses_each_service_again(api: Api, alice: str, bob: str) -> None:
    booked = book_visit(api, alice)
    api.post("/appointments/book", booking("svc-scalp", "staff-chen", time="15:00"), bob)

    moved = api.put(
        f"/appointments/{booked['id']}/reschedule", {"date": DAY, "timeSlot": "14:30", "staffId": "any"}, alice
    )

    assert moved.status == 200, moved.body
    cut, scalp = moved.body["appointment"]["services"]
    assert (cut["staffId"], cut["timeSlot"]) == ("staff-wang", "14:30")  # kept: he is free then
    assert (scalp["staffId"], scalp["timeSlot"]) == ("staff-li", "15:15")  # Chen is not


def test_the_price_is_the_sum_and_a_visit_with_a_paid_service_is_a_hold_for_all_of_it(api: Api, alice: str) -> None:
    wrong = api.post("/appointments/book", visit(totalAmount=88.0), alice)
    assert wrong.status == 400 and wrong.body["error"]["code"] == "AMOUNT_MISMATCH", wrong.body

    services = [{"serviceId": "svc-cut", "staffId": "staff-li"}, {"serviceId": "svc-colour", "staffId": "staff-li"}]
    late = api.post("/appointments/book", visit(services=services, totalAmount=487.0), alice)
    assert late.status == 400 and late.body["error"]["code"] == "TIME_NOT_OFFERED"  # the colour runs into lunch
    assert late.body["error"]["fields"] == {"services": "svc-colour not offered then"}
    held = book_visit(api, alice, services=services, totalAmount=487.0, time="14:00")

    assert (held["status"], held["paymentStatus"], held["totalAmount"]) == ("pending", "awaiting_payment", 487.0)
    assert [p["totalAmount"] for p in held["services"]] == [88.0, 399.0]
    assert start_payment(api, alice, held["id"], 399.0).status == 400  # the visit's whole price, not one service's
    intent = pay(api, alice, held["id"], 487.0)
    assert intent["amount"] == 48700
    paid = appointment(api, alice, held["id"])
    assert (paid["status"], paid["paymentStatus"], paid["paidAmount"]) == ("confirmed", "paid", 487.0)


def test_the_customer_gets_one_confirmation_for_the_whole_visit(api: Api, alice: str) -> None:
    receive_all()
    booked = book_visit(api, alice)

    confirmations = [b for b in bodies(receive_all()) if b["kind"] == "confirmation"]

    assert [c["appointmentId"] for c in confirmations] == [booked["id"]]


def test_a_retried_visit_booking_answers_the_same_appointment(api: Api, alice: str) -> None:
    key = {"Idempotency-Key": "visit-1"}
    first = api.post("/appointments/book", visit(), alice, headers=key)
    again = api.post("/appointments/book", visit(), alice, headers=key)
    assert (first.status, again.status) == (201, 201)
    assert again.body["appointment"]["id"] == first.body["appointment"]["id"]
    assert len(api.get("/appointments/mine", alice).body["appointments"]) == 1


def test_another_customer_neither_sees_nor_changes_a_visit(api: Api, alice: str, bob: str) -> None:
    booked = book_visit(api, alice)
    path = f"/appointments/{booked['id']}"
    assert api.get(path, bob).status == 404
    assert api.put(f"{path}/cancel", {}, bob).status == 404
    assert api.put(f"{path}/reschedule", {"date": DAY, "timeSlot": "14:00"}, bob).status == 404
    assert api.get(path, alice).body["appointment"]["status"] == "confirmed"


def test_a_visit_asked_for_wrongly_is_a_400_that_books_nothing(api: Api, alice: str) -> None:
    cut = {"serviceId": "svc-cut"}
    for body, field in (
        ({**visit(), "serviceId": "svc-cut"}, "services"),
        (visit(services=[]), "services"),
        (visit(services=[cut] * 5), "services"),
        (visit(services=[{"serviceId": "svc-cut", "room": 1}]), "services"),
        (visit(services="svc-cut"), "services"),
        (visit(services=[cut, {"serviceId": "svc-scalp", "staffId": "staff-wang"}]), "staffId"),
    ):
        answer = api.post("/appointments/book", body, alice)
        assert answer.status == 400 and field in answer.body["error"]["fields"], (body, answer.body)
    assert api.post("/appointments/book", visit(services=[cut, {"serviceId": "svc-nope"}]), alice).status == 404
    for query in (
        "services=",
        "services=,svc-cut",
        "services=svc-cut&serviceId=svc-cut",
        "services=" + ",".join(["svc-cut"] * 5),
    ):
        answer = api.get(f"/appointments/availability/slots?date={DAY}&{query}")
        assert answer.status == 400 and "services" in answer.body["error"]["fields"], (query, answer.body)
    assert api.get("/appointments/mine", alice).body["appointments"] == []


def test_staff_may_not_book_a_visit_as_a_customer(api: Api, staff: str) -> None:
    assert api.post("/appointments/book", visit(), staff).status == 403
    assert api.post("/appointments/book", visit(), token_for(Role.ADMIN, "Owner")).status == 403


def test_each_staff_member_sees_their_share_of_a_visit_in_their_day_their_schedule_and_their_list(
    api: Api, alice: str, staff: str
) -> None:
    booked = book_visit(api, alice)

    chen = api.get(f"/appointments/staff/staff-chen/schedule?startDate={DAY}&endDate={DAY}", staff).body["schedule"][0]
    (share,) = chen["appointments"]
    assert (share["id"], share["serviceName"], share["timeSlot"], share["endTime"]) == (
        booked["id"],
        "Scalp treatment",
        "10:45",
        "11:45",
    )
    assert chen["freeMinutes"] == 8 * 60 - 60
    wang = api.get(f"/appointments/staff/staff-wang/schedule?startDate={DAY}&endDate={DAY}", staff).body["schedule"][0]
    assert [(a["serviceName"], a["timeSlot"], a["endTime"]) for a in wang["appointments"]] == [
        ("Haircut", "10:00", "10:45")
    ]
    overview = api.get(f"/appointments/schedule/overview?date={DAY}", staff).body["overview"]
    columns = {s["id"]: [(a["serviceName"], a["timeSlot"]) for a in s["appointments"]] for s in overview["staff"]}
    assert (columns["staff-wang"], columns["staff-chen"], columns["staff-li"]) == (
        [("Haircut", "10:00")],
        [("Scalp treatment", "10:45")],
        [],
    )
    assert overview["totals"]["bookedMinutes"] == 105
    conflicts = api.get(f"/appointments/schedule/conflicts?staffId=staff-chen&date={DAY}&timeSlot=11:00", staff)
    assert [(c["type"], c["id"]) for c in conflicts.body["conflicts"]] == [("appointment", booked["id"])]
    for who in ("staff-chen", "staff-wang"):
        listed = api.get(f"/appointments?scope=upcoming&staffId={who}", staff).body["appointments"]
        assert [a["id"] for a in listed] == [booked["id"]], who
        on_the_day = api.get(f"/appointments?date={DAY}&staffId={who}", staff).body["appointments"]
        assert [a["id"] for a in on_the_day] == [booked["id"]], who
    assert api.get("/appointments?scope=upcoming&staffId=staff-li", staff).body["appointments"] == []


def test_a_moved_visit_leaves_the_old_staff_members_timeline_and_joins_the_new_ones(
    api: Api, alice: str, bob: str, staff: str
) -> None:
    booked = book_visit(api, alice)
    api.post("/appointments/book", booking("svc-scalp", "staff-chen", time="15:00"), bob)

    moved = api.put(
        f"/appointments/{booked['id']}/reschedule", {"date": DAY, "timeSlot": "14:30", "staffId": "any"}, alice
    )
    assert [p["staffId"] for p in moved.body["appointment"]["services"]] == ["staff-wang", "staff-li"]

    def listed(who: str) -> list[str]:
        return [a["id"] for a in api.get(f"/appointments?scope=upcoming&staffId={who}", staff).body["appointments"]]

    assert booked["id"] not in listed("staff-chen")
    assert booked["id"] in listed("staff-li") and booked["id"] in listed("staff-wang")
