"""The local stack as `make run` starts it, on free ports, for tests that speak HTTP to it."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests import personal_data
from tests.conftest import ROOT, artifacts


@dataclass(frozen=True)
class Stack:
    url: str
    customer_token: str
    staff_token: str
    aws: str  # the local AWS endpoint (moto), where SES and SNS record what was sent
    log: Path  # everything the stack printed (see `artifacts`)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def local_stack() -> Iterator[Stack]:
    with running_stack("local_stack.log") as stack:
        yield stack


@contextmanager
def running_stack(log_name: str, extra_env: dict[str, str] | None = None) -> Iterator[Stack]:
    """`scripts/local_stack.py` on free ports until the block ends; its output in `artifacts()`/<log_name>."""
    env = {**os.environ, "MOTO_PORT": "0", "STRIPE_PORT": "0", "API_PORT": str(free_port()), "PYTHONUNBUFFERED": "1"}
    env.update(extra_env or {})
    env.pop("AWS_ENDPOINT_URL", None)  # the stack starts its own local AWS
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "local_stack.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    log_path = artifacts() / log_name
    log = log_path.open("w")

    def drain() -> None:  # keep reading after READY so the pipe never fills; all of it in the log
        for line in process.stdout or []:
            lines.put(line)
            log.write(line)
            log.flush()

    threading.Thread(target=drain, daemon=True).start()
    seen: list[str] = []
    fields: dict[str, str] = {}
    while "url" not in fields:
        try:
            line = lines.get(timeout=60)
        except queue.Empty:
            process.kill()
            pytest.fail("the local stack did not get ready in 60 s:\n" + "".join(seen))
        seen.append(line)
        words = line.split()
        if line.startswith("  customer token"):
            fields["customer"] = words[2]
        elif line.startswith("  staff token"):
            fields["staff"] = words[2]
        elif line.startswith("  local AWS"):
            fields["aws"] = words[2]
        elif line.startswith("READY "):
            fields["url"] = words[1]
        elif process.poll() is not None and lines.empty():
            pytest.fail("the local stack exited:\n" + "".join(seen))
    try:
        yield Stack(fields["url"], fields["customer"], fields["staff"], fields["aws"], log_path)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
    written = log_path.read_text().splitlines()
    leaked = [line for line in written if personal_data.found_in(line)]
    assert leaked == [], f"phone numbers or emails in {log_path.relative_to(ROOT)}: {leaked[:3]}"


def run_seed(script: str, *args: str) -> dict[str, Any]:
    """One of the Node runners beside this file, driving the seed's own JavaScript; what it printed, as JSON."""
    node = shutil.which("node")
    assert node, "Node.js is needed to run the seed's JavaScript"
    result = subprocess.run(
        [node, str(Path(__file__).resolve().parent / script), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "TZ": "Asia/Shanghai"},  # the mini program's phone is in China
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))
