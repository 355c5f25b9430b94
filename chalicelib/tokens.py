"""Bearer tokens: HS256 JWTs carrying the caller's id, role and name."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import jwt

from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.errors import Unauthenticated

ISSUER = "slotbook"


def stable_id(prefix: str, *parts: str) -> str:
    """The same person signs in as the same user: ids derive from what identifies them."""
    return f"{prefix}-" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]


def issue(actor: Actor, secret: str, ttl_hours: int, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    claims = {
        "sub": actor.id,
        "role": actor.role.value,
        "name": actor.name,
        "iss": ISSUER,
        "iat": now,
        "exp": now + timedelta(hours=ttl_hours),
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def verify(token: str, secret: str) -> Actor:
    try:
        claims = jwt.decode(
            token, secret, algorithms=["HS256"], issuer=ISSUER, options={"require": ["sub", "role", "exp", "iss"]}
        )
        return Actor(str(claims["sub"]), Role(claims["role"]), str(claims.get("name", "")))
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("Your session has expired; please sign in again.") from None
    except (jwt.InvalidTokenError, ValueError):
        raise Unauthenticated("The bearer token is not valid.") from None
