"""Webhooks as integrators and admins see them: an event's payload, a subscription, a delivery."""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.api.presenters import appointment, stamp
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.webhooks import Delivery, Event, EventType, Subscription

UTC_ZONE = ZoneInfo("UTC")


def payload(event: Event, written: Appointment) -> str:
    """What a receiver gets: the event's id, type, time and the appointment's sequence, and the appointment as
    the API shows it to staff, as the change left it."""
    body = {
        "id": event.id,
        "type": event.type.value,
        "timestamp": event.at.isoformat(),
        "sequence": event.sequence,
        "data": {"appointment": appointment(written)},
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def subscription(s: Subscription) -> dict[str, Any]:
    return {
        "id": s.id,
        "url": s.url,
        "types": sorted(t.value for t in s.types),
        "description": s.description,
        "active": s.active,
        "state": s.state.value,
        "pausedReason": s.paused_reason or None,
        "pausedAt": stamp(s.paused_at, UTC_ZONE),
        "failingSince": stamp(s.failing_since, UTC_ZONE),
        "secretsSigning": len(s.secrets),
        "previousSecretUntil": next((stamp(x.until, UTC_ZONE) for x in s.secrets if x.until), None),
        "createdAt": stamp(s.created_at, UTC_ZONE),
    }


def delivery(d: Delivery) -> dict[str, Any]:
    last = d.last
    return {
        "id": d.event.id,
        "eventType": d.event.type.value,
        "appointmentId": d.event.appointment_id,
        "sequence": d.event.sequence,
        "eventAt": stamp(d.event.at, UTC_ZONE),
        "status": d.status.value,
        "attempts": d.attempts,
        "replays": d.replays,
        "nextAttemptAt": stamp(d.next_at, UTC_ZONE) if d.status.value == "pending" else None,
        "lastStatusCode": last.code if last else None,
        "lastLatencyMs": last.latency_ms if last else None,
        "lastError": (last.error or None) if last else None,
        "deliveredAt": stamp(d.delivered_at, UTC_ZONE),
    }


def event_types() -> list[str]:
    return [t.value for t in EventType]
