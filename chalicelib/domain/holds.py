"""A short hold: a customer (or their assistant) keeps a free slot for a few minutes while they decide.

The hold is an appointment of theirs, `pending`, that takes its time on its calendars as every booking does, so
nobody else can book it until `hold_expires_at`. Booking it makes it a booking on the terms any booking of theirs
would have (a deposit or prepayment makes it a hold awaiting payment); let go or lapsed (the sweep of lapsed holds),
its time is free again. A hold asks nothing, costs nothing to let go and is told to nobody.
"""

from __future__ import annotations

from enum import StrEnum

from chalicelib.domain.errors import InvalidInput

DEFAULT_MINUTES = 5


class Hold(StrEnum):
    """Where an appointment placed as a hold stands."""

    PLACED = "placed"  # its time held for the customer until they book it or it is released
    BOOKED = "booked"  # booked: an appointment like any other
    RELEASED = "released"  # let go, or lapsed: its time is free again


def hold_minutes(asked: int | None, most: int) -> int:
    """How long to hold: the asked minutes, 1 to the business's `holdMinutes`; default 5 (or less, if that is the
    most)."""
    if asked is None:
        return min(DEFAULT_MINUTES, most)
    if isinstance(asked, bool) or not isinstance(asked, int) or not 1 <= asked <= most:
        raise InvalidInput(f"minutes must be a whole number from 1 to {most}.", {"minutes": "out of range"})
    return asked
