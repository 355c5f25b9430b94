"""The seed's analytics formulas (appointment-analytics.js) over a list of appointments; rates are
percentages 0-100."""

from __future__ import annotations

from collections.abc import Sequence

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.status import Status


def rate(part: int, whole: int) -> float:
    """part over whole, as a percentage; 0 when there is nothing to count."""
    return part / whole * 100 if whole else 0.0


def no_show_rate(appointments: Sequence[Appointment]) -> float:
    """calculateNoShowRate: no-shows over all appointments."""
    return rate(sum(a.status is Status.NO_SHOW for a in appointments), len(appointments))


def completion_rate(appointments: Sequence[Appointment]) -> float:
    return rate(sum(a.status is Status.COMPLETED for a in appointments), len(appointments))


def average_booking_value(appointments: Sequence[Appointment]) -> float:
    """calculateAverageBookingValue: the mean totalAmount of completed appointments, in major units."""
    completed = [a for a in appointments if a.status is Status.COMPLETED]
    if not completed:
        return 0.0
    return sum(a.price.major for a in completed) / len(completed)


def peaks(counts: Sequence[int]) -> list[int]:
    """findPeakTimes: every index holding the highest count (all of them when nothing was counted)."""
    top = max(counts, default=0)
    return [i for i, count in enumerate(counts) if count == top]
