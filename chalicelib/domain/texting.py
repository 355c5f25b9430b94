"""Who the business may text, and how often: SMS costs the business money, so it is never a weapon.

A text goes only to a mobile number of a country the business allows (its own unless it says more),
and each number and each customer get at most so many texts a day on the business's calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import phonenumbers
from phonenumbers import PhoneNumberType

from chalicelib.domain.catalogue import BusinessSettings
from chalicelib.domain.errors import InvalidInput, TooManyTexts

CAPPED_CHANNELS = frozenset({"sms", "email"})  # they cost the business or can harass: counted per day

# Numbers that can be a mobile: some countries (the US, Canada) do not tell mobiles from landlines by number.
_MOBILE = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})


def _parsed(phone: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def is_mobile(phone: str) -> bool:
    number = _parsed(phone)
    return number is not None and phonenumbers.number_type(number) in _MOBILE


def sms_countries(settings: BusinessSettings) -> tuple[str, ...]:
    return settings.sms_countries or (settings.country,)


def textable(phone: str, settings: BusinessSettings) -> bool:
    """A mobile number (E.164) in one of the countries the business texts."""
    number = _parsed(phone)
    return (
        number is not None
        and phonenumbers.number_type(number) in _MOBILE
        and phonenumbers.region_code_for_number(number) in sms_countries(settings)
    )


def check_country(code: str, field: str) -> str:
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise InvalidInput(f"{code!r} is not a country code such as CN or US.", {field: "unknown country"})
    return code


def check_business_phone(phone: str) -> None:
    """The business's own alerts are texts: the number they go to must be a mobile."""
    if phone and not is_mobile(phone):
        raise InvalidInput(
            "alertPhone must be a mobile number (the business's alerts are sent to it by SMS).",
            {"alertPhone": "not a mobile number"},
        )


@dataclass(frozen=True)
class TextQuota:
    """Today's texts to one number and to one customer, against the business's caps."""

    day: date
    per_number: int
    per_customer: int

    @classmethod
    def of(cls, settings: BusinessSettings, now: datetime) -> TextQuota:
        return cls(settings.today(now), settings.texts_per_number_per_day, settings.texts_per_customer_per_day)

    def ensure_room(self, to_number: int, to_customer: int, settings: BusinessSettings, now: datetime) -> None:
        if to_number >= self.per_number or to_customer >= self.per_customer:
            midnight = datetime.combine(self.day + timedelta(days=1), time(), settings.zone)
            raise TooManyTexts(
                "This appointment's customer has had as many texts today as the business allows; try again tomorrow.",
                retry_after=max(int((midnight - now).total_seconds()), 1),
            )
