"""Policy test cases: events with the rules, actions and ladder steps ops expect them to get.

    policy: ../default.yaml            # relative to the case file
    cases:
      - name: angry-outage-goes-to-a-human
        event: {ticket_id: "1", source: zendesk, subject: ..., priority: normal}
        enrichment: {frustration: {level: high}, impact: {level: critical}}
        at: +45m                       # optional: decide this long after the event
        expect:
          matched: [annotate, frustrated-high-impact]
          actions: [add_tags, add_internal_note, {set_priority: urgent}]
          ladder: {first_response: [sla-at-risk]}

`event` may also be the path of a JSON or YAML file. An expected action is a verb, or
`{verb: value}` to check the value too. Only the expectations a case lists are compared.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import yaml

from middleware.events import TicketEvent
from policies.durations import parse_offset
from policies.loader import load_policy
from policies.model import Policy
from policies.problems import PolicyError
from policies.simulate import DEFAULT_START, Outcome, enrichment_for, read_event, simulate

CASE_KEYS = {"name", "description", "event", "enrichment", "engine", "at", "expect"}
EXPECT_KEYS = {"matched", "actions", "ladder"}


@dataclass
class Result:
    name: str
    passed: bool
    diff: str = ""


def load_cases(path: Path, policy_path: Path | None = None) -> tuple[Policy, list[dict]]:
    """The policy under test and the cases; raise `PolicyError` on a malformed case file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    errors = _check(data, str(path))
    if errors:
        raise PolicyError(errors)
    target = policy_path or (path.parent / data["policy"])
    return load_policy(target), data["cases"]


def _check(data: object, name: str) -> list[str]:
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        return [f"{name}: (top): expected `policy: FILE` and a `cases` list"]
    errors = [f"{name}: {k}: unknown key (expected policy, cases)"
              for k in data if k not in ("policy", "cases")]
    if "policy" not in data:
        errors.append(f"{name}: policy: required key is missing")
    for i, case in enumerate(data["cases"]):
        if not isinstance(case, dict) or "event" not in case or "expect" not in case:
            errors.append(f"{name}: cases[{i}]: expected a mapping with event and expect")
            continue
        errors += [f"{name}: cases[{i}].{k}: unknown key" for k in case if k not in CASE_KEYS]
        expect = case["expect"] if isinstance(case["expect"], dict) else {}
        errors += [f"{name}: cases[{i}].expect.{k}: unknown key"
                   for k in expect if k not in EXPECT_KEYS]
    return errors


def run_case(policy: Policy, case: dict, base: Path) -> Result:
    """Decide the case's event and compare with what the case expects."""
    event = read_event(case["event"], base)
    outcome = decide(policy, event, case)
    expected = case["expect"] or {}
    actual = observed(outcome, expected)
    name = str(case.get("name", "unnamed"))
    if actual == expected:
        return Result(name, True)
    return Result(name, False, _diff(expected, actual))


def decide(policy: Policy, event: TicketEvent, case: dict) -> Outcome:
    """The outcome of the case's event, with its enrichment and time offset."""
    offset = parse_offset(str(case["at"])) if case.get("at") else timedelta(0)
    start = event.updated_at or event.created_at
    enrichment = enrichment_for(event, case.get("enrichment"), bool(case.get("engine")),
                                start or DEFAULT_START)
    return simulate(policy, event, enrichment, offset)


def observed(outcome: Outcome, expected: dict) -> dict:
    """The outcome, shaped like the expectations so the two compare key by key."""
    actual: dict = {}
    if "matched" in expected:
        actual["matched"] = outcome.decision.matched
    if "actions" in expected:
        actual["actions"] = _actions(outcome.decision.actions, expected["actions"] or [])
    if "ladder" in expected:
        actual["ladder"] = {clock: [e["step"] for e in outcome.ladder
                                    if e["clock"] == clock and e["matched"]]
                            for clock in expected["ladder"] or {}}
    return actual


def _actions(actions: list, expected: list) -> list:
    shaped = []
    for index, action in enumerate(actions):
        wanted = expected[index] if index < len(expected) else None
        shaped.append(action.verb if isinstance(wanted, str) else {action.verb: action.value})
    return shaped


def _diff(expected: dict, actual: dict) -> str:
    want = yaml.safe_dump(expected, sort_keys=False, allow_unicode=True).splitlines()
    got = yaml.safe_dump(actual, sort_keys=False, allow_unicode=True).splitlines()
    return "\n".join(difflib.unified_diff(want, got, "expected", "actual", lineterm=""))


def run_file(path: Path, policy_path: Path | None = None) -> list[Result]:
    """Every case in the file, in order."""
    policy, cases = load_cases(path, policy_path)
    return [run_case(policy, case, path.parent) for case in cases]
