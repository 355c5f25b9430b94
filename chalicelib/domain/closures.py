"""Business-wide closures (holidays): whole days on which nobody works, whatever their own hours say."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from chalicelib.domain.errors import InvalidInput

MAX_DAYS_AHEAD = 2 * 366
MAX_NAME = 100


@dataclass(frozen=True, order=True)
class Closure:
    day: date
    name: str = ""

    @classmethod
    def plan(cls, days: Collection[date], name: str, today: date, room: int) -> list[Closure]:
        """New closures: today or later, at most two years ahead, and no more than `room` at once."""
        if not days:
            raise InvalidInput("dates must list at least one date.", {"dates": "required"})
        if len(days) > room:
            raise InvalidInput(f"Add at most {room} closures at once.", {"dates": f"more than {room}"})
        for day in days:
            if not today <= day <= today + timedelta(days=MAX_DAYS_AHEAD):
                raise InvalidInput(
                    f"{day} is not between today ({today}) and two years ahead.", {"dates": "out of range"}
                )
        if len(name) > MAX_NAME:
            raise InvalidInput(f"name must be at most {MAX_NAME} characters.", {"name": "too long"})
        return sorted(cls(day, name) for day in set(days))
