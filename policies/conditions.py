"""Conditions: `all`, `any` and `not` over leaves that test one field with one operator.

Evaluating a condition returns whether it held and the leaf that decided it, worded for the
reader of `policies explain` ("enrichment.impact.level in [high, critical]: was 'low'").
"""

from __future__ import annotations

from dataclasses import dataclass

from policies.fields import Field, lookup
from policies.operators import Operator
from policies.templates import show


@dataclass(frozen=True)
class Leaf:
    path: str
    op: Operator
    value: object
    field: Field
    spelled: object

    def evaluate(self, context: dict) -> tuple[bool, str]:
        actual = lookup(context, self.path)
        held = self.op.test(actual, self.value, self.field)
        return held, f"{self.describe()}: was {_quote(actual)}"

    def describe(self) -> str:
        return f"{self.path} {self.op.name} {_quote(self.spelled)}"


@dataclass(frozen=True)
class AllOf:
    items: tuple

    def evaluate(self, context: dict) -> tuple[bool, str]:
        reason = "no conditions"
        for item in self.items:
            held, reason = item.evaluate(context)
            if not held:
                return False, reason
        return True, reason

    def describe(self) -> str:
        return "all of (" + "; ".join(i.describe() for i in self.items) + ")"


@dataclass(frozen=True)
class AnyOf:
    items: tuple

    def evaluate(self, context: dict) -> tuple[bool, str]:
        reasons = []
        for item in self.items:
            held, reason = item.evaluate(context)
            if held:
                return True, reason
            reasons.append(reason)
        return False, "none held: " + "; ".join(reasons)

    def describe(self) -> str:
        return "any of (" + "; ".join(i.describe() for i in self.items) + ")"


@dataclass(frozen=True)
class Not:
    item: object

    def evaluate(self, context: dict) -> tuple[bool, str]:
        held, reason = self.item.evaluate(context)
        return not held, f"not ({reason})"

    def describe(self) -> str:
        return f"not ({self.item.describe()})"


def _quote(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if value is None:
        return "missing"
    return repr(value) if isinstance(value, str) else show(value)
