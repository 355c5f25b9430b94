"""Getting messages out: relay the outbox to the queue, sweep what is due, deliver what the queue holds."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.catalogue import BusinessSettings
from chalicelib.domain.errors import NotFound
from chalicelib.domain.messages import render
from chalicelib.domain.notices import Kind, Notice, Plan, Preferences, next_due, owed, owed_now, stamped
from chalicelib.domain.texting import CAPPED_CHANNELS, TextQuota, textable
from chalicelib.integrations.channels import Channel, Recipient
from chalicelib.integrations.queue import NoticeQueue
from chalicelib.observability import logger
from chalicelib.store import Store, stamps
from chalicelib.store.texts import Counted


def message(notice: Notice, now: datetime) -> dict[str, Any]:
    """What the queue carries; `queuedAt` decides the day a text counts on, so a redelivery after midnight
    finds it counted (store/texts.py)."""
    return {
        "id": notice.message_id,
        "kind": notice.kind.value,
        "appointmentId": notice.appointment_id,
        "offset": notice.offset,
        "amount": notice.amount,
        "queuedAt": now.isoformat(),
    }


def relay(store: Store, queue: NoticeQueue, notices: Iterable[Notice], now: datetime) -> list[Notice]:
    """Queue notices and take them out of the outbox; what fails here the sweep sends later."""
    relayed = []
    for notice in notices:
        try:
            queue.send(message(notice, now))
            if store.outbox.relayed(notice):
                relayed.append(notice)
        except Exception:  # the change is committed; its notice waits in the outbox for the next sweep
            logger.exception("notice left for the sweep", extra={"notice": notice.message_id})
    return relayed


def relay_schedule(
    store: Store, queue: NoticeQueue, appointment: Appointment, due: str, now: datetime
) -> Notice | None:
    """Queue what an appointment's schedule owes by now (its key in gsi5 is `due`), if anything, then stamp it
    and set the next due time. A change that set the schedule meanwhile wins: its own due time stands."""
    since = stamps.due_of(due)
    if since > now:
        return None
    notice = owed_now(appointment, since, now)
    try:
        if notice is not None:
            queue.send(message(notice, now))
        after = stamped(appointment, notice, now) if notice else appointment
        if not store.outbox.schedule_relayed(appointment.id, due, notice, next_due(after, now), now):
            return None
    except Exception:  # the schedule still says it is due: the next sweep tries again
        logger.exception("scheduled message left for the sweep", extra={"appointment": appointment.id})
        return None
    return notice


def after_change(store: Store, queue: NoticeQueue, saved: Appointment, plan: Plan, now: datetime) -> Appointment:
    """The fast path: a change's immediate notices go out at once, and its confirmation if it owes one; the
    answer shows it."""
    relay(store, queue, plan.immediate, now)
    due = plan.schedule.due if plan.schedule else None
    if due is None or due > now:
        return saved
    sent = relay_schedule(store, queue, saved, stamps.due_key(saved.id, due), now)
    return stamped(saved, sent, now) if sent else saved


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
    claims = _Claims(store, TextQuota.of(settings, _queued_at(body, now)), appointment.customer_id, message_id, now)
    sent = []
    for name in wanted:
        address = to.address(name)
        counted = name in CAPPED_CHANNELS and not kind.for_business
        if not address or not claims.take(name, address, counted):
            continue  # nothing to send on (no openid for push, no email), sent before, or capped
        try:
            if channels[name].send(to, text):
                sent.append(name)
        except Exception:  # let the redelivery try this channel again
            claims.give_back(name, address, counted)
            raise
    return sent


@dataclass(frozen=True)
class _Claims:
    """One delivery per message and channel: a text or an email is claimed by the day's count of the customer's
    messages (which names it), under the caps; push and the business's alerts by a delivery item of their own."""

    store: Store
    quota: TextQuota
    customer_id: str
    message_id: str
    now: datetime

    def take(self, channel: str, address: str, counted: bool) -> bool:
        if not counted:
            return self.store.outbox.claim_delivery(self.message_id, channel, self.now)
        taken = self.store.texts.take(self.quota, channel, address, self.customer_id, self.message_id)
        if taken is Counted.CAPPED:
            logger.warning(
                "message not sent: the day's cap is reached", extra={"message_id": self.message_id, "channel": channel}
            )
        return taken is Counted.TAKEN

    def give_back(self, channel: str, address: str, counted: bool) -> None:
        if counted:
            self.store.texts.give_back(self.quota, channel, address, self.customer_id, self.message_id)
        else:
            self.store.outbox.release_delivery(self.message_id, channel)


def _queued_at(body: Mapping[str, Any], now: datetime) -> datetime:
    """When the message was queued (messages queued before `queuedAt` existed: now)."""
    try:
        return datetime.fromisoformat(str(body["queuedAt"]))
    except (KeyError, ValueError):
        return now


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
    queue.send(message(notice, now))
    return notice
