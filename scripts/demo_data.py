"""The demo business `make run` loads: a hair studio in Shanghai with three staff and four services."""

from __future__ import annotations

from chalicelib.domain.catalogue import BusinessSettings, Service, StaffMember
from chalicelib.domain.hours import WorkingHours
from chalicelib.domain.money import Money
from chalicelib.store.repository import Store

SETTINGS = BusinessSettings(name="Lotus Hair Studio", timezone="Asia/Shanghai", business_phone="+862155550100")

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
    store.save_catalogue(SETTINGS, SERVICES, STAFF)
