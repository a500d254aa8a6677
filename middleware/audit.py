"""The audit trail: every decision and every write, per ticket, kept for a configurable period.

Entries are JSON objects (kind, rule, action, result, time, ...) appended to one Redis list per
ticket; the list's expiry is renewed on each write, so a ticket's trail lives `ATTUNE_AUDIT_DAYS`
after its last activity.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import redis

from middleware.store import audit_key

MAX_ENTRIES = 500


def record(r: redis.Redis, source: str, ticket_id: str, entry: dict, ttl_seconds: float) -> None:
    """Append one entry (a `time` is added when missing)."""
    record_many(r, source, ticket_id, [entry], ttl_seconds)


def record_many(r: redis.Redis, source: str, ticket_id: str, entries: list[dict],
                ttl_seconds: float) -> None:
    """Append entries in order, in one round trip."""
    if not entries:
        return
    now = datetime.now(UTC).isoformat(timespec="seconds")
    key = audit_key(source, ticket_id)
    pipe = r.pipeline(transaction=False)
    pipe.rpush(key, *[json.dumps({"time": now, **e}, sort_keys=True, default=str) for e in entries])
    pipe.ltrim(key, -MAX_ENTRIES, -1)
    pipe.expire(key, int(ttl_seconds))
    pipe.execute()


def read(r: redis.Redis, source: str, ticket_id: str) -> list[dict]:
    """The ticket's entries, oldest first."""
    return [json.loads(raw) for raw in r.lrange(audit_key(source, ticket_id), 0, -1)]
