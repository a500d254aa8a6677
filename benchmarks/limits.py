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


def _median(figure: dict) -> float:
    return figure["median"]


def _cores(side: dict, rate: float, keys: tuple[str, ...]) -> float:
    """How many cores `rate` requests/s keep busy, from the CPU per request of `keys`."""
    return rate * sum(_median(side[key]) for key in keys) / 1000


def _webhook(results: dict) -> str | None:
    w, steps = _ok(results, "webhook"), _ok(results, "webhook_steps")
    if not w:
        return None
    a, b, cores = w["attune"], w["bare"], results["machine"]["cores"]
    everything = ("cpu_web_ms", "cpu_redis_ms", "cpu_wrk_ms")
    busy = [_cores(side, _median(side["rps"]), everything) for side in (a, b)]
    bound = "so throughput follows CPU per request" if min(busy) > 0.8 * cores else "and"
    text = (f"**Webhook.** In the closed-loop runs gunicorn, Redis and wrk together keep {busy[0]:.1f} of "
            f"the {cores} cores busy for Attune and {busy[1]:.1f} for the bare endpoint, {bound}: Attune's "
            f"gunicorn workers spend {_median(a['cpu_web_ms']):.2f} ms per request against "
            f"{_median(b['cpu_web_ms']):.2f} ms for the bare endpoint, and Redis adds "
            f"{_median(a['cpu_redis_ms']):.3f} ms")
    if steps:
        s = steps["steps"]
        check = s["connector.accept (event type, ids; what the 202 needs)"]
        parse = s["worker side, for reference: connector.parse (full TicketEvent)"]
        accept, ping = s["Inbox.accept (Lua: dedupe + LPUSH)"], s["for reference: Redis PING"]
        text += (f". Table 1a shows where: the web path checks only what the 202 needs "
                 f"(`connector.accept`, {check['cpu_us']:.0f} µs, most of it the delivery id's sha256) and "
                 f"leaves the full TicketEvent ({parse['cpu_us']:.0f} µs) to the worker; the one Redis "
                 f"round trip costs {accept['cpu_us']:.0f} µs here plus {accept['redis_cpu_us']:.0f} µs in "
                 f"Redis, where a bare PING costs {ping['cpu_us']:.0f} + {ping['redis_cpu_us']:.0f} µs, and "
                 "the rest is Flask and gunicorn handling a request with more headers and a larger answer")
    wide, ratio, c = w.get("wide"), _median(w["ratio"]), w["settings"]
    if wide and _median(wide["ratio"]) < ratio + 0.03:
        text += (f". {c['wide_workers']} gunicorn workers instead of {c['web_workers']} do not help"
                 f" ({_median(wide['ratio']):.2f} of the bare endpoint against {ratio:.2f}): the "
                 "cores are the limit, not the workers' waits on Redis")
    elif wide:
        text += (f". With {c['wide_workers']} gunicorn workers instead of {c['web_workers']} Attune reaches "
                 f"{_median(wide['ratio']):.2f} of the bare endpoint against {ratio:.2f}: a sync worker "
                 "sits idle while it waits for Redis, and more workers fill those waits")
    fixed = _cores(a, w["settings"]["rate"], ("cpu_web_ms", "cpu_redis_ms"))
    return text + (". What would move it: a cheaper delivery id for Freshdesk (a hash of the raw bytes "
                   "instead of the re-serialised payload), or more cores for gunicorn; the round trip "
                   "itself is the floor for a durable 202. At "
                   f"{w['settings']['rate']} req/s Attune needs about {fixed:.1f} of the {cores} cores, "
                   "which is why p99 stays far below its target there.")


def _end_to_end(results: dict) -> str | None:
    e = _ok(results, "end_to_end")
    if not e:
        return None
    c, idle, loaded = e["settings"], e["idle"], e["loaded"]
    rate = _median(loaded["tickets_per_s"])
    text = (f"**End to end.** At idle a ticket takes {_median(idle['p50_ms']):.0f} ms: the pump wakes on "
            "the inbox push, rq hands the job to a waiting worker, enrichment and the policy run, and "
            "the Freshdesk connector reads the ticket twice (to merge tags safely) before the first write. ")
    if rate < 0.95 * c["loaded_rate"]:
        return text + (f"At {c['loaded_rate']} tickets/s the {c['workers']} workers write only {rate:.0f} "
                       "tickets/s while sharing the cores with gunicorn, Redis, the stand-in and the load "
                       "generator, so a backlog builds and the latency is queueing: p50 "
                       f"{_median(loaded['p50_ms']):,.0f} ms after a {c['loaded_seconds']} s burst, growing "
                       "with the burst. What would move it: less worker CPU per ticket (5), and more cores "
                       "or machines for workers; on this machine 200 tickets/s exceeds the pipeline.")
    return text + f"At {c['loaded_rate']} tickets/s the workers keep up ({rate:.0f} tickets/s written)."


def _enrichment(results: dict) -> str | None:
    e = _ok(results, "enrichment")
    if not e:
        return None
    t = e["tickets_per_second"]
    return (f"**Enrichment.** Throughput falls with ticket size ({t['200B']['median']:,}/s at 200 B, "
            f"{t['1KB']['median']:,}/s at 1 KB, {t['5KB']['median']:,}/s at 5 KB): the engine's passes over "
            f"the text grow with its length. At 1 KB that is {1000 / t['1KB']['median']:.1f} ms per ticket, "
            "a small part of what a worker spends per ticket (5).")


def _sla(results: dict) -> str | None:
    if not _ok(results, "sla_sweep"):
        return None
    return ("**SLA sweep.** The sweep claims due checkpoints with one Lua call over a sorted set: a range "
            "query by score, capped per sweep, so its cost follows the number of due checkpoints, not the "
            "number of open tickets, as the flat figures from 1k to 100k show. Nothing here needs to move.")


def _scale_out(results: dict) -> str | None:
    s = _ok(results, "scale_out")
    if not s:
        return None
    workers = s["workers"]
    one, many = workers[min(workers, key=int)], workers[max(workers, key=int)]
    rate, cpu = _median(one["tickets_per_s"]), _median(one["cpu_worker_ms"])
    speedup = _median(many["tickets_per_s"]) / rate
    low = many["tickets_per_s"]["min"] / one["tickets_per_s"]["max"]
    high = many["tickets_per_s"]["max"] / one["tickets_per_s"]["min"]
    return (f"**Scale-out.** One worker writes {rate:.0f} tickets/s and uses {cpu:.1f} ms of its own CPU per "
            f"ticket, busy {cpu * rate / 10:.0f} % of the time, so it is CPU-bound; {max(workers, key=int)} "
            f"workers give {speedup:.2f}× (from {low:.2f}× to {high:.2f}× between the best and worst "
            f"rounds). Per ticket the pipeline makes {_median(one['redis_commands']):.0f} Redis "
            "commands (rq's job bookkeeping, the inbox, history, audit trail, result, SLA clocks) and four "
            "HTTP calls to the helpdesk (two reads to merge tags, the update, the note). What would move "
            "it: fewer Redis round trips per ticket (pipelining Attune's own writes), and more workers on "
            "more cores: they share nothing but Redis.")
