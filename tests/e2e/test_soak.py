"""A bounded soak of the running stack, then the table's invariants; and the checker catching planted breaks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.availability import Slot, wall_instant
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.daily_figures import Bucket, Delta
from chalicelib.domain.history import Change
from chalicelib.domain.occupancy import Hold, holdings
from chalicelib.domain.status import Status
from chalicelib.services import analytics
from chalicelib.store import Store, mapping
from chalicelib.store.occupancy import day_item, read_days
from scripts import invariants, soak, soak_webhooks
from scripts.invariants import Violation
from tests.conftest import LOCAL_ENV, SHANGHAI, fresh_store, working_day
from tests.e2e.conftest import Stack

TABLE = LOCAL_ENV["TABLE_NAME"]
PLANTER = Actor("planter", Role.STAFF, "Planter")


@pytest.mark.e2e
def test_sixteen_clients_booking_cancelling_and_moving_leave_no_5xx_and_every_invariant_holding(
    local_stack: Stack,
) -> None:
    # days 16+ ahead: the other e2e tests book within the next two weeks
    options = soak.Options(clients=16, bookings=64, days=10, first_day=16, seed=2026)
    # an integrator subscribed to the events that follow a booking, so an appointment may have several to order
    # (make soak's --webhooks takes every type; fewer here keeps the suite's time)
    changes = ["appointment.rescheduled", "appointment.cancelled", "payment.succeeded", "appointment.confirmed"]
    receiver = soak_webhooks.attach(soak.Http(local_stack.url), changes)

    try:
        result = soak.soak(local_stack.url, options)
        settled = invariants.settle(invariants.dynamodb(local_stack.aws), TABLE, within=60)
        log = soak_webhooks.settle(soak.Http(local_stack.url), receiver, within=60)
    finally:
        soak_webhooks.detach(soak.Http(local_stack.url), receiver)
    print(soak.report(result), soak.report_invariants(settled, 0), soak_webhooks.report(receiver, log), sep="\n")

    assert result.recorder.server_errors == [], soak.report(result)
    assert result.succeeded("book", 201) >= options.bookings // 2, soak.report(result)
    assert result.succeeded("cancel", 200) > 0 and result.succeeded("reschedule", 200) > 0, soak.report(result)
    assert broken(settled.results) == {}
    assert soak_webhooks.holds(receiver, log), soak_webhooks.report(receiver, log)  # each event once, in order


# -- the checker itself, on a fresh table of the in-process moto --------------------------------------
@pytest.fixture
def store(moto_endpoint: str) -> Store:
    return fresh_store(moto_endpoint)


def checked(moto_endpoint: str) -> dict[str, list[Violation]]:
    snapshot = invariants.Snapshot.of(invariants.scan(invariants.dynamodb(moto_endpoint), TABLE))
    return invariants.check(snapshot, datetime.now(UTC))


def broken(found: dict[str, list[Violation]]) -> dict[str, list[str]]:
    return {name: [str(v) for v in violations] for name, violations in found.items() if violations}


def appointment(
    store: Store, service_id: str, staff_id: str, hour: int, minute: int = 0, **changes: object
) -> Appointment:
    catalogue = store.catalogue.read()
    service, staff = catalogue.performer(service_id, staff_id)
    start = wall_instant(working_day(20), hour * 60 + minute, SHANGHAI)
    slot = Slot(start, start + timedelta(minutes=service.duration))
    info = CustomerInfo("Planted", "+8613800138000")
    booked = Appointment.book("planted-customer", info, service, staff, slot, catalogue.settings, datetime.now(UTC))
    return replace(booked, **changes)  # type: ignore[arg-type]


def booked(store: Store, made: Appointment) -> Appointment:
    """Through the store, as a booking is written: the appointment and its time in one transaction."""
    return store.changes.write(None, made, Change.of("book", PLANTER, None, made))


def test_the_checker_finds_nothing_wrong_in_a_table_the_store_kept(moto_endpoint: str, store: Store) -> None:
    booked(store, appointment(store, "svc-cut", "staff-li", 10))
    second = booked(store, appointment(store, "svc-scalp", "staff-li", 11))
    store.changes.write(second, replace(second, status=Status.CANCELLED), Change.of("cancel", PLANTER, second, second))
    booked(store, appointment(store, "svc-colour", "staff-wang", 14))  # a hold, not yet lapsed
    analytics.rebuild(store)

    assert broken(checked(moto_endpoint)) == {}


def test_the_checker_reports_open_appointments_that_overlap_only_through_a_buffer(
    moto_endpoint: str, store: Store
) -> None:
    first = booked(store, appointment(store, "svc-cut", "staff-li", 10, buffer_after=10))  # 10:00-10:55 occupied
    planted = appointment(store, "svc-consult", "staff-li", 10, 50)  # written without its time
    mapping.appointment_item(planted).save()
    gone = appointment(store, "svc-consult", "staff-li", 10, 30, status=Status.CANCELLED)
    mapping.appointment_item(gone).save()  # cancelled: overlapping it breaks nothing

    found = checked(moto_endpoint)

    assert [v.detail for v in found["no overlap"]] == [
        f"staff:staff-li: APPT#{first.id} until {first.end + timedelta(minutes=10):%Y-%m-%dT%H:%MZ} "
        f"and APPT#{planted.id} from {planted.start:%Y-%m-%dT%H:%MZ}"
    ]
    assert {v.detail.split()[0] for v in found["no missing hold"]} == {f"APPT#{planted.id}"}


def replant(calendar: str, day: date, change: Callable[[list[Hold]], list[Hold]]) -> None:
    """Rewrite one calendar day's holds behind the store's back."""
    read = read_days([(calendar, day)])[(calendar, day)]
    day_item(replace(read, holds=tuple(change(list(read.holds)))), read.revision + 1).save()


def span(hold: Hold) -> str:
    return f"{hold.start:%Y-%m-%dT%H:%MZ}-{hold.end:%Y-%m-%dT%H:%MZ}"


def test_the_checker_reports_time_held_for_nobody_for_a_cancelled_appointment_and_beyond_its_owner(
    moto_endpoint: str, store: Store
) -> None:
    live = booked(store, appointment(store, "svc-cut", "staff-li", 10))
    dead = appointment(store, "svc-cut", "staff-li", 15, status=Status.CANCELLED)
    mapping.appointment_item(dead).save()
    planted = [
        Hold(live.start + timedelta(hours=hours), live.start + timedelta(hours=hours, minutes=30), owner)
        for owner, hours in (("APPT#nobody", 2), (f"APPT#{live.id}", 3), (f"APPT#{dead.id}", 5))
    ]
    replant("staff:staff-li", live.start.astimezone(UTC).date(), lambda holds: sorted(holds + planted))

    details = [v.detail for v in checked(moto_endpoint)["no stray hold"]]

    assert details == [
        f"staff:staff-li {span(planted[0])} held by APPT#nobody, which does not exist",
        f"staff:staff-li {span(planted[1])} held by APPT#{live.id}, which does not occupy it",
        f"staff:staff-li {span(planted[2])} held by APPT#{dead.id}, which is cancelled",
    ]


def test_the_checker_reports_an_open_appointment_missing_its_time(moto_endpoint: str, store: Store) -> None:
    live = booked(store, appointment(store, "svc-scalp", "staff-chen", 13))
    (hold,) = holdings(live.occupied, live.holder)[("staff:staff-chen", live.start.astimezone(UTC).date())]
    replant("staff:staff-chen", live.start.astimezone(UTC).date(), lambda holds: [h for h in holds if h != hold])

    details = [v.detail for v in checked(moto_endpoint)["no missing hold"]]

    assert details == [f"APPT#{live.id} (staff:staff-chen) {span(hold)} not held"]


def test_the_checker_reports_a_hold_the_sweep_should_have_let_go_but_not_one_just_lapsed(
    moto_endpoint: str, store: Store
) -> None:
    now = datetime.now(UTC)
    stale = booked(store, appointment(store, "svc-colour", "staff-li", 10, hold_expires_at=now - timedelta(minutes=5)))
    booked(store, appointment(store, "svc-colour", "staff-wang", 10, hold_expires_at=now - timedelta(seconds=5)))

    found = checked(moto_endpoint)

    assert [v.detail.split()[0] for v in found["no orphaned hold"]] == [f"APPT#{stale.id}"]


def test_the_checker_reports_figures_that_differ_from_a_rebuild_but_not_zero_counters(
    moto_endpoint: str, store: Store
) -> None:
    made = booked(store, appointment(store, "svc-cut", "staff-li", 10))
    analytics.rebuild(store)
    day = made.local_start.date()
    store.figures.apply("planted-1", Delta(add={(Bucket.DAY, day, "svc:svc-cut:n"): 1}))
    store.figures.apply("planted-2", Delta(add={(Bucket.DAY, day, "hr:16"): 1}))
    store.figures.apply("planted-3", Delta(add={(Bucket.DAY, day, "hr:16"): -1}))  # back to 0: nothing wrong

    details = [v.detail for v in checked(moto_endpoint)["figures agree with a rebuild"]]

    assert details == [f"main DAY#{day}: svc:svc-cut:n=2 (rebuild 1)"]  # the business's own location's figures
    analytics.rebuild(store)
    assert broken(checked(moto_endpoint)) == {}


def test_settling_reports_a_violation_as_soon_as_the_table_stands_still(moto_endpoint: str, store: Store) -> None:
    live = booked(store, appointment(store, "svc-cut", "staff-li", 10))
    replant("staff:staff-li", live.start.astimezone(UTC).date(), lambda holds: [])
    analytics.rebuild(store)

    settled = invariants.settle(invariants.dynamodb(moto_endpoint), TABLE, within=600)

    assert (settled.scans, settled.still) == (2, True)  # not scans for 600 s: nothing was going to fix it
    assert broken(settled.results).keys() == {"no missing hold"}


def test_settling_a_table_that_keeps_its_invariants_takes_one_scan(moto_endpoint: str, store: Store) -> None:
    booked(store, appointment(store, "svc-cut", "staff-li", 10))
    analytics.rebuild(store)

    settled = invariants.settle(invariants.dynamodb(moto_endpoint), TABLE, within=600)

    assert (settled.holds, settled.scans, settled.still) == (True, 1, False)
