"""The closing paragraphs of RESULTS.md: what limits each figure now and what would move it,
worded from the figures of the same run."""

from __future__ import annotations


def paragraphs(results: dict) -> list[str]:
    texts = [_webhook(results), _end_to_end(results), _enrichment(results), _sla(results),
             _scale_out(results)]
    return [line for text in texts if text for line in (text, "")]


def _ok(results: dict, key: str) -> dict | None:
    value = results.get(key)
    return value if value and "missing" not in value and "failed" not in value else None


def _webhook(results: dict) -> str | None:
    w, steps = _ok(results, "webhook"), _ok(results, "webhook_steps")
    if not w:
        return None
    a, b = w["attune"], w["bare"]
    text = (f"**Webhook.** Both endpoints are CPU-bound on the two cores, shared with wrk "
            f"({a['cpu_wrk_ms']['median']:.2f} ms/request). Attune's gunicorn workers spend "
            f"{a['cpu_web_ms']['median']:.2f} ms of CPU per request against "
            f"{b['cpu_web_ms']['median']:.2f} ms "
            f"for the bare endpoint, and Redis another {a['cpu_redis_ms']['median']:.3f} ms (the Lua "
            "dedupe + LPUSH and the append-only file)")
    if steps:
        s = steps["steps"]
        parse, dates = s["connector.parse (full TicketEvent)"], s["of which: one due time through dateutil"]
        accept = s["Inbox.accept (Lua: dedupe + LPUSH)"]
        text += (f". Table 1a shows where: `connector.parse` builds the whole TicketEvent "
                 f"({parse['cpu_us']:.0f} µs, two due times through dateutil at {dates['cpu_us']:.0f} µs "
                 "each, "
                 "HTML to text) only to learn whether the event is one Attune acts on, and the worker parses "
                 f"the payload again; the Redis call costs {accept['cpu_us']:.0f} µs of CPU and "
                 f"{accept['wall_us']:.0f} µs of wall time, in which a sync worker waits")
    return text + (". What would move it: let the web path check only what the 202 needs (auth, JSON, "
                   "event type, ticket id, delivery id) and leave the TicketEvent to the worker; the "
                   "one Redis round trip is the floor for a durable 202. Latency at 500 req/s is far "
                   "below the target because that rate leaves the cores half idle.")


def _end_to_end(results: dict) -> str | None:
    e = _ok(results, "end_to_end")
    if not e:
        return None
    c, idle, loaded = e["settings"], e["idle"], e["loaded"]
    rate = loaded["tickets_per_s"]["median"]
    text = (f"**End to end.** At idle a ticket takes {idle['p50_ms']['median']:.0f} ms: the pump wakes on "
            "the inbox push, rq hands the job to a waiting worker, enrichment and the policy run, and "
            "the Freshdesk connector reads the ticket twice (to merge tags safely) before the first write. ")
    if rate < 0.95 * c["loaded_rate"]:
        return text + (f"At {c['loaded_rate']} tickets/s the {c['workers']} workers write only {rate:.0f} "
                       "tickets/s while sharing the two cores with gunicorn, Redis, the stand-in and the "
                       "load generator, so a backlog builds and the latency is mostly queueing: p50 "
                       f"{loaded['p50_ms']['median']:,.0f} ms after a {c['loaded_seconds']} s burst. What "
                       "would move it: worker CPU per ticket (5) and more cores or machines for workers; "
                       "on this machine 200 tickets/s is beyond the pipeline's capacity.")
    return text + f"At {c['loaded_rate']} tickets/s the workers keep up ({rate:.0f} tickets/s written)."


def _enrichment(results: dict) -> str | None:
    e = _ok(results, "enrichment")
    if not e:
        return None
    t = e["tickets_per_second"]
    return (f"**Enrichment.** Throughput falls with ticket size ({t['200B']['median']:,}/s at 200 B, "
            f"{t['1KB']['median']:,}/s at 1 KB, {t['5KB']['median']:,}/s at 5 KB): the engine's time is "
            "in passes over the text, so it grows with its length. A worker does more than enrich "
            "(see 5): the engine is not what limits a worker today.")


def _sla(results: dict) -> str | None:
    if _ok(results, "sla_sweep"):
        return ("**SLA sweep.** Figures from `benchmarks/sla_sweep.py`; the sweep claims due checkpoints "
                "with one Lua call over a sorted set, so its cost follows the number of due members "
                "(capped per sweep), not the number of open tickets.")
    return None


def _scale_out(results: dict) -> str | None:
    s = _ok(results, "scale_out")
    if not s:
        return None
    workers = s["workers"]
    one, two = workers[min(workers, key=int)], workers[max(workers, key=int)]
    speedup = two["tickets_per_s"]["median"] / one["tickets_per_s"]["median"]
    return (f"**Scale-out.** One worker writes {one['tickets_per_s']['median']:.0f} tickets/s using "
            f"{one['cpu_worker_ms']['median']:.1f} ms of its own CPU per ticket, so it is CPU-bound: the "
            f"second worker gives {speedup:.2f}× on two cores that Redis and the stand-in helpdesk "
            f"({two['cpu_redis_ms']['median'] + two['cpu_standin_ms']['median']:.1f} ms/ticket together) "
            "also use. More workers on more cores, or less CPU per ticket in the worker, move it.")
