"""The periods a report covers: the last 7, 30, 90 or 365 days, and the figures added up over them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from chalicelib.domain.daily_figures import Figures, counter
from chalicelib.domain.errors import InvalidInput

PERIODS = {"7d": 7, "30d": 30, "90d": 90, "365d": 365}


@dataclass(frozen=True)
class Window:
    """The days a report covers: the period's N days ending today, both ends included."""

    first: date
    last: date

    @classmethod
    def ending(cls, today: date, period: str | None) -> Window:
        chosen = period or "30d"
        if chosen not in PERIODS:
            raise InvalidInput(f"period must be one of {', '.join(PERIODS)}.", {"period": "unknown period"})
        return cls(today - timedelta(days=PERIODS[chosen] - 1), today)

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    def before(self, days: int) -> Window:
        """The `days` days just before this window."""
        return Window(self.first - timedelta(days=days), self.first - timedelta(days=1))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


def summed(days: Mapping[date, Figures], window: Window, name: str) -> int:
    """A counter added up over the window's days."""
    return sum(counter(days.get(day, {}), name) for day in window.days)
