"""The offline Stripe of the local stack: localstripe, started as a child process, with our webhook registered.

localstripe keeps its state in memory (and a pickle it never reads back here: `--from-scratch`), signs
its webhooks with the secret given at registration, and sends them one second after the change.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

SECRET_KEY = "sk_test_slotbook_local_offline_stripe"
WEBHOOK_SECRET = "whsec_slotbook_local_offline_stripe"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(port: int = 0) -> tuple[subprocess.Popen[bytes], str]:
    """localstripe on 127.0.0.1:`port` (a free one if 0); returns the process and its base URL once it answers."""
    port = port or free_port()
    command = [str(Path(sys.executable).parent / "localstripe"), "--port", str(port), "--from-scratch"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process, base
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"localstripe did not start on port {port}") from None
            time.sleep(0.1)


def register_webhook(base: str, url: str, secret: str = WEBHOOK_SECRET, name: str = "slotbook") -> None:
    data = urllib.parse.urlencode({"url": url, "secret": secret}).encode()
    request = urllib.request.Request(f"{base}/_config/webhooks/{name}", data=data, method="POST")
    request.add_header("Authorization", f"Bearer {SECRET_KEY}")
    urllib.request.urlopen(request, timeout=10).close()


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
