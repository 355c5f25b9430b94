"""The outbox's sweep: every due notice still waiting is relayed, and every lapsed hold let go."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.notices import Kind
from chalicelib.integrations.queue import NoticeQueue
from chalicelib.observability import logger
from chalicelib.services import payments
from chalicelib.services.notices import relay
from chalicelib.store import Store


def sweep(store: Store, queue: NoticeQueue, now: datetime) -> int:
    """Every due notice still in the outbox: reminders, holds to let go, anything the fast path missed."""
    due = store.outbox.due(now)
    for hold in (n for n in due if n.kind is Kind.HOLD):
        try:
            payments.expire_hold(store, hold, now)
        except Exception:  # the next run tries again
            logger.exception("hold not expired", extra={"appointment": hold.appointment_id})
    return len(relay(store, queue, [n for n in due if n.kind is not Kind.HOLD], now))
