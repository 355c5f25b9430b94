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
from chalicelib.domain.notices import Kind, plan
from chalicelib.domain.payment_news import PaymentNews
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
    paid = appointment(COLOUR).heard(PaymentNews(captured=39900), NOW)
    cancelled = paid.cancel(STAFF, "ill", NOW, SETTINGS)
    assert [n.kind for n in plan(paid, cancelled, NOW).put] == [Kind.CANCELLATION, Kind.REFUND]
    refunded = cancelled.heard(PaymentNews(captured=39900, refunded=39900), NOW)
    assert plan(cancelled, refunded, NOW).put == ()


def test_closing_an_appointment_drops_only_the_reminders_still_waiting_in_the_outbox() -> None:
    """Reminders relayed by the sweep (stamped on the appointment) have left the outbox: deleting them would cost
    a write for nothing."""
    booked = appointment(CUT)
    keys = ("reminder#24h", "reminder#2h")
    assert plan(booked, booked.cancel(STAFF, "", NOW, SETTINGS), NOW).drop == keys
    first_sent = replace(booked, reminder_sent_at=booked.start - timedelta(hours=24) + timedelta(seconds=30))
    assert plan(first_sent, first_sent.cancel(STAFF, "", NOW, SETTINGS), NOW).drop == ("reminder#2h",)
    started = booked.start + timedelta(minutes=10)
    assert plan(booked, booked.mark_no_show(started), started).drop == keys  # never swept: both still there
    both_sent = replace(booked, reminder_sent_at=booked.start - timedelta(hours=2) + timedelta(seconds=30))
    assert plan(both_sent, both_sent.complete(started), started).drop == ()
