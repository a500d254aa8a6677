"""Decide one event offline, at an offset of time, as `policies test` and `explain` do.

The event's clocks start when the ticket was created and run without pauses until `now` (the
event's time plus the offset), so `--at +45m` shows which ladder steps would have fired by then.
Enrichment is a neutral baseline with the case's overrides on top, or the real enrichment engine's
output when asked for. Nothing here touches Redis or the network.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
import yaml

from connectors.base import Connector
from middleware.events import TicketEvent
from policies.clocks import Clock, apply_event, due_steps, step_context, views
from policies.context import apply_writes, context
from policies.fields import CLOCKS
from policies.model import Decision, Policy

DEFAULT_START = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
NEUTRAL = {
    "sentiment": {"label": "neutral", "score": 0.0},
    "frustration": {"level": "none", "score": 0.0, "evidence": [], "trend": None},
    "impact": {"level": "low", "score": 0.0, "signals": []},
    "scenario": None, "guidance": None, "vague": False, "tags": [], "note": "",
}


@dataclass
class Outcome:
    """What the policy decides for the event at `now`: rules, and ladder steps due by then."""

    now: datetime
    event: TicketEvent
    enrichment: dict
    context: dict
    decision: Decision
    ladder: list[dict]


def read_event(spec: object, base: Path) -> TicketEvent:
    """An event given inline (a mapping) or as a JSON / YAML file relative to `base`."""
    if isinstance(spec, str):
        text = (base / spec).read_text(encoding="utf-8")
        spec = json.loads(text) if spec.endswith(".json") else yaml.safe_load(text)
    if not isinstance(spec, dict):
        raise ValueError("an event is a mapping or the path of a JSON or YAML file")
    source = helpdesk_of(spec)
    if source:
        return _parse_payload(source, spec)
    data = {"delivery_id": "case", "event_type": "ticket_created", **spec}
    return TicketEvent.from_dict(_jsonable(data))


def helpdesk_of(payload: dict) -> str | None:
    """The helpdesk whose webhook payload this is, or None for a normalized event."""
    if str(payload.get("type", "")).startswith("zen:event-type:"):
        return "zendesk"
    if "webhookEvent" in payload:
        return "jira"
    if "freshdesk_webhook" in payload:
        return "freshdesk"
    return None


class NoNetwork(requests.adapters.BaseAdapter):
    """A transport that refuses every request, so simulating can never reach a helpdesk."""

    def send(self, request: requests.PreparedRequest, **_: object) -> requests.Response:
        raise requests.ConnectionError(f"explain sends nothing ({request.method} {request.url})")

    def close(self) -> None:
        return None


def offline_connector(source: str) -> Connector | None:
    """The source's connector in a dry run, with placeholder settings and no network."""
    from connectors import REGISTRY, SPECS

    spec = next((s for s in SPECS if s.name == source), None)
    if source not in REGISTRY or spec is None:
        return None
    settings = {key: "" for key in spec.env} | {"url": f"https://{source}.invalid"}
    session = requests.Session()
    session.mount("https://", NoNetwork())
    session.mount("http://", NoNetwork())
    return REGISTRY[source](settings, session=session, dry_run=True)


def _parse_payload(source: str, payload: dict) -> TicketEvent:
    connector = offline_connector(source)
    event = connector.parse(payload, {})
    if event is None:
        raise ValueError(f"Attune does not act on this {source} event ({connector.event_type(payload)})")
    return event


def enrichment_for(event: TicketEvent, overrides: dict | None, real: bool,
                   now: datetime) -> dict:
    """The neutral baseline (or the engine's output) with `overrides` merged in."""
    base = _engine(event, now) if real else json.loads(json.dumps(NEUTRAL))
    return merge(base, overrides or {})


def _engine(event: TicketEvent, now: datetime) -> dict:
    from middleware.enrichment import Enricher
    from middleware.enrichment.note import render_note

    result = Enricher().enrich(event.enrichment_input(), now)
    return {**result, "note": render_note(result)}


def merge(base: dict, overrides: dict) -> dict:
    """`base` with `overrides` merged in, mappings key by key."""
    out = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def simulate(policy: Policy, event: TicketEvent, enrichment: dict,
             offset: timedelta = timedelta(0)) -> Outcome:
    """Decide the event `offset` after it happened, with clocks started at its creation."""
    start = event.updated_at or event.created_at or DEFAULT_START
    if event.created_at is None:
        event = replace(event, created_at=start)
    now = start + offset
    clocks = apply_event(policy, {}, event, enrichment, start)
    ctx = context(event, enrichment, views(policy, clocks, now), now)
    decision = policy.evaluate(ctx)
    written = apply_writes(ctx, decision.actions)
    ladder = []
    for name in CLOCKS:
        written = _ladder(policy, written, clocks, name, now, ladder)
    return Outcome(now, event, enrichment, ctx, decision, ladder)


def _ladder(policy: Policy, ctx: dict, clocks: dict[str, Clock], name: str, now: datetime,
            entries: list[dict]) -> dict:
    """Append the clock's due steps to `entries`; returns the context after their writes."""
    for step in due_steps(policy, name, clocks[name], set(), now):
        step_ctx = step_context(policy, ctx, clocks, step, name, now)
        matched, reason = step.test(step_ctx)
        actions = policy.actions(step.then, step_ctx, step.name) if matched else []
        entries.append({"clock": name, "step": step.name, "matched": matched,
                        "reason": reason, "actions": actions})
        ctx = apply_writes(ctx, actions)
    return ctx


def _jsonable(data: object) -> object:
    if isinstance(data, dict):
        return {k: _jsonable(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_jsonable(v) for v in data]
    return data.isoformat() if isinstance(data, datetime) else data
