"""The seed's client-side formulas (appointment-analytics.js), on the server: rates are percentages 0-100."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.status import Status


def no_show_rate(appointments: Sequence[Appointment]) -> float:
    """calculateNoShowRate: no-shows over all appointments."""
    if not appointments:
        return 0.0
    return sum(a.status is Status.NO_SHOW for a in appointments) / len(appointments) * 100


def completion_rate(appointments: Sequence[Appointment]) -> float:
    if not appointments:
        return 0.0
    return sum(a.status is Status.COMPLETED for a in appointments) / len(appointments) * 100


def average_booking_value(appointments: Sequence[Appointment]) -> float:
    """calculateAverageBookingValue: the mean totalAmount of completed appointments, in major units."""
    completed = [a for a in appointments if a.status is Status.COMPLETED]
    if not completed:
        return 0.0
    return sum(a.price.major for a in completed) / len(completed)


@dataclass(frozen=True)
class Stats:
    total: int
    completion_rate: float
    no_show_rate: float
    popular_types: list[tuple[str, int]]

    @classmethod
    def of(cls, appointments: Sequence[Appointment], top: int = 5) -> Stats:
        popular = Counter(a.service_name for a in appointments).most_common(top)
        return cls(len(appointments), completion_rate(appointments), no_show_rate(appointments), popular)
