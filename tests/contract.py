"""Every answer the tests see, checked against `GET /openapi.json`: its status documented, its body valid."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    pattern: re.Pattern[str]
    responses: Mapping[str, Any]


class Contract:
    def __init__(self, document: Mapping[str, Any]) -> None:
        self.components = document["components"]
        self.operations = sorted(
            (
                Operation(method.upper(), path, _pattern(path), op["responses"])
                for path, methods in document["paths"].items()
                for method, op in methods.items()
            ),
            key=lambda o: o.template.count("{"),  # /appointments/mine before /appointments/{appointment_id}
        )

    def operation(self, method: str, path: str) -> Operation | None:
        bare = path.split("?", 1)[0]
        return next((o for o in self.operations if o.method == method and o.pattern.fullmatch(bare)), None)

    def violations(self, method: str, path: str, status: int, body: Any, content_type: str) -> list[str]:
        """What is wrong with this answer by the document (empty when it conforms)."""
        operation = self.operation(method, path)
        if operation is None:
            return [f"{method} {path} is not in the document"]
        response = operation.responses.get(str(status))
        if response is None:
            return [f"{method} {operation.template} answered {status}, not documented ({sorted(operation.responses)})"]
        if "content" not in response:
            return [] if body in ("", None) else [f"{method} {operation.template} {status}: a body where none is"]
        # Chalice's test client leaves a dict body's type unset; API Gateway and `chalice local` say JSON
        media = content_type.split(";", 1)[0].strip() or "application/json"
        if media not in response["content"]:
            return [f"{method} {operation.template} {status}: content type {media!r} not documented"]
        if media != "application/json":
            return []
        validator = self._validator(method, operation.template, str(status))
        return [
            f"{method} {operation.template} {status}: {'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}"
            for e in validator.iter_errors(body)
        ]

    @functools.cache  # noqa: B019 - one Contract per session
    def _validator(self, method: str, template: str, status: str) -> Draft202012Validator:
        operation = next(o for o in self.operations if o.method == method and o.template == template)
        schema = operation.responses[status]["content"]["application/json"]["schema"]
        return Draft202012Validator({**schema, "components": self.components})


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)))
