"""Every route states who may call it, and the wrong caller is refused."""

from __future__ import annotations

from app import app
from chalicelib.api.http import ADMINS, CUSTOMERS, PUBLIC, SIGNED_IN, STAFF
from chalicelib.domain.actor import Role
from tests.conftest import working_day
from tests.integration.conftest import Api, booking, token_for

EXPECTED = {
    ("/auth/wechat", "POST"): PUBLIC,
    ("/auth/dev-login", "POST"): PUBLIC,
    ("/openapi.json", "GET"): PUBLIC,
    ("/mcp", "POST"): PUBLIC,  # its tools state their roles (tests/integration/test_mcp_route.py)
    ("/mcp", "GET"): PUBLIC,
    ("/mcp", "DELETE"): PUBLIC,
    ("/console", "GET"): PUBLIC,
    ("/console/{asset}", "GET"): PUBLIC,
    ("/appointments/services", "GET"): PUBLIC,
    ("/appointments/policy", "GET"): PUBLIC,
    ("/appointments/services/{service_id}/staff", "GET"): PUBLIC,
    ("/appointments/availability/dates", "GET"): PUBLIC,
    ("/appointments/availability/slots", "GET"): PUBLIC,
    ("/appointments/book", "POST"): CUSTOMERS,
    ("/appointments/hold", "POST"): CUSTOMERS,
    ("/appointments/{appointment_id}/book", "POST"): CUSTOMERS,
    ("/appointments/payment", "POST"): CUSTOMERS,
    ("/payments/stripe/webhook", "POST"): PUBLIC,
    ("/dev/payments/{appointment_id}/pay", "POST"): SIGNED_IN,
    ("/appointments/mine", "GET"): SIGNED_IN,
    ("/appointments/{appointment_id}", "GET"): SIGNED_IN,
    ("/appointments/{appointment_id}/cancel", "PUT"): SIGNED_IN,
    ("/appointments/{appointment_id}/reschedule", "PUT"): SIGNED_IN,
    ("/appointments/{appointment_id}/calendar.ics", "GET"): SIGNED_IN,
    ("/appointments/{appointment_id}/confirm", "PUT"): STAFF,
    ("/appointments/{appointment_id}/complete", "PUT"): STAFF,
    ("/appointments/{appointment_id}/no-show", "PUT"): STAFF,
    ("/appointments/{appointment_id}/waive-fee", "POST"): STAFF,
    ("/appointments/{appointment_id}/accept", "POST"): CUSTOMERS,
    ("/waitlist", "POST"): CUSTOMERS,
    ("/waitlist", "GET"): STAFF,
    ("/waitlist/mine", "GET"): CUSTOMERS,
    ("/waitlist/{entry_id}", "DELETE"): SIGNED_IN,
    ("/webhooks", "POST"): ADMINS,
    ("/webhooks", "GET"): ADMINS,
    ("/webhooks/{subscription_id}", "GET"): ADMINS,
    ("/webhooks/{subscription_id}", "PATCH"): ADMINS,
    ("/webhooks/{subscription_id}", "DELETE"): ADMINS,
    ("/webhooks/{subscription_id}/rotate", "POST"): ADMINS,
    ("/webhooks/{subscription_id}/deliveries", "GET"): ADMINS,
    ("/webhooks/{subscription_id}/deliveries/{delivery_id}/replay", "POST"): ADMINS,
    ("/appointments/{appointment_id}/history", "GET"): STAFF,
    ("/appointments/staff/{staff_id}/schedule", "GET"): STAFF,
    ("/appointments/staff/{staff_id}/availability", "GET"): STAFF,
    ("/appointments/staff/{staff_id}/availability", "PUT"): STAFF,
    ("/appointments/schedule/block", "POST"): STAFF,
    ("/appointments/schedule/unblock/{block_id}", "DELETE"): STAFF,
    ("/appointments/schedule/conflicts", "GET"): STAFF,
    ("/appointments/schedule/overview", "GET"): STAFF,
    ("/appointments", "POST"): STAFF,
    ("/appointments", "GET"): STAFF,
    ("/customers/{customer_id}", "GET"): SIGNED_IN,
    ("/customers", "GET"): STAFF,
    ("/customers/{customer_id}/notification-preferences", "GET"): SIGNED_IN,
    ("/customers/{customer_id}/notification-preferences", "PUT"): SIGNED_IN,
    ("/appointments/{appointment_id}/notifications/confirmation", "POST"): SIGNED_IN,
    ("/appointments/{appointment_id}/notifications/reminder", "POST"): SIGNED_IN,
    ("/appointments/{appointment_id}/notifications/cancellation", "POST"): SIGNED_IN,
    ("/appointments/{appointment_id}/notifications/reschedule", "POST"): SIGNED_IN,
    ("/appointments/{appointment_id}/reminders/schedule", "POST"): SIGNED_IN,
    ("/dashboard", "GET"): STAFF,
    ("/appointments/analytics/bookings", "GET"): STAFF,
    ("/appointments/analytics/services", "GET"): STAFF,
    ("/appointments/analytics/staff", "GET"): STAFF,
    ("/appointments/analytics/revenue", "GET"): STAFF,
    ("/appointments/analytics/customers", "GET"): STAFF,
    ("/admin/settings", "GET"): ADMINS,
    ("/admin/settings", "PUT"): ADMINS,
    ("/admin/services", "POST"): ADMINS,
    ("/admin/services/{service_id}", "PUT"): ADMINS,
    ("/admin/services/{service_id}", "DELETE"): ADMINS,
    ("/admin/staff", "GET"): ADMINS,
    ("/admin/staff", "POST"): ADMINS,
    ("/admin/staff/{staff_id}", "PUT"): ADMINS,
    ("/admin/staff/{staff_id}", "DELETE"): ADMINS,
    ("/admin/resources", "GET"): STAFF,
    ("/admin/resources", "POST"): ADMINS,
    ("/admin/resources/{resource_id}", "PUT"): ADMINS,
    ("/admin/resources/{resource_id}", "DELETE"): ADMINS,
    ("/admin/closures", "GET"): ADMINS,
    ("/admin/closures", "POST"): ADMINS,
    ("/admin/closures/{day}", "DELETE"): ADMINS,
    ("/locations", "GET"): PUBLIC,
    ("/admin/locations", "POST"): ADMINS,
    ("/admin/locations/{location_id}", "PUT"): ADMINS,
    ("/admin/locations/{location_id}", "DELETE"): ADMINS,
}


def concrete_path(path: str) -> str:
    for name in ("appointment_id", "staff_id", "block_id", "customer_id", "service_id", "location_id"):
        path = path.replace("{" + name + "}", "x")
    return path


def test_every_route_declares_who_may_call_it() -> None:
    declared = {
        (path, method): vars(entry.view_function)["allow"]
        for path, methods in app.routes.items()
        for method, entry in methods.items()
    }
    assert declared == EXPECTED


def test_only_customers_book_and_the_others_are_told_why(api: Api) -> None:
    assert api.post("/appointments/book", booking()).status == 401
    for role in (Role.STAFF, Role.ADMIN):
        answer = api.post("/appointments/book", booking(), token_for(role, "Someone"))
        assert answer.status == 403 and answer.body["error"]["code"] == "FORBIDDEN"
    assert api.post("/appointments/book", booking(), token_for(Role.CUSTOMER, "Carol")).status == 201


def test_signed_in_routes_refuse_anonymous_callers(api: Api) -> None:
    for (path, method), allowed in EXPECTED.items():
        if allowed is PUBLIC:
            continue
        concrete = (
            path.replace("{appointment_id}", "any")
            .replace("{staff_id}", "x")
            .replace("{block_id}", "x")
            .replace("{customer_id}", "x")
        )
        answer = api.call(method, concrete, body={})
        assert answer.status == 401, (path, method)


def test_staff_and_admin_routes_refuse_customers(api: Api) -> None:
    customer = token_for(Role.CUSTOMER, "Carol")
    for (path, method), allowed in EXPECTED.items():
        if allowed in (STAFF, ADMINS):
            concrete = (
                path.replace("{appointment_id}", "any")
                .replace("{staff_id}", "x")
                .replace("{block_id}", "x")
                .replace("{customer_id}", "x")
            )
            answer = api.call(method, concrete, body={}, token=customer)
            assert answer.status == 403, (path, method)


def test_admin_routes_refuse_staff(api: Api) -> None:
    staff = token_for(Role.STAFF, "Desk")
    for (path, method), allowed in EXPECTED.items():
        if allowed is ADMINS:
            assert api.call(method, concrete_path(path), body={}, token=staff).status == 403, (path, method)


def test_admins_pass_every_staff_route_and_customers_pass_every_signed_in_one(api: Api) -> None:
    admin, customer = token_for(Role.ADMIN, "Owner"), token_for(Role.CUSTOMER, "Carol")
    for (path, method), allowed in EXPECTED.items():
        callers = {STAFF: [admin], SIGNED_IN: [customer, admin]}.get(allowed, [])
        for token in callers:  # the guard lets them in: whatever follows (404 for a made-up id) is not 401/403
            answer = api.call(method, concrete_path(path), body={}, token=token)
            assert answer.status not in (401, 403, 500), (path, method, answer.status, answer.body)


LATER = working_day(6).isoformat()
VALID_BODIES = {
    "/appointments/{appointment_id}/cancel": {"reason": "Not me"},
    "/appointments/{appointment_id}/reschedule": {"date": LATER, "timeSlot": "10:00"},
    "/appointments/{appointment_id}/notifications/reminder": {"type": "24h"},
    "/appointments/{appointment_id}/notifications/cancellation": {"reason": "Not me"},
    "/appointments/{appointment_id}/notifications/reschedule": {"newDateTime": f"{LATER}T10:00:00+08:00"},
    "/appointments/{appointment_id}/reminders/schedule": {"reminderTimes": ["24h"]},
    "/customers/{customer_id}/notification-preferences": {"preferences": {"sms": False}},
    "/dev/payments/{appointment_id}/pay": {"outcome": "succeed"},
}


def test_another_customer_is_refused_every_route_that_names_a_customers_things(api: Api, alice: str, bob: str) -> None:
    booked = api.post("/appointments/book", booking(), alice).body["appointment"]
    ids = {"{appointment_id}": booked["id"], "{customer_id}": booked["customerId"]}
    before = api.get(f"/appointments/{booked['id']}", alice).body
    prefs_before = api.get("/customers/me/notification-preferences", alice).body
    tried = 0
    for (path, method), allowed in EXPECTED.items():
        if allowed is not SIGNED_IN or not any(key in path for key in ids):
            continue
        concrete = path
        for key, value in ids.items():
            concrete = concrete.replace(key, value)
        answer = api.call(method, concrete, body=VALID_BODIES.get(path, {}), token=bob)
        assert answer.status in (403, 404), (path, method, answer.status, answer.body)
        tried += 1
    assert tried >= 10
    assert api.get(f"/appointments/{booked['id']}", alice).body == before  # nothing changed for Alice
    assert api.get("/customers/me/notification-preferences", alice).body == prefs_before
