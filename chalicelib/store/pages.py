"""A page of appointments and the cursor that opens the next one, only for the list it came from."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.errors import InvalidInput


@dataclass(frozen=True)
class Page:
    appointments: list[Appointment]
    next_cursor: str | None


def encode_cursor(last_key: dict[str, Any] | None) -> str | None:
    if not last_key:
        return None
    return base64.urlsafe_b64encode(json.dumps(last_key, separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str | None, partition: str, key: str = "gsi1pk") -> dict[str, Any] | None:
    """A cursor opens only the list it came from: exactly the table's and the index's keys, as text, in
    the partition asked for. Anything else, missing keys or tampered values, is refused here, not by DynamoDB."""
    if not cursor:
        return None
    expected = {"pk", "sk", key, key.removesuffix("pk") + "sk"}
    try:
        last_key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        valid = (
            isinstance(last_key, dict)
            and set(last_key) == expected
            and all(_key_text(value) for value in last_key.values())
            and last_key[key]["S"] == partition
        )
    except (binascii.Error, ValueError, UnicodeError):
        valid = False
    if not valid:
        raise InvalidInput("The cursor is not valid for this list.", {"cursor": "invalid"})
    return dict(last_key)


def _key_text(value: object) -> bool:
    """A key attribute as DynamoDB returns one of ours: {"S": "..."}, not empty and within a sort key's 1 KB."""
    if not isinstance(value, dict) or set(value) != {"S"} or not isinstance(value["S"], str):
        return False
    return 0 < len(value["S"].encode("utf-8")) <= 1024  # a lone surrogate raises: the caller refuses it
