"""Money is an integer number of minor units (fen, cents); major units only at the edge."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from chalicelib.domain.errors import AmountMismatch, InvalidInput

MINOR_UNITS = {"CNY": 2, "USD": 2, "EUR": 2, "HKD": 2, "JPY": 0}
MAX_MAJOR = Decimal(1_000_000_000)  # far above any price; "1e999999" must not reach the decimal context


def _exponent(currency: str) -> int:
    return MINOR_UNITS.get(currency, 2)


@dataclass(frozen=True, order=True)
class Money:
    minor: int
    currency: str

    @classmethod
    def from_major(cls, amount: object, currency: str) -> Money:
        """Parse a client's major-unit amount (199, 199.0, "199.00") exactly."""
        if isinstance(amount, bool) or not isinstance(amount, (int, float, str)):
            raise InvalidInput("Amount must be a number.", {"amount": "not a number"})
        try:
            value = Decimal(str(amount))
        except InvalidOperation:
            raise InvalidInput("Amount must be a number.", {"amount": "not a number"}) from None
        if not value.is_finite() or value < 0:
            raise InvalidInput("Amount must be a positive number.", {"amount": "out of range"})
        if value > MAX_MAJOR:
            raise InvalidInput(f"Amount must be at most {MAX_MAJOR:,}.", {"amount": "out of range"})
        whole = value.quantize(Decimal(1).scaleb(-_exponent(currency)))  # at most 12 digits: exact
        if whole != value:
            raise InvalidInput("Amount has too many decimals.", {"amount": "too many decimals"})
        return cls(int(whole.scaleb(_exponent(currency))), currency)

    @property
    def major(self) -> float:
        exact = Decimal(self.minor).scaleb(-_exponent(self.currency))
        return float(exact.quantize(Decimal(1).scaleb(-_exponent(self.currency)), ROUND_HALF_UP))

    def share(self, percent: int) -> Money:
        """`percent` of this amount, rounded half up to a whole minor unit."""
        exact = Decimal(self.minor) * percent / 100
        return Money(int(exact.to_integral_value(ROUND_HALF_UP)), self.currency)


def ensure_amount_matches(claimed: object, price: Money, field: str = "totalAmount") -> None:
    """The client's amount (`field` in its request) is checked, never trusted: the server's price is the price."""
    if claimed is None:
        return
    if Money.from_major(claimed, price.currency) != price:
        raise AmountMismatch(
            f"The amount does not match the price of {price.major:.2f} {price.currency}.",
            {field: f"expected {price.major}"},
        )
