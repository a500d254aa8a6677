"""Escalation policies as code: strict loading, rule evaluation with a trace, SLA ladders.

`load_policy(path)` reads a policy file (see docs/policies.md) and raises `PolicyError` listing
every problem; `Policy.evaluate(context(...))` returns the `Decision` for one ticket event.
"""

from policies.context import context
from policies.loader import load_policy
from policies.model import Decision, Policy, Rule, Step
from policies.problems import PolicyError

__all__ = ["Decision", "Policy", "PolicyError", "Rule", "Step", "context", "load_policy"]
