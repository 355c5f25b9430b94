"""`make run`: moto as local AWS, the table, the demo business, and `chalice local`, in one process.

Ctrl-C stops everything. Set MOTO_PORT (default 5000) and API_PORT (default 8000) to move them,
or AWS_ENDPOINT_URL to use an AWS endpoint that is already running.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

if TYPE_CHECKING:
    from chalicelib.config import Settings
    from scripts.worker import LocalWorker

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def stage_environment(stage: str) -> dict[str, str]:
    """The stage's variables from .chalice/config.json, as `chalice local` applies them."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    return {**config.get("environment_variables", {}), **config["stages"][stage].get("environment_variables", {})}


def ensure_free(port: int, what: str) -> None:
    if port == 0:
        return
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            sys.exit(f"Port {port} ({what}) is in use: is another `make run` up? Stop it, or set {what}=<port>.")


def log_without_query(handler: Any, code: int | str = "-", size: int | str = "-") -> None:
    """chalice local logs each request line whole: a customer search by phone put the number in the log, and a
    phone or email typed into a path would too; the path goes through the app's own masking."""
    from chalicelib.observability import mask

    method, _, rest = str(handler.requestline).partition(" ")
    target, _, version = rest.partition(" ")
    handler.log_message('"%s %s %s" %s %s', method, mask(unquote(target.split("?", 1)[0])), version, code, size)


def start_local_aws() -> Any:
    if os.environ.get("AWS_ENDPOINT_URL"):
        return None
    from scripts import local_aws

    port = int(os.environ.get("MOTO_PORT", "5000"))
    ensure_free(port, "MOTO_PORT")
    server, endpoint = local_aws.start(port)
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    return server


def prepare_table(store: Any) -> bool:
    """The table and the demo business; two months of history the first time. True if it was created.

    A table kept by an earlier version is brought up to date first (occupancy as calendar days, confirmations and
    reminders as the appointments' schedules).

    The analytics figures are then rebuilt from the appointments, and the worker follows the table's
    stream from here on: nothing is counted twice, and nothing written while the stack was down is lost.
    """
    from chalicelib.services import analytics
    from scripts import demo_data, migrate_messages, migrate_occupancy

    created = bool(store.table.create())
    moved = migrate_occupancy.migrate(store)
    if moved.locks:
        print(f"occupancy migrated: {moved}")
    scheduled = migrate_messages.migrate(store)
    if scheduled.notices:
        print(f"messages migrated: {scheduled}")
    demo_data.load(store)
    if created:
        demo_data.load_history(store, datetime.now(UTC))
    analytics.rebuild(store)
    return created


def start_worker(settings: Settings) -> LocalWorker:
    """The queues (each with its dead-letter queue) and the worker draining them."""
    from scripts import local_aws
    from scripts.worker import LocalWorker

    queue_url = local_aws.create_messaging(settings.notices_queue, settings.sender_email, settings.region)
    payments_url = local_aws.create_payments(settings.payments_queue, settings.secrets_id, settings.region)
    webhooks_url = local_aws.create_queue(settings.webhooks_queue, settings.region)
    sweep_seconds = float(os.environ.get("SWEEP_SECONDS", "5"))
    worker = LocalWorker(queue_url, settings.region, sweep_seconds, payments_url, settings.table_name, webhooks_url)
    worker.start()
    return worker


def main() -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        os.environ.setdefault(name, value)
    os.environ.update(stage_environment("local"))
    port = int(os.environ.get("API_PORT", "8000"))
    ensure_free(port, "API_PORT")
    stripe_port = int(os.environ.get("STRIPE_PORT", "8420"))
    ensure_free(stripe_port, "STRIPE_PORT")
    moto = start_local_aws()
    from scripts import local_stripe

    stripe_process, stripe_base = local_stripe.start(stripe_port)
    os.environ["STRIPE_API_BASE"] = stripe_base

    from chalice.cli import create_local_server
    from chalice.cli.factory import CLIFactory
    from chalice.local import ChaliceRequestHandler, ThreadedHTTPServer

    ThreadedHTTPServer.request_queue_size = 128  # socketserver's default backlog of 5 resets a burst of clients
    ChaliceRequestHandler.log_request = log_without_query

    from chalicelib.config import get_settings
    from chalicelib.domain.actor import Role
    from chalicelib.services.identity import dev_login
    from chalicelib.store import get_store

    store = get_store()
    created = prepare_table(store)
    settings = get_settings()
    worker = start_worker(settings)
    customer_token, _ = dev_login(settings, Role.CUSTOMER, "Demo Customer")
    staff_token, _ = dev_login(settings, Role.STAFF, "Front Desk")

    server = create_local_server(CLIFactory(project_dir=str(ROOT)), "127.0.0.1", port, "local")
    url = f"http://127.0.0.1:{port}"
    local_stripe.register_webhook(stripe_base, f"{url}/payments/stripe/webhook")

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(
        f"""
Slotbook local stack
  API            {url}   (try: curl {url}/appointments/services)
  local AWS      {os.environ["AWS_ENDPOINT_URL"]}   table {settings.table_name} ({"created" if created else "reused"})
  customer token {customer_token}
  staff token    {staff_token}
  (new tokens: POST {url}/auth/dev-login {{"role": "customer"|"staff"|"admin", "name": "..."}})
  offline Stripe {stripe_base}   (localstripe; its signed webhooks go to {url}/payments/stripe/webhook)
  worker         draining {settings.notices_queue}, {settings.payments_queue} and {settings.webhooks_queue};
                 sweeping reminders, holds, no-shows and webhook retries every {worker.sweep_seconds:g} s;
                 following the table's stream into the analytics and the waitlist
  pay locally    POST {url}/dev/payments/<appointmentId>/pay {{"outcome": "succeed"|"fail"}}
  sent messages  .venv/bin/python scripts/outbox.py
Ctrl-C stops everything.
READY {url}
""",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        worker.stop()
        server.server.server_close()
        local_stripe.stop(stripe_process)
        if moto is not None:
            moto.stop()
        print("Slotbook local stack stopped.", flush=True)


if __name__ == "__main__":
    main()
