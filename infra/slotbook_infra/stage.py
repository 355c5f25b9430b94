"""What differs between stages, read once from the CDK context (`-c stage=prod`, and infra/cdk.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from constructs import Node

ROOT = Path(__file__).resolve().parents[2]  # the Chalice project: app.py, chalicelib/, .chalice/
STAGES = ("dev", "prod")


@dataclass(frozen=True)
class Stage:
    name: str
    sender_email: str  # SES identity the notices are sent from (verify it before the first deploy)
    wechat_app_id: str
    wechat_template_id: str
    alarm_email: str  # subscribed to the alarms topic when set
    secrets_version: str  # a secret's VersionId, to re-read JWT and WeChat secrets after changing them
    api_rate: int  # requests/s API Gateway passes on steadily, per stage
    api_burst: int

    @property
    def stack_name(self) -> str:
        return f"slotbook-{self.name}"

    def named(self, suffix: str) -> str:
        return f"slotbook-{self.name}-{suffix}"

    @property
    def keeps_data(self) -> bool:
        """prod keeps its table and secret when the stack is destroyed; dev goes away whole."""
        return self.name == "prod"

    @property
    def chalice_environment(self) -> dict[str, str]:
        """The stage's environment in .chalice/config.json (STAGE, TABLE_NAME, ...)."""
        config = json.loads((ROOT / ".chalice" / "config.json").read_text())
        return dict(config["stages"][self.name]["environment_variables"])


def from_context(node: Node) -> Stage:
    """`-c stage=prod` picks the stage; its settings are infra/cdk.json's `context.<stage>`."""
    name = str(node.try_get_context("stage") or "dev")
    if name not in STAGES:
        raise ValueError(f"Unknown stage {name!r}: use one of {', '.join(STAGES)}.")
    settings: dict[str, str] = node.try_get_context(name) or {}
    busy = name == "prod"
    return Stage(
        name=name,
        sender_email=settings.get("senderEmail") or "bookings@example.com",
        wechat_app_id=settings.get("wechatAppId", ""),
        wechat_template_id=settings.get("wechatTemplateId", ""),
        alarm_email=settings.get("alarmEmail", ""),
        secrets_version=str(node.try_get_context("secretsVersion") or ""),
        api_rate=200 if busy else 20,
        api_burst=400 if busy else 40,
    )
