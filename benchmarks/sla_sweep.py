"""How much a sweep of the SLA checkpoints costs with 1k, 10k and 100k open tickets.

Each open ticket has two checkpoints (first response, resolution) spread over the next week; in
each run 100 of them are due. A run times one `sweep` claiming those 100, and one sweep with
nothing due (the usual case), as wall time seen by the client and as Redis server time (from
INFO commandstats). Uses `REDIS_URL` when set, otherwise an embedded Redis in a temporary folder;
the database used (`ATTUNE_BENCH_DB`, default 14) is flushed before and after.

    python benchmarks/sla_sweep.py
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from middleware import sla, store  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
RUNS = 7
DUE = 100
NOW = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def connect() -> tuple[object, tempfile.TemporaryDirectory | None]:
    url = os.environ.get("REDIS_URL")
    folder = None
    if not url:
        folder = tempfile.TemporaryDirectory()
        url = store.embedded_url(Path(folder.name), persist=False)
    db = int(os.environ.get("ATTUNE_BENCH_DB", "14"))
    base = url.split("?")[0]
    url = f"{base}?db={db}" if base.startswith("unix://") else f"{base.rsplit('/', 1)[0]}/{db}"
    return store.connect(url), folder


def fill(r, tickets: int) -> None:
    """Two checkpoints per open ticket, due over the next seven days, pipelined."""
    rng = random.Random(tickets)
    start, week = NOW.timestamp() + 60, 7 * 86400
    pipe = r.pipeline(transaction=False)
    for n in range(tickets):
        for clock in ("first_response", "resolution"):
            member = store.sla_member("zendesk", clock, str(n))
            pipe.zadd(store.SLA_CHECKPOINTS, {member: start + rng.random() * week})
        if n % 5000 == 4999:
            pipe.execute()
    pipe.execute()


def make_due(r, count: int) -> None:
    past = NOW.timestamp() - 5
    r.zadd(store.SLA_CHECKPOINTS, {store.sla_member("zendesk", "first_response", str(n)): past
                                   for n in range(count)})


def eval_usec(r) -> float:
    stats = r.info("commandstats")
    return float(sum(v["usec"] for k, v in stats.items() if k in ("cmdstat_eval",
                                                                   "cmdstat_evalsha")))


def timed_sweep(r, expected: int) -> tuple[float, float]:
    """(client wall ms, Redis server ms) for one sweep at NOW."""
    before = eval_usec(r)
    start = time.perf_counter()
    claimed = sla.sweep(r, NOW)
    wall = (time.perf_counter() - start) * 1000
    assert len(claimed) == expected, (len(claimed), expected)
    return wall, (eval_usec(r) - before) / 1000


def summary(values: list[float]) -> dict:
    return {"median_ms": round(statistics.median(values), 3), "min_ms": round(min(values), 3),
            "max_ms": round(max(values), 3)}


def measure(r, tickets: int) -> dict:
    r.flushdb()
    fill(r, tickets)
    due_wall, due_server, idle_wall, idle_server = [], [], [], []
    for _ in range(RUNS):
        make_due(r, DUE)
        wall, server = timed_sweep(r, DUE)
        due_wall.append(wall)
        due_server.append(server)
        wall, server = timed_sweep(r, 0)
        idle_wall.append(wall)
        idle_server.append(server)
    return {"open_tickets": tickets, "checkpoints": r.zcard(store.SLA_CHECKPOINTS),
            "sweep_100_due": {"wall": summary(due_wall), "redis": summary(due_server)},
            "sweep_none_due": {"wall": summary(idle_wall), "redis": summary(idle_server)}}


def run() -> dict:
    """Timings for every size, `RUNS` runs each; the Redis database is left empty."""
    r, folder = connect()
    try:
        results = [measure(r, size) for size in SIZES]
    finally:
        r.flushdb()
        if folder:
            store.stop_embedded()
            folder.cleanup()
    return {"name": "sla_sweep", "runs": RUNS, "due_per_sweep": DUE, "results": results}


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
