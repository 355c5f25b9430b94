"""Which room an appointment takes, and when a slot needing one is free."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.availability import Busy, Rules, Slot, is_free
from chalicelib.domain.catalogue import BusinessSettings, Catalogue, Resource, Service
from chalicelib.domain.errors import SlotTaken
from chalicelib.domain.money import Money
from chalicelib.domain.occupancy import CalendarDay, Hold, Taken, holdings
from chalicelib.domain.resources import assign_units, unit_days
from chalicelib.domain.segments import Segment
from chalicelib.domain.status import Status
from tests.unit.test_mapping import JUST_BOOKED

T = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
ROOM_1, ROOM_2 = Resource("r1", "Room 1", "treatment room"), Resource("r2", "Room 2", "treatment room")
FACIAL = Service("facial", "Facial", 60, Money(20000, "CNY"), needs=("treatment room",))
RULES = Rules(BusinessSettings(min_notice_minutes=0), T - timedelta(days=1))


def at(minutes: int) -> datetime:
    return T + timedelta(minutes=minutes)


def appointment(start: int = 0, duration: int = 60, segments: tuple[Segment, ...] = ()) -> Appointment:
    return replace(JUST_BOOKED, start=at(start), duration=duration, buffer_before=0, buffer_after=15, segments=segments)


def days_with(unit: Resource, owner: str, start: int, end: int) -> dict[tuple[str, date], CalendarDay]:
    held = holdings({f"resource:{unit.id}": [(at(start), at(end))]}, owner)
    return {key: CalendarDay(*key, holds=tuple(holds), revision=1) for key, holds in held.items()}


def test_the_first_free_unit_is_taken_in_the_order_given() -> None:
    wanted = appointment()
    assert assign_units(wanted, {"treatment room": [ROOM_1, ROOM_2]}, {}).resources == (ROOM_1,)
    room_1_taken = days_with(ROOM_1, "APPT#other", 50, 90)  # overlaps the cleaning buffer only
    assert assign_units(wanted, {"treatment room": [ROOM_1, ROOM_2]}, room_1_taken).resources == (ROOM_2,)
    its_own = days_with(ROOM_1, wanted.holder, 0, 75)  # a move: its own time is no clash
    assert assign_units(wanted, {"treatment room": [ROOM_1]}, its_own).resources == (ROOM_1,)
    with pytest.raises(SlotTaken) as none_free:
        assign_units(wanted, {"treatment room": [ROOM_1]}, room_1_taken)
    assert none_free.value.fields == {"resources": "treatment room"}


def test_a_unit_is_held_for_the_whole_span_even_while_the_staff_member_is_free() -> None:
    colour = appointment(duration=105, segments=(Segment(30), Segment(45, staff_free=True), Segment(30)))
    taking = replace(colour, resources=(ROOM_1,))
    assert taking.occupied == {
        "staff:li": [(at(0), at(30)), (at(75), at(120))],
        "resource:r1": [(at(0), at(120))],
    }
    assert replace(taking, status=Status.CANCELLED).occupied == {}
    assert unit_days({"treatment room": [ROOM_1, ROOM_2]}, colour) == {
        ("resource:r1", T.date()),
        ("resource:r2", T.date()),
    }


def test_a_slot_needing_a_room_is_free_only_while_one_unit_is() -> None:
    slot = Slot(at(0), at(60))
    one_taken = Taken((Hold(at(30), at(45), "APPT#x"),))
    assert is_free(slot, FACIAL, RULES, Busy(Taken(), {"treatment room": [one_taken, Taken()]}))
    assert not is_free(slot, FACIAL, RULES, Busy(Taken(), {"treatment room": [one_taken]}))
    assert not is_free(slot, FACIAL, RULES, Busy(Taken(), {}))  # no unit at all: never offered
    assert not is_free(slot, FACIAL, RULES, Busy(one_taken, {"treatment room": [Taken()]}))  # the staff member


def test_the_catalogue_offers_active_units_of_each_type_needed_the_held_ones_first() -> None:
    retired = Resource("r0", "Room 0", "treatment room", active=False)
    chair = Resource("c1", "Chair", "colour chair")
    catalogue = Catalogue(BusinessSettings(), {}, {}, resources={r.id: r for r in (ROOM_2, retired, chair, ROOM_1)})
    assert catalogue.units(FACIAL) == {"treatment room": [ROOM_1, ROOM_2]}
    assert catalogue.units(FACIAL, first=(ROOM_2,)) == {"treatment room": [ROOM_2, ROOM_1]}
    assert catalogue.units(replace(FACIAL, needs=())) == {}
