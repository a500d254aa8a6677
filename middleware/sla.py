"""Proactive SLA escalation: clocks per ticket, checkpoints in Redis, a sweeper and the step job.

After every processed event the worker calls `track`, which moves the ticket's clocks (see
`policies.clocks`) and puts each running clock's next ladder checkpoint in one sorted set, scored
by epoch seconds. A sweeper calls `enqueue_due` at least every 15 s: a Lua script claims the due
members atomically by pushing their score one lease ahead, so two sweepers never claim the same
checkpoint, and a checkpoint whose job died comes due again after the lease. The rq job
`fire_step` re-reads the clock, marks each due step fired with HSETNX (so a step fires once per
ticket and clock, whatever runs twice), runs its actions through the executor and schedules the
next step. All state lives in Redis, so a restart loses nothing.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import NamedTuple

import redis
from rq import Queue

from connectors.base import Action, ConnectorError
from middleware import store
from middleware.events import TicketEvent
from policies import Policy, Step
from policies.clocks import Clock, apply_event, due_steps, next_checkpoint, step_context, views
from policies.context import apply_writes
from policies.context import context as build_context
from policies.fields import CLOCKS

log = logging.getLogger("attune.sla")
LEASE_SECONDS = 300
RETRY_SECONDS = 30
SWEEP_LIMIT = 1000
CLAIM = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
for _, member in ipairs(due) do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[3], member)
end
return due
"""


class Due(NamedTuple):
    source: str
    clock: str
    ticket_id: str


class Fired(NamedTuple):
    """One ladder step claimed for firing: whether its `when` held, and its actions."""

    step: str
    clock: str
    matched: bool
    reason: str
    actions: list
    fraction: float | None


def track(r: redis.Redis, policy: Policy, event: TicketEvent, enrichment: dict | None,
          now: datetime, actions: list[Action] | None = None) -> None:
    """Move the ticket's clocks for `event` and (re)schedule their next checkpoints.

    `actions` are the writes decided for this event; the ladder's later steps see their effect
    (a raised priority, added tags) even though Attune ignores the echo of its own writes.
    """
    key = store.sla_key(event.source, event.ticket_id)
    ctx = apply_writes(build_context(event, enrichment, None, now), actions or [])

    def update(pipe: redis.client.Pipeline) -> None:
        state = _read(pipe, key)
        clocks = apply_event(policy, _clocks(state), event, enrichment, now)
        pipe.multi()
        fields = {name: json.dumps(clocks[name].to_dict()) for name in CLOCKS}
        fields["context"] = json.dumps(_storable(ctx), default=str)
        pipe.hset(key, mapping=fields)
        pipe.expire(key, store.SLA_TTL)
        _schedule(pipe, policy, event.source, event.ticket_id, clocks, _fired(state))

    r.transaction(update, key)


def snapshot(r: redis.Redis, policy: Policy, source: str, ticket_id: str,
             now: datetime) -> dict:
    """The ticket's clocks as the policy context shows them (`sla` in `policies.context`)."""
    clocks = _clocks(_read(r, store.sla_key(source, ticket_id)))
    return views(policy, clocks, now)


def sweep(r: redis.Redis, now: datetime, limit: int = SWEEP_LIMIT,
          lease: float = LEASE_SECONDS) -> list[Due]:
    """Claim the checkpoints due at `now`; each is returned to one caller only."""
    stamp = now.timestamp()
    members = r.eval(CLAIM, 1, store.SLA_CHECKPOINTS, stamp, limit, stamp + lease)
    return [Due(*store.parse_sla_member(_text(m))) for m in members]


def enqueue_due(r: redis.Redis, queue: Queue, now: datetime, limit: int = SWEEP_LIMIT) -> int:
    """Sweep, and enqueue one `fire_step` job per due checkpoint; returns how many."""
    due = sweep(r, now, limit)
    if due:
        jobs = [Queue.prepare_data(fire_step, args=(d.source, d.ticket_id, d.clock),
                                   description=f"sla {d.clock} {d.source}:{d.ticket_id}")
                for d in due]
        queue.enqueue_many(jobs)
        log.info("sla sweep: %d checkpoint(s) due", len(due))
    return len(due)


def fire(r: redis.Redis, policy: Policy, source: str, ticket_id: str, clock: str,
         now: datetime) -> list[Fired]:
    """Claim the clock's due ladder steps (each once, ever) and reschedule the next one."""
    key = store.sla_key(source, ticket_id)
    state = _read(r, key)
    current = _clocks(state).get(clock) or Clock()
    steps = [s for s in due_steps(policy, clock, current, _fired(state).get(clock, set()), now)
             if r.hsetnx(key, _fired_field(clock, s.name), now.isoformat())]
    stored = json.loads(state.get("context") or "{}")
    fired = []
    for step in steps:
        item = _fired_step(policy, step, clock, stored, _clocks(state), now)
        stored = apply_writes(stored, item.actions)
        fired.append(item)
    if fired:
        r.hset(key, "context", json.dumps(stored, default=str))
    reschedule(r, policy, source, ticket_id)
    return fired


def release(r: redis.Redis, policy: Policy, source: str, ticket_id: str, clock: str,
            steps: list[str]) -> None:
    """Forget that `steps` fired (their writes failed), so a later sweep fires them again."""
    if steps:
        r.hdel(store.sla_key(source, ticket_id), *[_fired_field(clock, s) for s in steps])
        reschedule(r, policy, source, ticket_id)


def reschedule(r: redis.Redis, policy: Policy, source: str, ticket_id: str) -> None:
    """Put each running clock's next checkpoint in the sorted set, reading state under WATCH."""
    key = store.sla_key(source, ticket_id)

    def update(pipe: redis.client.Pipeline) -> None:
        state = _read(pipe, key)
        pipe.multi()
        _schedule(pipe, policy, source, ticket_id, _clocks(state), _fired(state))

    r.transaction(update, key)


def fire_step(source: str, ticket_id: str, clock: str, now: str | None = None) -> list[dict]:
    """The rq job: fire the clock's due ladder steps through the executor, audited."""
    from middleware.runtime import get_runtime

    runtime = get_runtime()
    at = datetime.fromisoformat(now) if now else datetime.now(UTC)
    fired = fire(runtime.redis, runtime.policy, source, ticket_id, clock, at)
    try:
        return run_fired(runtime, source, ticket_id, fired, at)
    except ConnectorError as exc:
        if not exc.retryable:
            raise
        return [defer(runtime.redis, source, ticket_id, clock, at, exc)]


def defer(r: redis.Redis, source: str, ticket_id: str, clock: str, now: datetime,
          exc: ConnectorError) -> dict:
    """After a retryable failure, hold the released step back for the helpdesk's Retry-After
    (or `RETRY_SECONDS`), so a rate-limited helpdesk is not asked again at every sweep."""
    delay = exc.retry_after if exc.retry_after is not None else RETRY_SECONDS
    member = store.sla_member(source, clock, ticket_id)
    r.zadd(store.SLA_CHECKPOINTS, {member: now.timestamp() + delay}, gt=True)
    log.warning("sla %s %s:%s: %s; trying again in %.0f s", clock, source, ticket_id, exc, delay)
    return {"kind": "deferred", "cause": f"sla:{clock}", "error": str(exc), "retry_in": delay}


def run_fired(runtime: object, source: str, ticket_id: str, fired: list[Fired],
              now: datetime) -> list[dict]:
    """Audit each fired step's decision and execute its actions; on failure, release the rest."""
    from middleware import actions, audit

    entries = []
    for index, item in enumerate(fired):
        entry = _decision_entry(item, now)
        audit.record(runtime.redis, source, ticket_id, entry, runtime.settings.audit_days * 86400)
        entries.append(entry)
        if not (item.matched and item.actions):
            continue
        try:
            entries += actions.execute(runtime, source, ticket_id, item.actions,
                                       cause=f"sla:{item.clock}:{item.step}")
        except Exception:
            rest = [f.step for f in fired[index:]]
            release(runtime.redis, runtime.policy, source, ticket_id, item.clock, rest)
            raise
    return entries


def _decision_entry(item: Fired, now: datetime) -> dict:
    return {"kind": "decision", "cause": f"sla:{item.clock}", "rule": item.step,
            "matched": item.matched, "reason": item.reason, "time": now.isoformat(),
            "elapsed_fraction": item.fraction, "actions": [a.to_dict() for a in item.actions]}


def _fired_step(policy: Policy, step: Step, clock: str, stored: dict,
                clocks: dict[str, Clock], now: datetime) -> Fired:
    ctx = step_context(policy, stored, clocks, step, clock, now)
    matched, reason = step.test(ctx)
    actions = policy.actions(step.then, ctx, step.name) if matched else []
    return Fired(step.name, clock, matched, reason, actions,
                 ctx["sla"][clock]["elapsed_fraction"])


def _schedule(pipe: redis.client.Pipeline, policy: Policy, source: str, ticket_id: str,
              clocks: dict[str, Clock], fired: dict[str, set[str]]) -> None:
    for name in CLOCKS:
        member = store.sla_member(source, name, ticket_id)
        found = next_checkpoint(policy, name, clocks.get(name) or Clock(), fired.get(name, set()))
        if found:
            pipe.zadd(store.SLA_CHECKPOINTS, {member: found[1].timestamp()})
        else:
            pipe.zrem(store.SLA_CHECKPOINTS, member)


def _read(r: redis.Redis, key: str) -> dict[str, str]:
    return {_text(k): _text(v) for k, v in r.hgetall(key).items()}


def _clocks(state: dict[str, str]) -> dict[str, Clock]:
    return {name: Clock.from_dict(json.loads(state[name])) for name in CLOCKS if name in state}


def _fired(state: dict[str, str]) -> dict[str, set[str]]:
    fired: dict[str, set[str]] = {name: set() for name in CLOCKS}
    for field in state:
        if field.startswith("fired:"):
            _, clock, step = field.split(":", 2)
            fired.setdefault(clock, set()).add(step)
    return fired


def _fired_field(clock: str, step: str) -> str:
    return f"fired:{clock}:{step}"


def _storable(ctx: dict) -> dict:
    return {k: v for k, v in ctx.items() if k not in ("sla", "now")}


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
