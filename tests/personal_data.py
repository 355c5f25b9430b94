"""Phone numbers and emails, as they could leak into a log line (what `chalicelib.observability` masks)."""

from __future__ import annotations

import logging
import re

PHONE = re.compile(r"(?<![\w.])(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\w)|(?<![\w.])\+\d{8,15}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def found_in(text: str) -> list[str]:
    return [match.group() for pattern in (PHONE, EMAIL) for match in pattern.finditer(text)]


class LogTap(logging.Handler):
    """Every record that reaches it, as its own logger's handler would write it."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
