"""The figures every appointment and block adds to its day, kept by the table's stream.

A period counts appointments by their scheduled day in the business's time zone. Each appointment
adds counters to its day; a change adds the difference between its new and old figures, so figures
only ever add up (in any order) and the sum over an appointment's changes is its figures now.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.block import Block
from chalicelib.domain.holds import Hold
from chalicelib.domain.hours import MINUTES_PER_DAY
from chalicelib.domain.status import Status
from chalicelib.domain.waitlist import Offer


class Bucket(StrEnum):
    DAY = "DAY"  # a day's counters and its blocks
    CUSTOMERS = "CUST"  # a day's counters per customer, apart: only the customer report reads them


Key = tuple[Bucket, date, str]


def earned(appointment: Appointment) -> int:
    """What the business took for it: the payment, or the price once completed (paid at the desk)."""
    completed = appointment.price.minor if appointment.status is Status.COMPLETED else 0
    return max(appointment.paid_amount, completed)


def appointment_figures(appointment: Appointment | None) -> dict[Key, int]:
    """The counters an appointment adds to its scheduled day, as it is now."""
    if appointment is None:
        return {}
    a = appointment
    local = a.local_start
    day, customers = (Bucket.DAY, local.date()), (Bucket.CUSTOMERS, local.date())
    offered = {(*day, "wl:offers"): 1} if a.offer else {}  # made from the waitlist
    if a.offer is not None and a.offer is not Offer.ACCEPTED:
        return offered  # an offer is a booking only once its customer books it
    if a.hold is not None and a.hold is not Hold.BOOKED:
        return {}  # nor is a hold
    accepted = a.offer is Offer.ACCEPTED and a.status is not Status.CANCELLED
    revenue = earned(a)
    kept = a.status is not Status.CANCELLED
    figures = {
        (*day, "n"): 1,
        (*day, f"st:{a.status.value}"): 1,
        (*day, f"hr:{local.hour}"): 1,
        (*day, "lead"): max(0, int((a.start - a.created_at).total_seconds() // 60)),
        (*day, "value"): a.price.minor if a.status is Status.COMPLETED else 0,
        (*day, "rev"): revenue,
        (*day, "ref"): a.refunded_amount,
        (*day, "lc"): int(a.missed and a.status is Status.CANCELLED),  # cancelled late by the customer
        (*day, "dep:n"): int(bool(a.asked.deposit)),  # asked a deposit (not a prepayment): the policy's effect
        (*day, "dep:ns"): int(bool(a.asked.deposit) and a.status is Status.NO_SHOW),
        (*day, "dep:lc"): int(bool(a.asked.deposit) and a.missed and a.status is Status.CANCELLED),
        (*day, "freed:min"): a.duration if a.status is Status.CANCELLED else 0,  # time given back to be booked
        (*day, "wl:accepted"): int(a.offer is Offer.ACCEPTED),
        (*day, "wl:min"): a.duration if accepted else 0,  # freed time the waitlist filled again
        **offered,
        (*customers, f"{a.customer_id}:n"): int(kept),
        (*customers, f"{a.customer_id}:ns"): int(a.status is Status.NO_SHOW),
        (*customers, f"{a.customer_id}:rev"): revenue,
    }
    for part, share in zip(a.performed, shares(revenue, [p.price.minor for p in a.performed]), strict=True):
        for key, value in (  # a visit: each service's count and share of the revenue, each staff member's minutes
            (f"svc:{part.service_id}:n", int(kept)),
            (f"svc:{part.service_id}:rev", share),
            (f"stf:{part.staff_id}:min", part.duration if kept else 0),
            (f"stf:{part.staff_id}:any", int(kept and bool(part.assigned))),  # booked for any staff, given to them
        ):
            figures[(*day, key)] = figures.get((*day, key), 0) + value
    return {key: value for key, value in figures.items() if value}


def shares(total: int, prices: list[int]) -> list[int]:
    """`total` split in proportion to the prices (evenly if all are free), in whole minor units adding up to it."""
    weights = prices if sum(prices) else [1] * len(prices)
    split = [total * w // sum(weights) for w in weights]
    split[-1] += total - sum(split)
    return split


def block_marks(block: Block | None) -> dict[Key, str]:
    """A block's piece of each local day it covers, as "start-end" minutes after midnight."""
    if block is None:
        return {}
    marks: dict[Key, str] = {}
    start, end = block.local_start, block.end.astimezone(block.local_start.tzinfo)
    day = start.date()
    while day <= end.date():
        first = start.hour * 60 + start.minute if day == start.date() else 0
        last = end.hour * 60 + end.minute if day == end.date() else MINUTES_PER_DAY
        if last > first:
            marks[(Bucket.DAY, day, f"blk:{block.staff_id}:{block.id}")] = f"{first}-{last}"
        day += timedelta(days=1)
    return marks


@dataclass(frozen=True)
class Delta:
    """What one change does to the daily figures: counters to add, block marks to put and to drop."""

    add: Mapping[Key, int] = field(default_factory=dict)
    put: Mapping[Key, str] = field(default_factory=dict)
    drop: frozenset[Key] = frozenset()

    @classmethod
    def of_appointment(cls, before: Appointment | None, after: Appointment | None) -> Delta:
        old, new = appointment_figures(before), appointment_figures(after)
        difference = {key: new.get(key, 0) - old.get(key, 0) for key in old.keys() | new.keys()}
        return cls(add={key: value for key, value in difference.items() if value})

    @classmethod
    def of_block(cls, before: Block | None, after: Block | None) -> Delta:
        old, new = block_marks(before), block_marks(after)
        return cls(put={k: v for k, v in new.items() if old.get(k) != v}, drop=frozenset(old.keys() - new.keys()))

    @property
    def items(self) -> list[tuple[Bucket, date]]:
        """The (bucket, day) figures it touches."""
        return sorted({(bucket, day) for bucket, day, _ in (*self.add, *self.put, *self.drop)})

    def __bool__(self) -> bool:
        return bool(self.add or self.put or self.drop)


Figures = Mapping[str, int | str]  # one day's figures in one bucket, by name
Days = dict[tuple[Bucket, date], dict[str, int | str]]


def totals(appointments: Iterable[Appointment], blocks: Iterable[Block]) -> Days:
    """Every day's figures computed afresh from the appointments and blocks (the rebuild)."""
    days: Days = {}
    for appointment in appointments:
        for (bucket, day, name), value in appointment_figures(appointment).items():
            figures = days.setdefault((bucket, day), {})
            figures[name] = int(figures.get(name, 0)) + value
    for block in blocks:
        for (bucket, day, name), mark in block_marks(block).items():
            days.setdefault((bucket, day), {})[name] = mark
    return days


def counter(figures: Figures, name: str) -> int:
    """One counter of a day's figures: 0 if it was never counted (or the name is a block's mark)."""
    value = figures.get(name, 0)
    return value if isinstance(value, int) else 0
