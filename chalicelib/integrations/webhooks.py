"""Sending a webhook: signed by the Standard Webhooks scheme (the `standardwebhooks` library), posted to an
address checked just before connecting.

The receiver's name is resolved once, every address it gives must be public (domain/webhooks.py's
`address_allowed`), and the connection goes to the address that was checked, so a name that changes between the
check and the connection (DNS rebinding) cannot reach inside. Redirects are not followed, and each try is bounded
by its timeouts, so a slow receiver costs its own delivery at most `TIMEOUT` seconds and nothing else.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import urlsplit

import urllib3
from standardwebhooks import Webhook

from chalicelib.domain.webhooks import Attempt, address_allowed

CONNECT_TIMEOUT, READ_TIMEOUT = 3.0, 10.0
USER_AGENT = "Slotbook-Webhooks/1"


@dataclass(frozen=True)
class Outgoing:
    url: str
    message_id: str
    body: str  # the JSON payload, exactly as signed
    secrets: Sequence[str]  # each signs (a rotation's overlap: two)


class Sender(Protocol):
    def send(self, outgoing: Outgoing) -> Attempt: ...


def headers(message_id: str, body: str, secrets: Sequence[str], at: datetime) -> dict[str, str]:
    """The Standard Webhooks headers: one `v1,` signature per secret, space-separated."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": " ".join(Webhook(s).sign(message_id, at, body) for s in secrets),
    }


class HttpSender:
    """Posts to public addresses only; `local`: the local stack's loopback too (where its tests receive).
    `authorities`: a PEM file of the certificate authorities to trust instead of the system's (a test's own)."""

    def __init__(self, local: bool, authorities: str | None = None) -> None:
        self._local, self._authorities = local, authorities

    def send(self, outgoing: Outgoing) -> Attempt:
        started = time.monotonic()

        def took() -> int:
            return int((time.monotonic() - started) * 1000)

        parts = urlsplit(outgoing.url)
        host, https = parts.hostname or "", parts.scheme == "https"
        port = parts.port or (443 if https else 80)
        try:
            address = self._resolve(host, port)
        except OSError as error:
            return Attempt(0, took(), f"address not allowed or not found: {error}")
        sent = {
            **headers(outgoing.message_id, outgoing.body, outgoing.secrets, datetime.now(UTC)),
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "host": parts.netloc.rsplit("@", 1)[-1],
        }
        timeout = urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT)
        pool: urllib3.HTTPConnectionPool
        if https:  # the checked address, with the name for SNI and the certificate
            pool = urllib3.HTTPSConnectionPool(
                address,
                port,
                timeout=timeout,
                retries=False,
                server_hostname=host,
                assert_hostname=host,
                ca_certs=self._authorities,
            )
        else:
            pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            response = pool.urlopen(
                "POST", path, body=outgoing.body.encode(), headers=sent, redirect=False, preload_content=False
            )
            response.read(4096, decode_content=False)  # enough to end the exchange; the rest is not ours to read
            response.release_conn()
        except urllib3.exceptions.HTTPError as error:
            return Attempt(0, took(), type(error).__name__ + ": " + str(error)[:300])
        finally:
            pool.close()
        code = int(response.status)
        return Attempt(code, took(), "" if 200 <= code < 300 else f"answered {code}")

    def _resolve(self, host: str, port: int) -> str:
        """The address to connect to: every address the name has must be allowed, or none is used."""
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = list(dict.fromkeys(str(f[4][0]) for f in found))
        refused = [a for a in addresses if not address_allowed(ipaddress.ip_address(a.split("%")[0]), self._local)]
        if refused or not addresses:
            raise OSError(f"{host} resolves to {', '.join(refused) or 'nothing'}, which deliveries may not reach")
        return addresses[0]
