"""Policies: who may change an appointment, and when."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from chalicelib.domain.catalogue import BusinessSettings
from chalicelib.domain.errors import CancellationWindowClosed, LimitReached

if TYPE_CHECKING:  # the appointment module uses these policies
    from chalicelib.domain.appointment import Appointment


def within_cutoff(start: datetime, now: datetime, cutoff_hours: int) -> bool:
    return start - now <= timedelta(hours=cutoff_hours)


def ensure_before_cutoff(start: datetime, now: datetime, cutoff_hours: int) -> None:
    """A customer may cancel or reschedule only more than the cutoff before the start."""
    if within_cutoff(start, now, cutoff_hours):
        raise CancellationWindowClosed(
            f"Appointments can be changed online only more than {cutoff_hours} hours ahead; please call the business."
        )


def ensure_within_limits(
    ahead: Sequence[Appointment], wants_a_hold: bool, settings: BusinessSettings, now: datetime
) -> None:
    """Against slot hoarding: a customer has at most `max_upcoming` open appointments ahead, and at most
    `max_unpaid_holds` of them unpaid holds still running. `ahead` is their open appointments to come."""
    if len(ahead) >= settings.max_upcoming:
        raise LimitReached(
            f"You already have {len(ahead)} upcoming appointments, the most at once; cancel one or come back later.",
            {"upcoming": f"at most {settings.max_upcoming}"},
        )
    holds = [a for a in ahead if a.hold_expires_at is not None and not a.hold_lapsed(now)]
    if wants_a_hold and len(holds) >= settings.max_unpaid_holds:
        raise LimitReached(
            f"You have {len(holds)} bookings waiting for payment; pay or cancel one before holding another.",
            {"holds": f"at most {settings.max_unpaid_holds}"},
        )
