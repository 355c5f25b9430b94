"""Who is acting: a signed-in user and the role they act in."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from chalicelib.domain.errors import NotFound


class Role(StrEnum):
    CUSTOMER = "customer"
    STAFF = "staff"
    ADMIN = "admin"


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user with a role."""

    id: str
    role: Role
    name: str = ""

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.ADMIN)

    def customer_id(self, asked: str) -> str:
        """The customer a request is about: `me` is the caller; a customer sees no one else (404, not 403)."""
        target = self.id if asked == "me" else asked
        if not self.is_staff and target != self.id:
            raise NotFound(f"There is no customer {asked!r}.")
        return target
