"""The stage's secret: one JSON secret holding the JWT key, the Stripe keys and the WeChat app secret."""

from __future__ import annotations

import json

from aws_cdk import RemovalPolicy, SecretValue
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

SET_AFTER_DEPLOY = ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "WECHAT_APP_SECRET")


def app_secret(scope: Construct, name: str, keep: bool) -> secretsmanager.Secret:
    """The JWT key is generated here; the others are placeholders until set (README: "Deploying")."""
    return secretsmanager.Secret(
        scope,
        "AppSecret",
        secret_name=name,
        description="Slotbook: JWT_SECRET (generated), STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, WECHAT_APP_SECRET",
        generate_secret_string=secretsmanager.SecretStringGenerator(
            secret_string_template=json.dumps(dict.fromkeys(SET_AFTER_DEPLOY, "unset")),
            generate_string_key="JWT_SECRET",
            password_length=64,
            exclude_punctuation=True,
        ),
        removal_policy=RemovalPolicy.RETAIN if keep else RemovalPolicy.DESTROY,
    )


def resolved_at_deploy(secret: secretsmanager.Secret, key: str, version: str) -> str:
    """A CloudFormation dynamic reference, for the settings the code reads from its environment.

    CloudFormation resolves it when it updates the functions, so a new value needs a deploy naming the
    secret's new version (`make deploy SECRETS_VERSION=...`). The Stripe keys are read at run time instead.
    """
    value = SecretValue.secrets_manager(secret.secret_arn, json_field=key, version_id=version or None)
    return value.unsafe_unwrap()
