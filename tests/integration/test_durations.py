"""One rule for how long an appointment may be: what staff can make, they can move and cancel."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import time_machine

from chalicelib.domain.actor import Role
from tests.conftest import SHANGHAI, working_day
from tests.dynamodb_calls import transaction_sizes
from tests.integration.conftest import Api, token_for
from tests.integration.notices_helpers import receive_all
from tests.integration.test_booking_routes import error_code
from tests.integration.test_front_desk_lists import arrange

DAY = working_day().isoformat()


def move(api: Api, staff: str, appointment: dict[str, Any], time: str) -> Any:
    return api.put(f"/appointments/{appointment['id']}/reschedule", {"date": DAY, "timeSlot": time}, staff)


def test_staff_cannot_make_what_could_not_be_moved(api: Api, staff: str) -> None:
    for minutes, why in ((725, "too long"), (1440, "too long"), (0, "out of range"), (7, "out of range")):
        refused = arrange(api, staff, duration=minutes, scheduledAt=f"{DAY}T09:00:00+08:00")
        assert refused.status == 400 and refused.body["error"]["fields"] == {"duration": why}, minutes
    made = arrange(api, staff, duration=200, scheduledAt=f"{DAY}T13:00:00+08:00").body["appointment"]
    moved = move(api, staff, made, "14:00")
    assert moved.status == 200, moved.body
    assert (moved.body["appointment"]["timeSlot"], moved.body["appointment"]["duration"]) == ("14:00", 200)
    assert api.put(f"/appointments/{made['id']}/cancel", {}, staff).status == 200


def test_a_move_keeps_the_appointments_own_length_and_must_fit_the_hours(api: Api, staff: str) -> None:
    made = arrange(api, staff, duration=120, scheduledAt=f"{DAY}T14:00:00+08:00").body["appointment"]
    late = move(api, staff, made, "16:30")  # a 45-minute haircut would fit; this two-hour one ends at 18:30
    assert late.status == 400 and error_code(late.body) == "TIME_NOT_OFFERED"
    fits = move(api, staff, made, "16:00")
    assert fits.status == 200 and fits.body["appointment"]["endTime"] == "18:00"


def test_services_follow_the_same_rule(api: Api) -> None:
    owner = token_for(Role.ADMIN, "Owner")
    assert api.post("/admin/services", {"name": "Long", "duration": 720, "price": 1}, owner).status == 201
    too_long = api.post("/admin/services", {"name": "Longer", "duration": 725, "price": 1}, owner)
    assert too_long.status == 400 and too_long.body["error"]["fields"] == {"duration": "too long"}


def test_a_staff_made_appointment_in_the_past_sends_no_confirmation(api: Api) -> None:
    afternoon = datetime.combine(working_day(), time(15, 0), SHANGHAI)
    with time_machine.travel(afternoon, tick=False):
        staff = token_for(Role.STAFF, "Front Desk")
        made = arrange(api, staff, scheduledAt=f"{DAY}T11:00:00+08:00")  # a walk-in this morning, entered late
        assert made.status == 201, made.body
        confirmed = api.put(f"/appointments/{made.body['appointment']['id']}/confirm", None, staff)
        assert confirmed.status == 200 and confirmed.body["appointment"]["confirmationSentAt"] is None
    assert receive_all() == []


def test_a_long_appointment_stays_movable_after_the_business_widens_its_buffers(api: Api, staff: str) -> None:
    made = arrange(api, staff, duration=200, scheduledAt=f"{DAY}T13:00:00+08:00").body["appointment"]
    owner = token_for(Role.ADMIN, "Owner")
    assert api.put("/admin/settings", {"bufferBefore": 30, "bufferAfter": 30}, owner).status == 200
    moved = move(api, staff, made, "14:00")
    assert moved.status == 200, moved.body  # it keeps the buffers it was made with
    assert moved.body["appointment"]["duration"] == 200


def test_a_twelve_hour_service_crosses_midnight_and_its_transaction_does_not_grow_with_it(api: Api, alice: str) -> None:
    owner, desk = token_for(Role.ADMIN, "Owner"), token_for(Role.STAFF, "Desk")
    night = api.post("/admin/services", {"name": "Night session", "duration": 720, "price": 1200}, owner).body
    short = api.post("/admin/services", {"name": "Short", "duration": 30, "price": 10}, owner).body
    services = ["svc-consult", "svc-cut", night["service"]["id"], short["service"]["id"]]
    assert api.put("/admin/staff/staff-wang", {"serviceIds": services}, owner).status == 200
    day, after = working_day(), working_day() + timedelta(days=1)
    hours = {
        "overrides": {
            day.isoformat(): [{"start": "09:00", "end": "24:00"}],
            after.isoformat(): [{"start": "00:00", "end": "10:00"}],
        }
    }
    assert api.put("/appointments/staff/staff-wang/availability", {"availability": hours}, desk).status == 200

    def slots(service_id: str, on: date) -> list[str]:
        query = f"serviceId={service_id}&staffId=staff-wang&date={on.isoformat()}"
        return [s["start"] for s in api.get(f"/appointments/availability/slots?{query}").body["slots"]]

    assert "21:00" in slots(night["service"]["id"], day) and "22:30" not in slots(night["service"]["id"], day)

    def book(service_id: str, start: str, price: float) -> tuple[Any, list[int]]:
        body = {
            "serviceId": service_id,
            "staffId": "staff-wang",
            "date": day.isoformat(),
            "timeSlot": start,
            "totalAmount": price,
            "customerInfo": {"name": "Night owl", "phone": "13800138000"},
        }
        with transaction_sizes() as sizes:
            answer = api.post("/appointments/book", body, alice)
        return answer, sizes

    long_one, long_sizes = book(night["service"]["id"], "21:00", 1200)  # 13:00 UTC to 01:00 UTC: two UTC days
    assert long_one.status == 201, long_one.body
    assert long_one.body["appointment"]["endTime"] == "09:00"
    short_one, short_sizes = book(short["service"]["id"], "09:00", 10)
    assert short_one.status == 201, short_one.body
    assert long_sizes[0] == short_sizes[0] + 1  # one more calendar day, not 144 more five-minute granules
    assert "07:00" not in slots(short["service"]["id"], after) and "09:00" in slots(short["service"]["id"], after)
    overview = api.get(f"/appointments/schedule/overview?date={after.isoformat()}", desk).body["overview"]
    wang = next(s for s in overview["staff"] if s["id"] == "staff-wang")
    assert [a["id"] for a in wang["appointments"]] == [long_one.body["appointment"]["id"]]  # its morning tail
    moved = move(api, desk, long_one.body["appointment"], "20:00")
    assert moved.status == 200 and moved.body["appointment"]["endTime"] == "08:00", moved.body
    assert "08:30" in slots(short["service"]["id"], after)
    assert api.put(f"/appointments/{long_one.body['appointment']['id']}/cancel", {}, desk).status == 200
    assert "07:00" in slots(short["service"]["id"], after)
