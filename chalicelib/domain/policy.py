"""Policies: who may change an appointment, and when."""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.domain.errors import CancellationWindowClosed


def within_cutoff(start: datetime, now: datetime, cutoff_hours: int) -> bool:
    return start - now <= timedelta(hours=cutoff_hours)


def ensure_before_cutoff(start: datetime, now: datetime, cutoff_hours: int) -> None:
    """A customer may cancel or reschedule only more than the cutoff before the start."""
    if within_cutoff(start, now, cutoff_hours):
        raise CancellationWindowClosed(
            f"Appointments can be changed online only more than {cutoff_hours} hours ahead; please call the business."
        )


def refund_due(
    paid: int,
    start: datetime,
    now: datetime,
    cutoff_hours: int,
    late_percent: int,
    *,
    by_business: bool,
) -> int:
    """What a cancelled, paid appointment gives back, in minor units.

    The business cancelling gives everything back; a customer cancelling before the cutoff too; a
    customer's late cancellation (staff take it over the phone, since the app refuses it) keeps the
    business's share and refunds `late_percent`, rounded down to the minor unit.
    """
    if paid <= 0:
        return 0
    if by_business or not within_cutoff(start, now, cutoff_hours):
        return paid
    return paid * late_percent // 100
