"""The text `policies explain` prints: each rule matched or skipped and why, the SLA clocks, the
ladder steps due, and the exact connector calls the actions would make (never sent)."""

from __future__ import annotations

import json
from datetime import timedelta

from connectors.base import Action, ConnectorError
from middleware.actions import notify_message, refusals
from policies.durations import format_duration
from policies.simulate import Outcome, offline_connector


def explain(outcome: Outcome, offset: timedelta, policy_path: str) -> str:
    """The whole explanation, as lines of text."""
    event = outcome.event
    sign = "-" if offset < timedelta(0) else "+"
    lines = [f"Event: {event.source} ticket {event.ticket_id} ({event.event_type}), decided at "
             f"{outcome.now.isoformat(timespec='minutes')} ({sign}{format_duration(abs(offset))})",
             f"Policy: {policy_path}", "", "Rules:"]
    for entry in outcome.decision.trace:
        verdict = "MATCH" if entry["matched"] else "skip "
        lines.append(f"  {verdict} {entry['rule']}: {entry['reason']}")
    lines += ["", "SLA clocks:"] + [f"  {name}: {_clock(view)}"
                                   for name, view in outcome.context["sla"].items()]
    lines += ["", "Ladder steps due by then:"] + _ladder(outcome)
    actions = outcome.decision.actions + [a for e in outcome.ladder for a in e["actions"]]
    lines += ["", "Actions:"] + [f"  [{a.rule}] {a.verb} {json.dumps(a.value)}" for a in actions]
    lines += ["", f"Connector calls ({event.source}, dry run, nothing is sent):"]
    lines += calls(event.source, event.ticket_id, actions)
    return "\n".join(lines)


def _clock(view: dict) -> str:
    if view["state"] == "none":
        return "no target"
    fraction = view["elapsed_fraction"]
    used = f"{fraction:.0%} of target used" if fraction is not None else "no target"
    due = view["due"].isoformat(timespec="minutes") if view["due"] else "-"
    return f"{view['state']}, {used}, due {due}"


def _ladder(outcome: Outcome) -> list[str]:
    if not outcome.ladder:
        return ["  (none)"]
    return [f"  {'fires' if e['matched'] else 'skip '} {e['clock']} {e['step']}: {e['reason']}"
            for e in outcome.ladder]


def calls(source: str, ticket_id: str, actions: list[Action]) -> list[str]:
    """The HTTP requests the source's connector would make for the actions, one per line."""
    lines = [f"  POST {a.value['url']} {json.dumps(notify_message(a, source, ticket_id))}"
             for a in actions if a.verb == "notify"]
    connector = offline_connector(source)
    if connector is None:
        return [f"  (no {source} connector is installed; the actions above are what it would do)"]
    writes = [a for a in actions if a.verb != "notify"]
    refused = refusals(connector, writes)
    lines += [f"  (refused, the other writes go ahead: {reason})" for _, reason in refused]
    try:
        connector.apply(ticket_id, [a for a in writes if all(a is not r for r, _ in refused)])
    except ConnectorError as exc:
        lines.append(f"  (stopped: {exc})")
    body = [f"  {c.method} {c.path} {json.dumps(c.body) if c.body is not None else ''}".rstrip()
            for c in connector.calls]
    return body + lines or ["  (none)"]
