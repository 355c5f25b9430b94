"""Who a booking is for, as given with it: the name, and where to call, text or write."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CustomerInfo:
    name: str
    phone: str
    email: str = ""
