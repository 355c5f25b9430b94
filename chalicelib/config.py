"""Settings: one typed object from the environment, failing fast on what is missing."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

_KEYS = (
    "STAGE",
    "TABLE_NAME",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "JWT_SECRET",
    "TOKEN_TTL_HOURS",
    "WECHAT_APP_ID",
    "WECHAT_APP_SECRET",
    "WECHAT_API_BASE",
    "WECHAT_TEMPLATE_ID",
    "NOTICES_QUEUE",
    "SENDER_EMAIL",
    "PAYMENTS_QUEUE",
    "SECRETS_ID",
    "STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "STRIPE_API_BASE",
)


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
    secrets_id: str = ""  # a Secrets Manager secret (JSON) holding the Stripe keys
    stripe_secret_key: str = ""  # only where there is no secrets_id
    stripe_webhook_secret: str = ""
    stripe_api_base: str = ""  # the local stack's offline Stripe; empty means Stripe itself

    @property
    def is_local(self) -> bool:
        return self.stage == "local"


def load_settings(env: Mapping[str, str]) -> Settings:
    missing = [k for k in ("STAGE", "TABLE_NAME", "JWT_SECRET") if not env.get(k)]
    if missing:
        raise ConfigurationError(f"Missing settings: {', '.join(missing)} (see .chalice/config.json).")
    if len(env["JWT_SECRET"]) < 32:
        raise ConfigurationError("JWT_SECRET must be at least 32 characters.")
    return Settings(
        stage=env["STAGE"],
        table_name=env["TABLE_NAME"],
        region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
        jwt_secret=env["JWT_SECRET"],
        token_ttl_hours=int(env.get("TOKEN_TTL_HOURS") or 24 * 7),
        wechat_app_id=env.get("WECHAT_APP_ID", ""),
        wechat_app_secret=env.get("WECHAT_APP_SECRET", ""),
        wechat_api_base=env.get("WECHAT_API_BASE") or "https://api.weixin.qq.com",
        wechat_template_id=env.get("WECHAT_TEMPLATE_ID", ""),
        notices_queue=env.get("NOTICES_QUEUE") or "slotbook-notices",
        sender_email=env.get("SENDER_EMAIL") or "bookings@slotbook.local",
        payments_queue=env.get("PAYMENTS_QUEUE") or "slotbook-payments",
        secrets_id=env.get("SECRETS_ID", ""),
        stripe_secret_key=env.get("STRIPE_SECRET_KEY", ""),
        stripe_webhook_secret=env.get("STRIPE_WEBHOOK_SECRET", ""),
        stripe_api_base=env.get("STRIPE_API_BASE", ""),
    )


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

    import boto3

    raw = boto3.client("secretsmanager", region_name=region).get_secret_value(SecretId=secret_id)["SecretString"]
    return {str(k): str(v) for k, v in json.loads(raw).items()}
