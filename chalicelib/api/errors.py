"""The one place where domain errors become HTTP statuses and the contract's error body."""

from __future__ import annotations

from chalice.app import Response

from chalicelib.domain import errors

STATUS: dict[type[errors.DomainError], int] = {
    errors.InvalidInput: 400,
    errors.TimeNotOffered: 400,
    errors.AmountMismatch: 400,
    errors.Unauthenticated: 401,
    errors.LoginFailed: 401,
    errors.Forbidden: 403,
    errors.NotFound: 404,
    errors.SlotTaken: 409,
    errors.IllegalTransition: 409,
    errors.CancellationWindowClosed: 409,
    errors.ConcurrentChange: 409,
    errors.IdempotencyKeyReused: 409,
    errors.AppointmentClosed: 409,
    errors.PaymentNotDue: 409,
    errors.HoldExpired: 409,
    errors.BadSignature: 400,
    errors.LimitReached: 409,
    errors.SettingsInUse: 409,
    errors.PayloadTooLarge: 413,
    errors.TooManyTexts: 429,
    errors.UpstreamUnavailable: 503,
}


def status_of(error: errors.DomainError) -> int:
    return next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)


def error_response(error: errors.DomainError) -> Response:
    body = {"success": False, "error": {"code": error.code, "message": error.message, "fields": error.fields}}
    headers: dict[str, str | list[str]] = {"WWW-Authenticate": "Bearer"} if status_of(error) == 401 else {}
    if isinstance(error, errors.TooManyTexts):
        headers["Retry-After"] = str(error.retry_after)
    return Response(body=body, status_code=status_of(error), headers=headers)
