"""Against slot hoarding and oversized requests: per-customer limits, and a cap on request bodies."""

from __future__ import annotations

import json

from chalicelib.domain.actor import Role
from tests.conftest import working_day
from tests.integration.conftest import Api, booking, token_for
from tests.integration.test_booking_routes import error_code

DAY, LATER = working_day().isoformat(), working_day(5).isoformat()


def mine(api: Api, token: str) -> list[dict[str, object]]:
    return list(api.get("/appointments/mine?scope=upcoming", token).body["appointments"])


def test_the_eleventh_upcoming_appointment_is_refused_until_one_is_cancelled(api: Api, alice: str, bob: str) -> None:
    times = [(DAY, t) for t in ("09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00", "17:00")]
    times += [(LATER, "09:00"), (LATER, "10:00")]
    made = [api.post("/appointments/book", booking(date=d, time=t), alice) for d, t in times]
    assert [m.status for m in made] == [201] * 10

    refused = api.post("/appointments/book", booking(date=LATER, time="11:00"), alice)
    assert refused.status == 409 and error_code(refused.body) == "LIMIT_REACHED"
    assert refused.body["error"]["fields"] == {"upcoming": "at most 10"}
    assert len(mine(api, alice)) == 10  # nothing written
    assert api.post("/appointments/book", booking(date=LATER, time="11:00"), bob).status == 201  # not Bob's limit

    first = made[0].body["appointment"]["id"]
    assert api.call("PUT", f"/appointments/{first}/cancel", {"reason": "x"}, alice).status == 200
    assert api.post("/appointments/book", booking(date=LATER, time="13:00"), alice).status == 201


def test_three_unpaid_holds_at_once_and_no_more(api: Api, alice: str, bob: str) -> None:
    def hold(time: str, token: str = alice) -> int:
        return api.post("/appointments/book", booking("svc-colour", "staff-wang", time=time), token).status

    assert [hold("09:00"), hold("13:00"), hold("14:30")] == [201, 201, 201]
    fourth = api.post("/appointments/book", booking("svc-colour", "staff-wang", time="16:00"), alice)
    assert fourth.status == 409 and fourth.body["error"]["fields"] == {"holds": "at most 3"}
    assert api.post("/appointments/book", booking("svc-cut", time="16:00"), alice).status == 201  # free: fine
    assert hold("16:00", bob) == 201


def test_the_limits_are_settings_the_owner_may_change(api: Api, alice: str) -> None:
    admin = token_for(Role.ADMIN, "Owner")
    assert api.put("/admin/settings", {"maxUnpaidHolds": 1}, admin).status == 200
    assert api.post("/appointments/book", booking("svc-colour", "staff-wang", time="09:00"), alice).status == 201
    assert api.post("/appointments/book", booking("svc-colour", "staff-wang", time="13:00"), alice).status == 409
    bad = api.put("/admin/settings", {"maxUpcoming": 0}, admin)
    assert bad.status == 400 and "maxUpcoming" in bad.body["error"]["fields"]


def test_a_body_over_64_kb_is_413_and_changes_nothing(api: Api, alice: str) -> None:
    huge = booking(notes="x" * 70_000)
    answer = api.call("POST", "/appointments/book", token=alice, raw=json.dumps(huge))
    assert answer.status == 413 and error_code(answer.body) == "PAYLOAD_TOO_LARGE"
    assert mine(api, alice) == []
    webhook = api.call("POST", "/payments/stripe/webhook", raw="{" + " " * 70_000 + "}")
    assert webhook.status == 413
