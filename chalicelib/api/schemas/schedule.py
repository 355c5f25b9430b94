"""Staff schedules: working hours, blocks, days, conflicts and the day's overview."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from chalicelib.api.docs import DATE
from chalicelib.api.schemas.appointments import Appointment
from chalicelib.api.schemas.base import HHMM, Done, Model


class Span(Model):
    start: str = Field(pattern=HHMM)
    end: str = Field(pattern=HHMM)


class WorkingHours(Model):
    weekly: dict[str, list[Span]] = Field(description="mon..sun → ranges")
    breaks: dict[str, list[Span]]
    overrides: dict[str, list[Span]] = Field(description="YYYY-MM-DD → ranges; [] = closed")


class Block(Model):
    id: str
    staffId: str = Field(description="Empty for a resource's block.")
    resourceId: str | None = Field(default=None, description="The room or equipment blocked, if it is one.")
    date: str = Field(pattern=DATE)
    start: str = Field(pattern=HHMM)
    end: str = Field(pattern=HHMM)
    reason: str
    blockedBy: str
    createdAt: str | None


class StaffDay(Model):
    date: str = Field(pattern=DATE)
    workingHours: list[Span]
    appointments: list[Appointment]
    blocks: list[Block]
    free: list[Span]
    freeMinutes: int


class Schedule(Model):
    schedule: list[StaffDay]


class Hours(Model):
    staffId: str
    availability: WorkingHours


class HoursRequest(Model):
    availability: dict[str, Any] = Field(
        description="{weekly: {mon: [{start, end}]}, breaks: [...] or {mon: [...]}, overrides: {YYYY-MM-DD: [...]}}. "
        "A merge: weekly and breaks replace theirs only when given; overrides change only the dates given "
        "(a date set to null drops its override). Other fields are a 400."
    )


class HoursAnswer(Done):
    staffId: str
    availability: WorkingHours
    outsideHours: list[Appointment] = Field(description="Open appointments ahead that the new hours leave out.")


class BlockRequest(Model):
    staffId: str | None = Field(default=None, description="Whose time to block; or give resourceId instead.")
    resourceId: str | None = Field(default=None, description="A room or equipment to block (maintenance).")
    date: str = Field(pattern=DATE)
    timeSlot: str | Span = Field(description='"HH:MM" (one slot interval), "HH:MM-HH:MM" or {start, end}')
    reason: str | None = Field(default=None, max_length=200)


class BlockAnswer(Done):
    id: str
    block: Block


class Conflict(Model):
    type: Literal["appointment", "block", "outside_hours"]
    id: str | None
    start: str = Field(pattern=HHMM)
    end: str = Field(pattern=HHMM)
    detail: str


class Conflicts(Model):
    conflicts: list[Conflict]


class OverviewStaff(Model):
    id: str
    name: str
    workingHours: list[Span]
    appointments: list[Appointment]
    blocks: list[Block]
    free: list[Span]
    freeMinutes: int


class OverviewTotals(Model):
    appointments: int
    blocks: int
    freeMinutes: int
    bookedMinutes: int


class OverviewResource(Model):
    id: str
    name: str
    type: str
    active: bool
    appointments: list[Appointment] = Field(description="Those holding it that day, buffers included.")
    blocks: list[Block]
    free: list[Span] = Field(description="While anyone works that day and nothing holds it.")
    freeMinutes: int


class OverviewDay(Model):
    date: str = Field(pattern=DATE)
    staff: list[OverviewStaff]
    resources: list[OverviewResource] = Field(default=[], description="Each active room, chair or equipment's day.")
    totals: OverviewTotals


class Overview(Model):
    overview: OverviewDay
