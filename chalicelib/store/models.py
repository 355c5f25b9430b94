"""The single table: one pynamodb model per item type, told apart by `kind` (README: "The table").

- settings, service, staff, resource, closure, location: pk BUSINESS, sk SETTINGS | SERVICE#<id> | STAFF#<id> |
  RESOURCE#<id> | CLOSURE#<date> | LOCATION#<id> (their models in catalogue_items.py)
- appointment: pk APPT#<id>, sk APPT; audit entries beside it: sk AUDIT#<at>#<version>; its sent stamps: sk APPT#SENT;
  a visit's share of another staff member's timeline: sk STAFF#<sid> (in gsi2)
- block: pk BLOCK#<id>, sk BLOCK
- customer: pk CUSTOMER#<id>, sk PROFILE; gsi1 PHONE#<e164> / CUSTOMER#<id>; gsi3 CUSTOMERS / <name>#<id>
- calendar day: pk CAL#<calendar>, sk DAY#<UTC date>: the intervals taken that day (occupancy)
- idempotency: pk IDEM#<caller>#<key>, sk IDEM
- gsi1 (customer timeline): CUSTOMER#<cid> / <start>#<id>, appointments
- gsi2 (staff timeline): STAFF#<sid> / <start>#APPT|BLOCK#<id>, appointments, visit shares and blocks; a resource's
  blocks under RESOURCE#<rid>
- gsi3 (day): DAY#<local date> / <start>#<sid>#APPT|BLOCK#<id>, appointments and blocks
- notice (outbox): pk APPT#<id>, sk NOTICE#<key>; gsi5 DUE / <due>#<id>#<key> until relayed to the queue
- preferences: pk CUSTOMER#<id>, sk PREFS; delivery record: pk MSG#<message id>, sk CHANNEL#<channel>
- gsi4 (status): OPEN (pending, confirmed) or STATUS#<final status>, then #<location> elsewhere / <start>#<id>,
  appointments
- figures: pk STATS, sk DAY#<local date>; a customer's: pk CUSTSTATS, sk CUST#<local date>#<customer> (a branch's
  partitions end in #<location>): one attribute per counter or block mark
"""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    DiscriminatorAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.connection.table import TableConnection
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

BUSINESS = "BUSINESS"


class CustomerIndex(GlobalSecondaryIndex["Item"]):  # type: ignore[no-untyped-call]
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class StaffTimelineIndex(GlobalSecondaryIndex["Item"]):  # type: ignore[no-untyped-call]
    class Meta:
        index_name = "gsi2"
        projection = AllProjection()

    gsi2pk = UnicodeAttribute(hash_key=True)
    gsi2sk = UnicodeAttribute(range_key=True)


class DayIndex(GlobalSecondaryIndex["Item"]):  # type: ignore[no-untyped-call]
    class Meta:
        index_name = "gsi3"
        projection = AllProjection()

    gsi3pk = UnicodeAttribute(hash_key=True)
    gsi3sk = UnicodeAttribute(range_key=True)


class StatusIndex(GlobalSecondaryIndex["Item"]):  # type: ignore[no-untyped-call]
    class Meta:
        index_name = "gsi4"
        projection = AllProjection()

    gsi4pk = UnicodeAttribute(hash_key=True)
    gsi4sk = UnicodeAttribute(range_key=True)


class DueIndex(GlobalSecondaryIndex["Item"]):  # type: ignore[no-untyped-call]
    class Meta:
        index_name = "gsi5"
        projection = AllProjection()

    gsi5pk = UnicodeAttribute(hash_key=True)
    gsi5sk = UnicodeAttribute(range_key=True)


class Item(Model):
    class Meta:
        table_name = "slotbook"  # rebound from settings by `bind_table`
        region = "us-east-1"
        billing_mode = "PAY_PER_REQUEST"
        stream_view_type = "NEW_AND_OLD_IMAGES"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = DiscriminatorAttribute()
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    gsi3pk = UnicodeAttribute(null=True)
    gsi3sk = UnicodeAttribute(null=True)
    gsi4pk = UnicodeAttribute(null=True)
    gsi4sk = UnicodeAttribute(null=True)
    gsi5pk = UnicodeAttribute(null=True)
    gsi5sk = UnicodeAttribute(null=True)
    expires_at = TTLAttribute(null=True)

    by_customer = CustomerIndex()
    by_staff = StaffTimelineIndex()
    by_day = DayIndex()
    by_status = StatusIndex()
    due = DueIndex()


def bind_table(table_name: str, region: str) -> TableConnection:
    """Point every model at the table, through one shared connection (each botocore client costs 50-140 ms).

    pynamodb caches a connection per model class; a subclass without its own uses Item's.
    """
    if (Item.Meta.table_name, Item.Meta.region) != (table_name, region) or Item._connection is None:
        Item.Meta.table_name = table_name
        Item.Meta.region = region
        Item._connection = None
        for model in _subclasses(Item):
            if "_connection" in vars(model):
                delattr(model, "_connection")
    return Item._get_connection()


def _subclasses(model: type[Item]) -> list[type[Item]]:
    return [m for sub in model.__subclasses__() for m in (sub, *_subclasses(sub))]


class AppointmentItem(Item, discriminator="appointment"):
    """The fields of the domain's Appointment, mapped by mapping.APPOINTMENT (tests/unit/test_mapping.py
    fails if a field and an attribute part). Empty ones are left out (mapping.APPOINTMENT): under 1 KB, each
    write of it and of its four index entries costs one write unit, not two (docs/cost.md)."""

    customer_id = UnicodeAttribute()
    customer = JSONAttribute()
    service_id = UnicodeAttribute()
    service_name = UnicodeAttribute()
    staff_id = UnicodeAttribute()
    staff_name = UnicodeAttribute()
    start = UTCDateTimeAttribute()
    duration = NumberAttribute()
    buffer_before = NumberAttribute(null=True)  # this one and those below that may be absent: 0 or "" when so
    buffer_after = NumberAttribute(null=True)
    status = UnicodeAttribute()
    price_minor = NumberAttribute()
    currency = UnicodeAttribute()
    payment_status = UnicodeAttribute()
    notes = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    timezone = UnicodeAttribute()
    business_phone = UnicodeAttribute(null=True)
    hold_expires_at = UTCDateTimeAttribute(null=True)
    confirmation_sent_at = UTCDateTimeAttribute(null=True)
    reminder_sent_at = UTCDateTimeAttribute(null=True)
    rescheduled_at = UTCDateTimeAttribute(null=True)
    payment_intent_id = UnicodeAttribute(null=True)
    paid_minor = NumberAttribute(null=True)
    refunded_minor = NumberAttribute(null=True)
    refund_requested_minor = NumberAttribute(null=True)
    payment_error = UnicodeAttribute(null=True)
    payment_error_at = UTCDateTimeAttribute(null=True)
    cancelled_reason = UnicodeAttribute(null=True)
    cancelled_by = UnicodeAttribute(null=True)
    reminder_offsets = ListAttribute(of=UnicodeAttribute, null=True)
    locale = UnicodeAttribute(default="zh-CN")
    segments = JSONAttribute(null=True)
    resources = JSONAttribute(null=True)
    assigned = UnicodeAttribute(null=True)
    parts = JSONAttribute(null=True)  # a visit's services (domain/parts.py)
    location_id = UnicodeAttribute(null=True)
    terms = JSONAttribute(null=True)  # a deposit or fees carried (domain/deposits.py); absent: none, or prepaid
    fee = JSONAttribute(null=True)  # a late cancellation's or a no-show's (domain/fees.py)
    settled_by = UnicodeAttribute(null=True)
    waitlist = UnicodeAttribute(null=True)  # the waitlist entry it was offered to
    offer = UnicodeAttribute(null=True)  # offered, accepted or passed (domain/waitlist.py)
    hold = UnicodeAttribute(null=True)  # a short hold: placed, booked or released (domain/holds.py)
    version = VersionAttribute()


class ShareItem(Item, discriminator="share"):
    """pk APPT#<id>, sk STAFF#<sid>: a visit in the timeline (gsi2) of a staff member who performs one of its
    services but not the first (the appointment item is in the first's): STAFF#<sid> / <their start>#APPT#<id>. No
    attributes of its own: a reader takes the appointment by its key."""


class WaitItem(Item, discriminator="wait"):
    """pk WAIT#<id>, sk WAIT: a customer waiting for a service (domain/waitlist.py). While open, in gsi4
    WAITLIST[#<location>] / <created>#<id> (first come, first offered); always in gsi1 WAITING#<customer>."""

    customer_id = UnicodeAttribute()
    customer = JSONAttribute()
    service_id = UnicodeAttribute()
    staff_id = UnicodeAttribute(null=True)
    location_id = UnicodeAttribute(null=True)
    first_day = UnicodeAttribute()
    last_day = UnicodeAttribute()
    from_minute = NumberAttribute()
    to_minute = NumberAttribute()
    created_at = UTCDateTimeAttribute()
    standing = UnicodeAttribute()
    offer_id = UnicodeAttribute(null=True)
    passed = ListAttribute(of=UnicodeAttribute, null=True)


class StampsItem(Item, discriminator="stamps"):
    """pk APPT#<id>, sk APPT#SENT: when the appointment's confirmation and latest reminder were queued, and, in
    gsi5 while one is owed, when the next is due (store/stamps.py). Beside the appointment rather than on it: a
    stamp there rewrote the whole item and its four index entries (docs/cost.md)."""

    confirmation_sent_at = UTCDateTimeAttribute(null=True)
    reminder_sent_at = UTCDateTimeAttribute(null=True)


class AuditItem(Item, discriminator="audit"):
    action = UnicodeAttribute()
    actor_id = UnicodeAttribute()
    actor_role = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    from_status = UnicodeAttribute(null=True)
    to_status = UnicodeAttribute()
    reason = UnicodeAttribute(default="")
    detail = UnicodeAttribute(default="")


class BlockItem(Item, discriminator="block"):
    staff_id = UnicodeAttribute()
    resource_id = UnicodeAttribute(null=True)
    start = UTCDateTimeAttribute()
    end = UTCDateTimeAttribute()
    timezone = UnicodeAttribute()
    reason = UnicodeAttribute(default="")
    blocked_by = UnicodeAttribute(default="")
    created_at = UTCDateTimeAttribute()


class CustomerItem(Item, discriminator="customer"):
    name = UnicodeAttribute()
    phone = UnicodeAttribute()
    email = UnicodeAttribute(default="")
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    owed = NumberAttribute(null=True)  # fees owed, minor units: each appointment's `owes` added by its changes


class NoticeItem(Item, discriminator="notice"):
    notice_kind = UnicodeAttribute()
    due_at = UTCDateTimeAttribute()
    offset = UnicodeAttribute(default="")
    reason = UnicodeAttribute(default="")
    serial = NumberAttribute(default=0)
    amount = NumberAttribute(default=0)


class PreferencesItem(Item, discriminator="preferences"):
    """Only what the customer set (the defaults are the domain's `Preferences`)."""

    sms = BooleanAttribute(null=True)
    email = BooleanAttribute(null=True)
    push = BooleanAttribute(null=True)
    reminder_times = ListAttribute(of=UnicodeAttribute, null=True)
    locale = UnicodeAttribute(null=True)
    openid = UnicodeAttribute(null=True)


class DeliveryItem(Item, discriminator="delivery"):
    sent_at = UTCDateTimeAttribute()


class TextCountItem(Item, discriminator="texts"):
    """pk SENT#<day>, sk <channel>#TO#<address> or <channel>#CUSTOMER#<id>: messages sent that day (TTL 2 days).
    The customer's item also names the messages counted (`messages`): it is their delivery's claim too."""

    sent = NumberAttribute(default=0)
    messages = UnicodeSetAttribute(null=True)


class PaymentIntentItem(Item, discriminator="payment_intent"):
    """pk PI#<payment intent id>: which appointment a provider's payment belongs to."""

    appointment_id = UnicodeAttribute()


class EventItem(Item, discriminator="event"):
    """pk EVENT#<provider event id>: an event already applied (TTL 30 days)."""

    event_type = UnicodeAttribute()


class CalendarDayItem(Item, discriminator="calendar_day"):
    """pk CAL#<calendar>, sk DAY#<UTC date>: the intervals taken that day, each [start minute, end minute, owner]
    from the day's UTC midnight, and the revision every change of them raises (store/occupancy.py)."""

    holds = JSONAttribute(default=list)
    revision = NumberAttribute(default=0)


class LockItem(Item, discriminator="lock"):
    """pk STAFF#<staffId>, sk LOCK#<UTC granule>: a 5-minute granule, as occupancy was kept before calendar days.
    Only `scripts/migrate_occupancy.py` reads these, to convert them."""

    owner = UnicodeAttribute()


class IdempotencyItem(Item, discriminator="idempotency"):
    fingerprint = UnicodeAttribute()
    appointment_id = UnicodeAttribute()


class FiguresItem(Item, discriminator="figures"):
    """A day's analytics figures (chalicelib/store/figures.py reads and writes their attributes). A customer's
    item of a day also names the stream records it has applied (`seen`): the claim that counts each once."""

    seen = UnicodeSetAttribute(null=True)
