"""Time a staff member or a resource is not bookable for: a meeting, an errand, a training, maintenance."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.occupancy import Interval, resource_calendar, staff_calendar

MAX_BLOCK = timedelta(hours=8)  # longer: close whole days with a date override


@dataclass(frozen=True)
class Block:
    id: str
    staff_id: str
    start: datetime
    end: datetime
    timezone: str
    reason: str
    blocked_by: str
    created_at: datetime
    resource_id: str = ""  # a resource's block (a room in maintenance); its staff_id is then ""

    @classmethod
    def new(
        cls,
        staff_id: str,
        start: datetime,
        end: datetime,
        timezone: str,
        reason: str,
        blocked_by: str,
        now: datetime,
        resource_id: str = "",
    ) -> Block:
        if end <= start:
            raise InvalidInput("A block must end after it starts.", {"timeSlot": "end before start"})
        if end - start > MAX_BLOCK:
            raise InvalidInput(
                "A block can last at most 8 hours; close whole days with a date override instead.",
                {"timeSlot": "longer than 8 hours"},
            )
        return cls(uuid.uuid4().hex, staff_id, start, end, timezone, reason, blocked_by, now, resource_id)

    @property
    def holder(self) -> str:
        return f"BLOCK#{self.id}"

    @property
    def occupied(self) -> dict[str, list[Interval]]:
        calendar = resource_calendar(self.resource_id) if self.resource_id else staff_calendar(self.staff_id)
        return {calendar: [(self.start, self.end)]}

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(ZoneInfo(self.timezone))
