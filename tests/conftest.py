"""Shared fixtures: one moto server for the session, a fresh table with the demo business per test."""

from __future__ import annotations

import json
import logging
import os
import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from chalicelib.store import Store
from scripts import demo_data, local_aws, local_stripe
from tests import dynamodb_calls, personal_data

ROOT = Path(__file__).resolve().parent.parent
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1, ... in a pytest-xdist worker (`make test`)
LOCAL_ENV = json.loads((ROOT / ".chalice" / "config.json").read_text())["stages"]["local"]["environment_variables"]
SHANGHAI = ZoneInfo("Asia/Shanghai")

dynamodb_calls.install()
for _name, _value in {
    "AWS_ACCESS_KEY_ID": "test",
    "AWS_SECRET_ACCESS_KEY": "test",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}.items():
    os.environ[_name] = _value
os.environ.pop("AWS_PROFILE", None)
logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's request log


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `waits` (they wait on the clock, not the CPU) first, the rest as collected.

    `make test` runs the tests on pytest-xdist workers with `--dist loadfile --no-loadscope-reorder`: a
    test file is the unit a worker takes (a module's own stack, browser or fuzzed stack, starts once),
    handed out in this order, so the file of a waiting test starts at once and its wait is filled by the
    other worker's work instead of ending the run. (`--dist loadgroup` would also keep the session's
    `local_stack` on one worker, but pytest-xdist 3.8.0 cannot group under pytest 9.2: it renames a
    test's node id to mark its group, and pytest 9.2's node ids are no longer renamed that way, so the
    groups are silently ignored. A worker starts the local stack once, when it first needs it.)"""
    items.sort(key=lambda item: item.get_closest_marker("waits") is None)  # a stable sort


@pytest.fixture(autouse=True)
def no_personal_data_in_the_logs() -> Iterator[None]:
    """Each test: no phone number or email in any log line it produced, ours (masked) or a library's."""
    from chalicelib.observability import logger

    ours, theirs = personal_data.LogTap(), personal_data.LogTap()
    ours.setFormatter(logger.registered_handler.formatter)
    theirs.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    logging.getLogger(logger.name).addHandler(ours)
    logging.getLogger().addHandler(theirs)
    try:
        yield
    finally:
        logging.getLogger(logger.name).removeHandler(ours)
        logging.getLogger().removeHandler(theirs)
    leaked = [line for line in ours.lines + theirs.lines if personal_data.found_in(line)]
    assert leaked == [], "personal data in the logs"


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    server, endpoint = local_aws.start(0)
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    yield endpoint
    server.stop()


def artifacts() -> Path:
    """Where tests leave files for a person to read: test-artifacts/, or test-artifacts/<worker>/ under
    pytest-xdist, so that two workers never write the same log or screenshot."""
    folder = ROOT / "test-artifacts" / WORKER if WORKER else ROOT / "test-artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def fresh_store(moto_endpoint: str) -> Store:
    """An empty local AWS, then the table holding the demo business, as `make run` loads it."""
    urllib.request.urlopen(urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST")).close()
    store = Store(LOCAL_ENV["TABLE_NAME"], "us-east-1")
    store.table.create()
    demo_data.load(store)
    local_aws.create_messaging("slotbook-notices", "bookings@slotbook.local", "us-east-1")
    local_aws.create_payments("slotbook-payments", LOCAL_ENV["SECRETS_ID"], "us-east-1")
    local_aws.create_queue("slotbook-webhooks", "us-east-1")
    return store


@pytest.fixture(scope="session")
def offline_stripe() -> Iterator[str]:
    """localstripe for the session: the real stripe SDK calls go to it."""
    process, base = local_stripe.start()
    yield base
    local_stripe.stop(process)


def use_local_stage(patch: pytest.MonkeyPatch, stripe_base: str) -> None:
    """The `local` stage's settings, as the app reads them from its environment."""
    for name in ("STAGE", "TABLE_NAME", "JWT_SECRET", "SECRETS_ID"):
        patch.setenv(name, LOCAL_ENV[name])
    patch.setenv("STRIPE_API_BASE", stripe_base)


@pytest.fixture
def store(moto_endpoint: str, offline_stripe: str, monkeypatch: pytest.MonkeyPatch) -> Store:
    use_local_stage(monkeypatch, offline_stripe)
    return fresh_store(moto_endpoint)


@pytest.fixture(scope="module")
def local_stage(moto_endpoint: str, offline_stripe: str) -> Iterator[str]:
    """The local stage's settings for a whole module, for property tests that make their own stores."""
    with pytest.MonkeyPatch.context() as patch:
        use_local_stage(patch, offline_stripe)
        yield moto_endpoint


def working_day(at_least_days_ahead: int = 3) -> date:
    """A Monday-to-Saturday date in Shanghai, far enough ahead that no notice or cutoff gets in the way."""
    day = datetime.now(SHANGHAI).date() + timedelta(days=at_least_days_ahead)
    while day.weekday() == 6:
        day += timedelta(days=1)
    return day


def now() -> datetime:
    return datetime.now(UTC)
