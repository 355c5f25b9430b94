"""Processing time: a service made of stretches in which the staff member is busy or free.

A colour is 30 minutes applying (busy), 45 processing (free: the stylist can take another client), 30
rinsing and cutting (busy). The staff member's calendar holds only the busy stretches, with the buffers
before the first and after the last; a service without segments keeps its staff member busy throughout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.domain.errors import InvalidInput

Interval = tuple[datetime, datetime]
MAX_SEGMENTS = 8


@dataclass(frozen=True)
class Segment:
    minutes: int
    staff_free: bool = False
    label: str = ""


def check_segments(segments: Sequence[Segment], duration: int) -> None:
    if not segments:
        return
    if len(segments) > MAX_SEGMENTS:
        raise InvalidInput(f"A service has at most {MAX_SEGMENTS} segments.", {"segments": "too many"})
    for segment in segments:
        if segment.minutes < 5 or segment.minutes % 5:
            raise InvalidInput("Each segment lasts 5 minutes or more, in steps of 5.", {"segments": "out of range"})
    if sum(s.minutes for s in segments) != duration:
        raise InvalidInput(
            f"The segments must add up to the duration ({duration} minutes).", {"segments": "not the duration"}
        )
    if all(s.staff_free for s in segments):
        raise InvalidInput("At least one segment needs the staff member.", {"segments": "nobody busy"})


def staff_time(
    start: datetime, duration: int, segments: Sequence[Segment], buffer_before: int, buffer_after: int
) -> list[Interval]:
    """The intervals the staff member is busy, buffers included, in order and merged where they touch."""
    end = start + timedelta(minutes=duration)
    busy: list[Interval] = [(start - timedelta(minutes=buffer_before), start)] if buffer_before else []
    cursor = start
    for segment in segments or (Segment(duration),):
        following = cursor + timedelta(minutes=segment.minutes)
        if not segment.staff_free:
            busy.append((cursor, following))
        cursor = following
    if buffer_after:
        busy.append((end, end + timedelta(minutes=buffer_after)))
    merged: list[Interval] = []
    for first, last in busy:
        if merged and merged[-1][1] >= first:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged
