"""Benchmark 5: how fast 1 and 2 worker processes drain the same backlog from one Redis.

For each run the workers start and load the enrichment engine first; then a backlog of new
Freshdesk tickets is pushed through the inbox (as the webhook stores them) and the clock runs
until the stand-in helpdesk has received a write for every one. Each worker's pump moves the
inbox into rq jobs, so the figure covers pump, rq, enrichment, policy and write-back. Worker RSS
is read from /proc at the end of each run; Redis commands per ticket from INFO commandstats
(the prefill's own call included).
"""

from __future__ import annotations

import itertools
import time

from benchmarks import payloads, servers
from benchmarks.pipeline import client, reset_writes, wait_for_workers, wait_for_writes
from benchmarks.stats import spread
from middleware.inbox import Inbox

WORKER_COUNTS = (1, 2)
_ids = itertools.count(1)


def settings(quick: bool) -> dict:
    return {"rounds": 2 if quick else 3, "tickets": 400 if quick else 2000, "workers": list(WORKER_COUNTS)}


def run(redis_url: str, quick: bool = False) -> dict:
    """Tickets/s and worker RSS for each worker count, median [min, max] over rounds."""
    config = settings(quick)
    runs: dict[int, list[dict]] = {n: [] for n in WORKER_COUNTS}
    with servers.Processes() as processes:
        standin = servers.start_standin(processes)
        others = {"redis": client(redis_url).info("server")["process_id"],
                  "standin": processes.running[-1].pid}
        env = servers.attune_env(redis_url, standin)
        for _ in range(config["rounds"]):
            for workers in WORKER_COUNTS:
                runs[workers].append(drain(redis_url, env, (standin, others), workers, config["tickets"]))
    figures = ("tickets_per_s", "rss_mb", "cpu_worker_ms", "cpu_redis_ms", "cpu_standin_ms",
               "redis_commands")
    return {"settings": config,
            "workers": {n: {**{key: spread([x[key] for x in runs[n]]) for key in figures},
                            "missing": sum(x["missing"] for x in runs[n])} for n in WORKER_COUNTS}}


def drain(redis_url: str, env: dict, standin: tuple[str, dict], workers: int, tickets: int) -> dict:
    """Time `workers` fresh workers through a backlog of `tickets`; CPU is per ticket, all workers."""
    (url, others), r = standin, client(redis_url)
    r.flushall()
    with servers.Processes() as processes:
        pids = [servers.start_worker(processes, env).pid for _ in range(workers)]
        wait_for_workers(r, workers)
        reset_writes(url)
        first = next(_ids) * 10**6
        before = _cpu(pids, others)
        r.config_resetstat()
        started = time.time()
        prefill(r, first, tickets)
        writes = wait_for_writes(url, {str(first + i) for i in range(tickets)}, timeout=60 + tickets / 5)
        used = {k: (v - before[k]) / tickets * 1000 for k, v in _cpu(pids, others).items()}
        commands = sum(c["calls"] for c in r.info("commandstats").values()) / tickets
        rss = max(servers.rss_mb(pid) for pid in pids)
    span = max(writes.values()) - started if writes else float("nan")
    return {"tickets_per_s": len(writes) / span, "rss_mb": rss, "missing": tickets - len(writes),
            "redis_commands": commands, **{f"cpu_{k}_ms": v for k, v in used.items()}}


def _cpu(workers: list[int], others: dict[str, int]) -> dict[str, float]:
    used = {name: servers.cpu_seconds(pid) for name, pid in others.items()}
    used["worker"] = sum(servers.cpu_seconds(pid) for pid in workers)
    return used


def prefill(r, first: int, tickets: int) -> None:
    """Store `tickets` deliveries exactly as the webhook does."""
    inbox = Inbox(r)
    for number in range(first, first + tickets):
        inbox.accept("freshdesk", f"{number}:bench", payloads.body(number), {})
