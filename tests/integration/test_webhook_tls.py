"""The https path of a delivery: the connection goes to the address that was checked, and the receiver's name still
decides the TLS handshake (SNI) and the certificate's check.

A receiver on 127.0.0.1 serves a certificate for `localhost` from a certificate authority made here, which the
sender is told to trust in place of the system's (deployed, it trusts the system's).
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from standardwebhooks import Webhook

from chalicelib.integrations.webhooks import HttpSender, Outgoing

SECRET = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY"


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def certificates(folder: Path, host: str) -> tuple[Path, Path, Path]:
    """(the authority's certificate, the receiver's certificate for `host`, its key), as PEM files."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("Slotbook test CA"))
        .issuer_name(_name("Slotbook test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name(host))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = folder / "ca.pem", folder / "leaf.pem", folder / "leaf.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return paths


class TlsReceiver:
    def __init__(self, certificate: Path, key: Path, authority: Path) -> None:
        self.authority = str(authority)
        self.received: list[tuple[str, Any]] = []  # (Host header, verified payload)
        me = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0"))).decode()
                verified = Webhook(SECRET).verify(body, dict(self.headers.items()))
                me.received.append((str(self.headers.get("host")), verified))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificate, key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver_for(tmp_path: Path) -> Iterator[Any]:
    started: list[TlsReceiver] = []

    def start(host: str) -> TlsReceiver:
        authority, certificate, key = certificates(tmp_path, host)
        started.append(TlsReceiver(certificate, key, authority))
        return started[-1]

    yield start
    for receiver in started:
        receiver.server.shutdown()
        receiver.server.server_close()


def test_an_https_delivery_goes_to_the_checked_address_with_the_receivers_name(receiver_for: Any) -> None:
    receiver = receiver_for("localhost")
    sent = Outgoing(f"https://localhost:{receiver.port}/hooks", "evt_1", '{"type":"appointment.created"}', [SECRET])
    attempt = HttpSender(local=True, authorities=receiver.authority).send(sent)
    assert (attempt.code, attempt.error) == (204, "")
    ((host, payload),) = receiver.received
    assert host == f"localhost:{receiver.port}" and payload == {"type": "appointment.created"}


def test_a_certificate_for_another_name_is_refused(receiver_for: Any) -> None:
    receiver = receiver_for("crm.example.com")  # served at 127.0.0.1, reached as localhost
    sent = Outgoing(f"https://localhost:{receiver.port}/hooks", "evt_1", "{}", [SECRET])
    attempt = HttpSender(local=True, authorities=receiver.authority).send(sent)
    assert attempt.code == 0 and "doesn't match 'crm.example.com'" in attempt.error, attempt.error
    assert receiver.received == []


def test_a_certificate_from_no_trusted_authority_is_refused(receiver_for: Any) -> None:
    receiver = receiver_for("localhost")  # the sender trusts the system's authorities only, as deployed
    attempt = HttpSender(local=True).send(Outgoing(f"https://localhost:{receiver.port}/hooks", "evt_1", "{}", [SECRET]))
    assert attempt.code == 0 and "CERTIFICATE_VERIFY_FAILED" in attempt.error, attempt.error
    assert receiver.received == []
