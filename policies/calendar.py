"""Business hours: which moments count towards an SLA target.

A calendar is a time zone, the working days, the working hours of each working day and a list of
holidays. `between` measures business time between two moments; `add` finds the moment a given
amount of business time after another. Times are aware datetimes; the calendar's own zone (read
with `zoneinfo`) decides where a working day starts, so daylight-saving changes are handled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_DAYS = 3660


@dataclass(frozen=True)
class Calendar:
    """Working time; the default calendar counts every minute of every day."""

    timezone: str = "UTC"
    days: frozenset[int] = frozenset(range(7))
    start_minute: int = 0
    end_minute: int = 24 * 60
    holidays: frozenset[date] = field(default_factory=frozenset)

    @property
    def always(self) -> bool:
        return (len(self.days) == 7 and not self.holidays and self.start_minute == 0
                and self.end_minute == 24 * 60)

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The working hours of a local calendar day, in UTC, or None on a day off."""
        if day.weekday() not in self.days or day in self.holidays:
            return None
        midnight = datetime.combine(day, time(0), ZoneInfo(self.timezone))
        start = midnight + timedelta(minutes=self.start_minute)
        end = midnight + timedelta(minutes=self.end_minute)
        return start.astimezone(UTC), end.astimezone(UTC)

    def between(self, start: datetime, end: datetime) -> float:
        """Business seconds from `start` to `end` (zero when `end` is not later)."""
        if end <= start:
            return 0.0
        if self.always:
            return (end - start).total_seconds()
        total = 0.0
        for low, high in self._windows(start):
            if low >= end:
                break
            total += max(0.0, (min(high, end) - max(low, start)).total_seconds())
        return total

    def add(self, start: datetime, seconds: float) -> datetime:
        """The moment `seconds` of business time after `start`."""
        if self.always or seconds <= 0:
            return start + timedelta(seconds=max(seconds, 0))
        left = seconds
        for low, high in self._windows(start):
            begin = max(low, start)
            span = (high - begin).total_seconds()
            if span >= left:
                return begin + timedelta(seconds=left)
            left -= max(span, 0.0)
        raise ValueError("the calendar has no working time in the next ten years")

    def _windows(self, start: datetime):  # noqa: ANN202 - a generator of (low, high) pairs
        day = start.astimezone(ZoneInfo(self.timezone)).date() - timedelta(days=1)
        for offset in range(MAX_DAYS):
            window = self.window(day + timedelta(days=offset))
            if window and window[1] > start:
                yield window


def parse_clock(text: str) -> int:
    """Minutes after midnight for `HH:MM` (`24:00` is the end of the day)."""
    hours, _, minutes = str(text).partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(f"expected a time of day as HH:MM, got {text!r}")
    value = int(hours) * 60 + int(minutes)
    if int(minutes) >= 60 or value > 24 * 60:
        raise ValueError(f"expected a time of day between 00:00 and 24:00, got {text!r}")
    return value
