"""Benchmark 1: what a helpdesk waits for, Attune's `/webhooks/freshdesk` against a bare endpoint.

Both run under the same gunicorn settings, side by side, and are measured alternately in the same
run (the order flips every round). Each round gives each endpoint a closed-loop wrk run (the most
requests/s it sustains) and a fixed-rate run at 500 requests/s (the latency a helpdesk sees at that
rate). The same closed-loop comparison is then repeated with 4 gunicorn workers, the README's
production line. Redis is flushed before every run and no worker runs, so the inbox only grows;
after each Attune run the suite checks that every 202 left exactly one payload in the inbox. CPU
per request is read from /proc for gunicorn's workers and Redis, and from rusage for wrk.
"""

from __future__ import annotations

import itertools
import resource
import time

import redis

from benchmarks import loadgen, payloads, servers
from benchmarks.stats import percentile, spread
from middleware import store

RATE = 500
WIDE_WORKERS = 4
APPS = {"attune": "wsgi:app", "bare": "benchmarks.bare_app:app"}
_ids = itertools.count(1)


def settings(quick: bool) -> dict:
    return {"rounds": 3 if quick else 5, "closed_loop_s": 4 if quick else 8,
            "fixed_rate_s": 3 if quick else 6, "rate": RATE, "connections": loadgen.WRK_CONNECTIONS,
            "web_workers": servers.WEB_WORKERS, "wide_workers": WIDE_WORKERS,
            "wide_rounds": 2 if quick else 3}


def run(redis_url: str, quick: bool = False) -> dict:
    """Requests/s, p50 and p99 for Attune and the bare endpoint, median [min, max] over rounds."""
    config = settings(quick)
    runs = compare(redis_url, config, servers.WEB_WORKERS, config["rounds"], fixed_rate=True)
    wide = compare(redis_url, config, WIDE_WORKERS, config["wide_rounds"], fixed_rate=False)
    return {"settings": config, "attune": summarize(runs["attune"]), "bare": summarize(runs["bare"]),
            "ratio": ratio(runs), "wide": {"attune": spread([x["rps"] for x in wide["attune"]]),
                                           "bare": spread([x["rps"] for x in wide["bare"]]),
                                           "ratio": ratio(wide)}}


def compare(redis_url: str, config: dict, workers: int, rounds: int,
            fixed_rate: bool) -> dict[str, list[dict]]:
    """Alternate rounds of Attune and the bare endpoint under `workers` gunicorn workers."""
    r = redis.Redis.from_url(redis_url)
    runs: dict[str, list[dict]] = {name: [] for name in APPS}
    with servers.Processes() as processes:
        env = servers.attune_env(redis_url, servers.start_standin(processes))
        webs = {name: servers.start_web(processes, app, env, f"web-{name}", workers)
                for name, app in APPS.items()}
        for number in range(rounds):
            for name in list(APPS)[:: 1 if number % 2 == 0 else -1]:
                url, master = webs[name]
                pids = {"web": servers.children(master.pid), "redis": [r.info("server")["process_id"]]}
                result = closed_loop(r, name, url, pids, config)
                if fixed_rate:
                    result.update(at_fixed_rate(r, url, config))
                runs[name].append(result)
    return runs


def closed_loop(r: redis.Redis, name: str, url: str, pids: dict[str, list[int]], config: dict) -> dict:
    r.flushall()
    before = cpu_used(pids)
    closed = loadgen.closed_loop(url, config["closed_loop_s"], next(_ids) * 10**8)
    cpu = {k: (v - before[k]) / closed["requests"] * 1000 for k, v in cpu_used(pids).items()}
    return {"rps": closed["rps"], "closed_p50_ms": closed["p50_ms"], "closed_p99_ms": closed["p99_ms"],
            "closed_errors": closed["errors"] + closed["requests"] - closed["accepted"],
            "cpu_web_ms": cpu["web"], "cpu_redis_ms": cpu["redis"], "cpu_wrk_ms": cpu["wrk"],
            "stored_ok": _check_stored(r, name, closed["accepted"], config["connections"])}


def at_fixed_rate(r: redis.Redis, url: str, config: dict) -> dict:
    r.flushall()
    first = next(_ids) * 10**8
    bodies = [payloads.body(first + i) for i in range(config["rate"] * config["fixed_rate_s"])]
    cpu = time.process_time()
    sent = loadgen.fixed_rate(url, bodies, config["rate"])
    cpu = (time.process_time() - cpu) / len(bodies) * 1000
    latencies = [s.latency_ms for s in sent]
    return {"p50_ms": percentile(latencies, 50), "p99_ms": percentile(latencies, 99),
            "max_ms": max(latencies), "cpu_client_ms": cpu,
            "fixed_errors": sum(1 for s in sent if s.status != 202)}


def cpu_used(pids: dict[str, list[int]]) -> dict[str, float]:
    """CPU seconds used so far by gunicorn's workers, Redis and wrk (this process's children)."""
    used = {name: sum(servers.cpu_seconds(pid) for pid in group) for name, group in pids.items()}
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    used["wrk"] = children.ru_utime + children.ru_stime
    return used


def _check_stored(r: redis.Redis, name: str, accepted: int, in_flight: int) -> bool:
    """Attune: one inbox entry per 202 wrk saw, plus at most one per connection still in flight
    when wrk stopped; the bare endpoint stores nothing."""
    return name == "bare" or 0 <= r.llen(store.INBOX) - accepted <= in_flight


def summarize(runs: list[dict]) -> dict:
    figures = ("rps", "closed_p50_ms", "closed_p99_ms", "p50_ms", "p99_ms", "max_ms", "cpu_web_ms",
               "cpu_redis_ms", "cpu_wrk_ms", "cpu_client_ms")
    summary = {key: spread([run[key] for run in runs]) for key in figures}
    summary["errors"] = sum(run["closed_errors"] + run["fixed_errors"] for run in runs)
    summary["stored_ok"] = all(run["stored_ok"] for run in runs)
    return summary


def ratio(runs: dict[str, list[dict]]) -> dict:
    """Attune's requests/s over the bare endpoint's, round by round."""
    return spread([a["rps"] / b["rps"] for a, b in zip(runs["attune"], runs["bare"], strict=True)])
