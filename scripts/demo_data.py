"""The demo business `make run` loads: a hair studio in Shanghai with three staff and four services."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from chalicelib import tokens
from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.availability import Slot, wall_instant
from chalicelib.domain.catalogue import BusinessSettings, Service, StaffMember
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.deposits import Reason, Terms
from chalicelib.domain.history import Change
from chalicelib.domain.hours import WorkingHours
from chalicelib.domain.money import Money
from chalicelib.domain.payment_news import PaymentNews, heard
from chalicelib.store import Store

FRONT_DESK = Actor("demo-front-desk", Role.STAFF, "Front Desk")
SETTINGS = BusinessSettings(
    name="Lotus Hair Studio", timezone="Asia/Shanghai", business_phone="+862155550100", alert_phone="+8613900139000"
)

SERVICES = [
    Service(
        "svc-consult",
        "Style consultation",
        30,
        Money(0, "CNY"),
        "A chat about what suits you.",
        category="Consultation",
    ),
    Service("svc-cut", "Haircut", 45, Money(8800, "CNY"), "Wash, cut and blow-dry.", category="Hair"),
    Service("svc-scalp", "Scalp treatment", 60, Money(16800, "CNY"), "Cleansing and massage.", category="Care"),
    Service(
        "svc-colour",
        "Full colour",
        90,
        Money(39900, "CNY"),
        "Colour with a toner; paid when booking.",
        requires_payment=True,
        category="Hair",
    ),
]

MON_TO_SAT = WorkingHours.from_dict(
    {
        "weekly": {day: [{"start": "09:00", "end": "18:00"}] for day in ("mon", "tue", "wed", "thu", "fri", "sat")},
        "breaks": [{"start": "12:00", "end": "13:00"}],
    }
)

STAFF = [
    StaffMember("staff-li", "Li Na", "Senior stylist", service_ids=frozenset(s.id for s in SERVICES), hours=MON_TO_SAT),
    StaffMember(
        "staff-wang",
        "Wang Lei",
        "Stylist",
        service_ids=frozenset({"svc-consult", "svc-cut", "svc-colour"}),
        hours=MON_TO_SAT,
    ),
    StaffMember(
        "staff-chen", "Chen Jing", "Therapist", service_ids=frozenset({"svc-consult", "svc-scalp"}), hours=MON_TO_SAT
    ),
]


def load(store: Store) -> None:
    """Idempotent: the catalogue is overwritten, appointments are left alone."""
    store.catalogue.save(SETTINGS, SERVICES, STAFF)


CUSTOMERS = [
    CustomerInfo(name, f"+86138001381{i:02d}")
    for i, name in enumerate(
        ["Zhang Wei", "Wang Fang", "Li Xiu", "Liu Yang", "Chen Jie", "Yang Min", "Zhao Lei", "Huang Li", "Zhou Tao"]
    )
]
HISTORY_DAYS = 60


def load_history(store: Store, now: datetime, seed: int = 2026) -> int:
    """Two months of past appointments, most of them closed, so the reports show something at once.

    The last working day keeps two walk-ins `pending`: the front desk has not closed them yet.
    Written through the store like any booking, without messages to anyone.
    """
    rng = random.Random(seed)
    zone = SETTINGS.zone
    today = now.astimezone(zone).date()
    days = [today - timedelta(days=back) for back in range(HISTORY_DAYS, 0, -1)]
    days = [day for day in days if day.weekday() != 6]
    made = 0
    for day in days:
        hours = rng.sample([9, 10, 11, 13, 14, 15, 16], k=rng.randint(1, 3) if day != days[-1] else 3)
        for hour in hours:
            staff = rng.choice(STAFF)
            service = rng.choice([s for s in SERVICES if staff.performs(s) and not s.requires_payment])
            start = wall_instant(day, hour * 60, zone)
            slot = Slot(start, start + timedelta(minutes=service.duration))
            booked_at = start - timedelta(hours=rng.randint(2, 240))
            index = rng.randrange(len(CUSTOMERS))
            customer_id = f"demo-customer-{index}"
            booked = Appointment.arrange(customer_id, CUSTOMERS[index], service, staff, slot, SETTINGS, booked_at)
            closed_at = slot.end + timedelta(minutes=5)
            if day == days[-1] and hour in hours[:2]:
                final = booked
            else:
                final = rng.choices(
                    [
                        booked.complete(closed_at),
                        booked.mark_no_show(closed_at, SETTINGS),
                        booked.cancel(FRONT_DESK, "Customer called", booked_at + timedelta(hours=1), SETTINGS),
                    ],
                    weights=[80, 8, 12],
                )[0]
            store.changes.write(None, final, Change.of("import", FRONT_DESK, None, final))
            made += 1
    return made + len(missed_twice(store, now))


REPEAT_NO_SHOW = CustomerInfo("Lin Xue", "+8613800138199")  # the README signs in as her: `_sign_in customer "Lin Xue"`


def missed_twice(store: Store, now: datetime) -> list[Appointment]:
    """A customer who booked two haircuts in the last weeks, paid a 20% deposit for each and came to neither: each
    deposit kept by the no-show fee (the README's deposits walk-through asks her for one, and says why)."""
    zone = SETTINGS.zone
    customer_id = tokens.stable_id(Role.CUSTOMER.value, Role.CUSTOMER.value, REPEAT_NO_SHOW.name)
    cut, li = next(s for s in SERVICES if s.id == "svc-cut"), STAFF[0]
    made = []
    for back in (9, 23):
        day = (now - timedelta(days=back)).astimezone(zone).date()
        day -= timedelta(days=int(day.weekday() == 6))  # Li Na works Monday to Saturday
        start = wall_instant(day, 11 * 60 + 30, zone)
        slot, booked_at = Slot(start, start + timedelta(minutes=cut.duration)), start - timedelta(days=3)
        booked = Appointment.book(customer_id, REPEAT_NO_SHOW, cut, li, slot, SETTINGS, booked_at)
        deposit = Terms(cut.price.share(20).minor, Reason.DEPOSIT)
        paid = heard(booked.asking(deposit, SETTINGS, booked_at), PaymentNews(captured=deposit.due), booked_at)
        missed = paid.mark_no_show(slot.end + timedelta(minutes=20), SETTINGS)
        store.changes.write(None, missed, Change.of("import", FRONT_DESK, None, missed))
        made.append(missed)
    return made
