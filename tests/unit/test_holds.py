"""A short hold (domain/holds.py): kept for its customer, asking nothing, booked on the terms of any booking, released
when let go or lapsed, and told to nobody."""

from datetime import timedelta

import pytest

from chalicelib.domain.deposits import NO_TERMS, Reason, Terms
from chalicelib.domain.errors import HoldExpired, IllegalTransition, InvalidInput, PaymentNotDue
from chalicelib.domain.holds import Hold, hold_minutes
from chalicelib.domain.notices import plan
from chalicelib.domain.payment_status import PaymentStatus
from chalicelib.domain.status import Status
from tests.unit.test_appointment import COLOUR, CUSTOMER, CUT, NOW, SETTINGS, appointment


def test_a_hold_is_pending_asks_nothing_and_lapses_at_its_minutes() -> None:
    held = appointment(COLOUR).as_hold(3, NOW)
    assert (held.status, held.payment_status, held.hold, held.terms) == (
        Status.PENDING,
        PaymentStatus.NOT_REQUIRED,
        Hold.PLACED,
        NO_TERMS,
    )
    assert held.hold_lapses_at == NOW + timedelta(minutes=3) and held.occupied
    with pytest.raises(PaymentNotDue):
        held.ensure_payable(NOW)


def test_booking_a_hold_confirms_it_or_asks_the_payment_the_service_asks() -> None:
    free = appointment(CUT).as_hold(5, NOW).book_hold(NO_TERMS, SETTINGS, NOW)
    assert (free.status, free.hold, free.hold_expires_at) == (Status.CONFIRMED, Hold.BOOKED, None)
    paid = appointment(COLOUR).as_hold(5, NOW).book_hold(Terms(39900, Reason.PREPAYMENT), SETTINGS, NOW)
    assert (paid.status, paid.payment_status) == (Status.PENDING, PaymentStatus.AWAITING)
    assert paid.hold_lapses_at == NOW + timedelta(minutes=SETTINGS.hold_minutes)
    with pytest.raises(IllegalTransition):
        free.book_hold(NO_TERMS, SETTINGS, NOW)


def test_a_lapsed_hold_cannot_be_booked_and_expires_released() -> None:
    held = appointment(CUT).as_hold(1, NOW)
    later = NOW + timedelta(minutes=2)
    with pytest.raises(HoldExpired):
        held.book_hold(NO_TERMS, SETTINGS, later)
    gone = held.expire_hold(later)
    assert (gone.status, gone.hold, gone.cancelled_reason, gone.occupied) == (
        Status.CANCELLED,
        Hold.RELEASED,
        "hold_expired",
        {},
    )


def test_a_hold_is_let_go_at_no_cost_inside_the_cutoff_and_staff_cannot_confirm_or_move_it() -> None:
    held = appointment(CUT, hours_ahead=3).as_hold(5, NOW)
    gone = held.cancel(CUSTOMER, "", NOW, SETTINGS)
    assert (gone.status, gone.hold, gone.fee, gone.cancelled_reason) == (
        Status.CANCELLED,
        Hold.RELEASED,
        None,
        "hold_released",
    )
    with pytest.raises(IllegalTransition):
        held.confirm(NOW)
    assert [n.kind.value for n in plan(None, held, NOW).put] == ["hold"]  # its expiry; no message
    assert plan(held, gone, NOW).put == ()


def test_minutes_are_one_to_the_business_hold_minutes_five_by_default() -> None:
    assert (hold_minutes(None, 15), hold_minutes(None, 3), hold_minutes(15, 15)) == (5, 3, 15)
    for wrong in (0, 16, True):
        with pytest.raises(InvalidInput):
            hold_minutes(wrong, 15)
