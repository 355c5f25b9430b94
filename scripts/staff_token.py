"""A staff token for a stage that has no staff sign-in yet, signed with that stage's JWT secret.

    JWT_SECRET=$(aws secretsmanager get-secret-value --secret-id slotbook/dev --query SecretString \
      --output text | jq -r .JWT_SECRET) .venv/bin/python scripts/staff_token.py "Front Desk"

Paste what it prints into the console's sign-in page. The same name gives the same user id, as the
local dev login does; `--role admin` for the owner; the token lasts `--hours` (12, a working day).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chalicelib import tokens
from chalicelib.domain.actor import Actor, Role


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="who the token is for, shown in the console and the audit trail")
    parser.add_argument("--role", choices=[Role.STAFF.value, Role.ADMIN.value], default=Role.STAFF.value)
    parser.add_argument("--hours", type=int, default=12)
    args = parser.parse_args(argv)
    secret = os.environ.get("JWT_SECRET", "")
    if not secret:
        print("Set JWT_SECRET to the stage's secret (see the docstring).", file=sys.stderr)
        return 2
    role = Role(args.role)
    actor = Actor(tokens.stable_id(role.value, role.value, args.name), role, args.name)
    print(tokens.issue(actor, secret, args.hours))
    return 0


if __name__ == "__main__":
    sys.exit(main())
