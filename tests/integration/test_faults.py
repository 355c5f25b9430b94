"""Faults (issue 9, item 3), each with the table checked afterwards for half-done work.

Injected on the app's own botocore clients through botocore's events: a `before-send` handler answers in
AWS's place inside botocore's retry loop, so the real retry policy (standard mode: pynamodb's 4 attempts,
exponential backoff with jitter) meets it; `LambdaDied`, a BaseException no `except Exception` swallows,
ends the process where a Lambda would time out or run out of memory. "At once" is forced, not hoped for:
the runs meet before their first write, so each has read the same state.

Which test covers which fault (here unless a file is named):
- DynamoDB throttled or failing, then recovering: retried with backoff, booked once
  (test_throttled_and_failing_calls_...); throttled past the retries: a clean 503, nothing written
  (test_storage_throttled_past_its_retries_...); out of reach: 503 (test_storage_faults.py); a transaction
  cancelled for an item's throttling (test_a_transaction_cancelled_because_an_item_was_throttled_...);
  a commit whose answer was lost (test_a_booking_whose_answer_was_lost_...)
- a Lambda retried after dying between two steps: booking committed, confirmation never queued
  (test_a_booking_that_died_after_its_commit_...); queued, outbox never cleared (test_a_relay_that_died_...);
  the notice consumer after claiming a channel (test_a_notice_consumer_that_died_mid_delivery_...);
  the payment consumer after its commit (test_a_payment_consumer_that_died_after_its_commit_...)
- SQS redelivery, one after the other: test_notices.py::test_a_booking_queues_its_confirmation_and_the_
  consumer_texts_it_once; to two consumers at once: test_the_same_notice_delivered_to_two_consumers_...;
  a stream record redelivered: test_analytics.py::test_a_redelivered_stream_counts_once_...
- a webhook replayed, one after the other, and events out of order: test_payments.py::test_a_signed_success_
  confirms_once_and_a_replay_changes_nothing, ::test_stripe_refund_events_record_the_running_total_in_any_order,
  ::test_a_refund_is_counted_once_when_stripes_webhook_overtakes_it; replayed to two consumers at once:
  test_the_same_stripe_event_applied_by_two_consumers_...; not queued, then sent again by Stripe:
  test_a_webhook_that_cannot_be_queued_...
- the scheduled jobs twice in a row: test_notices.py::test_reminders_fall_due_once_at_their_time_and_move_with_
  a_reschedule, test_payments.py::test_an_unpaid_hold_expires_frees_its_time_and_a_late_payment_is_refunded,
  test_notices.py::test_the_no_show_job_marks_once_and_tells_the_business; twice at once:
  test_two_sweeps_at_once_..., test_two_no_show_runs_at_once_...
- a retried POST with its Idempotency-Key, also four at once: test_idempotency.py
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.httpsession import URLLib3Session
from botocore.retries.standard import ExponentialBackoff

import app
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.block import Block
from chalicelib.domain.history import Change
from chalicelib.domain.notices import Kind, Notice
from chalicelib.domain.occupancy import Hold, holdings
from chalicelib.domain.status import Status
from chalicelib.integrations.queue import SqsQueue, get_payments_queue
from chalicelib.store import Store, mapping, stamps
from chalicelib.store.models import (
    AppointmentItem,
    AuditItem,
    BlockItem,
    CalendarDayItem,
    IdempotencyItem,
    Item,
    NoticeItem,
    StampsItem,
)
from chalicelib.store.occupancy import day_from
from scripts.worker import scheduled_event
from tests.conftest import working_day
from tests.integration.conftest import Api, booking
from tests.integration.notices_helpers import bodies, event, receive_all, sent
from tests.integration.test_payments import COLOUR, PAYMENTS, hold, post_webhook, signed

DAY = working_day().isoformat()
FAR = datetime.max.replace(tzinfo=UTC)
ALWAYS = 1_000_000


class LambdaDied(BaseException):
    """The process ends here, as a Lambda that timed out or ran out of memory: nothing after runs."""


class _Body:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data


NAMESPACES = {"dynamodb": "com.amazonaws.dynamodb.v20120810", "sqs": "com.amazonaws.sqs"}


def aws_error(service: str, code: str, status: int = 400, **fields: Any) -> AWSResponse:
    """An error as the service's JSON protocol answers it."""
    body = {"__type": f"{NAMESPACES[service]}#{code}", "message": f"injected {code}", **fields}
    headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "injected"}
    return AWSResponse(f"http://{service}.injected", status, headers, _Body(json.dumps(body).encode()))


def throttled_item(body: dict[str, Any]) -> dict[str, Any]:
    """The transaction cancelled because one of its items was throttled (an on-demand table scaling up)."""
    reasons: list[dict[str, str]] = [{"Code": "None"} for _ in body["TransactItems"]]
    reasons[-1] = {"Code": "ThrottlingError", "Message": "Throughput exceeds the current capacity of your table."}
    return {"CancellationReasons": reasons}


class Faults:
    """One of the app's own botocore clients, with faults that botocore meets as if AWS had answered them."""

    def __init__(self, client: Any) -> None:
        self._events = client.meta.events
        self.service = client.meta.service_model.service_id.hyphenize()
        self._handlers: list[tuple[str, Callable[..., Any]]] = []
        self._lock = threading.Lock()
        self.attempts: Counter[str] = Counter()  # every HTTP attempt, retries included
        self.tokens: list[str] = []  # each TransactWriteItems attempt's ClientRequestToken
        self._events.register(f"before-send.{self.service}", self._count)

    def _on(self, event_name: str, handler: Callable[..., Any]) -> None:
        self._events.register(event_name, handler)
        self._handlers.append((event_name, handler))

    def _count(self, request: AWSPreparedRequest, event_name: str, **_: Any) -> None:
        operation = event_name.rpartition(".")[2]
        with self._lock:
            self.attempts[operation] += 1
            if operation == "TransactWriteItems":
                self.tokens.append(str(json.loads(request.body)["ClientRequestToken"]))

    def _countdown(self, times: int) -> Callable[[], bool]:
        left = [times]

        def take() -> bool:
            with self._lock:
                if left[0] <= 0:
                    return False
                left[0] -= 1
                return True

        return take

    def fail(
        self,
        operation: str,
        code: str,
        *,
        times: int = ALWAYS,
        status: int = 400,
        fields: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> None:
        """The next `times` attempts of `operation` are answered with this error (and `fields` of the request)."""
        take = self._countdown(times)

        def answer(request: AWSPreparedRequest, **_: Any) -> AWSResponse | None:
            if not take():
                return None
            return aws_error(self.service, code, status, **(fields(json.loads(request.body)) if fields else {}))

        self._on(f"before-send.{self.service}.{operation}", answer)

    def lose_answer(self, operation: str, times: int = 1) -> None:
        """The request reaches AWS and is applied; its answer is lost on the way back (a 500 instead)."""
        take = self._countdown(times)

        def answer(request: AWSPreparedRequest, **_: Any) -> AWSResponse | None:
            if not take():
                return None
            http = URLLib3Session()
            try:
                assert http.send(request).status_code == 200
            finally:
                http.close()
            return aws_error(self.service, "InternalServerError", 500)

        self._on(f"before-send.{self.service}.{operation}", answer)

    def die(self, operation: str, *, call: int = 1, committed: bool = True) -> None:
        """The process dies at the `call`-th call of `operation` from now: once AWS has applied it
        (`committed`), or just before it is sent."""
        seen = [0]

        def reached() -> bool:
            with self._lock:
                seen[0] += 1
                return seen[0] == call

        def after(http_response: Any, **_: Any) -> None:
            if reached() and http_response.status_code == 200:
                raise LambdaDied(f"after {operation}")

        def before(**_: Any) -> None:
            if reached():
                raise LambdaDied(f"before {operation}")

        if committed:
            self._on(f"after-call.{self.service}.{operation}", after)
        else:
            self._on(f"before-send.{self.service}.{operation}", before)

    def at_once(self, *runs: Callable[[], Any], meet_at: str = "TransactWriteItems") -> list[Any]:
        """Each run in its own thread; each waits for the others before its first `meet_at` call, so all
        have read the same state before any of them writes."""
        meeting, arrived = threading.Barrier(len(runs)), threading.local()

        def wait(**_: Any) -> None:
            if not getattr(arrived, "done", False):
                arrived.done = True
                meeting.wait(timeout=20)

        self._events.register(f"before-send.{self.service}.{meet_at}", wait)
        try:
            with ThreadPoolExecutor(len(runs)) as pool:
                results = [future.result() for future in [pool.submit(run) for run in runs]]
        finally:
            self._events.unregister(f"before-send.{self.service}.{meet_at}", wait)
        assert not meeting.broken, "the runs never met: one of them wrote nothing"
        return results

    def clear(self) -> None:
        """No more faults: AWS answers again."""
        for event_name, handler in self._handlers:
            self._events.unregister(event_name, handler)
        self._handlers.clear()

    def close(self) -> None:
        self.clear()
        self._events.unregister(f"before-send.{self.service}", self._count)


@pytest.fixture
def backoffs(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Each delay botocore sleeps before a retry: its own curve (random * base * 2**attempt), on a 10 ms
    base for throttling instead of 1 s, so the tests wait little."""
    monkeypatch.setitem(ExponentialBackoff._DEFAULT_BACKOFF_CONFIG, "throttling_base_scale", 0.01)
    delays: list[float] = []
    delay_amount = ExponentialBackoff.delay_amount

    def recorded(backoff: ExponentialBackoff, context: Any) -> float:
        delays.append(float(delay_amount(backoff, context)))
        return delays[-1]

    monkeypatch.setattr(ExponentialBackoff, "delay_amount", recorded)
    return delays


@pytest.fixture
def storage(store: Store, backoffs: list[float]) -> Iterator[Faults]:
    """The app's DynamoDB client (pynamodb's, shared by every model and transaction)."""
    faults = Faults(store.table.connection.client)
    yield faults
    faults.close()


@pytest.fixture
def payments_queue(store: Store, backoffs: list[float]) -> Iterator[Faults]:
    """The app's client of the payments queue (SQS)."""
    queue = get_payments_queue()
    assert isinstance(queue, SqsQueue)
    faults = Faults(queue._client)
    yield faults
    faults.close()


# -- the table, read whole, and what "nothing half done" means ------------------------------------


HeldTime = tuple[str, date, Hold]  # calendar, UTC day, the interval and its owner


def _held(thing: Appointment | Block) -> set[HeldTime]:
    return {
        (calendar, day, hold)
        for (calendar, day), holds in holdings(thing.occupied, thing.holder).items()
        for hold in holds
    }


@dataclass
class Table:
    appointments: dict[str, Appointment] = field(default_factory=dict)
    held: set[HeldTime] = field(default_factory=set)
    blocks: dict[str, set[HeldTime]] = field(default_factory=dict)  # block id -> the time it needs
    notices: list[Notice] = field(default_factory=list)
    schedules: dict[str, datetime] = field(default_factory=dict)  # appointment id -> its next message's due time
    history: dict[str, list[Change]] = field(default_factory=dict)
    claims: dict[str, str] = field(default_factory=dict)  # idempotency key -> appointment id

    def needs(self, appointment: Appointment) -> set[HeldTime]:
        return _held(appointment)  # none once final

    def owned_by(self, owner: str) -> set[HeldTime]:
        return {held for held in self.held if held[2].owner == owner}

    def actions(self, appointment_id: str) -> list[str]:
        return [c.action for c in self.history.get(appointment_id, [])]


ANNOUNCES: dict[Kind, Callable[[Appointment, list[Change]], bool]] = {
    Kind.CANCELLATION: lambda a, h: a.status is Status.CANCELLED,
    Kind.RESCHEDULE: lambda a, h: a.rescheduled_at is not None,
    Kind.NO_SHOW: lambda a, h: a.status is Status.NO_SHOW,
    Kind.HOLD: lambda a, h: a.hold_lapses_at is not None,
    Kind.REFUND: lambda a, h: a.refund_requested > 0,
}


def read_table() -> Table:
    """Every item (a Scan: this is the test looking, never the app)."""
    table, sent = Table(), dict[str, StampsItem]()
    for item in Item.scan(consistent_read=True):
        if isinstance(item, AppointmentItem):
            table.appointments[item.pk.removeprefix("APPT#")] = mapping.appointment_from(item)
        elif isinstance(item, StampsItem):
            sent[item.pk.removeprefix("APPT#")] = item
            if item.gsi5sk:
                table.schedules[item.pk.removeprefix("APPT#")] = stamps.due_of(item.gsi5sk)
        elif isinstance(item, CalendarDayItem):
            day = day_from(item)
            table.held |= {(day.calendar, day.day, hold) for hold in day.holds}
        elif isinstance(item, BlockItem):
            block = mapping.block_from(item)
            table.blocks[block.id] = _held(block)
        elif isinstance(item, NoticeItem):
            table.notices.append(mapping.notice_from(item))
        elif isinstance(item, AuditItem):
            change = mapping.change_from(item)
            table.history.setdefault(change.appointment_id, []).append(change)
        elif isinstance(item, IdempotencyItem):
            table.claims[item.pk] = item.appointment_id
    table.appointments = {i: stamps.merged(a, sent.get(i)) for i, a in table.appointments.items()}
    return table


def assert_whole(table: Table) -> None:
    """No appointment without its time, no time held without the appointment or block that needs it, no notice,
    history or idempotency claim without the change it belongs to."""
    for appointment_id, appointment in table.appointments.items():
        assert table.owned_by(f"APPT#{appointment_id}") == table.needs(appointment), appointment_id
        assert table.history.get(appointment_id), f"{appointment_id} has no history"
    for block_id, needed in table.blocks.items():
        assert table.owned_by(f"BLOCK#{block_id}") == needed, block_id
    for calendar, day, piece in table.held:
        kind, _, owner_id = piece.owner.partition("#")
        assert (kind == "APPT" and owner_id in table.appointments) or owner_id in table.blocks, (calendar, day, piece)
    for notice in table.notices:
        announced = table.appointments.get(notice.appointment_id)
        assert announced is not None, notice
        assert ANNOUNCES[notice.kind](announced, table.history[announced.id]), (notice, announced.status)
    for appointment_id in table.schedules:
        assert appointment_id in table.appointments, appointment_id
    for appointment_id, appointment in table.appointments.items():  # no confirmation owed that nothing will send
        owes = appointment.status is Status.CONFIRMED and appointment.confirmation_sent_at is None
        assert not owes or table.schedules.get(appointment_id, FAR) <= datetime.now(UTC), appointment_id
    assert set(table.history) <= set(table.appointments)
    assert set(table.claims.values()) <= set(table.appointments)


# -- helpers -------------------------------------------------------------------------------------


def book(api: Api, token: str, key: str = "", **changes: Any) -> Any:
    headers = {"Idempotency-Key": key} if key else None
    return api.call("POST", "/appointments/book", booking(**changes), token, headers=headers)


def deliver(messages: list[dict[str, Any]]) -> Any:
    return app.deliver_notices(event(messages), None)


def sweep() -> None:
    app.sweep_notices(scheduled_event(datetime.now(UTC)), None)


def mark_no_shows() -> None:
    app.mark_no_shows(scheduled_event(datetime.now(UTC)), None)


def sms_containing(text: str) -> list[str]:
    return [m["message"] for m in sent()["sms"] if text in m["message"]]


def error_code(answer: Any) -> str:
    return str(answer.body["error"]["code"])


# -- (a) throttling and transient errors ---------------------------------------------------------


def test_throttled_and_failing_calls_are_retried_with_backoff_and_the_booking_is_made_once(
    api: Api, alice: str, storage: Faults, backoffs: list[float]
) -> None:
    storage.fail("Query", "ProvisionedThroughputExceededException", times=1)
    storage.fail("GetItem", "InternalServerError", status=500, times=1)
    storage.fail("TransactWriteItems", "ThrottlingException", times=2)
    answer = book(api, alice, "throttled")
    assert answer.status == 201, answer.body
    assert answer.body["appointment"]["confirmationSentAt"] is not None
    assert storage.attempts["TransactWriteItems"] == 3  # the booking, on its third attempt
    assert storage.attempts["UpdateItem"] == 1  # its confirmation relayed: the schedule stamped and moved on
    assert len(backoffs) == 4  # one wait before each retry: the Query's, the GetItem's, the booking's two
    assert len(set(storage.tokens[:3])) == 1 and len(storage.tokens[0]) == 36  # one request, one token (a UUID)
    table = read_table()
    assert list(table.appointments) == [answer.body["appointment"]["id"]]
    assert_whole(table)
    assert [b["kind"] for b in bodies(receive_all())] == ["confirmation"]


def test_storage_throttled_past_its_retries_is_a_clean_503_and_leaves_nothing_half_done(
    api: Api, alice: str, storage: Faults
) -> None:
    kept = book(api, alice, time="10:00").body["appointment"]
    receive_all()
    storage.attempts.clear()
    storage.fail("TransactWriteItems", "ThrottlingException")
    refused = book(api, alice, "throttled", time="14:00")
    assert refused.status == 503 and error_code(refused) == "UPSTREAM_UNAVAILABLE", refused.body
    assert storage.attempts["TransactWriteItems"] == 4  # pynamodb's 4 attempts, then the clean answer
    cancel = api.put(f"/appointments/{kept['id']}/cancel", {"reason": "plans"}, alice)
    assert cancel.status == 503 and error_code(cancel) == "UPSTREAM_UNAVAILABLE"
    storage.fail("Query", "ProvisionedThroughputExceededException")
    slots = api.get(f"/appointments/availability/slots?serviceId=svc-cut&staffId=staff-li&date={DAY}")
    assert slots.status == 503 and error_code(slots) == "UPSTREAM_UNAVAILABLE"
    storage.clear()
    table = read_table()
    assert list(table.appointments) == [kept["id"]] and table.appointments[kept["id"]].status is Status.CONFIRMED
    assert table.claims == {}  # the refused booking's Idempotency-Key is free for its retry
    assert table.notices == [] and list(table.schedules) == [kept["id"]]  # no cancellation; its reminders stand
    assert_whole(table)
    assert receive_all() == []
    again = book(api, alice, "throttled", time="14:00")  # the customer taps again once it has passed
    assert again.status == 201, again.body
    assert_whole(read_table())


def test_a_transaction_cancelled_because_an_item_was_throttled_is_retried_then_a_503_never_a_500(
    api: Api, alice: str, storage: Faults
) -> None:
    storage.fail("TransactWriteItems", "TransactionCanceledException", times=1, fields=throttled_item)
    once = book(api, alice, "item-throttled-once", time="10:00")
    assert once.status == 201, once.body
    storage.fail("TransactWriteItems", "TransactionCanceledException", fields=throttled_item)
    always = book(api, alice, "item-throttled", time="14:00")
    assert always.status == 503 and error_code(always) == "UPSTREAM_UNAVAILABLE", always.body
    storage.clear()
    table = read_table()
    assert list(table.appointments) == [once.body["appointment"]["id"]]
    assert_whole(table)


def test_a_booking_whose_answer_was_lost_after_it_committed_is_retried_into_the_same_appointment(
    api: Api, alice: str, storage: Faults
) -> None:
    storage.lose_answer("TransactWriteItems")
    answer = book(api, alice, "lost-answer")
    assert answer.status == 201, answer.body
    first, retried = storage.tokens[:2]
    assert first == retried  # DynamoDB itself answers such a retry as the first (moto checks the conditions again)
    table = read_table()
    assert list(table.appointments) == [answer.body["appointment"]["id"]]
    assert_whole(table)
    sweep()  # whatever the retry's answer left in the outbox
    deliver(receive_all())
    assert len(sms_containing("Haircut")) == 1


# -- (b) a Lambda that dies between two steps ----------------------------------------------------


def test_a_booking_that_died_after_its_commit_is_confirmed_by_the_sweep_exactly_once(
    api: Api, alice: str, storage: Faults
) -> None:
    storage.die("TransactWriteItems", committed=True)  # the booking committed; its confirmation never queued
    with pytest.raises(LambdaDied):
        book(api, alice, "died")
    storage.clear()
    table = read_table()
    (appointment,) = table.appointments.values()
    assert appointment.status is Status.CONFIRMED and appointment.confirmation_sent_at is None
    assert table.schedules[appointment.id] <= datetime.now(UTC)  # its confirmation owed, for the sweep
    assert_whole(table)
    assert receive_all() == []
    retried = book(api, alice, "died")  # the app never answered: the customer's retry gets the booking
    assert retried.status == 201 and retried.body["appointment"]["id"] == appointment.id
    storage.at_once(sweep, sweep)
    queued = receive_all()
    assert {(b["kind"], b["id"]) for b in bodies(queued)} == {("confirmation", f"{appointment.id}:confirmation")}
    deliver(queued)
    assert len(sms_containing("Haircut")) == 1
    table = read_table()
    assert table.appointments[appointment.id].confirmation_sent_at is not None
    assert table.schedules[appointment.id] == appointment.start - timedelta(hours=24)  # next: the first reminder
    assert_whole(table)


def test_a_relay_that_died_between_queueing_and_clearing_the_outbox_sends_once(
    api: Api, alice: str, storage: Faults
) -> None:
    storage.die("UpdateItem", committed=False)  # queued; the schedule never stamped
    with pytest.raises(LambdaDied):
        book(api, alice)
    storage.clear()
    first = receive_all()
    assert [b["kind"] for b in bodies(first)] == ["confirmation"]
    assert_whole(read_table())
    sweep()  # the schedule still owes it: queued a second time, the same message
    second = receive_all()
    assert [b["id"] for b in bodies(second)] == [b["id"] for b in bodies(first)]
    deliver(first + second)
    assert len(sms_containing("Haircut")) == 1
    assert read_table().appointments[bodies(first)[0]["appointmentId"]].confirmation_sent_at is not None


def test_a_notice_consumer_that_died_mid_delivery_never_sends_a_channel_twice(
    api: Api, alice: str, store: Store, storage: Faults
) -> None:
    first = book(api, alice, time="10:00").body["appointment"]
    book(api, alice, time="14:00")
    store.customers.remember_openid(first["customerId"], "o-alice")  # push as well: a second channel to claim
    sent_then_died, claimed_then_died = receive_all()
    storage.die("PutItem", committed=False)  # sms counted (its claim) and sent; died before claiming push
    with pytest.raises(LambdaDied):
        deliver([sent_then_died])
    storage.clear()
    storage.die("UpdateItem", call=2, committed=True)  # sms counted to the customer and the number; died
    with pytest.raises(LambdaDied):
        deliver([claimed_then_died])
    storage.clear()
    assert len(sent()["sms"]) == 1
    assert deliver([sent_then_died, claimed_then_died]) == {"batchItemFailures": []}  # SQS delivers both again
    # at most once per channel (invariant 4): the first is not sent again; the second, claimed but never
    # sent, is lost, the price of claiming before sending (README, "Deliver")
    assert len(sent()["sms"]) == 1


def test_a_payment_consumer_that_died_after_its_commit_changes_nothing_on_redelivery_and_confirms_once(
    api: Api, alice: str, storage: Faults
) -> None:
    held = hold(api, alice)
    receive_all()
    paid = {"id": "pi_died", "amount_received": 39900, "metadata": {"appointmentId": held["id"]}}
    assert post_webhook(api, *signed("payment_intent.succeeded", paid, event_id="evt_died")).status == 200
    message = receive_all(PAYMENTS)
    storage.die("TransactWriteItems", committed=True)
    with pytest.raises(LambdaDied):
        app.apply_payments(event(message, PAYMENTS), None)
    storage.clear()
    before = read_table()
    assert before.appointments[held["id"]].status is Status.CONFIRMED
    assert app.apply_payments(event(message, PAYMENTS), None) == {"batchItemFailures": []}
    after = read_table()
    assert after.history == before.history and after.appointments == before.appointments
    sweep()
    deliver(receive_all())
    assert len(sms_containing("已确认")) == 1
    assert after.appointments[held["id"]].paid_amount == int(COLOUR * 100)
    assert_whole(read_table())


# -- (c) SQS redelivery and (d) webhook replay, at once ------------------------------------------


def test_the_same_notice_delivered_to_two_consumers_at_once_is_sent_once_per_channel(
    api: Api, alice: str, storage: Faults
) -> None:
    both = {"preferences": {"sms": True, "email": True}}
    assert api.put("/customers/me/notification-preferences", both, alice).status == 200
    book(api, alice)
    messages = receive_all()
    answers = storage.at_once(lambda: deliver(messages), lambda: deliver(messages), meet_at="PutItem")
    assert answers == [{"batchItemFailures": []}] * 2
    assert len(sent()["sms"]) == 1 and len(sent()["email"]) == 1


def test_the_same_stripe_event_applied_by_two_consumers_at_once_confirms_once(
    api: Api, alice: str, storage: Faults
) -> None:
    held = hold(api, alice)
    receive_all()
    paid = {"id": "pi_twice", "amount_received": 39900, "metadata": {"appointmentId": held["id"]}}
    payload, signature = signed("payment_intent.succeeded", paid, event_id="evt_twice")
    for _ in range(2):  # Stripe retries a webhook it thinks failed: the same event, queued twice
        assert post_webhook(api, payload, signature).status == 200
    first, second = receive_all(PAYMENTS)
    storage.at_once(
        lambda: app.apply_payments(event([first], PAYMENTS), None),
        lambda: app.apply_payments(event([second], PAYMENTS), None),
    )
    table = read_table()
    assert table.appointments[held["id"]].status is Status.CONFIRMED
    assert table.actions(held["id"]) == ["book", "payment_intent.succeeded"]
    deliver(receive_all())
    assert len(sms_containing("已确认")) == 1
    assert_whole(table)


def test_a_webhook_that_cannot_be_queued_is_a_503_for_stripe_to_send_again_and_applies_once(
    api: Api, alice: str, payments_queue: Faults
) -> None:
    held = hold(api, alice)
    receive_all()
    paid = {"id": "pi_unqueued", "amount_received": 39900, "metadata": {"appointmentId": held["id"]}}
    payload, signature = signed("payment_intent.succeeded", paid, event_id="evt_unqueued")
    payments_queue.fail("SendMessage", "RequestThrottled")
    refused = post_webhook(api, payload, signature)
    assert refused.status == 503 and error_code(refused) == "UPSTREAM_UNAVAILABLE", refused.body
    payments_queue.clear()
    assert receive_all(PAYMENTS) == []
    assert post_webhook(api, payload, signature).status == 200  # Stripe sends it again, later
    messages = receive_all(PAYMENTS)
    assert app.apply_payments(event(messages, PAYMENTS), None) == {"batchItemFailures": []}
    table = read_table()
    assert table.actions(held["id"]) == ["book", "payment_intent.succeeded"]
    assert_whole(table)


# -- (e) the scheduled jobs, twice at once -------------------------------------------------------


def test_two_sweeps_at_once_expire_each_hold_and_send_each_reminder_once(
    api: Api, alice: str, store: Store, storage: Faults
) -> None:
    confirmed = book(api, alice, time="10:00").body["appointment"]
    held = hold(api, alice, time="13:00")
    receive_all()
    start = store.appointments.get(confirmed["id"]).start
    with time_machine.travel(start - timedelta(hours=23, minutes=59), tick=False):  # the 24h reminder is due
        storage.at_once(sweep, sweep)
        queued = receive_all()
        deliver(queued)
    assert {(b["kind"], b["appointmentId"]) for b in bodies(queued)} == {
        ("reminder", confirmed["id"]),
        ("cancellation", held["id"]),
    }
    assert len(sms_containing("提醒")) == 1 and len(sms_containing("已取消")) == 1
    table = read_table()
    expired = table.appointments[held["id"]]
    assert (expired.status, expired.cancelled_reason) == (Status.CANCELLED, "hold_expired")
    assert table.actions(held["id"]) == ["book", "expire"]
    assert table.appointments[confirmed["id"]].reminder_sent_at is not None
    assert_whole(table)


def test_two_no_show_runs_at_once_mark_each_appointment_once(
    api: Api, alice: str, store: Store, storage: Faults
) -> None:
    ids = [book(api, alice, time=t).body["appointment"]["id"] for t in ("10:00", "14:00")]
    receive_all()
    last_end = max(store.appointments.get(i).end for i in ids)
    with time_machine.travel(last_end + timedelta(minutes=16), tick=False):
        storage.at_once(mark_no_shows, mark_no_shows)
        deliver(receive_all())
    table = read_table()
    for appointment_id in ids:
        assert table.appointments[appointment_id].status is Status.NO_SHOW
        assert table.actions(appointment_id) == ["book", "no-show"]
    assert len([m for m in sent()["sms"] if m["phone_number"] == "+8613900139000"]) == 2  # the business, once each
    assert_whole(table)
