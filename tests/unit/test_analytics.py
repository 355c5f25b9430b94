from dataclasses import replace
from datetime import UTC, datetime, timedelta

from chalicelib.domain.analytics import Stats, average_booking_value, completion_rate, no_show_rate
from chalicelib.domain.appointment import Appointment, CustomerInfo
from chalicelib.domain.availability import Slot
from chalicelib.domain.catalogue import BusinessSettings, Service, StaffMember
from chalicelib.domain.money import Money
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
