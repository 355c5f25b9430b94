"""The outbox's sweep: every due notice still waiting and every schedule due is relayed, and every lapsed hold
let go."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.errors import NotFound
from chalicelib.domain.notices import Kind
from chalicelib.integrations.queue import NoticeQueue
from chalicelib.observability import logger
from chalicelib.services import payments
from chalicelib.services.notices import relay, relay_schedule
from chalicelib.store import Store


def sweep(store: Store, queue: NoticeQueue, now: datetime) -> int:
    """Everything owed by now: reminders and confirmations on the appointments' schedules, holds to let go, and
    notices the fast path missed."""
    due = store.outbox.due(now)
    for hold in (n for n in due.notices if n.kind is Kind.HOLD):
        try:
            payments.expire_hold(store, hold, now)
        except Exception:  # the next run tries again
            logger.exception("hold not expired", extra={"appointment": hold.appointment_id})
    relayed = len(relay(store, queue, [n for n in due.notices if n.kind is not Kind.HOLD], now))
    for appointment_id, found in due.schedules:
        try:
            appointment, key = store.appointments.with_schedule(appointment_id)
        except NotFound:  # the appointment is gone: its schedule leaves the index, or it would come up every run
            store.outbox.schedule_relayed(appointment_id, found, None, None, now)
            continue
        if key is not None and relay_schedule(store, queue, appointment, key, now) is not None:
            relayed += 1
    return relayed
