"""The webhook rules alone: which events a change makes, the retry schedule, secrets during a rotation."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.availability import Slot
from chalicelib.domain.catalogue import BusinessSettings, Service, StaffMember
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.fees import Fee, FeeKind
from chalicelib.domain.money import Money
from chalicelib.domain.status import Status
from chalicelib.domain.waitlist import Offer
from chalicelib.domain.webhooks import (
    RETRY_AFTER,
    Attempt,
    Delivery,
    DeliveryStatus,
    Event,
    EventType,
    Secret,
    Subscription,
    events_of,
    made_by,
)

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


@pytest.fixture
def booked() -> Appointment:
    start = NOW + timedelta(days=2)
    cut = Service("cut", "Haircut", 60, Money(8800, "CNY"), requires_payment=True)
    slot = Slot(start, start + timedelta(minutes=60))
    made = Appointment.book(
        "c1", CustomerInfo("A", "+8613800138000"), cut, StaffMember("li", "Li"), slot, BusinessSettings(), NOW
    )
    return replace(made, status=Status.CONFIRMED, version=3)


def test_each_change_tells_what_happened_in_order(booked: Appointment) -> None:
    assert events_of(None, booked) == (EventType.CREATED,)
    assert events_of(None, replace(booked, offer=Offer.OFFERED)) == (EventType.OFFERED,)
    held = replace(booked, status=Status.PENDING)
    paid = replace(booked, paid_amount=8800)
    assert events_of(held, paid) == (EventType.PAYMENT_SUCCEEDED, EventType.CONFIRMED)
    moved = replace(booked, start=booked.start + timedelta(hours=1))
    assert events_of(booked, moved) == (EventType.RESCHEDULED,)
    cancelled = replace(paid, status=Status.CANCELLED, refunded_amount=4400, fee=Fee(FeeKind.LATE_CANCEL, kept=4400))
    assert events_of(paid, cancelled) == (EventType.CANCELLED, EventType.PAYMENT_REFUNDED)
    waived = replace(cancelled, fee=Fee(FeeKind.LATE_CANCEL, kept=4400, waived_by="Owner", waived_reason="ill"))
    assert events_of(cancelled, waived) == (EventType.FEE_WAIVED,)
    assert events_of(booked, replace(booked, status=Status.COMPLETED)) == (EventType.COMPLETED,)
    assert events_of(booked, replace(booked, status=Status.NO_SHOW)) == (EventType.NO_SHOW,)
    offered = replace(booked, status=Status.PENDING, offer=Offer.OFFERED)
    accepted = replace(booked, offer=Offer.ACCEPTED)
    assert events_of(offered, accepted) == (EventType.OFFER_ACCEPTED, EventType.CONFIRMED)
    assert events_of(booked, replace(booked, notes="window seat")) == ()


def test_only_wanted_events_are_made_and_each_is_numbered_by_the_version_the_change_writes(booked: Appointment) -> None:
    cancelled = replace(booked, status=Status.CANCELLED)
    assert made_by(booked, cancelled, NOW, {EventType.CREATED}) == []
    (event,) = made_by(booked, cancelled, NOW, set(EventType))
    assert (event.sequence, event.type) == (4, EventType.CANCELLED)
    assert Event.parse_id(event.id) == (booked.id, 4, EventType.CANCELLED)


def test_a_failing_delivery_is_tried_on_the_schedule_then_given_up() -> None:
    delivery = Delivery("sub", Event("a1", 1, EventType.CREATED, NOW))
    failed, at, waits = Attempt(503, 12, "answered 503"), NOW, []
    while delivery.status is DeliveryStatus.PENDING:
        delivery = delivery.after(failed, at, jitter=1.0)
        if delivery.next_at:
            waits.append(delivery.next_at - at)
            at = delivery.next_at
    assert waits == [w * 1.1 for w in RETRY_AFTER]
    assert delivery.status is DeliveryStatus.FAILED and delivery.attempts == len(RETRY_AFTER) + 1
    assert sum(RETRY_AFTER, timedelta()) * 0.9 > timedelta(days=1)  # over a day, whatever the jitter
    again = delivery.replayed()
    assert (again.status, again.attempts, again.replays, again.due(NOW)) == (DeliveryStatus.PENDING, 0, 1, True)
    delivered = again.after(Attempt(204, 9), NOW, jitter=0.0)
    assert delivered.settled and delivered.delivered_at == NOW


def test_a_rotated_secret_signs_until_its_overlap_ends_and_a_day_of_failures_pauses() -> None:
    subscription = Subscription("s", "https://x.example", frozenset(EventType), (Secret("whsec_old"),), NOW)
    rotated = subscription.rotated("whsec_new", timedelta(hours=2), NOW)
    assert rotated.signing(NOW + timedelta(hours=1)) == ("whsec_new", "whsec_old")
    assert rotated.signing(NOW + timedelta(hours=2)) == ("whsec_new",)
    assert subscription.rotated("whsec_new", timedelta(0), NOW).signing(NOW) == ("whsec_new",)
    failing = subscription.failed(NOW)
    assert failing.failed(NOW + timedelta(hours=3)).failing_since == NOW
    assert not failing.should_pause(NOW + timedelta(hours=23))
    assert failing.should_pause(NOW + timedelta(days=1))
    paused = failing.paused("every delivery failed for a day", NOW + timedelta(days=1))
    assert not paused.should_pause(NOW + timedelta(days=2)) and not paused.active
    assert paused.resumed().active and paused.resumed().failing_since is None
