"""Deadlines in requester text, resolved to a timestamp relative to ``now`` when possible.

Understands "by 2pm today", "tomorrow 9am", "before 17:00", "by Friday", "before tomorrow's board
meeting at 9am", "tomorrow morning", "end of day" / EOD / COB, "end of the week / month / quarter /
year", "within 2 hours", "within the hour", "in an hour", "in 20 mins", "starts Monday", "next
Wednesday", and a bare "deadline" (a signal without a time; "no deadline" is none). A day without a
time means the configured end-of-day hour; a time without a day means today. Times without am/pm
from 1 to 7 are read as afternoon.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from middleware.enrichment.text import Cue, Finder

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY = r"today|tonight|tomorrow|" + "|".join(WEEKDAYS)
TIME = (r"\d{1,2}(?::\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d{2}|noon|midday|midnight"
        r"|\d{1,2}(?=\s+(?:today|tonight|tomorrow))")
PERIOD = (r"end of (?:the )?(?:business )?(?:day|week|month|quarter|year)|end of business|close of business"
          r"|eod|eow|eom|eoq|eoy|cob|eob")
PART = r"morning|lunchtime|afternoon|evening"
PHRASES = Finder(
    rf"(?:by|before|until|due|no later than)\s+(?:(?:the\s+)?(?P<p1>{PERIOD})"
    rf"|(?P<t1>{TIME})(?:\s+(?:on\s+)?(?P<d1>{DAY}))?"
    rf"|(?:this\s+|next\s+)?(?P<d2>{DAY})(?:\s+(?:at\s+|by\s+)?(?P<t2>{TIME}))?(?:\s+(?P<r1>{PART}))?"
    rf"(?:'s(?:(?:\s+\w+){{1,2}}?\s+at\s+(?P<t5>{TIME}))?)?)"
    rf"|(?P<d3>today|tonight|tomorrow)(?:\s+(?:at\s+|by\s+)?(?P<t3>{TIME})|\s+(?P<r2>{PART}))"
    rf"|(?P<t4>{TIME})\s+(?P<d4>today|tonight|tomorrow)"
    rf"|(?P<p2>{PERIOD})"
    r"|(?:within|in the next)\s+(?P<n>\d+|an?|one|two|three)\s+(?P<unit>minutes?|mins?|hours?|hrs?|days?)"
    r"|(?:within|in)(?<!times in)(?<!twice in)\s+(?P<n2>the|an?|one|two|three|\d+)"
    r"\s+(?P<unit2>hours?|hrs?|minutes?|mins?)"
    rf"|(?:starts?|starting|leaves?|leaving|arrives?|arriving)\s+(?:on\s+)?(?:this\s+|next\s+)?(?P<d6>{DAY})"
    rf"|(?:this|next)\s+(?P<d7>{'|'.join(WEEKDAYS)})"
    r"|(?<!no )(?P<bare>deadlines?)")
PART_HOURS = {"morning": 9, "lunchtime": 12, "afternoon": 14, "evening": 18}
SMALL_NUMBERS = {"the": 1, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3}


@dataclass(frozen=True)
class Deadline:
    """A deadline phrase and, when it could be resolved, when it falls due."""

    cue: Cue
    due: datetime | None


def find(text: str, lowered: str, field: str, now: datetime, end_of_day: int) -> list[Deadline]:
    """Every deadline phrase in one text."""
    found = []
    for m in PHRASES.finditer(lowered):
        cue = Cue("deadline", text[m.start():m.end()], m.start(), m.end(), field)
        found.append(Deadline(cue, resolve(m.groupdict(), now, end_of_day)))
    return found


def _first(groups: dict, *names: str) -> str | None:
    return next((groups[n] for n in names if groups[n]), None)


def resolve(groups: dict, now: datetime, end_of_day: int) -> datetime | None:
    """The due timestamp of one match, or None for a bare 'deadline'."""
    if groups["bare"]:
        return None
    if groups["unit"] or groups["unit2"]:
        return _relative(groups["n"] or groups["n2"], groups["unit"] or groups["unit2"], now)
    period = _first(groups, "p1", "p2")
    if period:
        return _period_end(period, now, end_of_day)
    day = _day(_first(groups, "d1", "d2", "d3", "d4", "d6", "d7"), now)
    clock = _clock(_first(groups, "t1", "t2", "t3", "t4", "t5"))
    part = _first(groups, "r1", "r2")
    if clock is None:
        clock = (PART_HOURS[part], 0) if part else (end_of_day, 0)
    return datetime.combine(day, datetime.min.time(), now.tzinfo).replace(hour=clock[0], minute=clock[1])


def _relative(count: str, unit: str, now: datetime) -> datetime:
    n = SMALL_NUMBERS.get(count) or int(count)
    key = "minutes" if unit.startswith("m") else "days" if unit.startswith("d") else "hours"
    return (now + timedelta(**{key: n})).replace(second=0, microsecond=0)


def _day(name: str | None, now: datetime) -> date:
    today = now.date()
    if name is None or name in ("today", "tonight"):
        return today
    if name == "tomorrow":
        return today + timedelta(days=1)
    return today + timedelta(days=(WEEKDAYS.index(name) - today.weekday()) % 7)


def _clock(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    if value in ("noon", "midday"):
        return 12, 0
    if value == "midnight":
        return 23, 59
    digits = re.match(r"(\d{1,2})(?::(\d{2}))?", value)
    hour, minute = int(digits.group(1)) % 24, int(digits.group(2) or 0)
    if "p" in value and hour < 12 or ("a" not in value and "p" not in value and 1 <= hour <= 7):
        hour += 12
    if "a" in value and hour == 12:
        hour = 0
    return hour, min(minute, 59)


def _period_end(period: str, now: datetime, end_of_day: int) -> datetime:
    today = now.date()
    if "week" in period or period == "eow":
        day = today + timedelta(days=(4 - today.weekday()) % 7)
    elif "month" in period or period == "eom":
        day = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    elif "quarter" in period or period == "eoq":
        month = (today.month - 1) // 3 * 3 + 3
        day = date(today.year, month, calendar.monthrange(today.year, month)[1])
    elif "year" in period or period == "eoy":
        day = date(today.year, 12, 31)
    else:
        day = today
    return datetime.combine(day, datetime.min.time(), now.tzinfo).replace(hour=end_of_day)
