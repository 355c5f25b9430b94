"""Logging in one place: Powertools JSON logs with a correlation id, phones and emails masked."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from chalice.app import Request, Response

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<![0-9A-Za-z])\+?\d[\d \-]{6,}\d(?![0-9A-Za-z])")  # not inside an id: 9ea3085eeb68


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
        for name, value in list(vars(record).items()):
            if name not in _STANDARD and isinstance(value, (str, dict, list, tuple)):
                setattr(record, name, _masked(value))
        return True


_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}

logger = Logger(service="slotbook")
logger.addFilter(MaskPersonalData())


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
