"""A visit's services back to back: where it fits, what it holds, how each staff member sees it, what it counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.availability import Busy, Rules
from chalicelib.domain.catalogue import BusinessSettings, Resource, Service, StaffMember
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.daily_figures import appointment_figures, shares
from chalicelib.domain.hours import WorkingHours
from chalicelib.domain.money import Money
from chalicelib.domain.occupancy import Hold, Taken
from chalicelib.domain.parts import Part
from chalicelib.domain.segments import Segment
from chalicelib.domain.visits import share_of, steps, visit_of, visit_slots

ZONE = ZoneInfo("Asia/Shanghai")
DAY = date(2027, 1, 12)  # a Tuesday
NOW = datetime(2027, 1, 11, 0, tzinfo=UTC)
SETTINGS = BusinessSettings(buffer_before=5, buffer_after=10, min_notice_minutes=0)
HOURS = WorkingHours.from_dict({"weekly": {"tue": [{"start": "09:00", "end": "12:00"}]}})
CUT = Service("cut", "Haircut", 45, Money(8800, "CNY"))
COLOUR = Service(
    "colour",
    "Colour",
    60,
    Money(30000, "CNY"),
    segments=(Segment(20), Segment(30, staff_free=True), Segment(10)),
    needs=("colour chair",),
)
CHAIR = Resource("chair-1", "Chair 1", "colour chair")


def at(hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(DAY.year, DAY.month, DAY.day, hours, minutes, tzinfo=ZONE).astimezone(UTC)


def taken(*spans: tuple[str, str]) -> Taken:
    return Taken(tuple(Hold(at(s), at(e), "APPT#other") for s, e in spans))


def starts(performers: list[list[tuple[WorkingHours, Busy]]]) -> list[str]:
    found = visit_slots(DAY, [CUT, COLOUR], performers, Rules(SETTINGS, NOW))
    return [f"{s.start.astimezone(ZONE):%H:%M}" for s in found]


def test_the_services_follow_each_other_with_the_buffers_before_the_first_and_after_the_last_only() -> None:
    cut, colour = steps([CUT, COLOUR], at("10:00"), SETTINGS)
    assert (cut.slot.start, cut.slot.end, colour.slot.start, colour.slot.end) == (
        at("10:00"),
        at("10:45"),
        at("10:45"),
        at("11:45"),
    )
    assert (cut.service.buffers(SETTINGS), colour.service.buffers(SETTINGS)) == ((5, 0), (0, 10))


def test_a_start_is_offered_when_every_service_has_someone_free_and_a_unit_and_within_hours() -> None:
    free = Busy(Taken(), {"colour chair": [Taken()]})
    assert starts([[(HOURS, free)], [(HOURS, free)]]) == ["09:00", "09:30", "10:00"]  # 10:30 + 105 > 12:00 + 10
    stylist = Busy(taken(("11:05", "11:30")), {"colour chair": [Taken()]})
    # from 10:00 the colour's processing (11:05-11:35) leaves the stylist free then; from 9:30 its rinse would not
    assert starts([[(HOURS, stylist)], [(HOURS, stylist)]]) == ["09:00", "10:00"]
    chair_taken = Busy(Taken(), {"colour chair": [taken(("11:50", "12:00"))]})
    assert starts([[(HOURS, free)], [(HOURS, chair_taken)]]) == ["09:00", "09:30"]  # 10:00 holds it till 11:55
    short = WorkingHours.from_dict({"weekly": {"tue": [{"start": "09:00", "end": "11:00"}]}})
    assert starts([[(HOURS, free)], [(short, free)]]) == ["09:00"]  # the colourist leaves at 11:00


def test_any_of_several_performers_will_do_for_each_service() -> None:
    chair = {"colour chair": [Taken()]}
    early = Busy(taken(("09:00", "09:30")), chair)
    late = Busy(taken(("10:30", "12:00")), chair)
    assert starts([[(HOURS, early)], [(HOURS, early)]]) == ["10:00"]
    assert starts([[(HOURS, late)], [(HOURS, late)]]) == []
    both = [(HOURS, early), (HOURS, late)]
    assert starts([both, both]) == ["09:00", "09:30", "10:00"]  # from 9:00, the late one cuts and the early one colours


def visit() -> Appointment:
    cut = Part("cut", "Haircut", "li", "Li Na", at("10:00"), 45, CUT.price)
    colour = Part(
        "colour", "Colour", "wang", "Wang Lei", at("10:45"), 60, COLOUR.price, COLOUR.segments, COLOUR.needs, (CHAIR,)
    )
    made = visit_of("c1", CustomerInfo("Ann", "+8613800138000"), (cut, colour), [CUT, COLOUR], SETTINGS, NOW)
    return made


def test_a_visit_holds_each_staff_member_while_busy_and_each_unit_for_its_service_only() -> None:
    made = visit()
    assert (made.start, made.end, made.duration, made.price.minor) == (at("10:00"), at("11:45"), 105, 38800)
    assert (made.service_id, made.staff_id, made.service_name) == ("cut", "li", "Haircut + Colour")
    assert made.held == {
        "staff:li": [(at("09:55"), at("10:45"))],
        "staff:wang": [(at("10:45"), at("11:05")), (at("11:35"), at("11:55"))],
        "resource:chair-1": [(at("10:45"), at("11:55"))],
    }
    assert made.occupied == made.held
    assert replace(made, status=made.status.__class__("cancelled")).occupied == {}


def test_each_staff_member_sees_their_share_as_an_appointment_of_theirs() -> None:
    made = visit()
    wang = share_of(made, "wang")
    assert wang is not None
    assert (wang.start, wang.duration, wang.service_name, wang.staff_name) == (at("10:45"), 60, "Colour", "Wang Lei")
    assert (wang.id, wang.service_id, wang.price, wang.parts) == (made.id, "colour", made.price, made.parts)
    assert (wang.buffer_before, wang.buffer_after, wang.resources) == (0, 10, (CHAIR,))
    li = share_of(made, "li")
    assert li is not None and (li.start, li.duration, li.buffer_before, li.buffer_after) == (at("10:00"), 45, 5, 0)
    assert share_of(made, "chen") is None
    one = Part("cut", "Haircut", "li", "Li Na", at("12:00"), 45, CUT.price)
    both = replace(made, parts=(made.parts[0], made.parts[1], one))
    li_twice = share_of(both, "li")
    assert li_twice is not None and li_twice.duration == 165  # 10:00-12:45, free while Wang colours
    assert [s.staff_free for s in li_twice.segments] == [False, True, False]


def test_a_visit_counts_each_service_and_each_staff_members_minutes_with_the_revenue_shared_by_price() -> None:
    made = replace(visit(), paid_amount=38800, payment_status=visit().payment_status)
    figures = {key[2]: value for key, value in appointment_figures(made).items()}
    assert (figures["svc:cut:n"], figures["svc:colour:n"]) == (1, 1)
    assert (figures["stf:li:min"], figures["stf:wang:min"]) == (45, 60)
    assert shares(38800, [8800, 30000]) == [8800, 30000]
    assert shares(100, [1, 1, 1]) == [33, 33, 34] and shares(10, [0, 0]) == [5, 5]
    assert StaffMember("li", "Li Na").name == made.parts[0].staff_name
