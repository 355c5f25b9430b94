"""The admin's request and answer bodies (settings, services, staff, resources, closures), for `GET /openapi.json`."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from chalicelib.api.docs import DATE
from chalicelib.api.schemas.appointments import Appointment
from chalicelib.api.schemas.base import Done, Model, Strict
from chalicelib.api.schemas.catalogue import DepositRule, Resource, Service, StaffMember
from chalicelib.domain.assignment import Policy
from chalicelib.domain.deposits import DepositPolicy


class Settings(Model):
    name: str
    timezone: str
    slotInterval: int
    bufferBefore: int
    bufferAfter: int
    minNoticeMinutes: int
    maxDaysAhead: int
    cancelCutoffHours: int
    holdMinutes: int
    maxUnpaidHolds: int
    maxUpcoming: int
    noShowGraceMinutes: int
    lateCancelHours: int = Field(description="A customer's cancellation this close to the start is late (0 to 168).")
    lateCancelFeePercent: int = Field(
        description="Of the price, kept from what was paid on a late cancellation; the rest is refunded."
    )
    noShowFeePercent: int = Field(description="Of the price, kept from what was paid on a no-show.")
    feesOwed: bool = Field(
        description="A fee no payment covers (no deposit) is owed on the customer's profile and paid with their "
        "next booking."
    )
    depositPolicy: DepositPolicy = Field(
        description="Of whom a deposit is asked: nobody, everyone, new customers (no completed visit in a year), or "
        "customers with depositMisses no-shows or late cancellations in depositMonths months."
    )
    depositPercent: int = Field(description="The deposit of a service without one of its own: a percent of its price.")
    depositMisses: int = Field(description="missed-appointments: at least this many (1 to 20) ...")
    depositMonths: int = Field(description="... in this many months (1 to 24).")
    waitlistOfferMinutes: int = Field(
        description="How long freed time is held for the waiting customer it is offered to (5 to 1440)."
    )
    businessPhone: str
    alertPhone: str = Field(description="A mobile: the business's own alerts (no-shows) are texted to it.")
    currency: str
    country: str = Field(description="ISO 3166 code of where the business is, such as CN.")
    smsCountries: list[str] = Field(description="Whose mobile numbers get texts; empty: the business's country.")
    textsPerNumberPerDay: int = Field(description="At most this many texts a day to one number (1 to 50).")
    textsPerCustomerPerDay: int = Field(description="At most this many texts a day to one customer (1 to 50).")
    assignment: Policy = Field(
        description="Who takes a booking for any staff: the fewest minutes booked this week (calibrated for time "
        "off), by weights, by priority, or the customer's last staff member first."
    )


class SettingsAnswer(Model):
    settings: Settings


class SettingsSaved(Done):
    settings: Settings


class SettingsChange(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=500)
    timezone: str | None = Field(
        default=None, examples=["Asia/Shanghai"], description="Refused (409) while appointments are open."
    )
    slotInterval: int | None = None
    bufferBefore: int | None = None
    bufferAfter: int | None = None
    minNoticeMinutes: int | None = None
    maxDaysAhead: int | None = None
    cancelCutoffHours: int | None = None
    holdMinutes: int | None = None
    maxUnpaidHolds: int | None = None
    maxUpcoming: int | None = None
    noShowGraceMinutes: int | None = None
    lateCancelHours: int | None = None
    lateCancelFeePercent: int | None = None
    noShowFeePercent: int | None = None
    feesOwed: bool | None = None
    depositPolicy: DepositPolicy | None = None
    depositPercent: int | None = None
    depositMisses: int | None = None
    depositMonths: int | None = None
    waitlistOfferMinutes: int | None = None
    businessPhone: str | None = None
    alertPhone: str | None = Field(default=None, description="A mobile number, or empty for no SMS alerts.")
    currency: str | None = Field(
        default=None, description="Refused (409) while appointments are open; needs `prices` for every active service."
    )
    prices: dict[str, float] | None = Field(
        default=None, description="With a new currency: service id → price in major units of the new currency."
    )
    country: str | None = Field(default=None, examples=["CN"])
    smsCountries: list[str] | None = Field(default=None, examples=[["CN", "HK"]])
    textsPerNumberPerDay: int | None = None
    textsPerCustomerPerDay: int | None = None
    assignment: Policy | None = None


class SegmentRequest(Strict):
    minutes: int = Field(description="5 or more, in steps of 5")
    staffFree: bool = Field(default=False, description="While it processes: the staff member may take another client.")
    label: str = Field(default="", max_length=100)


class ServiceChange(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=500)
    description: str | None = None
    duration: int | None = Field(default=None, description="Minutes, in steps of 5, at most 720 (12 hours).")
    price: float | None = Field(default=None, description="Major units of the business's currency.")
    currency: str | None = None
    requiresPayment: bool | None = None
    category: str | None = None
    segments: list[SegmentRequest] | None = Field(
        default=None, description="Processing time: stretches adding up to the duration; null or [] for none."
    )
    bufferBefore: int | None = Field(default=None, description="The service's own; null: the business's.")
    bufferAfter: int | None = None
    needs: list[str] | None = Field(
        default=None,
        max_length=3,
        description="Resource types it needs one unit of each (an active unit of each must exist); [] for none.",
        examples=[["treatment room"]],
    )
    locationIds: list[str] | None = Field(default=None, description="Offered only at these locations; []: everywhere.")
    deposit: DepositRule | None = Field(
        default=None, description="Its own deposit (an amount or a percent), asked when the policy asks one."
    )


class NewService(ServiceChange):
    name: str = Field(min_length=1, max_length=500)
    duration: int
    price: float


class ServiceAnswer(Done):
    service: Service


class StaffChange(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=500)
    title: str | None = None
    avatarUrl: str | None = None
    serviceIds: list[str] | None = None
    weight: int | None = Field(
        default=None, ge=1, le=1000, description="Their share of any-staff bookings under the weighted policy (100)."
    )
    priority: int | None = Field(
        default=None,
        ge=1,
        le=5,
        description="1 to 5: any-staff bookings go to the highest first under the priority policy (3).",
    )
    locationId: str | None = Field(default=None, description='Their home location, where their hours are ("main").')
    elsewhere: dict[str, dict[str, Any] | None] | None = Field(
        default=None,
        description="Their hours at other locations, by location id (written as staff hours are); null drops one.",
    )


class NewStaff(StaffChange):
    name: str = Field(min_length=1, max_length=500)


class StaffWithServices(StaffMember):
    serviceIds: list[str]
    weight: int
    priority: int
    locationId: str = "main"
    elsewhere: dict[str, dict[str, Any]] = Field(default={}, description="Their hours at other locations.")


class StaffAnswer(Done):
    staff: StaffWithServices


class Roster(Model):
    staff: list[StaffWithServices]


class StaffRetired(Done):
    staff: StaffMember
    futureAppointments: list[Appointment]


class ResourceChange(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    type: str | None = Field(default=None, min_length=1, max_length=60, examples=["treatment room"])
    locationId: str | None = Field(default=None, description='Where it is ("main": the business\'s own).')


class NewResource(ResourceChange):
    name: str = Field(min_length=1, max_length=100, examples=["Room 2"])
    type: str = Field(min_length=1, max_length=60, examples=["treatment room"])


class Resources(Model):
    resources: list[Resource]


class ResourceAnswer(Done):
    resource: Resource


class ResourceRetired(Done):
    resource: Resource
    futureAppointments: list[Appointment] = Field(description="Open appointments still holding it: move them.")


class Closure(Model):
    date: str = Field(pattern=DATE)
    name: str


class Closures(Model):
    closures: list[Closure]


class NewClosures(Strict):
    dates: list[str] = Field(min_length=1, max_length=100, description="YYYY-MM-DD, today or later")
    name: str | None = Field(default=None, max_length=100, examples=["Spring Festival"])


class ClosuresAdded(Done):
    closures: list[Closure]
    openAppointments: list[Appointment] = Field(
        description="Open appointments on the closed days: cancel or move them (they are no longer offered)."
    )
