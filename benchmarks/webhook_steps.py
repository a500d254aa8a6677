"""Where the webhook's time goes: each step of `POST /webhooks/freshdesk`, timed in-process.

The steps are the ones `middleware/webhooks.py` runs, called on the real Freshdesk connector and
the real inbox (against the suite's Redis): CPU microseconds per call, and wall time for the
Redis round trip, which a sync gunicorn worker spends waiting.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

from dateutil import parser as dateparser

from benchmarks import payloads, servers
from connectors.base import load_json
from middleware import store
from middleware.config import load_settings
from middleware.inbox import Inbox
from middleware.runtime import build_connectors

CALLS = 3000


def run(redis_url: str, quick: bool = False) -> dict:
    """CPU µs per call for each step (wall µs too for the Redis call)."""
    env = servers.attune_env(redis_url, "http://127.0.0.1:9")
    connector = build_connectors(load_settings(env))["freshdesk"]
    headers = {"Authorization": payloads.basic_auth()}
    body = payloads.body(1)
    payload = json.loads(body)
    due = payload["freshdesk_webhook"]["due_by"]
    calls = CALLS // 3 if quick else CALLS
    steps = {
        "verify (HTTP Basic)": lambda i: connector.verify(headers, body, datetime.now(UTC)),
        "load_json (3 KB)": lambda i: load_json(body),
        "connector.parse (full TicketEvent)": lambda i: connector.parse(payload, headers),
        "of which: one due time through dateutil": lambda i: dateparser.parse(due),
        "connector.delivery_id (called again by _store)": lambda i: connector.delivery_id(payload, headers),
    }
    result = {name: _time(step, calls) for name, step in steps.items()}
    result["Inbox.accept (Lua: dedupe + LPUSH)"] = _accept(redis_url, body, calls)
    return {"calls": calls, "steps": result}


def _time(step, calls: int) -> dict:
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(calls):
        step(i)
    return {"cpu_us": (time.process_time() - cpu) / calls * 1e6,
            "wall_us": (time.perf_counter() - wall) / calls * 1e6}


def _accept(redis_url: str, body: bytes, calls: int) -> dict:
    r = store.connect(redis_url)
    r.flushall()
    inbox = Inbox(r)
    figures = _time(lambda i: inbox.accept("freshdesk", f"step-{i}", body, {}), calls)
    r.flushall()
    return figures
