"""rq jobs: turn one accepted delivery into enrichment, a decision and writes.

A failed write worth retrying (network, timeout, 429, 5xx) schedules the job again after the
helpdesk's `Retry-After`, or after a growing backoff; once the attempts are spent, or at once for
a failure no retry can fix (401, 404, ...), the job fails and stays in rq's failed registry,
where `python -m middleware replay` runs it again.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

from rq import get_current_job

from connectors.base import Action, Connector, ConnectorError
from middleware import audit, sla, store
from middleware.actions import execute
from middleware.enrichment.note import render_note
from middleware.events import Comment, TicketEvent
from middleware.inbox import unpack
from middleware.runtime import Runtime, get_runtime
from policies import context

log = logging.getLogger("attune.jobs")
BACKOFF = (5, 30, 120, 600, 1800)
MAX_ATTEMPTS = len(BACKOFF) + 1
TEXT_EVENTS = {"ticket_created", "comment_added", "ticket_updated"}
HISTORY = 5


def process_delivery(item: bytes, attempt: int = 1) -> str:
    """The rq job for one webhook delivery; returns what was done, for the job's result."""
    runtime = get_runtime()
    meta, body = unpack(item)
    connector = runtime.connector(meta["source"])
    event = connector.parse(json.loads(body), meta.get("headers") or {})
    if event is None:
        log.info("%s: %s event %s is not one Attune acts on", _job(), meta["source"], meta["delivery_id"])
        return "ignored"
    try:
        return handle_event(runtime, connector, event)
    except ConnectorError as exc:
        return retry_or_fail(runtime, exc, process_delivery, (item,), attempt)


def handle_event(runtime: Runtime, connector: Connector, event: TicketEvent,
                 now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    if connector.is_own_echo(event, own_actor_id(runtime, connector)):
        log.info("%s: %s ticket %s changed by Attune itself; ignored", _job(), event.source, event.ticket_id)
        return "own_echo"
    enrichment = enrich(runtime, event, now) if event.event_type in TEXT_EVENTS else latest(runtime, event)
    actions: list[Action] = []
    if event.event_type in TEXT_EVENTS:
        actions, matched = decide(runtime, event, enrichment, now)
        entries = execute(runtime, event.source, event.ticket_id, actions,
                          cause=f"event {event.delivery_id}")
        save_result(runtime, event, enrichment, matched, entries)
    track_sla(runtime, event, enrichment, now, actions)
    return "processed"


def own_actor_id(runtime: Runtime, connector: Connector) -> str | None:
    """The helpdesk user Attune writes as: asked once, then read from Redis."""
    if runtime.settings.demo:
        return None
    key = store.actor_key(connector.name)
    cached = runtime.redis.get(key)
    if cached:
        return cached.decode()
    actor = connector.fetch_own_actor_id()
    runtime.redis.set(key, actor, ex=86400)
    return actor


def enrich(runtime: Runtime, event: TicketEvent, now: datetime) -> dict:
    """Enrich the ticket with its recent messages, so the frustration trend can be read.

    Relative times in the text ("by 2pm today") are read from when the message was written.
    """
    ticket = event.enrichment_input()
    ticket["comments"] = remember(runtime, event)
    written = event.updated_at or event.created_at or now
    enrichment = runtime.enricher.enrich(ticket, now=written)
    enrichment["note"] = render_note(enrichment)
    return enrichment


def remember(runtime: Runtime, event: TicketEvent) -> list[dict]:
    """Append the event's new message to the ticket's history (once, however often the event is
    processed: a retry must see the same history, or it would write a different note); return the
    history as the enrichment engine reads it."""
    key = store.history_key(event.source, event.ticket_id)
    history = [json.loads(raw) for raw in runtime.redis.lrange(key, 0, -1)]
    message = event.comment or (Comment(event.description, "requester")
                                if event.event_type == "ticket_created" and event.description else None)
    if message is not None and all(h.get("delivery_id") != event.delivery_id for h in history):
        entry = {"author_role": message.author_role, "body": message.body[:4000], "public": message.public,
                 "delivery_id": event.delivery_id}
        pipe = runtime.redis.pipeline()
        pipe.rpush(key, json.dumps(entry)).ltrim(key, -HISTORY, -1).expire(key, store.HISTORY_TTL)
        pipe.execute()
        history = (history + [entry])[-HISTORY:]
    return [{k: v for k, v in h.items() if k != "delivery_id"} for h in history]


def latest(runtime: Runtime, event: TicketEvent) -> dict:
    raw = runtime.redis.get(store.result_key(event.source, event.ticket_id))
    return json.loads(raw)["enrichment"] if raw else {}


def decide(runtime: Runtime, event: TicketEvent, enrichment: dict,
           now: datetime) -> tuple[list[Action], list[str]]:
    """The actions the policy chooses for this event, and the rules that matched."""
    sla_state = sla.snapshot(runtime.redis, runtime.policy, event.source, event.ticket_id, now)
    decision = runtime.policy.evaluate(context(event, enrichment, sla_state, now))
    audit.record(runtime.redis, event.source, event.ticket_id,
                 {"kind": "decision", "cause": f"event {event.delivery_id}", "matched": decision.matched,
                  "actions": [a.to_dict() for a in decision.actions]},
                 runtime.settings.audit_days * 86400)
    return decision.actions, decision.matched


def track_sla(runtime: Runtime, event: TicketEvent, enrichment: dict, now: datetime,
              actions: list[Action]) -> None:
    """Move the ticket's SLA clocks; Attune's own writes count (their echoes are dropped)."""
    sla.track(runtime.redis, runtime.policy, event, enrichment, now, actions=actions)


def save_result(runtime: Runtime, event: TicketEvent, enrichment: dict, matched: list[str],
                entries: list[dict]) -> None:
    result = {"event": event.to_dict(), "enrichment": enrichment, "matched": matched, "writes": entries}
    runtime.redis.set(store.result_key(event.source, event.ticket_id), json.dumps(result, default=str),
                      ex=int(runtime.settings.audit_days * 86400))


def retry_or_fail(runtime: Runtime, exc: ConnectorError, func, args: tuple, attempt: int) -> str:
    """Schedule another attempt for a retryable failure, or fail the job with a clear log line."""
    if not exc.retryable:
        log.error("%s: %s (not retried: fix the cause, then `python -m middleware replay`)", _job(), exc)
        raise exc
    if attempt >= MAX_ATTEMPTS:
        log.error("%s: %s (gave up after %d attempts; `python -m middleware replay` re-runs it)",
                  _job(), exc, attempt)
        raise exc
    delay = exc.retry_after if exc.retry_after is not None else BACKOFF[attempt - 1]
    runtime.queue.enqueue_in(timedelta(seconds=delay), func, *args, attempt=attempt + 1,
                             failure_ttl=30 * 86400)
    log.warning("%s: %s; attempt %d of %d in %.0f s", _job(), exc, attempt + 1, MAX_ATTEMPTS, delay)
    return f"retry in {delay:.0f}s"


def _job() -> str:
    job = get_current_job()
    return f"job {job.id}" if job else "inline"
