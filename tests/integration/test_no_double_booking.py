"""The invariant: no two open appointments overlap on a calendar they share (a staff member's, a room's),
whatever the concurrency."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.availability import Rules
from chalicelib.domain.catalogue import Resource, Service
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.errors import ConcurrentChange, SlotTaken
from chalicelib.domain.history import Change
from chalicelib.domain.money import Money
from chalicelib.domain.notices import plan
from chalicelib.domain.parts import Wanted
from chalicelib.domain.segments import Segment
from chalicelib.domain.status import Status
from chalicelib.services import appointments, availability, booking, visits
from chalicelib.services.booking import BookingRequest
from chalicelib.store import Store
from tests.conftest import fresh_store, now, working_day

DAY = working_day()
GUEST = CustomerInfo("Guest", "+8613800138000")


def request(service: str, minutes: int, staff: str = "staff-li") -> BookingRequest:
    return BookingRequest(service, staff, DAY, minutes, GUEST)


def test_twenty_threads_booking_one_slot_give_exactly_one_winner(store: Store) -> None:
    barrier = threading.Barrier(20)

    def attempt(i: int) -> str:
        barrier.wait()
        actor = Actor(f"customer-{i}", Role.CUSTOMER)
        try:
            booking.book(store, actor, request("svc-cut", 600), now())
        except SlotTaken:
            return "taken"
        return "booked"

    with ThreadPoolExecutor(20) as pool:
        outcomes = list(pool.map(attempt, range(20)))
    assert outcomes.count("booked") == 1 and outcomes.count("taken") == 19


def test_overlapping_durations_race_and_only_one_wins(store: Store) -> None:
    barrier = threading.Barrier(2)
    wanted = [request("svc-scalp", 600), request("svc-cut", 630)]  # 10:00-11:00 against 10:30-11:15

    def attempt(i: int) -> bool:
        barrier.wait()
        try:
            booking.book(store, Actor(f"c{i}", Role.CUSTOMER), wanted[i], now())
        except SlotTaken:
            return False
        return True

    with ThreadPoolExecutor(2) as pool:
        assert sorted(pool.map(attempt, range(2))) == [False, True]


SERVICES = {"svc-consult": 30, "svc-cut": 45, "svc-scalp": 60, "svc-colour": 90}


@settings(max_examples=10, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(SERVICES)), st.integers(0, 40)), min_size=1, max_size=6))
def test_offered_slots_are_bookable_and_booked_time_is_never_offered(
    local_stage: str, picks: list[tuple[str, int]]
) -> None:
    store = fresh_store(local_stage)
    zone = Rules(store.catalogue.read().settings, now()).zone
    booked: list[tuple[datetime, datetime]] = []
    for n, (service, pick) in enumerate(picks):
        _, offered = availability.available_slots(store, service, "staff-li", DAY, now())
        for slot in offered:  # nothing offered overlaps anything booked
            assert all(slot.end <= start or slot.start >= end for start, end in booked), slot
        if not offered:
            continue
        slot = offered[pick % len(offered)]
        local = slot.start.astimezone(zone)
        wanted = request(service, local.hour * 60 + local.minute)
        customer = Actor(f"c{n}", Role.CUSTOMER)  # one each: the per-customer limits are not under test here
        made = booking.book(store, customer, wanted, now())  # offered, so bookable
        booked.append((made.start, made.start + timedelta(minutes=made.duration)))
        with pytest.raises(SlotTaken):
            booking.book(store, Actor("d", Role.CUSTOMER), wanted, now())


ROOM_SERVICES = ["svc-facial", "svc-facial", "svc-consult", "svc-cut", "svc-colour"]  # mostly the room's
FACIAL = Service(
    "svc-facial",
    "Facial",
    60,
    Money(20000, "CNY"),
    segments=(Segment(20), Segment(20, staff_free=True), Segment(20)),
    buffer_after=10,
    needs=("treatment room",),
)


def with_a_room(store: Store) -> None:
    """One treatment room shared by two stylists, and a facial with processing time that needs it."""
    catalogue = store.catalogue.read()
    store.catalogue.save_resource(Resource("room-1", "Room 1", "treatment room"))
    store.catalogue.save_service(FACIAL)
    for staff_id in ("staff-li", "staff-wang"):
        member = catalogue.staff[staff_id]
        store.catalogue.save_staff(replace(member, service_ids=member.service_ids | {FACIAL.id}))


@settings(max_examples=10, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(ROOM_SERVICES), st.sampled_from(["staff-li", "staff-wang"]), st.integers(0, 40)),
        min_size=1,
        max_size=6,
    )
)
@example([("svc-facial", "staff-li", 3), ("svc-facial", "staff-wang", 0), ("svc-consult", "staff-li", 0)])
def test_with_rooms_and_processing_time_what_is_offered_is_bookable_and_clashes_on_no_calendar(
    local_stage: str, picks: list[tuple[str, str, int]]
) -> None:
    store = fresh_store(local_stage)
    with_a_room(store)
    catalogue = store.catalogue.read()
    zone = catalogue.settings.zone
    taken: dict[str, list[tuple[datetime, datetime]]] = {}  # calendar -> intervals held by what was booked
    for n, (service_id, staff_id, pick) in enumerate(picks):
        if service_id not in catalogue.staff[staff_id].service_ids:
            continue
        _, offered = availability.available_slots(store, service_id, staff_id, DAY, now())
        for slot in offered:  # on every calendar it would take, nothing booked overlaps
            would = replace(
                Appointment.book(
                    "x",
                    GUEST,
                    catalogue.services[service_id],
                    catalogue.staff[staff_id],
                    slot,
                    catalogue.settings,
                    now(),
                ),
                resources=tuple(catalogue.resources.values()) if service_id == FACIAL.id else (),
            )
            for calendar, intervals in would.occupied.items():
                for start, end in intervals:
                    assert all(end <= s or start >= e for s, e in taken.get(calendar, [])), (calendar, slot)
        if not offered:
            continue
        local = offered[pick % len(offered)].start.astimezone(zone)
        wanted = request(service_id, local.hour * 60 + local.minute, staff_id)
        made = booking.book(store, Actor(f"c{n}", Role.CUSTOMER), wanted, now())  # offered, so bookable
        for calendar, intervals in made.occupied.items():
            taken.setdefault(calendar, []).extend(intervals)
        with pytest.raises(SlotTaken):
            booking.book(store, Actor("d", Role.CUSTOMER), wanted, now())


def test_a_stale_change_that_frees_locks_is_told_apart_from_a_taken_slot(store: Store) -> None:
    """DynamoDB names the failed item by position, and pynamodb sends deletes before puts: read by role."""
    alice = Actor("customer-alice", Role.CUSTOMER)
    booked = booking.book(store, alice, request("svc-cut", 600), now())
    stale = store.appointments.get(booked.id)
    appointments.schedule_reminders(store, alice, booked.id, ("24h",), now())  # someone changed it meanwhile
    cancelled = stale.cancel(alice, "", now(), store.catalogue.read().settings)
    with pytest.raises(ConcurrentChange):
        store.changes.write(
            stale, cancelled, Change.of("cancel", alice, stale, cancelled), notices=plan(stale, cancelled, now())
        )
    assert store.appointments.get(booked.id).status is Status.CONFIRMED


VISITS = [
    (Wanted("svc-cut", "staff-wang"), Wanted("svc-facial")),  # the facial needs the room, with processing time
    (Wanted("svc-cut"), Wanted("svc-scalp")),
    (Wanted("svc-facial", "staff-li"), Wanted("svc-cut", "staff-li")),
    (Wanted("svc-consult", "staff-li"),),
]


@settings(max_examples=10, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(VISITS) - 1), st.integers(0, 40)), min_size=1, max_size=6))
@example([(0, 0), (2, 0), (1, 0), (0, 0)])
def test_a_visit_offered_is_bookable_and_no_two_bookings_clash_on_any_calendar(
    local_stage: str, picks: list[tuple[int, int]]
) -> None:
    store = fresh_store(local_stage)
    with_a_room(store)
    zone = store.catalogue.read().settings.zone
    made: list[Appointment] = []
    for n, (which, pick) in enumerate(picks):
        wanted = VISITS[which]
        if len(wanted) > 1:
            _, offered = visits.available_slots(store, wanted, DAY, now())
        else:
            _, offered = availability.available_slots(store, wanted[0].service_id, wanted[0].staff_id, DAY, now())
        if not offered:
            continue
        local = offered[pick % len(offered)].start.astimezone(zone)
        first = wanted[0]
        asked = BookingRequest(
            first.service_id, first.staff_id, DAY, local.hour * 60 + local.minute, GUEST, visit=wanted
        )
        made.append(booking.book(store, Actor(f"c{n}", Role.CUSTOMER), asked, now()))  # offered, so bookable
    held = [(calendar, span, a.id) for a in made for calendar, spans in a.occupied.items() for span in spans]
    for calendar, (start, end), owner in held:
        for other_calendar, (s, e), other in held:
            assert owner == other or other_calendar != calendar or end <= s or start >= e, (calendar, owner, other)
