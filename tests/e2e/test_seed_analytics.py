"""The seed's AppointmentAnalytics, unchanged, in Node against the local stack and its demo history:
the five reports answer for staff, and agree with the seed's own formulas over the same appointments."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.conftest import SHANGHAI
from tests.e2e.conftest import Stack, run_seed

pytestmark = pytest.mark.e2e
REPORTS = ("bookings", "services", "staff", "revenue", "customers")


@pytest.fixture(scope="module")
def seen(local_stack: Stack) -> dict[str, Any]:
    today = datetime.now(SHANGHAI).date()
    first = (today - timedelta(days=29)).isoformat()
    return run_seed("run_seed_analytics.mjs", local_stack.url, local_stack.staff_token, first, today.isoformat())


def test_the_five_calls_answer_with_the_demo_history(seen: dict[str, Any]) -> None:
    metrics = seen["metrics"]
    assert metrics["total"] == seen["listed"] > 10
    assert len(metrics["daily"]) == 30
    assert {s["serviceId"] for s in seen["popularity"]} == {"svc-consult", "svc-cut", "svc-scalp", "svc-colour"}
    assert round(sum(s["share"] for s in seen["popularity"])) == 100
    demo_staff = {
        s["staffId"]: s for s in seen["utilization"] if s["staffId"] in ("staff-li", "staff-wang", "staff-chen")
    }
    assert len(demo_staff) == 3 and all(s["availableMinutes"] > 0 for s in demo_staff.values())
    assert seen["revenue"]["currency"] == "CNY" and seen["revenue"]["total"] > 0
    assert seen["insights"]["total"] > 0 and len(seen["insights"]["topCustomers"]) <= 5


def test_the_figures_agree_with_the_seeds_own_formulas(seen: dict[str, Any]) -> None:
    metrics, seed = seen["metrics"], seen["seed"]
    assert metrics["noShowRate"] == round(seed["noShowRate"], 2)
    assert metrics["averageBookingValue"] == round(seed["averageBookingValue"], 2)
    assert metrics["byStatus"]["completed"] == seed["completed"]
    assert metrics["patterns"]["peakHours"] == seed["patterns"]["peakHours"]
    assert metrics["patterns"]["peakDays"] == seed["patterns"]["peakDays"]


def test_a_change_reaches_the_reports_within_seconds(seen: dict[str, Any]) -> None:
    assert seen["completedStatus"] == 200
    after = seen["metricsAfter"]
    assert after["byStatus"]["pending"] == seen["metrics"]["byStatus"]["pending"] - 1
    assert seen["movedAfterMs"] < 10_000


def test_customers_are_refused_every_report(local_stack: Stack) -> None:
    for name in REPORTS:
        request = urllib.request.Request(
            f"{local_stack.url}/appointments/analytics/{name}?period=7d",
            headers={"Authorization": f"Bearer {local_stack.customer_token}"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request)
        assert refused.value.code == 403
        assert json.loads(refused.value.read())["error"]["code"] == "FORBIDDEN"
