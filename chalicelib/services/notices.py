"""Getting messages out: relay the outbox to the queue, sweep what is due, deliver what the queue holds."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.catalogue import BusinessSettings
from chalicelib.domain.errors import NotFound
from chalicelib.domain.messages import render
from chalicelib.domain.notices import Kind, Notice, Plan, Preferences, owed, reminders
from chalicelib.domain.status import Status
from chalicelib.domain.texting import CAPPED_CHANNELS, TextQuota, textable
from chalicelib.integrations.channels import Channel, Recipient
from chalicelib.integrations.queue import NoticeQueue
from chalicelib.observability import logger
from chalicelib.store import Store


def message(notice: Notice) -> dict[str, Any]:
    return {
        "id": notice.message_id,
        "kind": notice.kind.value,
        "appointmentId": notice.appointment_id,
        "offset": notice.offset,
        "amount": notice.amount,
    }


def relay(store: Store, queue: NoticeQueue, notices: Iterable[Notice], now: datetime) -> list[Notice]:
    """Queue notices and take them out of the outbox; what fails here the sweep sends later."""
    relayed = []
    for notice in notices:
        try:
            queue.send(message(notice))
            if store.outbox.relayed(notice, now):
                relayed.append(notice)
        except Exception:  # the change is committed; its notice waits in the outbox for the next sweep
            logger.exception("notice left for the sweep", extra={"notice": notice.message_id})
    return relayed


def after_change(store: Store, queue: NoticeQueue, saved: Appointment, plan: Plan, now: datetime) -> Appointment:
    """The fast path: a change's immediate notices go out at once, and the answer shows it."""
    if any(n.kind is Kind.CONFIRMATION for n in relay(store, queue, plan.immediate, now)):
        return replace(saved, confirmation_sent_at=now)
    return saved


def _recipient(
    store: Store, appointment: Appointment, preferences: Preferences, settings: BusinessSettings
) -> Recipient:
    """The customer as their profile and preferences say; a number the business may not text is left out."""
    try:
        email = store.customers.get(appointment.customer_id).email or appointment.customer.email
    except NotFound:  # made before profiles kept an email
        email = appointment.customer.email
    phone = appointment.customer.phone if textable(appointment.customer.phone, settings) else ""
    return Recipient(phone, email, preferences.openid)


def deliver(store: Store, channels: Mapping[str, Channel], body: Mapping[str, Any], now: datetime) -> list[str]:
    """Send one queued message on each channel the customer chose, once per message and channel.

    Texts to a customer count against the business's daily caps per number and per customer; past a
    cap the text is not sent (and not retried), the other channels still are.
    """
    kind, message_id = Kind(body["kind"]), str(body["id"])
    try:
        appointment = store.appointments.get(str(body["appointmentId"]))
    except NotFound:
        logger.warning("notice for a missing appointment dropped", extra={"message_id": message_id})
        return []
    if not kind.still_wanted(appointment.status):
        return []
    settings = store.catalogue.read().settings
    preferences = store.customers.preferences(appointment.customer_id)
    text = render(kind, appointment, preferences.locale, str(body.get("offset") or ""))
    wanted: tuple[str, ...]
    if kind.for_business:
        to, wanted = Recipient(settings.alert_phone, "", None), ("sms",)
    else:
        to, wanted = _recipient(store, appointment, preferences, settings), preferences.channels
    sent = []
    for name in wanted:
        address = to.address(name)
        if not address:
            continue  # nothing to send on it (no openid for push, no email): no delivery to claim either
        if not store.outbox.claim_delivery(message_id, name, now):
            continue  # a redelivered message: this channel already has it
        counted = name in CAPPED_CHANNELS and not kind.for_business
        if counted and not store.texts.take(TextQuota.of(settings, now), name, address, appointment.customer_id):
            logger.warning(
                "message not sent: the day's cap is reached", extra={"message_id": message_id, "channel": name}
            )
            continue
        try:
            if channels[name].send(to, text):
                sent.append(name)
        except Exception:
            store.outbox.release_delivery(message_id, name)  # let the redelivery try this channel again
            raise
    return sent


def request(
    store: Store,
    queue: NoticeQueue,
    appointment: Appointment,
    kind: Kind,
    now: datetime,
    offset: str = "",
) -> Notice:
    """The seed's explicit endpoints re-send only what the appointment owes, as the very message its change
    queued (delivery sends each message once per channel), and not past the day's caps. A reminder not yet
    due stays in the outbox for its time: nothing is sent early."""
    notice = owed(appointment, kind, offset, now)
    if notice.due_at > now:
        return notice
    settings = store.catalogue.read().settings
    preferences = store.customers.preferences(appointment.customer_id)
    to, quota = _recipient(store, appointment, preferences, settings), TextQuota.of(settings, now)
    for channel in CAPPED_CHANNELS.intersection(preferences.channels):
        if to.address(channel):
            sent = store.texts.sent(quota.day, channel, to.address(channel), appointment.customer_id)
            quota.ensure_room(*sent, settings, now)
    queue.send(message(notice))
    return notice


def reminders_of(appointment: Appointment, now: datetime) -> list[Notice]:
    """The reminders an appointment has ahead of it (none unless confirmed)."""
    if appointment.status is not Status.CONFIRMED:
        return []
    return reminders(appointment, appointment.reminder_offsets, now)
