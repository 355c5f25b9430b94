"""What a route declares for `GET /openapi.json`, next to its roles: a summary, its models and its parameters.

Models are named, not imported: pydantic stays off the cold start, and `spec.py` resolves the names
(in `api/schemas/`) when it builds the document; a name that resolves to nothing fails the build.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

DATE = r"^\d{4}-\d{2}-\d{2}$"


@dataclass(frozen=True)
class Param:
    """A value in the query (or a header) that the route reads; path parameters come from the path itself."""

    name: str
    schema: Mapping[str, Any]
    required: bool = False
    where: str = "query"
    description: str = ""


@dataclass(frozen=True)
class ToolDoc:
    """An MCP tool that a route serves (`POST /mcp`): its arguments and answer name models of `api/schemas/`."""

    name: str
    summary: str
    roles: tuple[str, ...]  # none: anyone, signed in or not
    arguments: str
    answer: str


@dataclass(frozen=True)
class Doc:
    """A route's contract: `answer` and `body` name models of `api/schemas/`; without an answer, `media` says
    what the body is (several: one of them)."""

    summary: str
    answer: str | None = None
    body: str | None = None
    params: tuple[Param, ...] = ()
    media: str | tuple[str, ...] = "application/json"
    body_required: bool = True
    extra_errors: tuple[int, ...] = ()
    more: tuple[tuple[int, str | None], ...] = ()  # other answers (status, model or None for no body)
    tools: tuple[ToolDoc, ...] = ()


def required(*names: str) -> tuple[Param, ...]:
    """Query values the route cannot do without."""
    return tuple(Param(name, {"type": "string", "minLength": 1}, required=True) for name in names)


def text(name: str) -> Param:
    return Param(name, {"type": "string"})


def choice(name: str, values: Iterable[str], description: str = "") -> Param:
    return Param(name, {"type": "string", "enum": list(values)}, description=description)


def date(name: str, *, required: bool = False) -> Param:
    schema = {"type": "string", "pattern": DATE, "examples": ["2026-12-01"], "description": "2000-01-01 to 2099-12-31"}
    return Param(name, schema, required)


IDEMPOTENCY = Param(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": 255},
    where="header",
    description="Replays return the first answer; the same key with another body is 409.",
)
CURSOR = Param(
    "cursor",
    {"type": "string"},
    description="`nextCursor` of the previous page; anything else is 400 (`cursor: invalid`)",
)
LOCATION = Param(
    "locationId",
    {"type": "string"},
    description="a location (GET /locations); left out: the business's own on customer calls, the whole business on "
    "reports",
)
PERIOD = choice("period", ("7d", "30d", "90d", "365d"), description="default 30d")  # domain/analytics.PERIODS
