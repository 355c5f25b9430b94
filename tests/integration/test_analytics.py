"""The five reports, from daily figures the table's stream keeps: a hand-checked week, redeliveries,
the rebuild agreeing with the stream after random changes, and a bounded number of calls per report."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from pynamodb.expressions.operand import Path

from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.availability import wall_instant
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.daily_figures import Bucket
from chalicelib.domain.errors import DomainError
from chalicelib.services import analytics, appointments, booking, moving, schedule
from chalicelib.services.booking import BookingRequest
from chalicelib.store import Store
from chalicelib.store.models import EventItem, FiguresItem
from tests.conftest import SHANGHAI, now
from tests.dynamodb_calls import count_dynamodb_calls
from tests.integration.conftest import Api, follow_stream

FRONT_DESK = Actor("front-desk", Role.STAFF, "Front Desk")
REPORTS = ("bookings", "services", "staff", "revenue", "customers")


def working_days_back(first: int, last: int) -> list[date]:
    """Monday-to-Saturday days between `first` and `last` days before today (Shanghai), latest first."""
    today = datetime.now(SHANGHAI).date()
    days = [today - timedelta(days=n) for n in range(first, last + 1)]
    return [d for d in days if d.weekday() != 6]


def book(store: Store, customer: str, service: str, staff: str, day: date, hhmm: str) -> str:
    """Booked three days ahead of its time, so every lead time is 72 hours."""
    hour, minute = map(int, hhmm.split(":"))
    starts = wall_instant(day, hour * 60 + minute, SHANGHAI)
    request = BookingRequest(service, staff, day, hour * 60 + minute, CustomerInfo(customer, "+8613800138000"))
    actor = Actor(f"customer-{customer.lower()}", Role.CUSTOMER, customer)
    return booking.book(store, actor, request, starts - timedelta(hours=72)).id


def close(store: Store, appointment_id: str, action: str) -> None:
    appointments.move(store, FRONT_DESK, appointment_id, action, now())


def test_a_hand_checked_week_in_all_five_reports(store: Store, api: Api, staff: str) -> None:
    day_a, day_b = working_days_back(1, 6)[1], working_days_back(1, 6)[0]  # two working days this week
    earlier = working_days_back(7, 13)[0]  # a working day of the week before
    close(store, book(store, "Alice", "svc-cut", "staff-li", day_a, "10:00"), "complete")
    close(store, book(store, "Alice", "svc-scalp", "staff-chen", day_b, "10:00"), "no-show")
    bob_cut = book(store, "Bob", "svc-cut", "staff-wang", day_a, "11:00")
    appointments.cancel(
        store,
        Actor("customer-bob", Role.CUSTOMER),
        bob_cut,
        "",
        wall_instant(day_a, 11 * 60, SHANGHAI) - timedelta(days=2),
    )
    book(store, "Bob", "svc-consult", "staff-li", day_b, "14:00")  # confirmed, left open
    carol = book(store, "Carol", "svc-cut", "staff-li", day_b, "15:00")
    moving.reschedule(
        store, FRONT_DESK, carol, day_b, 16 * 60, None, wall_instant(day_b, 15 * 60, SHANGHAI) - timedelta(hours=72)
    )
    close(store, carol, "complete")
    close(store, book(store, "Dave", "svc-consult", "staff-chen", earlier, "09:00"), "complete")
    close(store, book(store, "Dave", "svc-consult", "staff-chen", day_a, "09:00"), "no-show")
    close(store, book(store, "Dave", "svc-consult", "staff-chen", day_b, "09:00"), "no-show")
    schedule.block_time(store, FRONT_DESK, "staff-li", day_a, 15 * 60, 16 * 60, "Training", now())

    def report(name: str) -> Any:
        answer = api.get(f"/appointments/analytics/{name}?period=7d", token=staff)
        assert answer.status == 200, answer.body
        return answer.body

    assert report("bookings")["metrics"]["total"] == 0  # nothing counted until the stream is followed
    assert follow_stream() > 0

    metrics = report("bookings")["metrics"]
    assert metrics["total"] == 7
    assert metrics["byStatus"] == {"pending": 0, "confirmed": 1, "completed": 2, "cancelled": 1, "no-show": 3}
    assert (metrics["completionRate"], metrics["noShowRate"], metrics["cancellationRate"]) == (28.57, 42.86, 14.29)
    assert metrics["averageBookingValue"] == 88.0  # two completed haircuts at 88
    assert metrics["leadTimeHours"] == 72.1  # six booked 72 h ahead, one moved an hour later: 505 h / 7
    assert len(metrics["daily"]) == 7
    assert {d["date"]: d["total"] for d in metrics["daily"] if d["total"]} == {
        day_a.isoformat(): 3,
        day_b.isoformat(): 4,
    }
    assert metrics["patterns"]["peakHours"] == [9, 10]  # Dave at 09:00 twice; Alice and Bob at 10:00 and 11:00
    assert metrics["patterns"]["hourly"][9:17] == [2, 2, 1, 0, 0, 1, 0, 1]  # Bob at 14:00, Carol moved to 16:00

    popularity = report("services")["popularity"]
    assert [(s["serviceId"], s["bookings"], s["revenue"], s["share"]) for s in popularity] == [
        ("svc-consult", 3, 0.0, 50.0),
        ("svc-cut", 2, 176.0, 33.33),  # Bob's cancelled haircut is not a booking kept
        ("svc-scalp", 1, 0.0, 16.67),
        ("svc-colour", 0, 0.0, 0.0),
    ]

    utilization = {s["staffId"]: s for s in report("staff")["utilization"]}
    # 7 days hold one Sunday: 6 days of 09:00-18:00 less the 12:00 lunch = 2880 minutes; Li's block takes 60
    assert utilization["staff-li"] == {
        "staffId": "staff-li",
        "name": "Li Na",
        "bookedMinutes": 45 + 30 + 45,
        "availableMinutes": 2820,
        "utilization": 4.26,
        "assignedBookings": 0,  # each was booked with her by name
    }
    assert (utilization["staff-chen"]["bookedMinutes"], utilization["staff-chen"]["availableMinutes"]) == (120, 2880)
    assert (utilization["staff-wang"]["bookedMinutes"], utilization["staff-wang"]["utilization"]) == (0, 0.0)

    revenue = report("revenue")["revenue"]
    assert (revenue["total"], revenue["refunded"], revenue["net"], revenue["currency"]) == (176.0, 0.0, 176.0, "CNY")
    assert sum(d["total"] for d in revenue["daily"]) == 176.0

    insights = report("customers")["insights"]
    assert (insights["total"], insights["new"], insights["returning"]) == (4, 3, 1)  # Dave came the week before
    assert insights["retentionRate"] == 100.0  # the week before had one customer, Dave, and he came back
    assert [(c["name"], c["bookings"], c["spent"]) for c in insights["topCustomers"]] == [
        ("Alice", 2, 88.0),
        ("Dave", 2, 0.0),
        ("Carol", 1, 88.0),
        ("Bob", 1, 0.0),
    ]
    assert [(c["name"], c["noShows"]) for c in insights["noShowOffenders"]] == [("Dave", 2)]


def test_a_redelivered_stream_counts_once_and_a_block_removed_gives_its_time_back(
    store: Store, api: Api, staff: str
) -> None:
    day = working_days_back(1, 6)[0]
    close(store, book(store, "Alice", "svc-cut", "staff-li", day, "10:00"), "complete")
    block = schedule.block_time(store, FRONT_DESK, "staff-li", day, 15 * 60, 17 * 60, "", now())
    follow_stream()
    once = [store.figures.read(bucket, day, day) for bucket in Bucket]
    assert follow_stream() > 0  # a reader from the start again: every record a second time
    assert [store.figures.read(bucket, day, day) for bucket in Bucket] == once
    customer = next(i for i in FiguresItem.query("CUSTSTATS", FiguresItem.sk.startswith(f"CUST#{day.isoformat()}")))
    assert customer.seen and len(customer.seen) == 2  # its records (booked, completed) claimed on it, no item apart
    assert len([e for e in EventItem.scan() if e.pk.startswith("EVENT#stream:")]) == 1  # the block's, of its own
    assert once[0][day]["n"] == 1 and once[0][day][f"blk:staff-li:{block.id}"] == "900-1020"

    schedule.unblock(store, block.id)
    follow_stream()
    li = next(s for s in api.get("/appointments/analytics/staff?period=7d", token=staff).body["utilization"])
    assert li["staffId"] == "staff-li" and li["availableMinutes"] == 2880


def random_changes(store: Store, seed: int, steps: int = 40) -> None:
    """Bookings, walk-ins, cancels, moves, closes and blocks, on the past week's days, in a random order."""
    rng = random.Random(seed)
    days = working_days_back(1, 6)
    made: list[str] = []
    blocks: list[str] = []
    for _ in range(steps):
        day, hour = rng.choice(days), rng.randrange(9, 17)
        staff_id = rng.choice(["staff-li", "staff-wang", "staff-chen"])
        service = rng.choice(
            {"staff-li": ["svc-cut", "svc-scalp"], "staff-wang": ["svc-cut"]}.get(staff_id, ["svc-consult"])
        )
        action = rng.choice(["book", "book", "book", "cancel", "move", "complete", "no-show", "block", "unblock"])
        try:
            if action == "book":
                made.append(
                    book(store, rng.choice(["Ann", "Ben", "Cid", "Dot"]), service, staff_id, day, f"{hour:02d}:00")
                )
            elif action == "block":
                blocks.append(schedule.block_time(store, FRONT_DESK, staff_id, day, hour * 60, None, "", now()).id)
            elif action == "unblock":
                if blocks:
                    schedule.unblock(store, blocks.pop(rng.randrange(len(blocks))))
            elif made and action == "cancel":
                appointments.cancel(store, FRONT_DESK, rng.choice(made), "", now())
            elif made and action == "move":
                moved = rng.choice(made)
                at = wall_instant(day, hour * 60 + 30, SHANGHAI) - timedelta(hours=72)
                moving.reschedule(store, FRONT_DESK, moved, day, hour * 60 + 30, None, at)
            elif made:
                close(store, rng.choice(made), action)
        except DomainError:
            pass  # a taken slot or a closed appointment: refused, as it would be for a person


@pytest.mark.parametrize("seed", [7, 2026])
def test_the_stream_and_the_rebuild_agree_after_random_changes(store: Store, seed: int) -> None:
    random_changes(store, seed)
    follow_stream()
    first, last = date.today() - timedelta(days=30), date.today() + timedelta(days=30)

    def everything() -> dict[tuple[Bucket, date], dict[str, int | str]]:
        return {
            (bucket, day): {name: v for name, v in figures.items() if v != 0}
            for bucket in Bucket
            for day, figures in store.figures.read(bucket, first, last).items()
        }

    streamed = everything()
    assert streamed, "the random changes made no figures"
    analytics.rebuild(store)
    assert everything() == {k: v for k, v in streamed.items() if v}
    assert follow_stream() > 0  # every record again, after the rebuild: the claims it kept count none twice
    assert everything() == {k: v for k, v in streamed.items() if v}


def test_each_report_reads_a_bounded_number_of_items_whatever_the_bookings(store: Store, api: Api, staff: str) -> None:
    day = working_days_back(1, 6)[0]
    for hour in range(9, 12):
        book(store, f"Guest{hour}", "svc-cut", "staff-li", day, f"{hour:02d}:00")
    follow_stream()
    for name in REPORTS:
        with count_dynamodb_calls() as calls:
            assert api.get(f"/appointments/analytics/{name}?period=365d", token=staff).status == 200
        # the catalogue, one Query of the year's figures, and for the customers one of the old shape's (tables made
        # before their counters had items of their own) and one BatchGet of names
        assert sum(calls.values()) <= (4 if name == "customers" else 2), (name, calls)
        assert "Scan" not in calls


def test_each_customer_has_an_item_of_their_own_per_day_and_the_old_shared_one_still_adds_up(store: Store) -> None:
    """Every customer's counters in one item per day made each update cost the whole of it (a write unit per KB)
    and would have passed DynamoDB's 400 KB at ~4,000 customers a day."""
    day = working_days_back(1, 6)[0]
    for n in range(3):
        book(store, f"Guest{n}", "svc-cut", "staff-li", day, f"{9 + n:02d}:00")
    follow_stream()
    items = [i for i in FiguresItem.query("CUSTSTATS", FiguresItem.sk.startswith(f"CUST#{day.isoformat()}"))]
    assert len(items) == 3 and all(i.sk.count("#") == 2 for i in items)  # CUST#<day>#<customer>, one each
    sizes = {len(json.dumps(i.serialize())) for i in items}
    assert max(sizes) < 200, sizes
    customer = items[0].sk.rsplit("#", 1)[1]
    old_shape = FiguresItem("STATS", f"CUST#{day.isoformat()}")  # as tables made before hold them, beside the days
    old_shape.update(actions=[Path([f"{customer}:n"]).add(2), Path(["kind"]).set("figures")])

    figures = store.figures.read(Bucket.CUSTOMERS, day, day)[day]

    assert figures[f"{customer}:n"] == 3  # its own item's 1 and the old item's 2
    assert sum(v for name, v in figures.items() if name.endswith(":n") and isinstance(v, int)) == 5
    analytics.rebuild(store)
    assert [i.sk for i in FiguresItem.query("STATS", FiguresItem.sk.startswith("CUST#"))] == []  # the rebuild drops it
    rebuilt = FiguresItem.query("CUSTSTATS", FiguresItem.sk.startswith(f"CUST#{day.isoformat()}"))
    assert len(list(rebuilt)) == 3


def test_reports_are_for_staff_and_check_the_period(api: Api, alice: str, staff: str) -> None:
    for name in REPORTS:
        assert api.get(f"/appointments/analytics/{name}", token=alice).status == 403
        assert api.get(f"/appointments/analytics/{name}").status == 401
        assert api.get(f"/appointments/analytics/{name}?period=30d", token=staff).status == 200
    bad = api.get("/appointments/analytics/bookings?period=2w", token=staff)
    assert bad.status == 400 and "7d" in bad.body["error"]["message"]
