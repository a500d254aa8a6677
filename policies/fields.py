"""The fields a policy condition or note template may name, with the values each can take.

A condition addresses a field by its dotted path in the policy context (`ticket.priority`,
`enrichment.frustration.level`, `sla.resolution.elapsed_fraction`). Fields with a fixed set of
values list them, so a typo such as `hgh` is a load error; ordered fields (priority, impact and
frustration levels) also compare with lt / lte / gt / gte by rank.
"""

from __future__ import annotations

from dataclasses import dataclass

from middleware.events import AUTHOR_ROLES, EVENT_TYPES, PRIORITIES, STATUSES

SENTIMENT_LABELS = ("negative", "neutral", "positive")
IMPACT_LEVELS = ("low", "medium", "high", "critical")
FRUSTRATION_LEVELS = ("none", "mild", "high")
CLOCKS = ("first_response", "resolution")
CLOCK_STATES = ("running", "paused", "stopped", "none")


@dataclass(frozen=True)
class Field:
    """What a field holds: `kind` is text, number, list, bool or time; `values` when fixed."""

    kind: str = "text"
    values: tuple[str, ...] = ()
    ordered: bool = False


def _enum(values: tuple[str, ...], ordered: bool = False) -> Field:
    return Field("text", values, ordered)


FIELDS: dict[str, Field] = {
    "source": Field(),
    "event.type": _enum(EVENT_TYPES),
    "ticket.id": Field(),
    "ticket.subject": Field(),
    "ticket.description": Field(),
    "ticket.comment": Field(),
    "ticket.comment_author_role": _enum(AUTHOR_ROLES),
    "ticket.comment_public": Field("bool"),
    "ticket.priority": _enum(PRIORITIES, ordered=True),
    "ticket.status": _enum(STATUSES),
    "ticket.tags": Field("list"),
    "ticket.requester.id": Field(),
    "ticket.requester.email": Field(),
    "ticket.requester.name": Field(),
    "ticket.requester.organization": Field(),
    "enrichment.sentiment.label": _enum(SENTIMENT_LABELS),
    "enrichment.sentiment.score": Field("number"),
    "enrichment.frustration.level": _enum(FRUSTRATION_LEVELS, ordered=True),
    "enrichment.frustration.score": Field("number"),
    "enrichment.frustration.trend": _enum(("worsening", "steady", "improving")),
    "enrichment.frustration.evidence": Field("list"),
    "enrichment.impact.level": _enum(IMPACT_LEVELS, ordered=True),
    "enrichment.impact.score": Field("number"),
    "enrichment.impact.signals": Field("list"),
    "enrichment.scenario": Field(),
    "enrichment.guidance": Field(),
    "enrichment.vague": Field("bool"),
    "enrichment.tags": Field("list"),
    "enrichment.note": Field(),
}
for _clock in CLOCKS:
    FIELDS[f"sla.{_clock}.state"] = _enum(CLOCK_STATES)
    FIELDS[f"sla.{_clock}.elapsed_fraction"] = Field("number")
    FIELDS[f"sla.{_clock}.due"] = Field("time")


def lookup(context: dict, path: str) -> object:
    """The value at a dotted path, or None when any part is missing."""
    value: object = context
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value
