"""An appointment's payment is the merge of what the provider said: any order of its events ends alike."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.availability import Slot
from chalicelib.domain.catalogue import BusinessSettings, Service, StaffMember
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.money import Money
from chalicelib.domain.notices import Kind, Schedule, plan
from chalicelib.domain.payment_news import PaymentNews, heard
from chalicelib.domain.payment_status import PaymentStatus
from chalicelib.domain.status import Status

BOOKED = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
IN_TIME = BOOKED + timedelta(minutes=5)  # the hold lasts 15 minutes
TOO_LATE = BOOKED + timedelta(minutes=20)
PRICE = 39900
COLOUR = Service("colour", "Colour", 90, Money(PRICE, "CNY"), requires_payment=True)
CUSTOMER = Actor("customer-1", Role.CUSTOMER)


def _hold() -> Appointment:
    start = BOOKED + timedelta(days=2)
    slot = Slot(start, start + timedelta(minutes=COLOUR.duration))
    info = CustomerInfo("A", "+8613800138000")
    return Appointment.book(CUSTOMER.id, info, COLOUR, StaffMember("li", "Li"), slot, BusinessSettings(), BOOKED)


HOLD = _hold()


def at(seconds: int) -> datetime:
    return BOOKED + timedelta(seconds=seconds)


SUCCEEDED = PaymentNews(captured=PRICE, at=at(60))


def refunded(total: int) -> PaymentNews:
    return PaymentNews(captured=PRICE, refunded=total, at=at(120))


def test_a_refund_heard_before_the_success_confirms_the_hold_as_success_then_refund_does() -> None:
    natural = heard(heard(HOLD, SUCCEEDED, IN_TIME), refunded(10000), IN_TIME)
    reversed_ = heard(heard(HOLD, refunded(10000), IN_TIME), SUCCEEDED, IN_TIME)
    assert (reversed_.status, reversed_.payment_status) == (Status.CONFIRMED, PaymentStatus.PARTIALLY_REFUNDED)
    assert reversed_.hold_lapses_at is None and reversed_ == natural


def test_a_full_refund_heard_first_leaves_pending_and_keeps_the_time_like_the_natural_order() -> None:
    first = heard(HOLD, refunded(PRICE), IN_TIME)
    assert (first.status, first.payment_status, first.paid_amount) == (Status.CONFIRMED, PaymentStatus.REFUNDED, PRICE)
    assert plan(HOLD, first, IN_TIME).schedule == Schedule(IN_TIME)  # its confirmation, now


def test_a_payment_heard_after_the_hold_lapsed_cancels_it_and_owes_it_all_back_before_the_sweep_comes() -> None:
    late = heard(HOLD, SUCCEEDED, TOO_LATE)
    swept_first = heard(HOLD.expire_hold(TOO_LATE), SUCCEEDED, TOO_LATE)
    assert (late.status, late.cancelled_reason, late.refund_requested) == (Status.CANCELLED, "hold_expired", PRICE)
    assert late == swept_first
    assert {n.kind for n in plan(HOLD, late, TOO_LATE).put} == {Kind.CANCELLATION, Kind.REFUND}


def test_a_hold_let_go_and_then_paid_owes_it_all_back() -> None:
    let_go = HOLD.cancel(CUSTOMER, "changed my mind", IN_TIME, BusinessSettings())
    paid = heard(let_go, refunded(5000), IN_TIME)
    assert (paid.status, paid.refund_requested, paid.payment_status) == (
        Status.CANCELLED,
        PRICE,
        PaymentStatus.PARTIALLY_REFUNDED,
    )


def test_of_two_declines_the_later_ones_reason_stands_whichever_arrives_last() -> None:
    first, second = (
        PaymentNews(failure="card declined", at=at(10)),
        PaymentNews(failure="insufficient funds", at=at(20)),
    )
    assert heard(heard(HOLD, first, IN_TIME), second, IN_TIME).payment_error == "insufficient funds"
    assert heard(heard(HOLD, second, IN_TIME), first, IN_TIME).payment_error == "insufficient funds"
    assert heard(heard(heard(HOLD, second, IN_TIME), SUCCEEDED, IN_TIME), first, IN_TIME).payment_error == ""


def test_news_heard_again_changes_nothing() -> None:
    once = heard(heard(HOLD, SUCCEEDED, IN_TIME), refunded(10000), IN_TIME)
    assert heard(once, refunded(10000), TOO_LATE) is once and heard(once, SUCCEEDED, TOO_LATE) is once


# -- every order ---------------------------------------------------------------------------------------------

Step = tuple[PaymentNews | None, bool]  # what arrived (None: the sweep ran), and whether the hold had lapsed


@st.composite
def payments(draw: st.DrawFn) -> tuple[list[PaymentNews], list[Step]]:
    """The events of one payment in natural order, and a delivery: shuffled, repeated, some after the
    hold lapsed, with the sweep running in between."""
    declines = draw(st.lists(st.sampled_from(["declined", "expired card", "insufficient funds"]), max_size=3))
    natural = [PaymentNews(failure=reason, at=at(i)) for i, reason in enumerate(declines)]
    if draw(st.booleans()):
        natural.append(SUCCEEDED)
    totals = draw(st.lists(st.integers(1, PRICE), max_size=3, unique=True))
    natural += [refunded(total) for total in sorted(totals)]
    delivered = draw(st.permutations(natural + draw(st.lists(st.sampled_from(natural), max_size=3)) if natural else []))
    lapse = draw(st.integers(0, len(delivered)))
    steps: list[Step] = [(news, i >= lapse) for i, news in enumerate(delivered)]
    for _ in range(draw(st.integers(0, 2))):
        where = draw(st.integers(0, len(steps)))
        steps.insert(where, (None, sum(1 for news, _ in steps[:where] if news) >= lapse))
    return natural, steps


def settled(appointment: Appointment, steps: list[Step]) -> Appointment:
    """The steps applied, then the sweep that eventually comes; the clock's moment of each change aside."""
    for news, late in [*steps, (None, True)]:
        now = TOO_LATE if late else IN_TIME
        if news is not None:
            appointment = heard(appointment, news, now)
        elif appointment.hold_lapsed(now):
            appointment = appointment.expire_hold(now)
    return replace(appointment, updated_at=BOOKED)


@settings(max_examples=500, deadline=None)
@given(payments())
def test_every_order_of_a_payments_events_ends_as_the_natural_order_does(
    drawn: tuple[list[PaymentNews], list[Step]],
) -> None:
    natural, steps = drawn
    taken_in_time = next((not late for news, late in steps if news and news.captured), False)
    expected = settled(HOLD, [(news, not taken_in_time) for news in natural])
    assert settled(HOLD, steps) == expected
