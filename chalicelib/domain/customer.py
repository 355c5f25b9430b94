"""A customer as the front desk knows them: who they are and how their visits went."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.money import Money
from chalicelib.domain.status import Status


@dataclass(frozen=True)
class Customer:
    id: str
    name: str
    phone: str
    email: str
    created_at: datetime
    updated_at: datetime
    owed: int = 0  # late-cancellation and no-show fees no payment covered, minor units (domain/fees.py)


@dataclass(frozen=True)
class Record:
    """Visits, spend and no-shows, from a customer's appointments."""

    visits: int
    no_shows: int
    cancellations: int
    late_cancellations: int
    upcoming: int
    spend: Money
    last_visit: datetime | None

    @classmethod
    def of(cls, appointments: Iterable[Appointment], currency: str, now: datetime) -> Record:
        every = list(appointments)
        done = [a for a in every if a.status is Status.COMPLETED]
        return cls(
            visits=len(done),
            no_shows=sum(a.status is Status.NO_SHOW for a in every),
            cancellations=sum(a.status is Status.CANCELLED for a in every),
            late_cancellations=sum(a.missed and a.status is Status.CANCELLED for a in every),
            upcoming=sum(not a.status.is_final and a.start >= now for a in every),
            spend=Money(sum(a.price.minor for a in done if a.price.currency == currency), currency),
            last_visit=max((a.start for a in done), default=None),
        )
