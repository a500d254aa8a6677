"""Durations as ops write them in policy files: `30s`, `15m`, `4h`, `2d` (or combined, `1h30m`)."""

from __future__ import annotations

import re
from datetime import timedelta

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PART = re.compile(r"(\d+)([smhd])")
_WHOLE = re.compile(r"(?:\d+[smhd])+")


def parse_duration(text: object) -> timedelta:
    """Read a duration longer than zero; raise ValueError with a message fit for a policy error."""
    seconds = _seconds(text)
    if seconds <= 0:
        raise ValueError(f"expected a duration longer than zero, got {text!r}")
    return timedelta(seconds=seconds)


def parse_offset(text: str) -> timedelta:
    """Read a time offset such as `+45m`, `-1h`, `2h` or `0s` (a bare duration counts forward)."""
    text = str(text).strip()
    sign = -1 if text.startswith("-") else 1
    return sign * timedelta(seconds=_seconds(text.lstrip("+-")))


def _seconds(text: object) -> int:
    if not isinstance(text, str) or not _WHOLE.fullmatch(text.strip()):
        raise ValueError(f"expected a duration such as 30s, 15m, 4h or 2d, got {text!r}")
    return sum(int(n) * UNITS[unit] for n, unit in _PART.findall(text.strip()))


def format_duration(delta: timedelta) -> str:
    """The shortest policy-style spelling of a duration (`1h30m`)."""
    seconds = int(delta.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"
