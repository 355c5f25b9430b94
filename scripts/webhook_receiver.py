"""A webhook receiver for trying Slotbook's webhooks locally, as an integrator's endpoint would take them.

    .venv/bin/python scripts/webhook_receiver.py PORT SECRET [--fail N]

Listens on 127.0.0.1:PORT, verifies each delivery with the Standard Webhooks library and SECRET (the one
`POST /webhooks` showed once), answers 204, and prints one JSON line per delivery: its webhook-id, type,
appointment, sequence and the seconds from the event to its receipt. A delivery that does not verify is
answered 401 and printed as such; `--fail N` answers the first N deliveries 503, to watch the retries.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook, WebhookVerificationError


def serve(port: int, secret: str, fail: int = 0) -> ThreadingHTTPServer:
    verifier = Webhook(secret)
    lock = threading.Lock()
    left = [fail]

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0"))).decode()
            line: dict[str, Any] = {"webhookId": self.headers.get("webhook-id")}
            with lock:
                failing = left[0] > 0
                left[0] -= failing
            if failing:
                code, line["answered"] = 503, "503 (told to fail)"
            else:
                try:
                    event = verifier.verify(body, dict(self.headers.items()))
                except WebhookVerificationError as error:
                    code, line["rejected"] = 401, str(error)
                else:
                    code = 204
                    received = datetime.now(UTC)
                    line.update(
                        type=event["type"],
                        appointmentId=event["data"]["appointment"]["id"],
                        status=event["data"]["appointment"]["status"],
                        sequence=event["sequence"],
                        secondsAfterEvent=round(
                            (received - datetime.fromisoformat(event["timestamp"])).total_seconds(), 3
                        ),
                    )
            self.send_response(code)
            self.end_headers()
            print(json.dumps(line), flush=True)

        def log_message(self, *args: Any) -> None:
            pass

    return ThreadingHTTPServer(("127.0.0.1", port), Receiver)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("port", type=int)
    parser.add_argument("secret")
    parser.add_argument("--fail", type=int, default=0, help="answer the first N deliveries 503")
    args = parser.parse_args(argv)
    server = serve(args.port, args.secret, args.fail)
    print(json.dumps({"listening": f"http://127.0.0.1:{args.port}/"}), flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
