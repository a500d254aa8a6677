"""Render the suite's results as benchmarks/RESULTS.md: machine facts, one table per benchmark with
its target beside it, and what limits each figure."""

from __future__ import annotations

from collections.abc import Callable

Section = Callable[[dict], list[str]]


def spread(s: dict, digits: int = 0) -> str:
    """median [min–max] of one figure across runs."""
    return f"{s['median']:,.{digits}f} [{s['min']:,.{digits}f}–{s['max']:,.{digits}f}]"


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def unmeasured(result: dict | None) -> str | None:
    """Why a benchmark has no figures, or None when it has."""
    if not result:
        return "not measured: skipped in this run"
    return result.get("missing") or (f"not measured: {result['failed']}" if "failed" in result else None)


def render(results: dict) -> str:
    lines = ["# Benchmarks", "", intro(results), ""]
    lines += machine(results["machine"], results)
    lines += targets(results)
    for title, key, section in SECTIONS:
        lines += [f"## {title}", ""]
        reason = unmeasured(results.get(key))
        lines += [reason, ""] if reason else section(results[key])
    lines += limits(results)
    return "\n".join(lines).rstrip() + "\n"


def intro(results: dict) -> str:
    mode = "a `--quick` run (fewer, shorter rounds)" if results["quick"] else "a full run"
    return (f"Written by `make bench` (`python -m benchmarks`; `--quick` for a shorter run), here {mode} "
            f"that took {results['duration_s'] / 60:.1f} minutes. Each figure is the median of several runs "
            "with [min–max]; runs of Attune and of the baseline alternate in the same session. The load "
            "generators (wrk, and the suite's own fixed-rate client in Python) run on the same cores as "
            "the servers, and their CPU per request is shown beside the servers'; compare figures within "
            "one run, not across machines.")


def machine(facts: dict, results: dict) -> list[str]:
    rows = [("date", facts["date"]), ("cores", facts["cores"]), ("CPU", facts["cpu"]),
            ("kernel", facts["kernel"]), ("Python", facts["python"]), ("Redis", facts["redis"]),
            ("packages", facts["packages"]), ("load generator", facts["wrk"]),
            ("commit", facts["commit"]),
            ("load average (1, 5, 15 min)", f"{facts['load_before']} before, {results['load_after']} after")]
    return ["## Machine", "", "| | |", "|---|---|", *[f"| {k} | {v} |" for k, v in rows], ""]


def targets(results: dict) -> list[str]:
    rows = [row for check in TARGETS if (row := check(results))]
    return ["## Targets", "", "| what | target | measured (median [min–max]) | |", "|---|---|---|---|",
            *rows, ""]


def _webhook_targets(results: dict) -> str | None:
    w = results.get("webhook")
    if unmeasured(w):
        return None
    ratio, p99, c = w["ratio"], w["attune"]["p99_ms"], w["settings"]
    rows = [f"| 1. webhook throughput, Attune / bare, `--workers {c['web_workers']}` | ≥ 0.60 | "
            f"{spread(ratio, 2)} | {verdict(ratio['median'] >= 0.6)} |"]
    if w.get("wide"):
        wide = w["wide"]["ratio"]
        rows.append(f"| 1. the same, `--workers {c['wide_workers']}` (the README's production command) "
                    f"| ≥ 0.60 | {spread(wide, 2)} | {verdict(wide['median'] >= 0.6)} |")
    return "\n".join([
        *rows,
        f"| 1. webhook p99 at {w['settings']['rate']} req/s | < 25 ms | {spread(p99, 1)} ms "
        f"| {verdict(p99['median'] < 25)} |"])


def _e2e_target(results: dict) -> str | None:
    e = results.get("end_to_end")
    if unmeasured(e):
        return None
    p50 = e["idle"]["p50_ms"]
    return f"| 2. end to end p50 at idle | < 100 ms | {spread(p50, 1)} ms | {verdict(p50['median'] < 100)} |"


def _enrichment_targets(results: dict) -> str | None:
    e = results.get("enrichment")
    if unmeasured(e):
        return None
    rate = e["tickets_per_second"]["1KB"]
    rows = [f"| 3. enrichment, 1 KB tickets, one core | ≥ 1,000 tickets/s | {rate['median']:,} "
            f"[{rate['min']:,}–{rate['max']:,}] | {verdict(rate['median'] >= 1000)} |"]
    rss = worker_rss(results)
    if rss is not None:
        rows.append(f"| 3. worker RSS after a backlog | < 150 MB | {rss:.0f} MB | {verdict(rss < 150)} |")
    return "\n".join(rows)


def _sla_target(results: dict) -> str | None:
    s = results.get("sla_sweep")
    rows = [] if unmeasured(s) else sla_rows(s)
    if not rows:
        return None
    largest = rows[-1]
    wall = largest["sweep_100_due"]["wall"]
    return (f"| 4. SLA sweep, {largest['open_tickets']:,} open tickets, {s['due_per_sweep']} due "
            f"| well under 50 ms | {ms_spread(wall)} ms | {verdict(wall['median_ms'] < 50)} |")


def worker_rss(results: dict) -> float | None:
    s = results.get("scale_out")
    if unmeasured(s):
        return None
    return max(w["rss_mb"]["max"] for w in s["workers"].values())


def webhook(w: dict) -> list[str]:
    a, b, c = w["attune"], w["bare"], w["settings"]
    rows = [("requests/s, closed loop", "rps", 0), ("p50 ms, closed loop", "closed_p50_ms", 1),
            ("p99 ms, closed loop", "closed_p99_ms", 1), (f"p50 ms at {c['rate']} req/s", "p50_ms", 1),
            (f"p99 ms at {c['rate']} req/s", "p99_ms", 1), (f"slowest ms at {c['rate']} req/s", "max_ms", 1),
            ("CPU ms/request: gunicorn workers", "cpu_web_ms", 3),
            ("CPU ms/request: Redis", "cpu_redis_ms", 3), ("CPU ms/request: wrk", "cpu_wrk_ms", 3),
            (f"CPU ms/request: fixed-rate client at {c['rate']} req/s", "cpu_client_ms", 3)]
    lines = [f"`POST /webhooks/freshdesk` (HTTP Basic, ~3 KB body, a new ticket id per request) under "
             f"`gunicorn wsgi:app --workers {c['web_workers']}` (sync), against `benchmarks/bare_app.py` "
             f"(parse JSON, answer 202) under the same settings. {c['rounds']} rounds; each gives each "
             f"endpoint wrk for {c['closed_loop_s']} s ({c['connections']} connections, one thread), then "
             f"{c['rate'] * c['fixed_rate_s']:,} requests at a fixed {c['rate']} req/s, each on a new "
             "connection, latency counted from when the request was due. No worker runs.", "",
             "| | Attune | bare endpoint | Attune / bare |", "|---|---|---|---|"]
    for label, key, digits in [row for row in rows if row[1] in a]:
        ratio = f"{w['ratio']['median']:.2f} [{w['ratio']['min']:.2f}–{w['ratio']['max']:.2f}]" \
            if key == "rps" else ""
        lines.append(f"| {label} | {spread(a[key], digits)} | {spread(b[key], digits)} | {ratio} |")
    wide = w.get("wide")
    if wide:
        lines.append(f"| requests/s, closed loop, `--workers {c['wide_workers']}` "
                     f"({c['wide_rounds']} rounds) | {spread(wide['attune'])} "
                     f"| {spread(wide['bare'])} | {wide['ratio']['median']:.2f} "
                     f"[{wide['ratio']['min']:.2f}–{wide['ratio']['max']:.2f}] |")
    lines += ["", "Every 202 left one payload in the inbox (checked after each closed-loop run): "
              f"{'yes' if a['stored_ok'] else '**no**'}; "
              f"failed or non-202 answers: Attune {a['errors']}, bare {b['errors']}.", ""]
    return lines


def webhook_steps(s: dict) -> list[str]:
    lines = [f"The steps `middleware/webhooks.py` runs, timed in one process ({s['calls']:,} calls "
             "each, same body):", "", "| step | CPU µs/call | wall µs/call | Redis server CPU µs/call |",
             "|---|---|---|---|"]
    lines += [f"| {name} | {f['cpu_us']:.0f} | {f['wall_us']:.0f} | "
              f"{f['redis_cpu_us']:.0f} |" if "redis_cpu_us" in f else
              f"| {name} | {f['cpu_us']:.0f} | {f['wall_us']:.0f} | |" for name, f in s["steps"].items()]
    return lines + [""]


def end_to_end(e: dict) -> list[str]:
    c = e["settings"]
    rows = [(f"idle ({c['idle_rate']} tickets/s, {c['idle_tickets']} per round)", e["idle"]),
            (f"{c['loaded_rate']} tickets/s for {c['loaded_seconds']} s", e["loaded"])]
    lines = [f"Webhook posted → first write-back (ticket update or private note) received by the stand-in "
             f"Freshdesk API (`benchmarks/standin.py`). gunicorn `--workers {c['web_workers']}` and "
             f"{c['workers']} `python -m middleware worker` processes, {c['rounds']} rounds.", "",
             "The idle p99 comes from few tickets per round and is close to the slowest one.", "",
             "| load | p50 ms | p99 ms | tickets/s written | tickets (not written) |",
             "|---|---|---|---|---|"]
    lines += [f"| {label} | {spread(r['p50_ms'], 1)} | {spread(r['p99_ms'], 1)} | "
              f"{spread(r['tickets_per_s'], 0)} | {r['tickets']:,} ({r['missing']}) |" for label, r in rows]
    return lines + [""]


def enrichment(e: dict) -> list[str]:
    lines = ["`benchmarks/enrichment.py`: the enrichment engine alone, pinned to one core.", "",
             "| ticket size | tickets/s |", "|---|---|"]
    lines += [f"| {size} | {r['median']:,} [{r['min']:,}–{r['max']:,}] |"
              for size, r in e["tickets_per_second"].items()]
    memory = e.get("memory", {})
    lines += ["", f"A fresh process after loading the engine and enriching a few tickets: RSS "
              f"{memory.get('rss_mb')} MB (peak {memory.get('peak_rss_mb')} MB); a real worker after "
              "a backlog: see 5.", ""]
    return lines


def ms_spread(figure: dict) -> str:
    return f"{figure['median_ms']:.2f} [{figure['min_ms']:.2f}–{figure['max_ms']:.2f}]"


def sla_rows(s: dict) -> list[dict]:
    """The sweep benchmark's rows, one per number of open tickets, if in the shape this report reads."""
    rows = s.get("results")
    keys = {"open_tickets", "checkpoints", "sweep_100_due", "sweep_none_due"}
    return rows if isinstance(rows, list) and all(keys <= set(row) for row in rows) else []


def sla_sweep(s: dict) -> list[str]:
    rows = sla_rows(s)
    if not rows:
        return ["`benchmarks/sla_sweep.py` returned figures in a shape this report does not read:", "",
                "```", *_flatten(s), "```", ""]
    lines = [f"`benchmarks/sla_sweep.py`: one sweep, {s['runs']} runs per size; wall time seen by the "
             "client and Redis server time (INFO commandstats), ms.", "",
             f"| open tickets | checkpoints | sweep, {s['due_per_sweep']} due: wall | Redis "
             "| sweep, none due: wall | Redis |", "|---|---|---|---|---|---|"]
    for row in rows:
        due, idle = row["sweep_100_due"], row["sweep_none_due"]
        lines.append(f"| {row['open_tickets']:,} | {row['checkpoints']:,} | {ms_spread(due['wall'])} "
                     f"| {ms_spread(due['redis'])} | {ms_spread(idle['wall'])} "
                     f"| {ms_spread(idle['redis'])} |")
    return lines + [""]


def _flatten(value: object, prefix: str = "") -> list[str]:
    if isinstance(value, dict):
        return [line for k, v in value.items() for line in _flatten(v, f"{prefix}{k}.")]
    return [f"{prefix.rstrip('.')}: {value}"]


def scale_out(s: dict) -> list[str]:
    c, workers = s["settings"], s["workers"]
    one = workers[min(workers, key=int)]["tickets_per_s"]["median"]
    lines = [f"A backlog of {c['tickets']:,} new tickets pushed through the inbox while the workers wait; "
             "the clock stops at the last first write-back. Same Redis, same stand-in helpdesk, "
             f"{c['rounds']} rounds. CPU is per ticket: all workers together, Redis, the stand-in.", "",
             "| workers | tickets/s | speed-up | RSS per worker, MB | CPU ms/ticket: workers | Redis "
             "| stand-in | Redis commands/ticket |", "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {n} | {spread(w['tickets_per_s'])} | {w['tickets_per_s']['median'] / one:.2f}× | "
              f"{spread(w['rss_mb'], 1)} | {spread(w['cpu_worker_ms'], 2)} | {spread(w['cpu_redis_ms'], 2)} "
              f"| {spread(w['cpu_standin_ms'], 2)} | {spread(w['redis_commands'])} |"
              for n, w in sorted(workers.items(), key=lambda x: int(x[0]))]
    return lines + [""]


def limits(results: dict) -> list[str]:
    from benchmarks.limits import paragraphs

    return ["## What limits each figure now, and what would move it", "", *paragraphs(results)]


SECTIONS: list[tuple[str, str, Section]] = [
    ("1. Webhook acknowledgement", "webhook", webhook),
    ("1a. Where the webhook's time goes", "webhook_steps", webhook_steps),
    ("2. End to end", "end_to_end", end_to_end),
    ("3. Enrichment", "enrichment", enrichment),
    ("4. SLA sweep", "sla_sweep", sla_sweep),
    ("5. Scale-out", "scale_out", scale_out),
]
TARGETS = [_webhook_targets, _e2e_target, _enrichment_targets, _sla_target]
