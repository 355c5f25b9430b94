"""The unit of work: a use case reads what its decision needs, decides in the domain, and then `commit`s.

`commit` plans the messages the change owes and the webhook events it makes (domain), writes the change in one
transaction (`store/changes.py`: the appointment, its history, its outbox, its claim and the time it takes and
frees), and only then relays the immediate messages and announces the events to their queues. Nothing is written
before the decision is made, and nothing is relayed that did not commit.
"""

from __future__ import annotations

from collections.abc import Sequence

from chalicelib.domain import notices
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.catalogue import StaffMember
from chalicelib.domain.history import Change
from chalicelib.domain.resources import Units
from chalicelib.domain.webhooks import made_by
from chalicelib.integrations.queue import NoticeQueue, get_queue, get_webhooks_queue
from chalicelib.services.notices import after_change
from chalicelib.services.webhooks import announce
from chalicelib.store import Store
from chalicelib.store.idempotency import IdempotencyClaim, Replayed


def commit(
    store: Store,
    before: Appointment | None,
    after: Appointment,
    change: Change,
    claim: IdempotencyClaim | None = None,
    event: tuple[str, str] | None = None,
    staff: Sequence[StaffMember] = (),
    queue: NoticeQueue | None = None,
    units: Units | None = None,
) -> Appointment:
    """Write a decided change and relay what it owes; a replayed claim answers with the first result.

    `staff`: the staff members whose hours decided the time; the time is taken only if they are unchanged.
    `event`: the provider event (id, type) the change applies, claimed once with it.
    `units`: the resources it may take, per type needed, in the order to try (the first free one is taken).
    """
    owed = notices.plan(before, after, change.at)
    hooks = made_by(before, after, change.at, store.webhooks.wanted())
    try:
        saved = store.changes.write(before, after, change, claim, owed, event, staff, units, hooks)
    except Replayed:
        assert claim is not None
        return store.replays.answer(claim)
    if hooks:
        announce(get_webhooks_queue(), saved.id)
    return after_change(store, queue or get_queue(), saved, owed, change.at)
