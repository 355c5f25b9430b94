"""The seed's ScheduleManager: schedules, hours, blocks, conflicts and the day's overview (staff only)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.api import inputs, presenters
from chalicelib.api.docs import LOCATION, Doc, date, required
from chalicelib.api.http import STAFF, Call, Routes
from chalicelib.services import schedule
from chalicelib.store import get_store

routes = Routes(__name__)


@routes.route(
    "/appointments/staff/{staff_id}/schedule",
    allow=STAFF,
    doc=Doc(
        "A staff member's days (at most 62)",
        answer="Schedule",
        params=(date("startDate", required=True), date("endDate"), LOCATION),
    ),
)
def staff_schedule(call: Call, staff_id: str) -> dict[str, Any]:
    first = inputs.day(call.query("startDate"), "startDate")
    last = inputs.day(call.query("endDate") or call.query("startDate"), "endDate")
    zone, days = schedule.schedule(get_store(), staff_id, first, last, call.query("locationId"))
    return {"schedule": [presenters.staff_day(d, zone) for d in days]}


@routes.route(
    "/appointments/staff/{staff_id}/availability",
    allow=STAFF,
    doc=Doc("A staff member's working hours", answer="Hours"),
)
def get_availability(call: Call, staff_id: str) -> dict[str, Any]:
    member = schedule.hours(get_store(), staff_id)
    return {"staffId": member.id, "availability": member.hours.to_dict()}


@routes.route(
    "/appointments/staff/{staff_id}/availability",
    methods=("PUT",),
    allow=STAFF,
    doc=Doc("Change working hours (what the body leaves out is kept)", answer="HoursAnswer", body="HoursRequest"),
)
def set_availability(call: Call, staff_id: str) -> dict[str, Any]:
    member, outside = schedule.set_hours(get_store(), staff_id, call.body.get("availability"), datetime.now(UTC))
    return {
        "success": True,
        "staffId": member.id,
        "availability": member.hours.to_dict(),
        "outsideHours": [presenters.appointment(a) for a in outside],
    }


@routes.route(
    "/appointments/schedule/block",
    methods=("POST",),
    allow=STAFF,
    status=201,
    doc=Doc("Block time", answer="BlockAnswer", body="BlockRequest"),
)
def block(call: Call) -> dict[str, Any]:
    body = call.body
    start, end = inputs.time_range(body.get("timeSlot"))
    made = schedule.block_time(
        get_store(),
        call.actor,
        inputs.text(body, "staffId", required=False),
        inputs.day(body.get("date")),
        start,
        end,
        inputs.text(body, "reason", required=False, max_length=200),
        datetime.now(UTC),
        resource_id=inputs.text(body, "resourceId", required=False),
    )
    return {"success": True, "id": made.id, "block": presenters.block(made)}


@routes.route(
    "/appointments/schedule/unblock/{block_id}",
    methods=("DELETE",),
    allow=STAFF,
    doc=Doc("Unblock", answer="Done"),
)
def unblock(call: Call, block_id: str) -> dict[str, Any]:
    schedule.unblock(get_store(), block_id)
    return {"success": True}


@routes.route(
    "/appointments/schedule/conflicts",
    allow=STAFF,
    doc=Doc(
        "What a time would collide with",
        answer="Conflicts",
        params=(*required("staffId", "timeSlot"), date("date", required=True)),
    ),
)
def conflicts(call: Call) -> dict[str, Any]:
    start, end = inputs.time_range(call.query("timeSlot"))
    zone, found = schedule.find_conflicts(
        get_store(), inputs.text(call.query_params, "staffId"), inputs.day(call.query("date")), start, end
    )
    return {"conflicts": [presenters.conflict(c, zone) for c in found]}


@routes.route(
    "/appointments/schedule/overview",
    allow=STAFF,
    doc=Doc(
        "Every staff member's day (without a date: today where the business is)",
        answer="Overview",
        params=(date("date"), LOCATION),
    ),
)
def overview(call: Call) -> dict[str, Any]:
    asked, place = call.query("date"), call.query("locationId")
    day = inputs.day(asked) if asked else None
    return presenters.overview(schedule.overview(get_store(), day, datetime.now(UTC), place))
