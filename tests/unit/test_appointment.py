from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.availability import Slot
from chalicelib.domain.catalogue import BusinessSettings, Service, StaffMember
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.errors import CancellationWindowClosed, IllegalTransition
from chalicelib.domain.money import Money
from chalicelib.domain.notices import Kind, Notice, Schedule, next_due, owed_now, plan, stamped
from chalicelib.domain.payment_news import PaymentNews, heard
from chalicelib.domain.payment_status import PaymentStatus
from chalicelib.domain.status import Status

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
SETTINGS = BusinessSettings(buffer_before=10, buffer_after=5)
LI = StaffMember("li", "Li Na")
CUSTOMER = Actor("customer-1", Role.CUSTOMER)
STAFF = Actor("staff-1", Role.STAFF)


def appointment(service: Service, hours_ahead: int = 48) -> Appointment:
    start = NOW + timedelta(hours=hours_ahead)
    slot = Slot(start, start + timedelta(minutes=service.duration))
    return Appointment.book(CUSTOMER.id, CustomerInfo("A", "+8613800138000"), service, LI, slot, SETTINGS, NOW)


CUT = Service("cut", "Haircut", 45, Money(8800, "CNY"))
COLOUR = Service("colour", "Colour", 90, Money(39900, "CNY"), requires_payment=True)


def test_a_free_service_is_confirmed_and_a_paid_one_is_a_hold_until_paid() -> None:
    free, paid = appointment(CUT), appointment(COLOUR)
    assert (free.status, free.payment_status, free.hold_expires_at) == (
        Status.CONFIRMED,
        PaymentStatus.NOT_REQUIRED,
        None,
    )
    assert (paid.status, paid.payment_status) == (Status.PENDING, PaymentStatus.AWAITING)
    assert paid.hold_expires_at == NOW + timedelta(minutes=15)


def test_an_open_appointment_takes_its_staff_members_time_with_the_buffers_and_a_final_one_none() -> None:
    booked = appointment(CUT)
    first, last = booked.start - timedelta(minutes=10), booked.end + timedelta(minutes=5)
    assert booked.occupied == {f"staff:{booked.staff_id}": [(first, last)]}
    assert booked.cancel(STAFF, "ill", NOW, SETTINGS).occupied == {}


def test_a_customer_cannot_cancel_a_confirmed_booking_inside_the_cutoff_but_may_let_a_hold_go() -> None:
    with pytest.raises(CancellationWindowClosed):
        appointment(CUT, hours_ahead=5).cancel(CUSTOMER, "", NOW, SETTINGS)
    let_go = appointment(COLOUR, hours_ahead=5).cancel(CUSTOMER, "", NOW, SETTINGS)
    assert (let_go.status, let_go.payment_status) == (Status.CANCELLED, PaymentStatus.UNPAID)
    assert appointment(CUT, hours_ahead=5).cancel(STAFF, "ill", NOW, SETTINGS).cancelled_by == "staff"


def test_a_cancelled_appointment_is_final() -> None:
    cancelled = appointment(CUT).cancel(CUSTOMER, "", NOW, SETTINGS)
    with pytest.raises(IllegalTransition):
        cancelled.cancel(STAFF, "", NOW, SETTINGS)
    later = NOW + timedelta(days=3)
    with pytest.raises(IllegalTransition):
        cancelled.reschedule(STAFF, LI, Slot(later, later + timedelta(minutes=45)), SETTINGS, NOW)


def test_a_reschedule_moves_the_time_and_forgets_a_sent_reminder() -> None:
    booked = appointment(CUT)
    later = NOW + timedelta(days=3)
    moved = booked.reschedule(CUSTOMER, LI, Slot(later, later + timedelta(minutes=45)), SETTINGS, NOW)
    assert (moved.start, moved.id, moved.status) == (later, booked.id, Status.CONFIRMED)
    assert moved.reminder_sent_at is None


def test_a_cancellation_is_announced_once_not_again_on_each_later_change() -> None:
    paid = heard(appointment(COLOUR), PaymentNews(captured=39900), NOW)
    cancelled = paid.cancel(STAFF, "ill", NOW, SETTINGS)
    assert [n.kind for n in plan(paid, cancelled, NOW).put] == [Kind.CANCELLATION, Kind.REFUND]
    refunded = heard(cancelled, PaymentNews(captured=39900, refunded=39900), NOW)
    assert plan(cancelled, refunded, NOW).put == ()


def test_a_booking_schedules_its_confirmation_now_and_each_reminder_then_at_its_time() -> None:
    booked = appointment(CUT)
    assert plan(None, booked, NOW).schedule == Schedule(NOW)
    assert owed_now(booked, NOW, NOW) == Notice(booked.id, Kind.CONFIRMATION, NOW)
    confirmed = stamped(booked, Notice(booked.id, Kind.CONFIRMATION, NOW), NOW)
    day_before, two_hours = booked.start - timedelta(hours=24), booked.start - timedelta(hours=2)
    assert next_due(confirmed, NOW) == day_before
    assert owed_now(confirmed, day_before, day_before - timedelta(seconds=1)) is None  # not yet
    first = owed_now(confirmed, day_before, day_before)
    assert first == Notice(booked.id, Kind.REMINDER, day_before, offset="24h")
    reminded = stamped(confirmed, first, day_before)
    assert next_due(reminded, day_before) == two_hours
    assert owed_now(reminded, two_hours, two_hours) == Notice(booked.id, Kind.REMINDER, two_hours, offset="2h")
    assert next_due(stamped(reminded, Notice(booked.id, Kind.REMINDER, two_hours), two_hours), two_hours) is None


def test_a_late_sweep_sends_the_latest_reminder_due_only_and_none_passed_over_when_set() -> None:
    booked = replace(appointment(CUT), confirmation_sent_at=NOW)
    day_before, two_hours = booked.start - timedelta(hours=24), booked.start - timedelta(hours=2)
    late = owed_now(booked, day_before, two_hours + timedelta(minutes=5))
    assert late == Notice(booked.id, Kind.REMINDER, two_hours, offset="2h")  # "in 2 hours", not also "tomorrow"
    soon = replace(appointment(CUT, hours_ahead=5), confirmation_sent_at=NOW)  # the day-before moment had gone
    at = soon.start - timedelta(hours=2)
    assert next_due(soon, NOW) == at
    assert owed_now(soon, at, at) == Notice(soon.id, Kind.REMINDER, at, offset="2h")


def test_a_change_sets_the_schedule_only_when_what_it_follows_from_moves() -> None:
    booked = replace(appointment(CUT), confirmation_sent_at=NOW)
    day_before = booked.start - timedelta(hours=24)
    cancelled = booked.cancel(STAFF, "", NOW, SETTINGS)
    assert plan(booked, cancelled, NOW).schedule == Schedule(None)  # out of the sweep's index
    assert plan(booked, replace(booked, notes="tea"), NOW).schedule is None  # nothing to write
    reminded = replace(booked, reminder_sent_at=day_before)
    later = booked.start + timedelta(days=3)
    moved = reminded.reschedule(CUSTOMER, LI, Slot(later, later + timedelta(minutes=45)), SETTINGS, NOW)
    assert plan(reminded, moved, NOW).schedule == Schedule(later - timedelta(hours=24), clear_reminder=True)
    held = appointment(COLOUR)  # waiting for its payment: nothing owed yet, nothing written
    assert plan(None, held, NOW).schedule is None
    paid = heard(held, PaymentNews(captured=39900), NOW)
    assert plan(held, paid, NOW).schedule == Schedule(NOW)  # confirmed: its confirmation now
    started = booked.start + timedelta(minutes=10)
    assert plan(booked, booked.complete(started), started).schedule is None  # nothing was owed any more
    missed = booked.mark_no_show(started, SETTINGS)
    assert plan(booked, missed, started).put == (Notice(booked.id, Kind.NO_SHOW, started),)
