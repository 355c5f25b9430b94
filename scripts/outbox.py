"""Print what the local stack "sent": moto's record of SES emails and SNS text messages.

Usage: .venv/bin/python scripts/outbox.py [--json]   (AWS_ENDPOINT_URL or MOTO_PORT picks the local AWS)
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from typing import Any


def sent(endpoint: str) -> dict[str, list[dict[str, Any]]]:
    with urllib.request.urlopen(f"{endpoint}/moto-api/data.json") as response:
        data = json.loads(response.read())

    def records(service: str, kind: str) -> list[dict[str, Any]]:
        held = data.get(service, {}).get(kind, [])
        return list(held) if isinstance(held, list) else [m for region in held.values() for m in region]

    return {"email": records("ses", "Message"), "sms": records("sns", "SMS")}


def main() -> None:
    endpoint = os.environ.get("AWS_ENDPOINT_URL") or f"http://127.0.0.1:{os.environ.get('MOTO_PORT', '5000')}"
    messages = sent(endpoint)
    if "--json" in sys.argv:
        print(json.dumps(messages, ensure_ascii=False, indent=2, default=str))
        return
    for item in messages["email"]:
        print(f"EMAIL to {item.get('destinations')}: {item.get('subject')}\n  {item.get('body')}")
    for item in messages["sms"]:
        print(f"SMS to {item.get('phone_number')}: {item.get('message')}")


if __name__ == "__main__":
    main()
