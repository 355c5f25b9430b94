"""Routes declare who may call them and their contract; this module checks the caller, parses input and maps
errors."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from chalice.app import Blueprint, Request, Response

from chalicelib import tokens
from chalicelib.api import parsing
from chalicelib.api.docs import Doc
from chalicelib.api.errors import error_response
from chalicelib.config import get_settings
from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.errors import (
    DomainError,
    Forbidden,
    InvalidInput,
    PayloadTooLarge,
    Unauthenticated,
    UpstreamUnavailable,
)
from chalicelib.observability import logger
from chalicelib.store import is_transient
from chalicelib.store.idempotency import IdempotencyClaim

MAX_BODY_BYTES = 64 * 1024  # far above any request of the contract; Stripe's events are a few KB
PUBLIC: tuple[Role, ...] = ()
CUSTOMERS = (Role.CUSTOMER,)
STAFF = (Role.STAFF, Role.ADMIN)
ADMINS = (Role.ADMIN,)
SIGNED_IN = tuple(Role)

View = Callable[..., Any]


class Call:
    """One request as a view sees it: the caller, the body, the query and the headers."""

    def __init__(self, request: Request, actor: Actor | None) -> None:
        self._request = request
        self._actor = actor

    @property
    def actor(self) -> Actor:
        if self._actor is None:
            raise Unauthenticated("Sign in first: send Authorization: Bearer <token>.")
        return self._actor

    @property
    def caller(self) -> Actor | None:
        """Who calls a public route: None when nobody signed in."""
        return self._actor

    @functools.cached_property
    def document(self) -> Any:
        """The body as JSON, bounded in depth, numbers and text (an empty body is an empty object)."""
        raw = self._request.raw_body
        if not raw or not raw.strip():
            return {}
        return parsing.json_document(raw)

    @property
    def body(self) -> dict[str, Any]:
        if not isinstance(self.document, dict):
            raise InvalidInput("The request body must be a JSON object.")
        return self.document

    @property
    def raw_text(self) -> str:
        """The body exactly as sent (a webhook's signature covers these bytes)."""
        raw = self._request.raw_body or b""
        if isinstance(raw, str):
            return raw
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput("The request body is not UTF-8.") from None

    @property
    def path(self) -> str:
        """The path as requested (behind API Gateway, with its stage: /api/console/)."""
        return str((self._request.context or {}).get("path", ""))

    @property
    def query_params(self) -> dict[str, str]:
        return dict(self._request.query_params or {})

    def query(self, name: str) -> str | None:
        return self.query_params.get(name)

    def header(self, name: str) -> str | None:
        return self._request.headers.get(name)

    def idempotency_claim(self, operation: str) -> IdempotencyClaim | None:
        key = self.header("idempotency-key")
        if key is None:
            return None
        if not 1 <= len(key) <= 255 or not key.isprintable():
            raise InvalidInput("Idempotency-Key must be 1 to 255 printable characters.", {"Idempotency-Key": "invalid"})
        canonical = json.dumps([operation, self.body], sort_keys=True, separators=(",", ":"))
        return IdempotencyClaim(self.actor.id, key, hashlib.sha256(canonical.encode()).hexdigest())


def _caller(request: Request) -> Actor | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Authorization must be 'Bearer <token>'.")
    return tokens.verify(token.strip(), get_settings().jwt_secret)


def authorize(request: Request, allow: tuple[Role, ...]) -> Call:
    actor = _caller(request)
    if allow:
        if actor is None:
            raise Unauthenticated("Sign in first: send Authorization: Bearer <token>.")
        if actor.role not in allow:
            raise Forbidden(f"This needs the role {' or '.join(r.value for r in allow)}.")
    return Call(request, actor)


class Routes:
    """A blueprint whose every route states who may call it and what it takes and answers (its `Doc`)."""

    def __init__(self, name: str) -> None:
        self.blueprint = Blueprint(name)

    def route(
        self,
        path: str,
        *,
        allow: tuple[Role, ...],
        doc: Doc,
        methods: tuple[str, ...] = ("GET",),
        status: int = 200,
    ) -> Callable[[View], View]:
        def register(view: View) -> View:
            @functools.wraps(view)
            def handle(**params: str) -> Response:
                try:
                    request = self.blueprint.current_request
                    if len(request.raw_body or b"") > MAX_BODY_BYTES:
                        raise PayloadTooLarge(f"The request body is larger than {MAX_BODY_BYTES // 1024} KB.")
                    parsing.bounded_params(params, request.query_params or {})
                    call = authorize(request, allow)
                    call.document  # noqa: B018 - parsed and bounded before the view, whether it reads it or not
                    result = view(call, **params)
                except DomainError as error:
                    return error_response(error)
                except Exception as error:
                    if is_transient(error):
                        logger.warning("storage unavailable", extra={"error": str(error)})
                        return error_response(UpstreamUnavailable("Please try again in a moment."))
                    logger.exception("unhandled error")
                    body = {
                        "success": False,
                        "error": {"code": "INTERNAL", "message": "Something went wrong on our side.", "fields": {}},
                    }
                    return Response(body=body, status_code=500)
                return result if isinstance(result, Response) else Response(body=result, status_code=status)

            vars(handle).update(allow=allow, doc=doc, status=status)  # read by spec.py to build the document
            self.blueprint.route(path, methods=list(methods))(handle)
            return view

        return register
