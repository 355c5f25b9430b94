"""Locations: a second branch in another time zone, its staff and services, bookings there, and its own partitions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import boto3
import pytest

from chalicelib.domain.actor import Role
from chalicelib.domain.daily_figures import Bucket
from chalicelib.services import appointments
from chalicelib.store import Store
from chalicelib.store.models import AppointmentItem, FiguresItem, Item
from scripts import invariants
from tests.conftest import LOCAL_ENV, now, working_day
from tests.integration.conftest import Api, booking, follow_stream, token_for

DAY = working_day().isoformat()
OWNER = token_for(Role.ADMIN, "Owner")
WEEKDAYS = {d: [{"start": "09:00", "end": "18:00"}] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}
MORNINGS = {"weekly": {d: [{"start": "09:00", "end": "12:00"}] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}}


@pytest.fixture
def branch(api: Api) -> str:
    """A branch in Tokyo (an hour ahead of the business): Wang Lei's home, Li Na there in the mornings too; the scalp
    treatment offered at the business's own location only."""
    body = {"name": "Ginza", "address": "4-1 Ginza", "timezone": "Asia/Tokyo", "phone": "+81 3-1234-5678"}
    made = api.post("/admin/locations", {**body, "hours": {"weekly": WEEKDAYS}}, OWNER)
    assert made.status == 201, made.body
    place = str(made.body["location"]["id"])
    assert api.put("/admin/staff/staff-wang", {"locationId": place}, OWNER).status == 200
    li = api.put("/admin/staff/staff-li", {"elsewhere": {place: MORNINGS}}, OWNER)
    assert li.status == 200 and li.body["staff"]["elsewhere"][place]["weekly"]["mon"] == [
        {"start": "09:00", "end": "12:00"}
    ]
    assert api.put("/admin/services/svc-scalp", {"locationIds": ["main"]}, OWNER).status == 200
    return place


def slots(api: Api, query: str) -> list[str]:
    answer = api.get(f"/appointments/availability/slots?date={DAY}&{query}")
    assert answer.status == 200, answer.body
    return [s["start"] for s in answer.body["slots"]]


def book(api: Api, token: str, **changes: Any) -> dict[str, Any]:
    answer = api.post("/appointments/book", booking(**changes), token)
    assert answer.status == 201, answer.body
    return dict(answer.body["appointment"])


def test_a_business_with_one_location_lists_itself_and_needs_no_location_anywhere(api: Api, alice: str) -> None:
    listed = api.get("/locations")
    assert listed.status == 200
    (main,) = listed.body["locations"]
    assert (main["id"], main["name"], main["timezone"]) == ("main", "Lotus Hair Studio", "Asia/Shanghai")
    made = book(api, alice)
    assert made["locationId"] == "main"
    assert slots(api, "serviceId=svc-cut&staffId=staff-li&locationId=main") == slots(
        api, "serviceId=svc-cut&staffId=staff-li"
    )


def test_a_customer_picks_a_location_and_sees_its_services_staff_and_hours_on_its_clock(
    api: Api, alice: str, branch: str
) -> None:
    listed = [p["name"] for p in api.get("/locations").body["locations"]]
    assert listed == ["Lotus Hair Studio", "Ginza"]
    there = [s["id"] for s in api.get(f"/appointments/services?locationId={branch}").body["services"]]
    assert "svc-scalp" not in there and "svc-cut" in there
    assert "svc-colour" in there and "svc-consult" in there  # offered everywhere, and Wang Lei performs them there
    home = [s["id"] for s in api.get("/appointments/services").body["services"]]
    assert "svc-scalp" in home
    cutters = [m["id"] for m in api.get(f"/appointments/services/svc-cut/staff?locationId={branch}").body["staff"]]
    assert cutters == ["staff-li", "staff-wang"]
    assert [m["id"] for m in api.get("/appointments/services/svc-cut/staff").body["staff"]] == ["staff-li"]

    wang = slots(api, f"serviceId=svc-cut&staffId=staff-wang&locationId={branch}")
    assert wang[0] == "09:00"  # Tokyo's nine o'clock
    li_there = slots(api, f"serviceId=svc-cut&staffId=staff-li&locationId={branch}")
    assert li_there[-1] == "11:00"  # her mornings there
    away = api.get(f"/appointments/availability/slots?date={DAY}&serviceId=svc-cut&staffId=staff-wang")
    assert away.status == 404  # he no longer works at the business's own location
    scalp = api.get(f"/appointments/availability/slots?date={DAY}&serviceId=svc-scalp&locationId={branch}")
    assert scalp.status == 404  # not offered there


def test_a_booking_at_the_branch_is_on_its_clock_with_its_phone_and_one_person_is_never_in_two_places(
    api: Api, alice: str, branch: str
) -> None:
    made = book(api, alice, staff_id="staff-li", time="10:00", locationId=branch)

    assert (made["locationId"], made["timezone"], made["timeSlot"]) == (branch, "Asia/Tokyo", "10:00")
    assert made["businessPhone"] == "+81312345678"
    assert made["scheduledAt"].endswith("+09:00")
    assert "09:00" not in slots(api, "serviceId=svc-cut&staffId=staff-li")  # 10:00 in Tokyo is 9:00 in Shanghai
    event = api.get(f"/appointments/{made['id']}/calendar.ics", alice).body
    assert "LOCATION:Ginza\\, 4-1 Ginza" in event and "DTSTART:" in event  # its name and address
    taken = api.post("/appointments/book", booking(staff_id="staff-li", time="09:00"), alice)
    assert taken.status == 409 and taken.body["error"]["code"] == "SLOT_TAKEN"
    moved = api.put(f"/appointments/{made['id']}/reschedule", {"date": DAY, "timeSlot": "11:00"}, alice)
    assert moved.status == 200 and (moved.body["appointment"]["locationId"], moved.body["appointment"]["timeSlot"]) == (
        branch,
        "11:00",
    )


def test_a_two_service_visit_for_any_staff_at_the_branch(api: Api, alice: str, branch: str, staff: str) -> None:
    services = [{"serviceId": "svc-consult"}, {"serviceId": "svc-cut", "staffId": "staff-wang"}]
    query = f"services=svc-consult,svc-cut:staff-wang&locationId={branch}"
    start = slots(api, query)[0]
    body = {**booking(time=start, totalAmount=88.0, locationId=branch), "services": services}
    del body["serviceId"], body["staffId"]

    made = api.post("/appointments/book", body, alice)

    assert made.status == 201, made.body
    visit = made.body["appointment"]
    assert (visit["locationId"], visit["timezone"]) == (branch, "Asia/Tokyo")
    consult, cut = visit["services"]
    assert consult["staffId"] in {"staff-li", "staff-wang"} and consult["assignedBy"] == "fewest-minutes"
    assert cut["staffId"] == "staff-wang" and cut["timeSlot"] == consult["endTime"]
    history = api.get(f"/appointments/{visit['id']}/history", staff).body["history"]
    assert next(h for h in history if h["action"] == "book")["detail"].startswith("Style consultation: fewest")


def test_each_location_has_its_own_status_and_figures_partitions_and_staff_views_filter_by_it(
    api: Api, store: Store, alice: str, bob: str, branch: str, staff: str
) -> None:
    at_branch = book(api, alice, staff_id="staff-wang", time="10:00", locationId=branch)
    at_home = book(api, bob, staff_id="staff-li", time="15:00")

    partitions = {
        item.pk: item.gsi4pk
        for item in Item.scan(Item.kind == AppointmentItem)
        if item.pk in (f"APPT#{at_branch['id']}", f"APPT#{at_home['id']}")
    }
    assert partitions == {f"APPT#{at_branch['id']}": f"OPEN#{branch}", f"APPT#{at_home['id']}": "OPEN"}

    def listed(query: str) -> list[str]:
        answer = api.get(f"/appointments?{query}", staff)
        assert answer.status == 200, answer.body
        return [a["id"] for a in answer.body["appointments"]]

    assert listed(f"scope=upcoming&locationId={branch}") == [at_branch["id"]]
    assert listed("scope=upcoming") == [at_home["id"]]
    assert listed(f"date={DAY}&locationId={branch}") == [at_branch["id"]]
    overview = api.get(f"/appointments/schedule/overview?date={DAY}&locationId={branch}", staff).body["overview"]
    assert [s["id"] for s in overview["staff"]] == ["staff-li", "staff-wang"]
    assert [a["id"] for s in overview["staff"] for a in s["appointments"]] == [at_branch["id"]]
    roster = api.get(f"/admin/staff?locationId={branch}", OWNER).body["staff"]
    assert [m["id"] for m in roster] == ["staff-li", "staff-wang"]

    follow_stream()
    keys = {(item.pk, item.sk) for item in Item.scan(Item.kind == FiguresItem)}
    assert {f"STATS#{branch}", f"CUSTSTATS#{branch}", "STATS", "CUSTSTATS"} <= {pk for pk, _ in keys}
    day = working_day()
    counted = {
        places: store.figures.read(Bucket.DAY, day, day, places)[day]["n"]
        for places in ((branch,), ("",), ("", branch))
    }
    assert counted == {(branch,): 1, ("",): 1, ("", branch): 2}  # what the reports add up, per location or all
    report = api.get(f"/appointments/analytics/bookings?period=7d&locationId={branch}", staff)
    assert report.status == 200 and report.body["metrics"]["total"] == 0  # the week past: nothing there yet
    dashboard = api.get(f"/dashboard?locationId={branch}", staff).body
    assert [a["id"] for a in dashboard["upcoming"]] == [at_branch["id"]]

    snapshot = invariants.Snapshot.of(invariants.scan(boto3.client("dynamodb"), LOCAL_ENV["TABLE_NAME"]))
    assert {name: v for name, v in invariants.check(snapshot, now()).items() if v} == {}  # each location's figures too

    later = now() + timedelta(days=30)
    marked = appointments.mark_no_shows(store, later)  # the job goes over every location's partition
    assert {a.id for a in marked} >= {at_branch["id"], at_home["id"]}


def test_locations_are_checked_and_retiring_one_reports_what_is_still_booked_there(
    api: Api, alice: str, branch: str
) -> None:
    for body, field in (
        ({"name": "Nowhere", "timezone": "Mars/Olympus"}, "timezone"),
        ({"name": "Nowhere", "phone": "12"}, "phone"),
        ({"name": "Nowhere", "hours": {"weekly": "always"}}, "weekly"),
        ({"name": "Nowhere", "closures": [{"date": "someday"}]}, "closures"),
        ({"name": "Nowhere", "color": "red"}, "color"),
        ({"address": "No name"}, "name"),
    ):
        answer = api.post("/admin/locations", body, OWNER)
        assert answer.status == 400 and field in answer.body["error"]["fields"], (body, answer.body)
    assert api.put("/admin/staff/staff-chen", {"locationId": "loc-nope"}, OWNER).status == 404
    assert api.put("/admin/locations/main", {"name": "Renamed"}, OWNER).status == 400
    assert api.get(f"/appointments/availability/slots?date={DAY}&serviceId=svc-cut&locationId=loc-nope").status == 404
    assert api.post("/appointments/book", booking(locationId="loc-nope"), alice).status == 404
    made = book(api, alice, staff_id="staff-wang", time="10:00", locationId=branch)

    retired = api.call("DELETE", f"/admin/locations/{branch}", token=OWNER)

    assert retired.status == 200 and [a["id"] for a in retired.body["futureAppointments"]] == [made["id"]]
    dropped = api.put("/admin/staff/staff-li", {"elsewhere": {branch: None}}, OWNER)  # a retired one's hours too
    assert dropped.status == 200 and dropped.body["staff"]["elsewhere"] == {}
    assert [p["id"] for p in api.get("/locations").body["locations"]] == ["main"]
    assert api.post("/appointments/book", booking(staff_id="staff-wang", locationId=branch), alice).status == 404


def test_only_admins_change_locations(api: Api, alice: str, staff: str) -> None:
    for token in (alice, staff):
        assert api.post("/admin/locations", {"name": "Mine"}, token).status == 403
    assert [p["id"] for p in api.get("/locations").body["locations"]] == ["main"]


def test_closing_a_day_at_the_branch_reports_what_is_booked_there_and_offers_nothing_there_that_day(
    api: Api, alice: str, branch: str
) -> None:
    made = book(api, alice, staff_id="staff-wang", time="10:00", locationId=branch)

    closed = api.put(f"/admin/locations/{branch}", {"closures": [{"date": DAY, "name": "Inventory"}]}, OWNER)

    assert closed.status == 200, closed.body
    assert [a["id"] for a in closed.body["openAppointments"]] == [made["id"]]
    assert closed.body["location"]["closures"] == [{"date": DAY, "name": "Inventory"}]
    assert slots(api, f"serviceId=svc-cut&locationId={branch}") == []
    assert slots(api, "serviceId=svc-cut&staffId=staff-li") != []  # the business's own is open
    moved_clock = api.put(f"/admin/locations/{branch}", {"timezone": "Asia/Shanghai"}, OWNER)
    assert moved_clock.status == 409 and moved_clock.body["error"]["fields"] == {"timezone": "1 open appointments"}
    api.put(f"/appointments/{made['id']}/cancel", {"reason": "closed"}, OWNER)
    assert api.put(f"/admin/locations/{branch}", {"timezone": "Asia/Shanghai"}, OWNER).status == 200


def test_staff_at_a_location_are_offered_only_inside_its_opening_hours(api: Api, branch: str) -> None:
    narrow = {"weekly": {d: [{"start": "10:00", "end": "16:00"}] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}}
    assert api.put(f"/admin/locations/{branch}", {"hours": narrow}, OWNER).status == 200

    offered = slots(api, f"serviceId=svc-cut&staffId=staff-wang&locationId={branch}")

    assert offered[0] == "10:00" and offered[-1] == "15:00"  # the last 45-minute haircut ends by 16:00
    assert "12:00" not in offered  # his own lunch break still holds
    assert slots(api, "serviceId=svc-cut&staffId=staff-li")[0] == "09:00"  # the business's own is not bound by it
