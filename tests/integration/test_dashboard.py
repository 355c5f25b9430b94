from __future__ import annotations

from datetime import timedelta

from chalicelib.domain.actor import Actor, Role
from chalicelib.services import appointments
from chalicelib.store import Store
from tests.conftest import SHANGHAI, now, working_day
from tests.dynamodb_calls import count_dynamodb_calls
from tests.integration.conftest import Api, booking, follow_stream


def test_the_dashboard_shows_the_next_appointments_and_this_months_stats(
    api: Api, alice: str, bob: str, staff: str, store: Store
) -> None:
    today = now().astimezone(SHANGHAI).date()
    soon = working_day(2)
    first = api.post("/appointments/book", booking(date=soon.isoformat()), alice).body["appointment"]
    second = api.post("/appointments/book", booking(date=soon.isoformat(), time="13:00"), bob).body["appointment"]
    started = store.appointments.get(second["id"]).start + timedelta(minutes=5)
    appointments.move(store, Actor("s", Role.STAFF), second["id"], "no-show", started)
    follow_stream()  # the stats are the analytics' daily figures
    with count_dynamodb_calls() as calls:
        answer = api.get("/dashboard", staff)
    assert answer.status == 200, answer.body
    # catalogue, the next appointments, the figures, whatever the volume; the next appointments' sent stamps
    assert calls == {"Query": 3, "BatchGetItem": 1}
    upcoming = answer.body["upcoming"]
    assert [u["id"] for u in upcoming] == [first["id"]]
    assert upcoming[0] == {
        "id": first["id"],
        "customer": "Alice Wong",
        "type": "Haircut",
        "scheduledAt": f"{soon}T10:00:00+08:00",
        "operator": "Li Na",
        "status": "confirmed",
    }
    in_month = soon.month == today.month
    month = answer.body["stats"]["month"]
    assert month["total"] == (2 if in_month else 0)
    if in_month:
        assert (month["noShowRate"], month["completionRate"]) == (50.0, 0.0)
        assert month["popularTypes"] == [{"name": "Haircut", "count": 2}]
    assert api.get("/dashboard", alice).status == 403
