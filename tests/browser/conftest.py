"""The staff console in headless Chromium (Debian's package, driven by Playwright) against a local stack of its own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright

from tests.conftest import artifacts
from tests.e2e.conftest import Stack, running_stack
from tests.e2e.http import call, sign_in

CHROMIUM = Path("/usr/bin/chromium")  # `make browser` installs it; Playwright's own browser download is never used
FLAGS = [
    "--headless",
    "--no-sandbox",  # we run as root
    "--disable-gpu",
    "--disable-background-networking",  # the machine's network is closed: no calls home at start
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
TABLET: ViewportSize = {"width": 1024, "height": 768}
WEEKLY = {day: [{"start": "09:00", "end": "18:00"}] for day in ("mon", "tue", "wed", "thu", "fri", "sat")}

expect.set_options(timeout=15_000)


@dataclass(frozen=True)
class FrontDesk:
    """The stack, its business's today, and the two appointments of today the tests act on (both with Li Na)."""

    stack: Stack
    staff_token: str
    today: str
    haircut: dict[str, Any]  # 19:00-19:45, pending
    consultation: dict[str, Any]  # 20:00-20:30, pending

    @property
    def console(self) -> str:
        return f"{self.stack.url}/console"


def arrange(stack: Stack, token: str, name: str, phone: str, service: str, at: str) -> dict[str, Any]:
    body = {"customerInfo": {"name": name, "phone": phone}, "staffId": "staff-li", "serviceId": service}
    status, answer = call(stack.url, "POST", "/appointments", {**body, "scheduledAt": at, "notes": ""}, token)
    assert status == 201, answer
    return dict(answer["appointment"])


@pytest.fixture(scope="module")
def front_desk() -> Iterator[FrontDesk]:
    # No scheduled jobs after the first pass: today's appointments may be past (CI runs at any hour),
    # and the no-show job would otherwise close a confirmed one under the test's feet.
    with running_stack("browser_stack.log", {"SWEEP_SECONDS": "3600"}) as stack:
        token = sign_in(stack.url, "staff", "Browser Tests")
        status, report = call(stack.url, "GET", "/appointments/analytics/bookings?period=7d", token=token)
        assert status == 200, report
        today = report["metrics"]["daily"][-1]["date"]  # the business's today, in its own time zone
        hours = {"weekly": WEEKLY, "breaks": [], "overrides": {today: [{"start": "09:00", "end": "22:00"}]}}
        status, answer = call(
            stack.url, "PUT", "/appointments/staff/staff-li/availability", {"availability": hours}, token
        )
        assert status == 200, answer  # Li Na works until 22:00 today, even on a Sunday
        # Staff may book up to 12 hours back: from 12:00 on, a time of today is bookable at any hour of the day.
        haircut = arrange(stack, token, "Zhou Xun", "13700137001", "svc-cut", f"{today}T19:00:00")
        consultation = arrange(stack, token, "Qian Bo", "13700137002", "svc-consult", f"{today}T20:00:00")
        yield FrontDesk(stack, token, today, haircut, consultation)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is not installed: run `make browser` (Debian's chromium package)")
    with sync_playwright() as playwright:
        # launch() starts Chromium with a fresh, empty user data dir of its own, removed at close
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A new tab in a new context (empty sessionStorage and localStorage), tablet-sized, in English."""
    context = browser.new_context(viewport=TABLET, locale="en-US")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], f"JavaScript errors in the page: {errors}"


def signed_in(page: Page, desk: FrontDesk, screen: str = "") -> Page:
    """The console opened and signed in through the local stage's button, on `screen` (a #/ route)."""
    page.goto(desk.console)
    page.get_by_role("button", name=re.compile("Sign in as Front Desk")).click()
    expect(page.locator("[data-screen=day]")).to_be_visible()
    if screen:
        page.goto(f"{desk.console}#/{screen}")
    return page


def signed_in_with(page: Page, desk: FrontDesk, token: str) -> Page:
    """The console signed in with a token pasted in (an owner's: the local stage's button signs in the front desk)."""
    page.goto(desk.console)
    page.locator("[data-form=token] textarea").fill(token)
    page.locator("[data-form=token] button[type=submit]").click()
    expect(page.locator("[data-screen=day]")).to_be_visible()
    return page


def shot(page: Page, name: str, full_page: bool = False) -> None:
    shots = artifacts() / "browser"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=full_page)
