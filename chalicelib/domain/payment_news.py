"""What the payment provider tells of an appointment's payment, one event at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class PaymentNews:
    """What one event of the payment provider says about an appointment's payment (minor units)."""

    captured: int = 0  # the money taken
    refunded: int = 0  # the provider's running total given back
    failure: str = ""  # why an attempt was declined
    at: datetime = EPOCH  # when the provider said it
