"""Settings: one typed object from the environment, failing fast on what is missing."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any


class ConfigurationError(RuntimeError):
    pass


@dataclass(frozen=True)
class Settings:
    stage: str
    table_name: str
    region: str
    jwt_secret: str
    token_ttl_hours: int = 24 * 7
    wechat_app_id: str = ""
    wechat_app_secret: str = ""
    wechat_api_base: str = "https://api.weixin.qq.com"
    wechat_template_id: str = ""
    notices_queue: str = "slotbook-notices"
    sender_email: str = "bookings@slotbook.local"
    payments_queue: str = "slotbook-payments"
    webhooks_queue: str = "slotbook-webhooks"
    secrets_id: str = ""  # a Secrets Manager secret (JSON) holding the Stripe keys
    stripe_secret_key: str = ""  # only where there is no secrets_id
    stripe_webhook_secret: str = ""
    stripe_api_base: str = ""  # the local stack's offline Stripe; empty means Stripe itself

    @property
    def is_local(self) -> bool:
        return self.stage == "local"


def _variable(name: str) -> str:
    """Each setting comes from the variable of its own name in capitals: table_name from TABLE_NAME."""
    return name.upper()


_KEYS = (*(_variable(f.name) for f in fields(Settings) if f.name != "region"), "AWS_REGION", "AWS_DEFAULT_REGION")


def load_settings(env: Mapping[str, str]) -> Settings:
    missing = [k for k in ("STAGE", "TABLE_NAME", "JWT_SECRET") if not env.get(k)]
    if missing:
        raise ConfigurationError(f"Missing settings: {', '.join(missing)} (see .chalice/config.json).")
    if len(env["JWT_SECRET"]) < 32:
        raise ConfigurationError("JWT_SECRET must be at least 32 characters.")
    given: dict[str, Any] = {f.name: env[_variable(f.name)] for f in fields(Settings) if env.get(_variable(f.name))}
    if "token_ttl_hours" in given:
        given["token_ttl_hours"] = int(given["token_ttl_hours"])
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1"  # Lambda sets AWS_REGION
    return Settings(**{**given, "region": region})


def get_settings() -> Settings:
    """Read once per distinct environment (a test client switches stages within one process)."""
    return _cached(tuple((k, os.environ.get(k, "")) for k in _KEYS))


@lru_cache(maxsize=8)
def _cached(snapshot: tuple[tuple[str, str], ...]) -> Settings:
    return load_settings(dict(snapshot))


@dataclass(frozen=True)
class StripeKeys:
    secret_key: str
    webhook_secret: str

    def __repr__(self) -> str:  # never in a log line
        return "StripeKeys(***)"


def stripe_keys(settings: Settings) -> StripeKeys:
    """From Secrets Manager where a secret is named (deployed stages, and moto locally), else the environment."""
    if settings.secrets_id:
        values = _secret(settings.secrets_id, settings.region)
        keys = StripeKeys(values.get("STRIPE_SECRET_KEY", ""), values.get("STRIPE_WEBHOOK_SECRET", ""))
    else:
        keys = StripeKeys(settings.stripe_secret_key, settings.stripe_webhook_secret)
    if not keys.secret_key or not keys.webhook_secret:
        raise ConfigurationError("The Stripe secret key and webhook secret are not set.")
    return keys


@lru_cache(maxsize=4)
def _secret(secret_id: str, region: str) -> dict[str, str]:
    import json

    from chalicelib.integrations.aws import client

    raw = client("secretsmanager", region).get_secret_value(SecretId=secret_id)["SecretString"]
    return {str(k): str(v) for k, v in json.loads(raw).items()}
