"""Where the webhook's time goes: each step of `POST /webhooks/freshdesk`, timed in-process.

The steps are the ones `middleware/webhooks.py` runs, called on the real Freshdesk connector and
the real inbox (against the suite's Redis): CPU microseconds per call in this process, wall time
(for the Redis call, a sync gunicorn worker waits the difference) and the Redis server's own CPU.
A bare PING shows what any round trip costs on this machine.
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
        "connector.accept (event type, ids; what the 202 needs)":
            lambda i: connector.accept(payload, headers),
        "of which: connector.delivery_id (sha256 of the sorted payload)":
            lambda i: connector.delivery_id(payload, headers),
        "worker side, for reference: connector.parse (full TicketEvent)":
            lambda i: connector.parse(payload, headers),
        "of which: one due time through dateutil": lambda i: dateparser.parse(due),
    }
    result = {name: _time(step, calls) for name, step in steps.items()}
    r = store.connect(redis_url)
    r.flushall()
    inbox, server = Inbox(r), r.info("server")["process_id"]
    result["Inbox.accept (Lua: dedupe + LPUSH)"] = _time(
        lambda i: inbox.accept("freshdesk", f"step-{i}", body, {}), calls, server)
    result["for reference: Redis PING"] = _time(lambda i: r.ping(), calls, server)
    r.flushall()
    return {"calls": calls, "steps": result}


def _time(step, calls: int, server: int | None = None) -> dict:
    server_cpu = servers.cpu_seconds(server) if server else 0.0
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(calls):
        step(i)
    figures = {"cpu_us": (time.process_time() - cpu) / calls * 1e6,
               "wall_us": (time.perf_counter() - wall) / calls * 1e6}
    if server:
        figures["redis_cpu_us"] = (servers.cpu_seconds(server) - server_cpu) / calls * 1e6
    return figures
