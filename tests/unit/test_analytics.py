from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from chalicelib.domain.analytics import Stats, booking_metrics
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.availability import Slot
from chalicelib.domain.block import Block
from chalicelib.domain.catalogue import BusinessSettings, Service, StaffMember
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.daily_figures import Bucket, Delta, Key, appointment_figures, block_marks, totals
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.formulas import average_booking_value, completion_rate, no_show_rate, peaks
from chalicelib.domain.money import Money
from chalicelib.domain.periods import Window
from chalicelib.domain.status import Status

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def appointment(status: Status, price: int, name: str = "Haircut") -> Appointment:
    service = Service("s", name, 30, Money(price, "CNY"))
    slot = Slot(NOW + timedelta(days=1), NOW + timedelta(days=1, minutes=30))
    booked = Appointment.book(
        "c", CustomerInfo("A", "+8613800138000"), service, StaffMember("li", "Li"), slot, BusinessSettings(), NOW
    )
    return replace(booked, status=status)


def test_the_seeds_no_show_rate_is_no_shows_over_all_appointments() -> None:
    # calculateNoShowRate([{status:'no-show'}, {status:'completed'}, {status:'completed'}, {status:'cancelled'}]) = 25
    sample = [
        appointment(Status.NO_SHOW, 100),
        appointment(Status.COMPLETED, 100),
        appointment(Status.COMPLETED, 100),
        appointment(Status.CANCELLED, 100),
    ]
    assert no_show_rate(sample) == 25.0
    assert no_show_rate([]) == 0


def test_the_seeds_average_booking_value_counts_completed_appointments_only() -> None:
    # calculateAverageBookingValue: completed 199 and 99 -> 149; the no-show's 500 does not count
    sample = [
        appointment(Status.COMPLETED, 19900),
        appointment(Status.COMPLETED, 9900),
        appointment(Status.NO_SHOW, 50000),
    ]
    assert average_booking_value(sample) == 149.0
    assert average_booking_value([appointment(Status.CONFIRMED, 100)]) == 0


def test_stats_give_totals_rates_and_the_most_popular_types() -> None:
    sample = [
        appointment(Status.COMPLETED, 1, "Cut"),
        appointment(Status.COMPLETED, 1, "Cut"),
        appointment(Status.CONFIRMED, 1, "Colour"),
        appointment(Status.NO_SHOW, 1, "Cut"),
    ]
    stats = Stats.of(sample)
    assert (stats.total, stats.completion_rate, stats.no_show_rate) == (4, 50.0, 25.0)
    assert stats.popular_types == [("Cut", 3), ("Colour", 1)]
    assert completion_rate([]) == 0


def test_peaks_are_the_seeds_find_peak_times() -> None:
    # findPeakTimes([0, 3, 1, 3]) = [1, 3]; with nothing counted, Math.max is 0 and every index is a peak
    assert peaks([0, 3, 1, 3]) == [1, 3]
    assert peaks([0, 0, 0]) == [0, 1, 2]


def test_the_changes_of_an_appointment_add_up_to_its_figures_now() -> None:
    booked = appointment(Status.CONFIRMED, 8800)
    done = replace(booked, status=Status.COMPLETED)
    moved = replace(done, start=done.start + timedelta(days=1))  # to another day: its figures move with it
    total: Counter[Key] = Counter()
    for before, after in [(None, booked), (booked, done), (done, moved)]:
        total.update(Delta.of_appointment(before, after).add)
    assert {k: v for k, v in total.items() if v} == appointment_figures(moved)
    day = moved.local_start.date()
    assert appointment_figures(moved)[(Bucket.DAY, day, "value")] == 8800
    assert (Bucket.DAY, day - timedelta(days=1), "n") not in appointment_figures(moved)


def test_a_cancelled_booking_still_counts_in_the_total_but_not_as_a_booking_kept() -> None:
    figures = appointment_figures(appointment(Status.CANCELLED, 8800))
    names = {name for _, _, name in figures}
    assert {"n", "st:cancelled", "hr:10"} <= names
    assert not any(name.startswith(("svc:s:n", "stf:")) or name.endswith(":n") for name in names - {"n"})


def test_a_block_over_midnight_marks_both_days() -> None:
    start = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)  # 22:00 in Shanghai
    block = Block("b1", "li", start, start + timedelta(hours=4), "Asia/Shanghai", "", "desk", NOW)
    marks = block_marks(block)
    assert marks == {
        (Bucket.DAY, date(2026, 12, 1), "blk:li:b1"): "1320-1440",
        (Bucket.DAY, date(2026, 12, 2), "blk:li:b1"): "0-120",
    }
    assert Delta.of_block(block, None).drop == frozenset(marks)


def test_the_window_is_the_period_ending_today() -> None:
    window = Window.ending(date(2026, 11, 23), "7d")
    assert (window.first, window.last, len(window.days)) == (date(2026, 11, 17), date(2026, 11, 23), 7)
    assert window.before(7) == Window(date(2026, 11, 10), date(2026, 11, 16))
    assert Window.ending(date(2026, 11, 23), None).first == date(2026, 10, 25)  # 30 days by default
    with pytest.raises(InvalidInput):
        Window.ending(date(2026, 11, 23), "2w")


def test_metrics_from_daily_figures_use_the_seeds_formulas() -> None:
    sample = [
        appointment(Status.NO_SHOW, 100),
        appointment(Status.COMPLETED, 19900),
        appointment(Status.COMPLETED, 9900),
        appointment(Status.CANCELLED, 100),
    ]
    figures = totals(sample, [])
    day = sample[0].local_start.date()
    days = {d: f for (bucket, d), f in figures.items() if bucket is Bucket.DAY}
    metrics = booking_metrics(days, Window(day, day), "CNY")
    assert metrics.no_show_rate == no_show_rate(sample) == 25.0
    assert metrics.average_booking_value == average_booking_value(sample) == 149.0
    assert (metrics.completion_rate, metrics.cancellation_rate) == (50.0, 25.0)
