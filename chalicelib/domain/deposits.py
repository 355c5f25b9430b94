"""What a booking asks before the visit: the whole price (prepayment), a deposit, and fees owed from before.

A service asks its whole price up front (`requires_payment`), or, when the business's deposit policy asks it of
this customer, a deposit: the service's own (a fixed amount or a share of its price) or the business's share.
The policy says of whom: nobody, everyone, new customers (no completed visit in the last year), or customers
who missed appointments lately (at least N no-shows or late cancellations in the last M months): asking every
customer for money up front loses bookings, asking repeat offenders does not.

Fees a customer owes (domain/fees.py) are carried by their next booking and paid with its payment.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.money import Money
from chalicelib.domain.status import Status

if TYPE_CHECKING:  # the appointment keeps its terms
    from chalicelib.domain.appointment import Appointment
    from chalicelib.domain.catalogue import BusinessSettings, Service

NEW_CUSTOMER_LOOKBACK = timedelta(days=365)  # as the reports count new customers (domain/analytics.py)


class DepositPolicy(StrEnum):
    NONE = "none"  # never a deposit (a service's prepayment still stands)
    EVERYONE = "everyone"
    NEW_CUSTOMERS = "new-customers"
    MISSED = "missed-appointments"  # customers with deposit_misses no-shows or late cancels in deposit_months


class Reason(StrEnum):
    """Why money is asked before the visit."""

    PREPAYMENT = "prepayment"  # the service is paid in full when booked
    DEPOSIT = "deposit"  # asked of every customer
    NEW_CUSTOMER = "new-customer"
    MISSED = "missed-appointments"


@dataclass(frozen=True)
class Deposit:
    """A service's deposit: a fixed amount (minor units) or a share of its price."""

    amount: int = 0
    percent: int = 0

    def of(self, price: Money) -> int:
        return min(self.amount, price.minor) if self.amount else price.share(self.percent).minor


@dataclass(frozen=True)
class Track:
    """What the policy weighs of a customer: their recent appointments and the fees they owe."""

    visits: int = 0  # completed in the last year
    misses: int = 0  # no-shows and late cancellations in the policy's months
    owed: int = 0  # fees owed, minor units

    @classmethod
    def of(cls, appointments: Iterable[Appointment], owed: int, settings: BusinessSettings, now: datetime) -> Track:
        since = now - relativedelta(months=settings.deposit_months)
        every = list(appointments)
        return cls(
            visits=sum(a.status is Status.COMPLETED and a.start >= now - NEW_CUSTOMER_LOOKBACK for a in every),
            misses=sum(a.missed and a.start >= since for a in every),
            owed=max(0, owed),
        )


@dataclass(frozen=True)
class Terms:
    """What a booking asks before the visit, in minor units."""

    upfront: int = 0  # of its price: all of it (prepayment), a deposit, or nothing
    reason: Reason | None = None
    carried: int = 0  # fees owed from before, paid with it
    misses: int = 0  # the customer's missed appointments that made the policy ask (for the message)

    @property
    def due(self) -> int:
        """What its payment takes."""
        return self.upfront + self.carried

    @property
    def deposit(self) -> int:
        return self.upfront if self.reason not in (None, Reason.PREPAYMENT) else 0


NO_TERMS = Terms()


def weighed_since(settings: BusinessSettings, now: datetime) -> datetime:
    """How far back the policy looks at a customer's appointments."""
    return min(now - NEW_CUSTOMER_LOOKBACK, now - relativedelta(months=settings.deposit_months))


def needs_track(settings: BusinessSettings) -> bool:
    """Whether the customer's history or balance decides anything: else the booking reads neither."""
    return settings.fees_owed or settings.deposit_policy in (DepositPolicy.NEW_CUSTOMERS, DepositPolicy.MISSED)


def terms_for(services: Sequence[Service], settings: BusinessSettings, track: Track) -> Terms:
    """What booking these services asks of this customer before the visit."""
    price = sum(s.price.minor for s in services)
    carried = track.owed
    if any(s.requires_payment for s in services):
        return Terms(price, Reason.PREPAYMENT, carried)
    reason = _asked(settings, track)
    deposit = sum(_deposit(s, settings) for s in services) if reason else 0
    if not deposit:
        return Terms(carried=carried)
    return Terms(min(deposit, price), reason, carried, track.misses if reason is Reason.MISSED else 0)


def _asked(settings: BusinessSettings, track: Track) -> Reason | None:
    policy = DepositPolicy(settings.deposit_policy)
    if policy is DepositPolicy.EVERYONE:
        return Reason.DEPOSIT
    if policy is DepositPolicy.NEW_CUSTOMERS and not track.visits:
        return Reason.NEW_CUSTOMER
    if policy is DepositPolicy.MISSED and track.misses >= settings.deposit_misses:
        return Reason.MISSED
    return None


def _deposit(service: Service, settings: BusinessSettings) -> int:
    own = service.deposit or Deposit(percent=settings.deposit_percent)
    return own.of(service.price)


def check_deposit(deposit: Deposit | None, price: Money) -> None:
    if deposit is None:
        return
    if (deposit.amount and deposit.percent) or (not deposit.amount and not deposit.percent):
        raise InvalidInput("A deposit is an amount or a percent of the price.", {"deposit": "amount or percent"})
    if not 0 <= deposit.percent <= 100:
        raise InvalidInput("A deposit's percent is from 1 to 100.", {"deposit": "out of range"})
    if deposit.amount > price.minor or deposit.amount < 0:
        raise InvalidInput("A deposit is at most the price.", {"deposit": "more than the price"})
