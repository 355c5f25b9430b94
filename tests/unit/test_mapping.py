"""Domain objects to items and back: what existing tables hold keeps its attribute names and values."""

import json
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.block import Block
from chalicelib.domain.catalogue import Resource, Service, StaffMember
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.customer import Customer
from chalicelib.domain.history import Change
from chalicelib.domain.hours import WorkingHours
from chalicelib.domain.money import Money
from chalicelib.domain.notices import Kind, Notice, Schedule
from chalicelib.domain.parts import Part
from chalicelib.domain.payment_status import PaymentStatus
from chalicelib.domain.segments import Segment
from chalicelib.domain.status import Status
from chalicelib.store import catalogue_mapping, mapping, stamps
from chalicelib.store.catalogue_items import LocationItem, ResourceItem, ServiceItem, StaffItem
from chalicelib.store.fields import StoredFields
from chalicelib.store.models import AppointmentItem, AuditItem, BlockItem, CustomerItem, Item, NoticeItem, StampsItem

AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
EVERY_FIELD_SET = Appointment(
    id="a1",
    customer_id="c1",
    customer=CustomerInfo("Wang Fang", "+8613800138000", "fang@example.com"),
    service_id="cut",
    service_name="Haircut",
    staff_id="li",
    staff_name="Li Na",
    start=AT + timedelta(days=2),
    duration=45,
    buffer_before=10,
    buffer_after=5,
    status=Status.CANCELLED,
    price=Money(8800, "CNY"),
    payment_status=PaymentStatus.PARTIALLY_REFUNDED,
    created_at=AT,
    updated_at=AT + timedelta(hours=5),
    timezone="Asia/Shanghai",
    business_phone="+861012345678",
    notes="window seat",
    hold_expires_at=AT + timedelta(minutes=15),
    confirmation_sent_at=AT + timedelta(minutes=1),
    reminder_sent_at=AT + timedelta(days=1),
    rescheduled_at=AT + timedelta(hours=3),
    payment_intent_id="pi_1",
    paid_amount=8800,
    refunded_amount=4400,
    refund_requested=4400,
    payment_error="card declined",
    payment_error_at=AT + timedelta(minutes=2),
    cancelled_reason="ill",
    cancelled_by="customer",
    reminder_offsets=("48h", "3h"),
    locale="en-GB",
    version=7,
)
JUST_BOOKED = replace(
    EVERY_FIELD_SET,
    customer=CustomerInfo("Wang Fang", "+8613800138000"),
    status=Status.PENDING,
    payment_status=PaymentStatus.AWAITING,
    business_phone="",
    notes="",
    hold_expires_at=None,
    confirmation_sent_at=None,
    reminder_sent_at=None,
    rescheduled_at=None,
    payment_intent_id="",
    paid_amount=0,
    refunded_amount=0,
    refund_requested=0,
    payment_error="",
    payment_error_at=None,
    cancelled_reason="",
    cancelled_by="",
    reminder_offsets=(),
    version=0,
)

ItemType = TypeVar("ItemType", bound=Item)
BY_HAND: list[tuple[StoredFields[Any], type[Item], set[str]]] = [  # and the attributes written beside the fields
    (
        mapping.APPOINTMENT,
        AppointmentItem,
        {"customer", "price_minor", "currency", "segments", "resources", "parts", "terms", "fee"},
    ),
    (mapping.CHANGE, AuditItem, set()),
    (mapping.BLOCK, BlockItem, set()),
    (mapping.CUSTOMER, CustomerItem, set()),
    (mapping.NOTICE, NoticeItem, set()),
    (catalogue_mapping.SERVICE, ServiceItem, {"price_minor", "currency", "segments", "deposit"}),
    (catalogue_mapping.RESOURCE, ResourceItem, set()),
    (catalogue_mapping.STAFF, StaffItem, {"hours", "elsewhere"}),
    (catalogue_mapping.LOCATION, LocationItem, {"hours", "closures"}),
]


def stored(item: ItemType) -> ItemType:
    """The item as the table gives it back: written out and read in again."""
    return type(item).from_raw_data(item.serialize())


def test_an_appointment_item_keeps_the_attribute_names_and_values_existing_tables_hold() -> None:
    assert mapping.appointment_item(EVERY_FIELD_SET).serialize() == {
        "pk": {"S": "APPT#a1"},
        "sk": {"S": "APPT"},
        "kind": {"S": "appointment"},
        "gsi1pk": {"S": "CUSTOMER#c1"},
        "gsi1sk": {"S": "2026-12-03T02:00:00Z#a1"},
        "gsi2pk": {"S": "STAFF#li"},
        "gsi2sk": {"S": "2026-12-03T02:00:00Z#APPT#a1"},
        "gsi3pk": {"S": "DAY#2026-12-03"},
        "gsi3sk": {"S": "2026-12-03T02:00:00Z#li#APPT#a1"},
        "gsi4pk": {"S": "STATUS#cancelled"},
        "gsi4sk": {"S": "2026-12-03T02:00:00Z#a1"},
        "customer_id": {"S": "c1"},
        "customer": {"S": '{"name": "Wang Fang", "phone": "+8613800138000", "email": "fang@example.com"}'},
        "service_id": {"S": "cut"},
        "service_name": {"S": "Haircut"},
        "staff_id": {"S": "li"},
        "staff_name": {"S": "Li Na"},
        "start": {"S": "2026-12-03T02:00:00.000000+0000"},
        "duration": {"N": "45"},
        "buffer_before": {"N": "10"},
        "buffer_after": {"N": "5"},
        "status": {"S": "cancelled"},
        "price_minor": {"N": "8800"},
        "currency": {"S": "CNY"},
        "payment_status": {"S": "partially_refunded"},
        "created_at": {"S": "2026-12-01T02:00:00.000000+0000"},
        "updated_at": {"S": "2026-12-01T07:00:00.000000+0000"},
        "timezone": {"S": "Asia/Shanghai"},
        "business_phone": {"S": "+861012345678"},
        "notes": {"S": "window seat"},
        "hold_expires_at": {"S": "2026-12-01T02:15:00.000000+0000"},
        "confirmation_sent_at": {"S": "2026-12-01T02:01:00.000000+0000"},
        "reminder_sent_at": {"S": "2026-12-02T02:00:00.000000+0000"},
        "rescheduled_at": {"S": "2026-12-01T05:00:00.000000+0000"},
        "payment_intent_id": {"S": "pi_1"},
        "paid_minor": {"N": "8800"},
        "refunded_minor": {"N": "4400"},
        "refund_requested_minor": {"N": "4400"},
        "payment_error": {"S": "card declined"},
        "payment_error_at": {"S": "2026-12-01T02:02:00.000000+0000"},
        "cancelled_reason": {"S": "ill"},
        "cancelled_by": {"S": "customer"},
        "reminder_offsets": {"L": [{"S": "48h"}, {"S": "3h"}]},
        "locale": {"S": "en-GB"},
        "version": {"N": "7"},
    }


def test_a_just_booked_appointment_leaves_its_payment_intent_version_unset_times_and_empty_fields_absent() -> None:
    """A condition tests that the payment intent does not exist yet; no version means 'a new item'. Empty
    fields take no bytes: the item stays under 1 KB, one write unit a write (docs/cost.md)."""
    item = mapping.appointment_item(JUST_BOOKED).serialize()
    assert sorted(item) == sorted(
        (
            *("pk", "sk", "kind", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk", "gsi4pk", "gsi4sk"),
            *("customer_id", "customer", "service_id", "service_name", "staff_id", "staff_name", "start"),
            *("duration", "buffer_before", "buffer_after", "status", "price_minor", "currency", "payment_status"),
            *("created_at", "updated_at", "timezone", "locale"),
        )
    )
    assert item["gsi4pk"] == {"S": "OPEN"}
    assert item["customer"] == {"S": '{"name": "Wang Fang", "phone": "+8613800138000", "email": ""}'}
    unbuffered = mapping.appointment_item(replace(JUST_BOOKED, buffer_before=0, buffer_after=0)).serialize()
    assert "buffer_before" not in unbuffered and "buffer_after" not in unbuffered


def test_an_appointment_written_with_its_empty_fields_as_before_reads_the_same() -> None:
    """Items written before empty fields were left out hold them as "" and 0."""
    as_before = mapping.appointment_item(JUST_BOOKED).serialize() | {
        "business_phone": {"S": ""},
        "notes": {"S": ""},
        "paid_minor": {"N": "0"},
        "refunded_minor": {"N": "0"},
        "refund_requested_minor": {"N": "0"},
        "payment_error": {"S": ""},
        "cancelled_reason": {"S": ""},
        "cancelled_by": {"S": ""},
    }
    assert mapping.appointment_from(AppointmentItem.from_raw_data(as_before)) == JUST_BOOKED


def test_an_appointment_with_every_field_set_comes_back_from_its_item_unchanged() -> None:
    for appointment in (EVERY_FIELD_SET, JUST_BOOKED):
        assert mapping.appointment_from(stored(mapping.appointment_item(appointment))) == appointment


def test_a_change_comes_back_from_its_audit_entry_unchanged() -> None:
    before = replace(EVERY_FIELD_SET, status=Status.CONFIRMED, start=AT)
    change = Change.of("cancel", Actor("u1", Role.CUSTOMER), before, EVERY_FIELD_SET, "ill")
    item = mapping.audit_item(change, 8)
    assert item.serialize() == {
        "pk": {"S": "APPT#a1"},
        "sk": {"S": "AUDIT#2026-12-01T07:00:00Z#000008"},
        "kind": {"S": "audit"},
        "action": {"S": "cancel"},
        "actor_id": {"S": "u1"},
        "actor_role": {"S": "customer"},
        "at": {"S": "2026-12-01T07:00:00.000000+0000"},
        "from_status": {"S": "confirmed"},
        "to_status": {"S": "cancelled"},
        "reason": {"S": "ill"},
        "detail": {"S": "2026-12-01 10:00 li -> 2026-12-03 10:00 li"},
    }
    assert mapping.change_from(stored(item)) == change
    created = Change.of("book", Actor("u1", Role.CUSTOMER), None, JUST_BOOKED)
    assert "from_status" not in mapping.audit_item(created, 1).serialize()
    assert mapping.change_from(stored(mapping.audit_item(created, 1))) == created


def test_a_block_comes_back_from_its_item_unchanged() -> None:
    block = Block("b1", "li", AT, AT + timedelta(hours=1), "Asia/Shanghai", "training", "staff-1", AT)
    item = mapping.block_item(block)
    assert item.serialize() == {
        "pk": {"S": "BLOCK#b1"},
        "sk": {"S": "BLOCK"},
        "kind": {"S": "block"},
        "gsi2pk": {"S": "STAFF#li"},
        "gsi2sk": {"S": "2026-12-01T02:00:00Z#BLOCK#b1"},
        "gsi3pk": {"S": "DAY#2026-12-01"},
        "gsi3sk": {"S": "2026-12-01T02:00:00Z#li#BLOCK#b1"},
        "staff_id": {"S": "li"},
        "start": {"S": "2026-12-01T02:00:00.000000+0000"},
        "end": {"S": "2026-12-01T03:00:00.000000+0000"},
        "timezone": {"S": "Asia/Shanghai"},
        "reason": {"S": "training"},
        "blocked_by": {"S": "staff-1"},
        "created_at": {"S": "2026-12-01T02:00:00.000000+0000"},
    }
    assert mapping.block_from(stored(item)) == block


def test_a_notice_comes_back_from_its_outbox_item_unchanged() -> None:
    refund = Notice("a1", Kind.REFUND, AT, "", "ill", 5, 4400)
    item = mapping.notice_item(refund)
    assert item.serialize() == {
        "pk": {"S": "APPT#a1"},
        "sk": {"S": "NOTICE#refund#5"},
        "kind": {"S": "notice"},
        "gsi5pk": {"S": "DUE"},
        "gsi5sk": {"S": "2026-12-01T02:00:00Z#a1#refund#5"},
        "notice_kind": {"S": "refund"},
        "due_at": {"S": "2026-12-01T02:00:00.000000+0000"},
        "offset": {"S": ""},
        "reason": {"S": "ill"},
        "serial": {"N": "5"},
        "amount": {"N": "4400"},
    }
    reminder = Notice("a1", Kind.REMINDER, AT, "24h")
    for notice in (refund, reminder):
        assert mapping.notice_from(stored(mapping.notice_item(notice))) == notice


def test_a_service_comes_back_from_its_item_unchanged() -> None:
    service = Service("cut", "Haircut", 45, Money(8800, "CNY"), "A cut", True, "hair", False)
    item = catalogue_mapping.service_item(service)
    assert item.serialize() == {
        "pk": {"S": "BUSINESS"},
        "sk": {"S": "SERVICE#cut"},
        "kind": {"S": "service"},
        "name": {"S": "Haircut"},
        "description": {"S": "A cut"},
        "duration": {"N": "45"},
        "price_minor": {"N": "8800"},
        "currency": {"S": "CNY"},
        "requires_payment": {"BOOL": True},
        "category": {"S": "hair"},
        "active": {"BOOL": False},
    }
    assert catalogue_mapping.service_from(stored(item)) == service


def test_a_staff_member_comes_back_from_their_item_unchanged() -> None:
    senior = StaffMember("li", "Li Na", "Senior", "https://x/a.png", frozenset({"cut", "colour"}), active=False)
    senior = replace(senior, hours=WorkingHours.from_dict({"weekly": {"mon": [{"start": "09:00", "end": "17:00"}]}}))
    senior = replace(senior, revision=3)
    item = catalogue_mapping.staff_item(senior).serialize()
    assert sorted(item["service_ids"]["SS"]) == ["colour", "cut"]
    assert (item["revision"], item["active"], item["avatar_url"]) == (
        {"N": "3"},
        {"BOOL": False},
        {"S": senior.avatar_url},
    )
    kept = ("pk", "sk", "kind", "name", "title", "avatar_url", "service_ids", "hours", "active", "revision")
    assert sorted(item) == sorted((*kept, "weight", "priority"))
    made_before = StaffItem("BUSINESS", "STAFF#wu", name="Wu").serialize()  # before weights and priorities
    del made_before["weight"], made_before["priority"]
    old = catalogue_mapping.staff_from(StaffItem.from_raw_data(made_before))
    assert (old.weight, old.priority) == (100, 3)
    assert "service_ids" not in catalogue_mapping.staff_item(StaffMember("li", "Li")).serialize()
    assert json.loads(item["hours"]["S"]) == senior.hours.to_dict()
    for member in (senior, StaffMember("wu", "Wu")):
        assert catalogue_mapping.staff_from(stored(catalogue_mapping.staff_item(member))) == member


def test_a_customer_is_read_from_their_profile() -> None:
    item = CustomerItem(
        *mapping.customer_key("c1"), name="Wang Fang", phone="+8613800138000", created_at=AT, updated_at=AT
    )
    assert mapping.customer_from(stored(item)) == Customer("c1", "Wang Fang", "+8613800138000", "", AT, AT)


def test_each_domain_field_has_its_attribute_on_the_item_and_each_attribute_its_field() -> None:
    """A field added to the domain without its attribute (or the reverse) fails here, not on a live table."""
    for stored_fields, model, by_hand in BY_HAND:
        declared = {f.name for f in fields(stored_fields.kind)}
        assert stored_fields.apart | set(stored_fields.renamed) | stored_fields.absent_when_empty <= declared
        own = set(model.get_attributes()) - set(Item.get_attributes())
        assert set(stored_fields.names.values()) | by_hand == own, model.__name__


def test_the_resources_an_appointment_holds_and_a_service_needs_are_kept_and_read_back() -> None:
    room = Resource("r1", "Room 1", "treatment room")
    item = mapping.appointment_item(replace(EVERY_FIELD_SET, resources=(room,)))
    assert item.serialize()["resources"] == {"S": '[{"id": "r1", "name": "Room 1", "type": "treatment room"}]'}
    assert mapping.appointment_from(stored(item)).resources == (room,)
    assert "resources" not in mapping.appointment_item(EVERY_FIELD_SET).serialize()  # none: nothing written

    facial = Service("facial", "Facial", 60, Money(20000, "CNY"), needs=("treatment room",))
    assert catalogue_mapping.service_item(facial).serialize()["needs"] == {"L": [{"S": "treatment room"}]}
    assert catalogue_mapping.service_from(stored(catalogue_mapping.service_item(facial))) == facial
    assert catalogue_mapping.resource_item(room).serialize() == {
        "pk": {"S": "BUSINESS"},
        "sk": {"S": "RESOURCE#r1"},
        "kind": {"S": "resource"},
        "name": {"S": "Room 1"},
        "resource_type": {"S": "treatment room"},
        "active": {"BOOL": True},
    }
    assert catalogue_mapping.resource_from(stored(catalogue_mapping.resource_item(room))) == room


def test_a_visit_keeps_its_services_and_is_shared_with_the_timeline_of_each_other_staff_member() -> None:
    room = Resource("r1", "Room 1", "treatment room")
    start = EVERY_FIELD_SET.start
    cut = Part("cut", "Haircut", "li", "Li Na", start, 45, Money(8800, "CNY"))
    scalp = Part(
        "scalp",
        "Scalp treatment",
        "chen",
        "Chen Jing",
        start + timedelta(minutes=45),
        60,
        Money(16800, "CNY"),
        (Segment(30), Segment(30, staff_free=True, label="rest")),
        ("treatment room",),
        (room,),
        "fewest-minutes",
    )
    visit = replace(EVERY_FIELD_SET, staff_id="li", parts=(cut, scalp))

    item = mapping.appointment_item(visit)

    assert json.loads(item.serialize()["parts"]["S"])[0] == {
        "service_id": "cut",
        "service_name": "Haircut",
        "staff_id": "li",
        "staff_name": "Li Na",
        "start": start.isoformat(),
        "duration": 45,
        "price": 8800,
    }
    assert mapping.appointment_from(stored(item)).parts == (cut, scalp)
    (shared,) = mapping.share_items(visit)
    assert (shared.pk, shared.sk, shared.gsi2pk) == (f"APPT#{visit.id}", "STAFF#chen", "STAFF#chen")
    assert shared.gsi2sk == f"{mapping.timeline_key(scalp.start)}#APPT#{visit.id}"
    assert mapping.share_items(EVERY_FIELD_SET) == []


def test_the_sent_stamps_item_sits_beside_the_appointment_with_the_stamps_named_as_before() -> None:
    item, actions = stamps.sent("a1", Notice("a1", Kind.CONFIRMATION, AT), AT + timedelta(hours=20), AT)
    assert (item.pk, item.sk) == ("APPT#a1", "APPT#SENT")  # begins with APPT: read with the appointment, one Query
    written = StampsItem(*stamps.stamps_key("a1"), confirmation_sent_at=AT, reminder_sent_at=AT + timedelta(hours=1))
    assert written.serialize() == {
        "pk": {"S": "APPT#a1"},
        "sk": {"S": "APPT#SENT"},
        "kind": {"S": "stamps"},
        "confirmation_sent_at": {"S": "2026-12-01T02:00:00.000000+0000"},
        "reminder_sent_at": {"S": "2026-12-01T03:00:00.000000+0000"},
    }
    assert [str(a) for a in actions] == [  # the next due time in gsi5, and the stamp: one attribute each
        "gsi5pk = {'S': 'DUE'}",
        "gsi5sk = {'S': '2026-12-01T22:00:00Z#a1#schedule'}",
        "confirmation_sent_at = {'S': '2026-12-01T02:00:00.000000+0000'}",
    ]
    last = stamps.sent("a1", Notice("a1", Kind.REMINDER, AT, offset="2h"), None, AT)[1]
    assert [str(a) for a in last] == ["gsi5pk", "gsi5sk", "reminder_sent_at = {'S': '2026-12-01T02:00:00.000000+0000'}"]
    assert stamps.due_of(stamps.due_key("a1", AT + timedelta(hours=20))) == AT + timedelta(hours=20)


def test_stamps_beside_an_appointment_win_over_those_its_own_item_kept_and_fill_in_what_it_lacks() -> None:
    kept = replace(EVERY_FIELD_SET, reminder_sent_at=None)
    newer = AT + timedelta(days=1, hours=22)
    beside = stored(StampsItem(*stamps.stamps_key("a1"), reminder_sent_at=newer))
    assert stamps.merged(kept, beside) == replace(kept, reminder_sent_at=newer)
    assert stamps.merged(EVERY_FIELD_SET, None) == EVERY_FIELD_SET  # written before: its own item's stamps
    assert stamps.merged(EVERY_FIELD_SET, stored(StampsItem(*stamps.stamps_key("a1")))) == EVERY_FIELD_SET


def test_a_change_sets_its_schedule_on_the_stamps_item_and_a_move_clears_the_reminder_stamp() -> None:
    item, actions = stamps.scheduled("a1", Schedule(AT, clear_reminder=True))
    assert (item.pk, item.sk) == ("APPT#a1", "APPT#SENT")
    assert [str(a) for a in actions] == [
        "kind = {'S': 'stamps'}",
        "gsi5pk = {'S': 'DUE'}",
        "gsi5sk = {'S': '2026-12-01T02:00:00Z#a1#schedule'}",
        "reminder_sent_at",
    ]
    assert [str(a) for a in stamps.scheduled("a1", Schedule(None))[1]] == ["kind = {'S': 'stamps'}", "gsi5pk", "gsi5sk"]
