"""What a loaded policy is: rules, SLA targets and ladder, notify targets, and a Decision.

`Policy.evaluate(context)` walks the rules in order. A rule whose `when` holds contributes its
actions; the walk stops there unless the rule says `continue: true`. Every rule appears in the
trace, matched or skipped, with the condition that decided it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from connectors.base import Action
from policies.calendar import Calendar
from policies.fields import lookup
from policies.templates import render, single_field


@dataclass(frozen=True)
class ActionSpec:
    """One action as written in the policy; rendering it against a context gives an `Action`."""

    verb: str
    value: object

    def render(self, context: dict, rule: str, notify: dict[str, str]) -> Action:
        if self.verb == "add_tags":
            return Action("add_tags", _tags(self.value, context), rule)
        if self.verb == "add_internal_note":
            return Action("add_internal_note", render(self.value, context), rule)
        if self.verb == "notify":
            target = self.value["target"]
            text = render(self.value.get("message", ""), context)
            return Action("notify", {"target": target, "url": notify[target], "text": text}, rule)
        return Action(self.verb, render(str(self.value), context), rule)


def _tags(items: list[str], context: dict) -> list[str]:
    tags: list[str] = []
    for item in items:
        name = single_field(item)
        value = lookup(context, name) if name else None
        found = value if isinstance(value, list) else [render(item, context)]
        tags.extend(str(t) for t in found if t and str(t) not in tags)
    return tags


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    when: object | None
    then: tuple[ActionSpec, ...]
    cont: bool = False

    def test(self, context: dict) -> tuple[bool, str]:
        if self.when is None:
            return True, "no conditions (always matches)"
        return self.when.evaluate(context)


@dataclass(frozen=True)
class Step:
    """One rung of the SLA ladder: fires once per ticket and clock at `at` of the target."""

    name: str
    description: str
    at: float
    clocks: tuple[str, ...]
    when: object | None
    then: tuple[ActionSpec, ...]

    def test(self, context: dict) -> tuple[bool, str]:
        if self.when is None:
            return True, "no conditions"
        return self.when.evaluate(context)


@dataclass(frozen=True)
class Targets:
    """One clock's targets in seconds: by impact level, by priority, and a default."""

    impact: dict[str, float] = field(default_factory=dict)
    priority: dict[str, float] = field(default_factory=dict)
    default: float | None = None

    def pick(self, impact: str | None, priority: str | None) -> float | None:
        """The strictest target that applies to the ticket, or None when none does."""
        found = [self.impact.get(impact or ""), self.priority.get(priority or ""), self.default]
        found = [t for t in found if t is not None]
        return min(found) if found else None


@dataclass(frozen=True)
class Sla:
    calendar: Calendar = field(default_factory=Calendar)
    targets: dict[str, Targets] = field(default_factory=dict)
    ladder: tuple[Step, ...] = ()
    helpdesk_due: bool = True

    def steps_for(self, clock: str) -> list[Step]:
        return sorted((s for s in self.ladder if clock in s.clocks), key=lambda s: s.at)


@dataclass
class Decision:
    matched: list[str] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    trace: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"matched": self.matched, "actions": [a.to_dict() for a in self.actions],
                "trace": self.trace}


@dataclass(frozen=True)
class Policy:
    path: Path
    rules: tuple[Rule, ...]
    sla: Sla = field(default_factory=Sla)
    notify: dict[str, str] = field(default_factory=dict)

    def evaluate(self, context: dict) -> Decision:
        """The rules that match the context, their actions, and why each rule matched or not."""
        decision = Decision()
        stopped_by = None
        for rule in self.rules:
            if stopped_by:
                decision.trace.append(_entry(rule, False, f"not reached: {stopped_by} matched"))
                continue
            held, reason = rule.test(context)
            decision.trace.append(_entry(rule, held, reason))
            if held:
                decision.matched.append(rule.name)
                decision.actions.extend(self.actions(rule.then, context, rule.name))
                stopped_by = None if rule.cont else rule.name
        return decision

    def actions(self, specs: tuple[ActionSpec, ...], context: dict, rule: str) -> list[Action]:
        """The rendered actions of a rule or ladder step."""
        return [spec.render(context, rule, self.notify) for spec in specs]


def _entry(rule: Rule, matched: bool, reason: str) -> dict:
    return {"rule": rule.name, "matched": matched, "reason": reason}
