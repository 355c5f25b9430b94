"""The first thing a request meets: bodies, path and query values bounded before any view runs.

A body nested thousands deep made `json.loads` recurse out of the stack, and a number like `1e999999`
became infinity; both were 500s. Here the nesting is counted before decoding, numbers are bounded while
decoding, and ids and query values are bounded in length, so a view only ever sees values it can use.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from chalicelib.domain.errors import InvalidInput

MAX_DEPTH = 32  # the contract's deepest body (staff hours) is 5 levels
MAX_DIGITS = 15  # every count, minute and amount of the contract fits; 2^53 keeps JavaScript exact
MAX_MAGNITUDE = 10.0**MAX_DIGITS
MAX_PATH_VALUE = 128  # characters; ids are far shorter
MAX_QUERY_BYTES = 512  # a value becomes part of a key, and DynamoDB's sort keys stop at 1 KB

# A string (to be skipped whole, closed or not: one pass, never backtracking) or a bracket.
_TOKEN = re.compile(r'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)|[\[\]{}]', re.DOTALL)


def json_document(raw: bytes | str) -> Any:
    """A request body as JSON of any shape, or InvalidInput saying what is wrong with it."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise InvalidInput("The request body is not UTF-8.") from None
    if _too_deep(text):
        raise InvalidInput(f"The request body is nested more than {MAX_DEPTH} levels deep.", {"body": "too deep"})
    try:
        parsed = json.loads(text, parse_int=_integer, parse_float=_decimal, parse_constant=_not_a_number)
    except ValueError:
        raise InvalidInput("The request body is not valid JSON.") from None
    _encodable(parsed)
    return parsed


def bounded_params(path: Mapping[str, str], query: Mapping[str, str]) -> None:
    """Ids in the path and values in the query string, each short enough to be a key and valid text."""
    for name, value in path.items():
        if not 1 <= len(value) <= MAX_PATH_VALUE or not value.isprintable():
            raise InvalidInput(f"{name} must be 1 to {MAX_PATH_VALUE} printable characters.", {name: "invalid"})
    for name, value in query.items():
        try:
            size = len(value.encode("utf-8"))
        except UnicodeEncodeError:
            size = MAX_QUERY_BYTES + 1
        if size > MAX_QUERY_BYTES:
            raise InvalidInput(f"{name} must be at most {MAX_QUERY_BYTES} bytes of text.", {name: "too long"})


def _too_deep(text: str) -> bool:
    """Whether brackets outside strings go deeper than MAX_DEPTH; counted in one pass, without recursion."""
    depth = 0
    for token in _TOKEN.finditer(text):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif bracket in ("]", "}"):
            depth -= 1
    return False


def _too_big(literal: str) -> InvalidInput:
    return InvalidInput(
        f"The number {literal[:20]} is out of range: at most {MAX_DIGITS} digits.", {"body": "number out of range"}
    )


def _integer(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_DIGITS:
        raise _too_big(literal)
    return int(literal)


def _decimal(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        raise _too_big(literal)
    return value


def _not_a_number(literal: str) -> float:
    raise InvalidInput(f"{literal} is not a number JSON allows.", {"body": "not a number"})


def _encodable(parsed: Any) -> None:
    """A lone surrogate (`"\\ud800"`) decodes to text that cannot be stored or sent anywhere."""
    try:
        json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput("The request body holds text that is not valid Unicode.", {"body": "invalid text"}) from None
