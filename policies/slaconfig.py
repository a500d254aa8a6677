"""The `sla` section of a policy: business calendar, targets per clock, and the ladder.

Targets are durations of business time by impact level and by priority, with an optional
default; the strictest that applies wins. When the helpdesk sends its own due time and
`helpdesk_due` is true (the default), the helpdesk's time wins. Ladder steps fire at a fraction
of the target (`50%` or `0.5`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from middleware.events import PRIORITIES
from policies.calendar import WEEKDAYS, Calendar, parse_clock
from policies.durations import parse_duration
from policies.fields import CLOCKS, IMPACT_LEVELS
from policies.model import Sla, Step, Targets
from policies.problems import Problems

SLA_KEYS = {"helpdesk_due", "calendar", "targets", "ladder"}
CALENDAR_KEYS = {"timezone", "days", "hours", "holidays"}
TARGET_KEYS = {"impact", "priority", "default"}
STEP_KEYS = {"name", "description", "at", "clocks", "when", "then"}


def load_sla(node: object, problems: Problems, parts: Callable) -> Sla:
    """The SLA settings; `parts` reads a step's `when` and `then` like a rule's."""
    if not problems.keys(node, "sla", SLA_KEYS):
        return Sla()
    helpdesk_due = node.get("helpdesk_due", True)
    if not isinstance(helpdesk_due, bool):
        problems.add("sla.helpdesk_due", f"expected true or false, got {helpdesk_due!r}")
    calendar = _calendar(node.get("calendar") or {}, problems)
    targets = _targets(node.get("targets") or {}, problems)
    ladder = _ladder(node.get("ladder") or [], problems, parts)
    return Sla(calendar, targets, ladder, helpdesk_due is not False)


def _calendar(node: object, problems: Problems) -> Calendar:
    if not problems.keys(node, "sla.calendar", CALENDAR_KEYS):
        return Calendar()
    zone = _timezone(node.get("timezone", "UTC"), problems)
    days = _days(node.get("days", list(WEEKDAYS)), problems)
    start, end = _hours(node.get("hours", ["00:00", "24:00"]), problems)
    holidays = _holidays(node.get("holidays", []), problems)
    return Calendar(zone, days, start, end, holidays)


def _timezone(value: object, problems: Problems) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        problems.add("sla.calendar.timezone", f"unknown time zone {value!r} (use an IANA name "
                                              "such as Europe/Berlin)")
        return "UTC"
    return str(value)


def _days(value: object, problems: Problems) -> frozenset[int]:
    if not isinstance(value, list) or not value or any(d not in WEEKDAYS for d in value):
        problems.add("sla.calendar.days", f"expected a non-empty list of {', '.join(WEEKDAYS)}")
        return frozenset(range(7))
    return frozenset(WEEKDAYS.index(d) for d in value)


def _hours(value: object, problems: Problems) -> tuple[int, int]:
    try:
        start, end = (parse_clock(v) for v in value)
    except (TypeError, ValueError) as exc:
        problems.add("sla.calendar.hours", f"expected [HH:MM, HH:MM] ({exc})")
        return 0, 24 * 60
    if start >= end:
        problems.add("sla.calendar.hours", "the working day must end after it starts")
        return 0, 24 * 60
    return start, end


def _holidays(value: object, problems: Problems) -> frozenset[date]:
    days = set()
    for index, item in enumerate(value if isinstance(value, list) else [value]):
        try:
            days.add(item if isinstance(item, date) else date.fromisoformat(str(item)))
        except ValueError:
            problems.add(f"sla.calendar.holidays[{index}]", f"expected YYYY-MM-DD, got {item!r}")
    return frozenset(days)


def _targets(node: object, problems: Problems) -> dict[str, Targets]:
    if not problems.keys(node, "sla.targets", set(CLOCKS)):
        return {}
    return {clock: _clock_targets(node[clock], f"sla.targets.{clock}", problems)
            for clock in CLOCKS if clock in node}


def _clock_targets(node: object, path: str, problems: Problems) -> Targets:
    if not problems.keys(node, path, TARGET_KEYS):
        return Targets()
    impact = _durations(node.get("impact") or {}, IMPACT_LEVELS, f"{path}.impact", problems)
    priority = _durations(node.get("priority") or {}, PRIORITIES, f"{path}.priority", problems)
    default = _seconds(node["default"], f"{path}.default", problems) if "default" in node else None
    return Targets(impact, priority, default)


def _durations(node: object, keys: tuple, path: str, problems: Problems) -> dict[str, float]:
    if not problems.keys(node, path, set(keys)):
        return {}
    found = {k: _seconds(v, f"{path}.{k}", problems) for k, v in node.items() if k in keys}
    return {k: v for k, v in found.items() if v is not None}


def _seconds(value: object, path: str, problems: Problems) -> float | None:
    try:
        return parse_duration(value).total_seconds()
    except ValueError as exc:
        problems.add(path, str(exc))
        return None


def _ladder(node: object, problems: Problems, parts: Callable) -> tuple[Step, ...]:
    if not isinstance(node, list):
        problems.add("sla.ladder", "expected a list of steps")
        return ()
    steps = [_step(item, f"sla.ladder[{i}]", problems, parts) for i, item in enumerate(node)]
    return tuple(s for s in steps if s)


def _step(node: object, path: str, problems: Problems, parts: Callable) -> Step | None:
    if not problems.keys(node, path, STEP_KEYS, required={"name", "at", "then"}):
        return None
    at = _fraction(node.get("at"), f"{path}.at", problems)
    clocks = node.get("clocks", list(CLOCKS))
    if not isinstance(clocks, list) or not clocks or any(c not in CLOCKS for c in clocks):
        problems.add(f"{path}.clocks", f"expected a list of {', '.join(CLOCKS)}")
        clocks = list(CLOCKS)
    when, then = parts(node, path)
    return Step(str(node.get("name")), str(node.get("description", "")), at or 1.0,
                tuple(clocks), when, then)


def _fraction(value: object, path: str, problems: Problems) -> float | None:
    text = str(value).strip()
    try:
        fraction = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        fraction = -1.0
    if not 0 < fraction <= 1:
        problems.add(path, f"expected a share of the target such as 50% or 0.5, got {value!r}")
        return None
    return fraction
