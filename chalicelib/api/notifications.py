"""The seed's NotificationService: explicit notices, reminder times, and a customer's preferences."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.api import inputs, presenters
from chalicelib.api.docs import Doc
from chalicelib.api.http import SIGNED_IN, Call, Routes
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.notices import LOCALES, Kind, reminder_offsets, reminders
from chalicelib.integrations.queue import get_queue
from chalicelib.services import appointments, customers, notices
from chalicelib.store import get_store

routes = Routes(__name__)


def _notice(summary: str, body: str | None = None) -> Doc:
    """The seed's explicit notices: queued (202), or 429 past the day's texts."""
    return Doc(summary, answer="Queued", body=body, body_required=False, extra_errors=(429,))


def _queue(call: Call, appointment_id: str, kind: Kind, offset: str = "") -> dict[str, Any]:
    store = get_store()
    appointment = appointments.visible(store, call.actor, appointment_id)
    notice = notices.request(store, get_queue(), appointment, kind, datetime.now(UTC), offset)
    return presenters.queued(notice, ZoneInfo(appointment.timezone))


@routes.route(
    "/appointments/{appointment_id}/notifications/confirmation",
    methods=("POST",),
    allow=SIGNED_IN,
    status=202,
    doc=_notice("Queue the confirmation"),
)
def confirmation(call: Call, appointment_id: str) -> dict[str, Any]:
    return _queue(call, appointment_id, Kind.CONFIRMATION)


@routes.route(
    "/appointments/{appointment_id}/notifications/reminder",
    methods=("POST",),
    allow=SIGNED_IN,
    status=202,
    doc=_notice("Queue a reminder", "ReminderRequest"),
)
def reminder(call: Call, appointment_id: str) -> dict[str, Any]:
    offset = inputs.text(call.body, "type", required=False, max_length=8) or "24h"
    return _queue(call, appointment_id, Kind.REMINDER, offset=offset)


@routes.route(
    "/appointments/{appointment_id}/notifications/cancellation",
    methods=("POST",),
    allow=SIGNED_IN,
    status=202,
    doc=_notice("Queue the cancellation notice", "CancellationNoticeRequest"),
)
def cancellation(call: Call, appointment_id: str) -> dict[str, Any]:
    inputs.text(call.body, "reason", required=False, max_length=500)  # the cancel's own reason is in the history
    return _queue(call, appointment_id, Kind.CANCELLATION)


@routes.route(
    "/appointments/{appointment_id}/notifications/reschedule",
    methods=("POST",),
    allow=SIGNED_IN,
    status=202,
    doc=_notice("Queue the reschedule notice", "RescheduleNoticeRequest"),
)
def reschedule(call: Call, appointment_id: str) -> dict[str, Any]:
    inputs.text(call.body, "newDateTime", required=False, max_length=40)  # the appointment itself says when
    return _queue(call, appointment_id, Kind.RESCHEDULE)


@routes.route(
    "/appointments/{appointment_id}/reminders/schedule",
    methods=("POST",),
    allow=SIGNED_IN,
    doc=Doc("Set the reminder times", answer="RemindersAnswer", body="RemindersRequest"),
)
def schedule_reminders(call: Call, appointment_id: str) -> dict[str, Any]:
    offsets = reminder_offsets(call.body.get("reminderTimes"))
    now = datetime.now(UTC)
    updated = appointments.schedule_reminders(get_store(), call.actor, appointment_id, offsets, now)
    due = reminders(updated, now)
    return {
        "success": True,
        "reminderTimes": list(updated.reminder_offsets),
        "scheduled": [{"type": n.offset, "dueAt": presenters.stamp(n.due_at, ZoneInfo(updated.timezone))} for n in due],
    }


@routes.route(
    "/customers/{customer_id}/notification-preferences",
    allow=SIGNED_IN,
    doc=Doc("Notification preferences", answer="PreferencesAnswer"),
)
def get_preferences(call: Call, customer_id: str) -> dict[str, Any]:
    return {
        "preferences": presenters.preferences(customers.preferences(get_store(), call.actor.customer_id(customer_id)))
    }


@routes.route(
    "/customers/{customer_id}/notification-preferences",
    methods=("PUT",),
    allow=SIGNED_IN,
    doc=Doc("Change notification preferences", answer="PreferencesSaved", body="PreferencesRequest"),
)
def put_preferences(call: Call, customer_id: str) -> dict[str, Any]:
    target = call.actor.customer_id(customer_id)
    raw = call.body.get("preferences")
    if not isinstance(raw, dict):
        raise InvalidInput("preferences is required as an object.", {"preferences": "required"})
    changes: dict[str, Any] = {name: inputs.flag(raw, name) for name in ("sms", "email", "push") if name in raw}
    if "reminderTimes" in raw:
        changes["reminder_times"] = reminder_offsets(raw["reminderTimes"])
    if raw.get("locale") not in (None, ""):
        changes["locale"] = inputs.choice(raw["locale"], "locale", LOCALES, "")
    updated = customers.change_preferences(get_store(), target, changes)
    return {"success": True, "preferences": presenters.preferences(updated)}
