"""What each notice says, in zh-CN or en, always with the business's own time zone."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.notices import Kind, offset_minutes

_TEXT = {
    "en": {
        Kind.CONFIRMATION: ("Booking confirmed", "Your {service} with {staff} is confirmed for {when} ({zone})."),
        Kind.REMINDER: ("Appointment reminder", "Reminder: {service} with {staff} at {when} ({zone}), in {offset}."),
        Kind.CANCELLATION: ("Booking cancelled", "Your {service} on {when} ({zone}) is cancelled.{reason}"),
        Kind.RESCHEDULE: ("Booking moved", "Your {service} with {staff} is now on {when} ({zone})."),
        Kind.NO_SHOW: ("No-show", "{customer} did not come to {service} with {staff} at {when} ({zone})."),
        Kind.OFFER: (
            "A time you waited for is free",
            "{service} with {staff} at {when} ({zone}) is held for you until {until}. Book it in the app.",
        ),
    },
    "zh-CN": {
        Kind.CONFIRMATION: ("预约成功", "您预约的{service}（{staff}）已确认：{when}（{zone}）。"),
        Kind.REMINDER: ("预约提醒", "提醒：您预约的{service}（{staff}）将于{when}（{zone}）开始，还有{offset}。"),
        Kind.CANCELLATION: ("预约已取消", "您在{when}（{zone}）的{service}预约已取消。{reason}"),
        Kind.RESCHEDULE: ("预约已改期", "您预约的{service}（{staff}）已改至{when}（{zone}）。"),
        Kind.NO_SHOW: ("爽约", "{customer}未到店：{service}（{staff}），{when}（{zone}）。"),
        Kind.OFFER: ("候补时段已空出", "{service}（{staff}）{when}（{zone}）已为您保留至{until}，请在小程序中预约。"),
    },
}


# A message says only what the business wrote and what the appointment is: a customer's own words (a cancel
# reason, notes, a name with a link in it) never go out as the business's text to someone else.
_REASONS = {
    "en": {"hold_expired": "The payment was not completed in time."},
    "zh-CN": {"hold_expired": "未在规定时间内完成付款。"},
}


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    when: str  # local time with offset, for push templates


def _offset_words(offset: str, locale: str) -> str:
    minutes = offset_minutes(offset)
    hours, rest = divmod(minutes, 60)
    if locale == "en":
        return f"{hours} h" if not rest else f"{minutes} min"
    return f"{hours}小时" if not rest else f"{minutes}分钟"


def render(kind: Kind, appointment: Appointment, locale: str, offset: str = "") -> Message:
    language = locale if locale in _TEXT else "zh-CN"
    subject, body = _TEXT[language][kind]
    start = appointment.local_start
    reason = _REASONS[language].get(appointment.cancelled_reason, "")
    why = f" {reason}" if reason and language == "en" else reason
    text = body.format(
        service=appointment.service_name,
        staff=appointment.staff_name,
        customer=appointment.customer.name,
        when=f"{start:%Y-%m-%d %H:%M}",
        zone=f"{appointment.timezone}, UTC{start:%z}",
        offset=_offset_words(offset, language) if offset else "",
        reason=why,
        until=f"{appointment.hold_expires_at.astimezone(start.tzinfo):%H:%M}" if appointment.hold_expires_at else "",
    )
    return Message(subject, text, start.isoformat())
