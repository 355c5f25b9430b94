"""Logging in one place: Powertools JSON logs with a correlation id, phones and emails masked."""

from __future__ import annotations

import functools
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools import Logger
from chalice.app import Request, Response

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# A run of digits, spaces and dashes standing alone; not part of an id (9ea3085eeb68, evt_1380013800,
# a UUID's groups), a date (2026-12-07) or an amount (13800138.00). "PHONE#+86..." is still a phone.
_PHONE = re.compile(
    r"(?<!\w)(?<![0-9A-Fa-f]-)(?<!\d\.)"
    r"(?!\d{4}-\d\d-\d\d(?!\d))(?!\d{8}-\d{4}-\d{4}-\d{4}-\d{12}(?![\w-]))"
    r"\+?\d[\d \-]{6,}\d"
    r"(?!\w|-[0-9A-Fa-f]|\.\d)"
)


def mask(text: str) -> str:
    return _PHONE.sub("[phone]", _EMAIL.sub("[email]", text))


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_masked(v) for v in value]
    return value


class MaskPersonalData(logging.Filter):
    """No raw phone number or email reaches a log line, whatever a caller passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _masked(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[0] is not None:
            # The traceback is rendered here, masked, and handed on as text: Powertools' `exception`
            # and `exception_name` keys, and exc_text for any plain formatter. Left as exc_info, each
            # formatter would print the exception's raw text (a bad message's phone and email).
            record.exc_text = mask(_PLAIN.formatException(record.exc_info))
            record.exception = record.exc_text
            record.exception_name = record.exc_info[0].__name__
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        for name, value in list(vars(record).items()):
            if name not in _STANDARD and isinstance(value, (str, dict, list, tuple)):
                setattr(record, name, _masked(value))
        return True


_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_PLAIN = logging.Formatter()

logger = Logger(service="slotbook")
logger.addFilter(MaskPersonalData())

Handler = TypeVar("Handler", bound=Callable[..., Any])


class HandlerFailed(Exception):
    """What an event handler raises in place of its own error, whose text the runtime would print unmasked."""


def masked_failures(handler: Handler) -> Handler:
    """An event handler's failure is logged here, masked, with its traceback; Lambda's runtime, which prints
    an uncaught exception's text as it is, gets a plain error naming only the handler and the error's type
    (still an error: the invocation is retried as before)."""

    @functools.wraps(handler)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return handler(*args, **kwargs)
        except Exception as error:
            logger.exception(f"{handler.__name__} failed")
            raise HandlerFailed(f"{handler.__name__} failed with {type(error).__name__}; see the log") from None

    return run  # type: ignore[return-value]


def http_middleware(request: Request, get_response: Callable[[Request], Response]) -> Response:
    """Tag every log line of a request with its id, and log the request once it is answered.

    The id is the thread's own: one request per Lambda container makes no difference deployed, but
    chalice local serves requests on threads beside the local worker's, which took each other's ids."""
    logger.thread_safe_append_keys(correlation_id=request.context.get("requestId") or uuid.uuid4().hex)
    started = time.perf_counter()
    try:
        response = get_response(request)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.context.get("resourcePath"),
                "status": response.status_code,
                "ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response
    finally:
        logger.thread_safe_remove_keys(["correlation_id"])
