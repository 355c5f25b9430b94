"""Idempotency keys: a request's key is claimed in the same transaction as its write, so a replay finds
the first answer instead of writing twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pynamodb.exceptions import DoesNotExist

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.errors import ConcurrentChange, IdempotencyKeyReused
from chalicelib.store.appointments import AppointmentStore
from chalicelib.store.models import IdempotencyItem

IDEMPOTENCY_RETENTION = timedelta(hours=24)


@dataclass(frozen=True)
class IdempotencyClaim:
    """A caller's Idempotency-Key for one request body."""

    caller: str
    key: str
    fingerprint: str

    @property
    def pk(self) -> str:
        return f"IDEM#{self.caller}#{self.key}"

    def made(self) -> bool:
        """Whether a request with this key has committed already (a consistent read)."""
        try:
            IdempotencyItem.get(self.pk, "IDEM", consistent_read=True)
        except DoesNotExist:
            return False
        return True

    def item(self, appointment_id: str) -> IdempotencyItem:
        expires = datetime.now(UTC) + IDEMPOTENCY_RETENTION
        return IdempotencyItem(
            self.pk, "IDEM", fingerprint=self.fingerprint, appointment_id=appointment_id, expires_at=expires
        )


class Replayed(Exception):
    """The claim was made before: the first request's appointment is the answer."""


class Replays:
    def __init__(self, appointments: AppointmentStore) -> None:
        self._appointments = appointments

    def find(self, claim: IdempotencyClaim) -> Appointment | None:
        """The appointment a request with this key made before, if any."""
        try:
            item = IdempotencyItem.get(claim.pk, "IDEM", consistent_read=True)
        except DoesNotExist:
            return None
        if item.fingerprint != claim.fingerprint:
            raise IdempotencyKeyReused("This Idempotency-Key was already used for a different request.")
        return self._appointments.get(item.appointment_id)

    def answer(self, claim: IdempotencyClaim) -> Appointment:
        """The first answer to a replayed request whose write just failed on its claim."""
        earlier = self.find(claim)
        if earlier is None:  # the claim expired between the failed write and this read
            raise ConcurrentChange("Please try again.")
        return earlier
