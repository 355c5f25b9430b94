"""Late-cancellation and no-show fees: what the business's policy keeps when a customer cancels late or does not
come, and what is given back.

A cancellation is late within `late_cancel_hours` of the start, when the customer cancels (online, or staff for
them): the business cancelling is never late, and letting an unpaid hold go costs nothing. The fee is a share of
the price (`late_cancel_fee_percent`, `no_show_fee_percent`). It is taken from what the customer paid towards
this appointment (a deposit or the whole price; fees carried from before are not theirs to give back) and the
rest is refunded; what no payment covers is owed on the customer's profile when the business records fees owed
(`fees_owed`), and their next booking's payment settles it. Staff may waive a fee: what it kept is refunded and
what it left owed is no longer owed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.money import Money

if TYPE_CHECKING:
    from chalicelib.domain.appointment import Appointment
    from chalicelib.domain.catalogue import BusinessSettings


class FeeKind(StrEnum):
    LATE_CANCEL = "late-cancel"
    NO_SHOW = "no-show"


@dataclass(frozen=True)
class Fee:
    """A fee the policy applied (minor units): `kept` from the payment, `owed` by the customer beside it."""

    kind: FeeKind
    kept: int = 0
    owed: int = 0
    waived_by: str = ""
    waived_reason: str = ""

    @property
    def amount(self) -> int:
        return self.kept + self.owed

    @property
    def waived(self) -> bool:
        return bool(self.waived_by)

    def waive(self, by: str, reason: str) -> Fee:
        return replace(self, waived_by=by, waived_reason=reason)


def is_late(start: datetime, now: datetime, settings: BusinessSettings) -> bool:
    return start - now <= timedelta(hours=settings.late_cancel_hours)


def percent_of(kind: FeeKind, settings: BusinessSettings) -> int:
    return settings.late_cancel_fee_percent if kind is FeeKind.LATE_CANCEL else settings.no_show_fee_percent


def fee_for(kind: FeeKind, price: Money, paid_toward: int, settings: BusinessSettings) -> Fee:
    """The policy's fee: kept from what was paid towards the appointment, the rest owed if the business says so."""
    amount = price.share(percent_of(kind, settings)).minor
    kept = min(amount, max(0, paid_toward))
    return Fee(kind, kept, amount - kept if settings.fees_owed else 0)


@dataclass(frozen=True)
class CancelQuote:
    """What cancelling now would cost the customer, shown before they do (minor units)."""

    online: bool  # they may cancel it themselves now (before the cutoff, or an unpaid hold)
    late: bool
    fee: int
    refund: int
    late_from: datetime  # from then on a cancellation is late
    online_until: datetime  # after then only the business can cancel it (a call)


def quote(appointment: Appointment, settings: BusinessSettings, now: datetime) -> CancelQuote:
    a = appointment
    fee = a.cancellation_fee(Actor(a.customer_id, Role.CUSTOMER), now, settings)
    online_until = a.start - timedelta(hours=settings.cancel_cutoff_hours)
    in_time = a.hold_lapses_at is not None or now < online_until
    return CancelQuote(
        online=not a.status.is_final and in_time,
        late=fee is not None,
        fee=fee.amount if fee else 0,
        refund=a.refundable - (fee.kept if fee else 0),
        late_from=a.start - timedelta(hours=settings.late_cancel_hours),
        online_until=online_until,
    )
