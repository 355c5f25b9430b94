"""The appointment status machine of the appointment module (second seed)."""

from __future__ import annotations

from enum import StrEnum

from chalicelib.domain.errors import IllegalTransition


class Status(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no-show"

    @property
    def is_final(self) -> bool:
        return self in FINAL


FINAL = frozenset({Status.COMPLETED, Status.CANCELLED, Status.NO_SHOW})

ALLOWED: dict[Status, frozenset[Status]] = {
    Status.PENDING: frozenset({Status.CONFIRMED, Status.CANCELLED, Status.COMPLETED, Status.NO_SHOW}),
    Status.CONFIRMED: frozenset({Status.COMPLETED, Status.CANCELLED, Status.NO_SHOW}),
    Status.COMPLETED: frozenset(),
    Status.CANCELLED: frozenset(),
    Status.NO_SHOW: frozenset(),
}


def ensure_transition(current: Status, target: Status) -> None:
    if target not in ALLOWED[current]:
        raise IllegalTransition(f"An appointment that is {current.value} cannot become {target.value}.")


def ensure_open(current: Status) -> None:
    """Moving an appointment in time is allowed only while it is still open."""
    if current.is_final:
        raise IllegalTransition(f"An appointment that is {current.value} cannot be changed.")
