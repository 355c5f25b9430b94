"""Policies: who may change an appointment, and when."""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.domain.errors import CancellationWindowClosed


def ensure_before_cutoff(start: datetime, now: datetime, cutoff_hours: int) -> None:
    """A customer may cancel or reschedule only more than the cutoff before the start."""
    if start - now <= timedelta(hours=cutoff_hours):
        raise CancellationWindowClosed(
            f"Appointments can be changed online only more than {cutoff_hours} hours ahead; please call the business."
        )
