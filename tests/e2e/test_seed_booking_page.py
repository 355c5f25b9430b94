"""The seed mini program's own booking and detail pages, unchanged, in Node against the local stack."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Stack, run_seed

pytestmark = pytest.mark.e2e
HERE = Path(__file__).resolve().parent
SEED = HERE / "seed" / "seed-document.txt"  # a copy of ../shared/seeds/000_a71803d4c848c82a.txt
SHARED_SEED = HERE.parents[2] / "shared" / "seeds" / "000_a71803d4c848c82a.txt"
COPIES = [
    "pages/booking/booking.js",
    "pages/appointment-detail/appointment-detail.js",
    "utils/notification-service.js",
    "utils/schedule-manager.js",
    "utils/appointment-analytics.js",
]


def test_the_pages_run_here_are_the_seeds_code_verbatim() -> None:
    seed = SEED.read_text()
    if SHARED_SEED.exists():  # beside the spec (not in a bare CI clone): the copy is the seed itself
        assert SHARED_SEED.read_text() == seed
    for copy in COPIES:
        text = (HERE / "seed" / copy).read_text()
        assert text.startswith(f"// {copy}\n") and text in seed, copy


@pytest.fixture(scope="module")
def seen(local_stack: Stack) -> dict[str, Any]:
    return run_seed("run_seed_booking.mjs", local_stack.url, local_stack.customer_token)


def test_steps_one_to_three_show_services_staff_dates_and_slots(seen: dict[str, Any]) -> None:
    assert len(seen["services"]) == 4 and sum(s["requiresPayment"] for s in seen["services"]) == 1
    assert [m["id"] for m in seen["staff"]] == ["staff-li", "staff-wang"]
    dates = [d["date"] for d in seen["dates"]]
    assert dates == sorted(dates) and len(dates) >= 20
    assert seen["slotsBefore"][0] == {"start": "09:00", "end": "09:45", "duration": 45}


def test_step_four_books_the_chosen_slot_and_shows_the_confirmation(seen: dict[str, Any]) -> None:
    assert seen["booked"]["statusCode"] == 201
    modal = next(e for e in seen["log"] if e["call"] == "showModal" and e["title"] == "Booking Confirmed")
    assert f"{seen['chosen']['date']} at 09:00" in modal["content"]
    assert seen["redirect"].startswith("/pages/appointment-detail/appointment-detail?id=")
    assert "09:00" not in [s["start"] for s in seen["slotsAfterBooking"]]


def test_the_detail_page_loads_the_appointment_and_allows_cancelling(seen: dict[str, Any]) -> None:
    loaded = seen["detailLoaded"]
    appointment = loaded["appointment"]
    assert (appointment["serviceId"], appointment["staffId"]) == ("svc-cut", "staff-li")
    assert (appointment["date"], appointment["timeSlot"], appointment["status"]) == (
        seen["chosen"]["date"],
        "09:00",
        "confirmed",
    )
    assert (appointment["totalAmount"], appointment["duration"]) == (88.0, 45)
    assert loaded["canCancel"] is True and loaded["canReschedule"] is True and loaded["loading"] is False


def test_cancelling_on_the_detail_page_frees_the_slot(seen: dict[str, Any]) -> None:
    assert any(e["call"] == "showToast" and e["title"] == "Appointment cancelled" for e in seen["log"])
    assert seen["detailAfterCancel"]["appointment"]["status"] == "cancelled"
    assert seen["detailAfterCancel"]["canCancel"] is False
    assert "09:00" in [s["start"] for s in seen["slotsAfterCancel"]]
