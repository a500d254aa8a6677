"""Benchmark 2: webhook posted -> first write-back received by the stand-in helpdesk.

gunicorn serves `wsgi:app` as in production, two `python -m middleware worker` processes (one per
core) process the deliveries, and the stand-in Freshdesk API timestamps Attune's writes. Latency
is counted from when each webhook was due to be posted. "Idle" posts a few tickets per second, so
each is processed alone; "loaded" posts 200 tickets/s for a few seconds and waits for all of them.
"""

from __future__ import annotations

import itertools

from benchmarks import loadgen, payloads, servers
from benchmarks.pipeline import client, reset_writes, wait_for_workers, wait_for_writes, wait_until_idle
from benchmarks.stats import percentile, spread

WORKERS = 2
IDLE_RATE = 4
LOADED_RATE = 200
_ids = itertools.count(1)


def settings(quick: bool) -> dict:
    return {"workers": WORKERS, "web_workers": servers.WEB_WORKERS, "rounds": 2 if quick else 3,
            "idle_rate": IDLE_RATE, "idle_tickets": 8 if quick else 40,
            "loaded_rate": LOADED_RATE, "loaded_seconds": 3 if quick else 5}


def run(redis_url: str, quick: bool = False) -> dict:
    """p50 / p99 latency at idle and at 200 tickets/s, median [min, max] over rounds."""
    config, r = settings(quick), client(redis_url)
    r.flushall()
    with servers.Processes() as processes:
        standin = servers.start_standin(processes)
        env = servers.attune_env(redis_url, standin)
        web = servers.start_web(processes, "wsgi:app", env, "web-e2e")[0]
        for _ in range(WORKERS):
            servers.start_worker(processes, env)
        wait_for_workers(r, WORKERS)
        measure(r, web, standin, 5, IDLE_RATE)
        loaded_count = LOADED_RATE * config["loaded_seconds"]
        idle = [measure(r, web, standin, config["idle_tickets"], IDLE_RATE) for _ in range(config["rounds"])]
        loaded = [measure(r, web, standin, loaded_count, LOADED_RATE) for _ in range(config["rounds"])]
    return {"settings": config, "idle": summarize(idle), "loaded": summarize(loaded)}


def measure(r, web: str, standin: str, count: int, rate: float) -> dict:
    """Post `count` new tickets at `rate`/s; latency from each post to its first write-back."""
    wait_until_idle(r)
    reset_writes(standin)
    first = next(_ids) * 10**6
    sent = loadgen.fixed_rate(web, [payloads.body(first + i) for i in range(count)], rate)
    due = {str(first + i): s.due_at for i, s in enumerate(sent) if s.status == 202}
    writes = wait_for_writes(standin, set(due), timeout=30 + count / 20)
    latencies = [(writes[t] - due[t]) * 1000 for t in writes]
    span = max(writes.values()) - min(due.values()) if writes else float("nan")
    return {"p50_ms": percentile(latencies, 50), "p99_ms": percentile(latencies, 99),
            "tickets": count, "written": len(writes), "rejected": count - len(due),
            "tickets_per_s": len(writes) / span if writes else 0.0}


def summarize(runs: list[dict]) -> dict:
    summary = {key: spread([run[key] for run in runs]) for key in ("p50_ms", "p99_ms", "tickets_per_s")}
    summary["tickets"] = sum(run["tickets"] for run in runs)
    summary["missing"] = sum(run["tickets"] - run["written"] for run in runs)
    return summary
