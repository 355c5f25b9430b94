"""The calendar the business keeps: dates far enough from year 1 and 9999 that no window overflows.

A schedule, an overview or a block adds days and hours to the date it is given; at 0001-01-01 or
9999-12-31 that was an OverflowError and a 500. Every date and time a client sends is checked here.
"""

from __future__ import annotations

from datetime import date

from chalicelib.domain.errors import InvalidInput

EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)


def supported(day: date, name: str) -> date:
    """`day` itself, if the business's calendar holds it; otherwise InvalidInput naming the field."""
    if not EARLIEST <= day <= LATEST:
        raise InvalidInput(f"{name} must fall between {EARLIEST} and {LATEST}.", {name: "out of range"})
    return day
