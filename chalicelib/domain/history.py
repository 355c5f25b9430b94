"""An appointment's history: who changed it, from what to what, when and why (the audit entries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.actor import Actor
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.status import Status


@dataclass(frozen=True)
class Change:
    """One entry of an appointment's history: who moved it from what to what, when and why."""

    appointment_id: str
    action: str
    actor_id: str
    actor_role: str
    at: datetime
    from_status: Status | None
    to_status: Status
    reason: str = ""
    detail: str = ""

    @classmethod
    def of(cls, action: str, actor: Actor, before: Appointment | None, after: Appointment, reason: str = "") -> Change:
        detail = ""
        if before is not None and after.moved_from(before):
            was, now = before.local_start, after.local_start
            detail = f"{was:%Y-%m-%d %H:%M} {before.staff_id} -> {now:%Y-%m-%d %H:%M} {after.staff_id}"
        return cls(
            after.id,
            action,
            actor.id,
            actor.role.value,
            after.updated_at,
            before.status if before else None,
            after.status,
            reason,
            detail,
        )
