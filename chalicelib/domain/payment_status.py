"""Where an appointment's money stands, from what was paid and refunded."""

from __future__ import annotations

from enum import StrEnum


class PaymentStatus(StrEnum):
    NOT_REQUIRED = "not_required"
    AWAITING = "awaiting_payment"
    UNPAID = "unpaid"  # required, never taken, and no longer payable: the hold lapsed or was let go
    PAID = "paid"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"

    @classmethod
    def of(cls, paid: int, refunded: int, required: bool) -> PaymentStatus:
        if paid <= 0:
            return cls.AWAITING if required else cls.NOT_REQUIRED
        if refunded >= paid:
            return cls.REFUNDED
        return cls.PARTIALLY_REFUNDED if refunded > 0 else cls.PAID
