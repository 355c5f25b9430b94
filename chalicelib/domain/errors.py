"""Errors named after the business condition; `chalicelib.api.errors` maps them to HTTP."""

from __future__ import annotations

from datetime import datetime


class DomainError(Exception):
    code = "DOMAIN_ERROR"

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class InvalidInput(DomainError):
    code = "INVALID_INPUT"


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"


class Forbidden(DomainError):
    code = "FORBIDDEN"


class NotFound(DomainError):
    code = "NOT_FOUND"


class TimeNotOffered(DomainError):
    code = "TIME_NOT_OFFERED"


class AmountMismatch(DomainError):
    code = "AMOUNT_MISMATCH"


class SlotTaken(DomainError):
    code = "SLOT_TAKEN"

    def __init__(
        self, message: str, fields: dict[str, str] | None = None, during: tuple[datetime, datetime] | None = None
    ) -> None:
        super().__init__(message, fields)
        self.during = during  # the time someone else holds, when known: which part of a visit lost it


class IllegalTransition(DomainError):
    code = "ILLEGAL_TRANSITION"


class CancellationWindowClosed(DomainError):
    code = "CANCELLATION_WINDOW_CLOSED"


class IdempotencyKeyReused(DomainError):
    code = "IDEMPOTENCY_KEY_REUSED"


class LoginFailed(DomainError):
    code = "LOGIN_FAILED"


class UpstreamUnavailable(DomainError):
    code = "UPSTREAM_UNAVAILABLE"


class ConcurrentChange(DomainError):
    code = "CONCURRENT_CHANGE"


class AppointmentClosed(DomainError):
    code = "APPOINTMENT_CLOSED"


class PaymentNotDue(DomainError):
    code = "PAYMENT_NOT_DUE"


class HoldExpired(DomainError):
    code = "HOLD_EXPIRED"


class LimitReached(DomainError):
    code = "LIMIT_REACHED"


class PayloadTooLarge(DomainError):
    code = "PAYLOAD_TOO_LARGE"


class BadSignature(DomainError):
    code = "BAD_SIGNATURE"


class TooManyTexts(DomainError):
    """Past the business's daily cap of texts to a number or a customer (429, Retry-After)."""

    code = "TOO_MANY_MESSAGES"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class SettingsInUse(DomainError):
    """A setting that open appointments or prices depend on: the answer says what to do first."""

    code = "SETTINGS_IN_USE"
