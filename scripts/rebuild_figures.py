"""Recompute every analytics figure from the appointments and blocks, replacing what the stream built.

    .venv/bin/python scripts/rebuild_figures.py            # the local stack's table (make run up)
    STAGE=prod TABLE_NAME=slotbook-prod ... python scripts/rebuild_figures.py   # a deployed table

It scans the table (a maintenance job, never a request path). Changes made while it runs are counted
by the stream too: run it when the stream consumer is paused, or run it twice.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from scripts.local_stack import stage_environment

    if not os.environ.get("TABLE_NAME"):  # the local stack's table, on its default endpoint
        os.environ.update(stage_environment("local"))
        os.environ.setdefault("AWS_ENDPOINT_URL", f"http://127.0.0.1:{os.environ.get('MOTO_PORT', '5000')}")
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            os.environ.setdefault(name, "local")
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    from chalicelib.services import analytics
    from chalicelib.store import get_store

    started = time.perf_counter()
    written = analytics.rebuild(get_store())
    print(f"{written} figure items rebuilt in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
