"""Working hours: weekly ranges, breaks, and date overrides (an empty override closes the day)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from chalicelib.domain.dates import supported
from chalicelib.domain.errors import InvalidInput

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
MINUTES_PER_DAY = 24 * 60


def parse_hhmm(value: object, name: str = "time", allow_midnight_end: bool = False) -> int:
    """ "HH:MM" as minutes after midnight; "24:00" only as the end of a range."""
    if allow_midnight_end and value == "24:00":
        return MINUTES_PER_DAY
    match = _HHMM.match(value) if isinstance(value, str) else None
    if not match:
        raise InvalidInput(f"{name} must be a time as HH:MM.", {name: "expected HH:MM"})
    return int(match.group(1)) * 60 + int(match.group(2))


def format_hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, order=True)
class Span:
    """A range of wall-clock minutes after midnight, [start, end)."""

    start: int
    end: int

    @classmethod
    def parse(cls, raw: object, name: str) -> Span:
        if not isinstance(raw, Mapping):
            raise InvalidInput(f"{name} must be an object with start and end.", {name: "expected {start, end}"})
        span = cls(
            parse_hhmm(raw.get("start"), f"{name}.start"),
            parse_hhmm(raw.get("end"), f"{name}.end", allow_midnight_end=True),
        )
        if span.end <= span.start:
            raise InvalidInput(f"{name} must end after it starts.", {name: "end before start"})
        return span

    def to_dict(self) -> dict[str, str]:
        return {"start": format_hhmm(self.start), "end": format_hhmm(self.end)}


Point = TypeVar("Point", int, datetime)


def cut(ranges: Iterable[tuple[Point, Point]], holes: Iterable[tuple[Point, Point]]) -> list[tuple[Point, Point]]:
    """Half-open ranges minus the holes: what is left, in order."""
    result = sorted(ranges)
    for hole_start, hole_end in sorted(holes):
        pieces: list[tuple[Point, Point]] = []
        for start, end in result:
            if hole_end <= start or hole_start >= end:
                pieces.append((start, end))
                continue
            if start < hole_start:
                pieces.append((start, hole_start))
            if hole_end < end:
                pieces.append((hole_end, end))
        result = pieces
    return result


def subtract(spans: Iterable[Span], holes: Iterable[Span]) -> tuple[Span, ...]:
    left = cut([(s.start, s.end) for s in spans], [(h.start, h.end) for h in holes])
    return tuple(Span(start, end) for start, end in left)


def _merge(spans: Iterable[Span]) -> tuple[Span, ...]:
    merged: list[Span] = []
    for span in sorted(spans):
        if merged and span.start <= merged[-1].end:
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, span.end))
        else:
            merged.append(span)
    return tuple(merged)


def _parse_list(raw: object, name: str) -> tuple[Span, ...]:
    if not isinstance(raw, list):
        raise InvalidInput(f"{name} must be a list of {{start, end}}.", {name: "expected a list"})
    return _merge(Span.parse(item, f"{name}[{i}]") for i, item in enumerate(raw))


def _parse_weekly(raw: object, name: str) -> dict[int, tuple[Span, ...]]:
    if raw is None:
        return {}
    if isinstance(raw, list):  # the same ranges every day
        spans = _parse_list(raw, name)
        return {day: spans for day in range(7)}
    if not isinstance(raw, Mapping):
        raise InvalidInput(f"{name} must map weekdays (mon..sun) to ranges.", {name: "expected an object"})
    unknown = set(raw) - set(WEEKDAYS)
    if unknown:
        raise InvalidInput(f"{name} has unknown weekdays: {', '.join(sorted(unknown))}.", {name: "unknown weekday"})
    return {WEEKDAYS.index(day): _parse_list(spans, f"{name}.{day}") for day, spans in raw.items()}


def _parse_overrides(raw: object) -> dict[date, tuple[Span, ...] | None]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise InvalidInput("overrides must map dates to ranges.", {"overrides": "expected an object"})
    overrides: dict[date, tuple[Span, ...] | None] = {}
    for key, spans in raw.items():
        try:
            day = supported(date.fromisoformat(key), "overrides")
        except (TypeError, ValueError):
            raise InvalidInput(f"overrides key {key!r} is not a date.", {"overrides": "expected YYYY-MM-DD"}) from None
        overrides[day] = None if spans is None else _parse_list(spans, f"overrides.{key}")
    return overrides


@dataclass(frozen=True)
class WorkingHours:
    weekly: Mapping[int, tuple[Span, ...]] = field(default_factory=dict)
    breaks: Mapping[int, tuple[Span, ...]] = field(default_factory=dict)
    overrides: Mapping[date, tuple[Span, ...]] = field(default_factory=dict)

    def from_day(self, today: date) -> WorkingHours:
        """Without the overrides of days already past."""
        return replace(self, overrides={d: s for d, s in self.overrides.items() if d >= today})

    def closed_on(self, days: Iterable[date]) -> WorkingHours:
        """These hours with whole days closed (the business's closures), whatever they said for them."""
        return replace(self, overrides={**self.overrides, **dict.fromkeys(days, ())})

    def open_spans(self, day: date) -> tuple[Span, ...]:
        """An override states the day's exact hours; otherwise weekly hours minus breaks."""
        if day in self.overrides:
            return self.overrides[day]
        weekday = day.weekday()
        return subtract(self.weekly.get(weekday, ()), self.breaks.get(weekday, ()))

    def closes_after_midnight(self, day: date) -> int:
        """How far past midnight the day's last range runs on into the next day's first (0 if it does not):
        hours to 24:00 then from 00:00 are one stretch, so a long service may cross midnight."""
        today, tomorrow = self.open_spans(day), self.open_spans(day + timedelta(days=1))
        if today and tomorrow and today[-1].end == MINUTES_PER_DAY and tomorrow[0].start == 0:
            return tomorrow[0].end
        return 0

    @classmethod
    def from_dict(cls, raw: object) -> WorkingHours:
        return cls().merged(raw)

    def merged(self, raw: object) -> WorkingHours:
        """A change that keeps what it does not name: `weekly` and `breaks` replace theirs when given;
        `overrides` change the dates they name, and a date given as null drops its override."""
        if not isinstance(raw, Mapping):
            raise InvalidInput("availability must be an object.", {"availability": "expected an object"})
        unknown = sorted(set(raw) - {"weekly", "breaks", "overrides"})
        if unknown:
            raise InvalidInput(
                f"availability has unknown fields: {', '.join(unknown)} (weekly, breaks, overrides).",
                {unknown[0]: "unknown field"},
            )
        overrides = dict(self.overrides)
        for day, spans in _parse_overrides(raw.get("overrides")).items():
            if spans is None:
                overrides.pop(day, None)
            else:
                overrides[day] = spans
        return WorkingHours(
            _parse_weekly(raw["weekly"], "weekly") if "weekly" in raw else self.weekly,
            _parse_weekly(raw["breaks"], "breaks") if "breaks" in raw else self.breaks,
            overrides,
        )

    def to_dict(self) -> dict[str, Any]:
        def weekly(spans: Mapping[int, tuple[Span, ...]]) -> dict[str, list[dict[str, str]]]:
            return {WEEKDAYS[d]: [s.to_dict() for s in spans[d]] for d in sorted(spans)}

        return {
            "weekly": weekly(self.weekly),
            "breaks": weekly(self.breaks),
            "overrides": {d.isoformat(): [s.to_dict() for s in spans] for d, spans in sorted(self.overrides.items())},
        }


@dataclass(frozen=True)
class WithinHours(WorkingHours):
    """Hours kept inside other hours: a staff member's at a location, inside its opening hours."""

    bounds: WorkingHours = field(default_factory=WorkingHours)

    def open_spans(self, day: date) -> tuple[Span, ...]:
        shut = subtract((Span(0, MINUTES_PER_DAY),), self.bounds.open_spans(day))
        return subtract(super().open_spans(day), shut)


def within(hours: WorkingHours, bounds: WorkingHours) -> WorkingHours:
    """`hours` inside `bounds`; bounds that say nothing (no weekly hours, no overrides) bound nothing."""
    if not bounds.weekly and not bounds.overrides:
        return hours
    return WithinHours(hours.weekly, hours.breaks, hours.overrides, bounds)
