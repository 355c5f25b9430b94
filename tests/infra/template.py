"""The synthesized CloudFormation template, read as the drift tests need it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CDK_OUT = ROOT / "infra" / "cdk.out"

Resource = dict[str, Any]


@dataclass(frozen=True)
class Template:
    body: dict[str, Any]

    @classmethod
    def synthesized(cls) -> Template:
        """The one stack `make synth` wrote (it synthesizes one stage per run)."""
        manifest = json.loads((CDK_OUT / "manifest.json").read_text())
        stacks = [a for a in manifest["artifacts"].values() if a["type"] == "aws:cloudformation:stack"]
        if len(stacks) != 1:
            raise LookupError(f"Expected one stack in {CDK_OUT}, found {len(stacks)}")
        return cls(json.loads((CDK_OUT / stacks[0]["properties"]["templateFile"]).read_text()))

    @property
    def resources(self) -> dict[str, Resource]:
        return dict(self.body["Resources"])

    def of_type(self, kind: str) -> dict[str, Resource]:
        return {name: r for name, r in self.resources.items() if r["Type"] == kind}

    def only(self, kind: str) -> tuple[str, Resource]:
        (found,) = self.of_type(kind).items()
        return found

    def properties(self, name: str) -> dict[str, Any]:
        return dict(self.resources[name]["Properties"])

    @property
    def functions(self) -> dict[str, dict[str, Any]]:
        """Handler string (`app.deliver_notices`) -> the function's properties."""
        return {r["Properties"]["Handler"]: r["Properties"] for r in self.of_type("AWS::Serverless::Function").values()}

    def queue_named(self, name: str) -> tuple[str, dict[str, Any]]:
        (found,) = [
            (n, r["Properties"])
            for n, r in self.of_type("AWS::SQS::Queue").items()
            if r["Properties"]["QueueName"] == name
        ]
        return found


def get_att(name: str, attribute: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [name, attribute]}


def event_sources_under(environment: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """app.py's event handlers as Chalice's construct saw them: app.py imported with the functions' environment.

    Handler string -> the handler's Chalice config (`kind` is SQSEventConfig, ScheduledEventConfig, ...).

    Values CloudFormation fills in (a Ref, a GetAtt) stand in as their JSON text, so they come back comparable.
    """
    plain = {k: v if isinstance(v, str) else json.dumps(v, sort_keys=True) for k, v in environment.items()}
    return json.loads(_probe(json.dumps(plain, sort_keys=True)))  # type: ignore[no-any-return]


_PROBE = """
import json
import app
def plain(value):
    return value.to_string() if hasattr(value, "to_string") else value
sources = {}
for source in app.app.event_sources:
    sources[source.handler_string] = {"kind": type(source).__name__} | {k: plain(v) for k, v in vars(source).items()}
print(json.dumps(sources))
"""


@cache
def _probe(environment: str) -> str:
    env = {"PATH": os.environ.get("PATH", ""), "AWS_DEFAULT_REGION": "us-east-1", **json.loads(environment)}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.strip().splitlines()[-1]
