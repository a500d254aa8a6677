"""Enrichment throughput on one core and the memory of a fresh process using it.

Run ``python benchmarks/enrichment.py``; ``run()`` returns the same figures as a dict. Tickets are
generated from IT-support sentences to about 200 B, 1 KB and 5 KB; each size is timed five times
(median, min and max tickets/s). RSS is read from /proc/self/status in a fresh interpreter after it
constructs the Enricher and enriches a few tickets, one with an agent reply (which loads textstat).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SENTENCES = [
    "My laptop will not connect to the VPN since this morning's update.",
    "Outlook keeps asking for my password and then crashes.",
    "This is the third time I ask about the shared drive permissions.",
    "The payroll export is blocked and it is due by 2pm today.",
    "I have been on hold for 40 minutes and still no reply.",
    "The whole finance team cannot print to the second floor printer.",
    "Could you tell me how to set up the new MFA app on my phone?",
    "Thanks for the quick help yesterday, the monitor works fine now.",
    "We got a suspicious email asking staff to reset their passwords.",
    "For now I can use my phone as a hotspot, so it is not urgent.",
    "The CRM is very slow and pages take minutes to load.",
    "Please install Visio on my machine before the training on Friday.",
    "Honestly this is ridiculous, nobody answered my ticket from last week.",
    "The error code is 0x80070005 when I try to install the update.",
]
SIZES = {"200B": 200, "1KB": 1000, "5KB": 5000}
TICKETS_PER_RUN = 400
RUNS = 5
RSS_SCRIPT = """
import json
from middleware.enrichment import Enricher
e = Enricher()
for body in ("The VPN is down for the whole office!", "Printer jam again, third time I ask."):
    e.enrich({"id": 1, "subject": "Help", "description": body})
e.enrich({"id": 2, "subject": "VPN", "description": "Still down", "comments": [
    {"author_role": "agent", "body": "I have restarted the VPN gateway; please try again now."}]})
status = open("/proc/self/status").read()
print(json.dumps({k: int(v.split()[0]) for k, v in
                  (line.split(":", 1) for line in status.splitlines()) if k in ("VmRSS", "VmHWM")}))
"""


def make_ticket(rng: random.Random, size: int, number: int) -> dict:
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < size:
        parts.append(rng.choice(SENTENCES))
    description = " ".join(parts)[:size]
    return {"id": number, "subject": rng.choice(SENTENCES)[:60], "description": description,
            "requester": {"email": f"user{number}@example.org"}}


def tickets_per_second(enricher, tickets: list[dict], now: datetime) -> float:
    started = time.perf_counter()
    for ticket in tickets:
        enricher.enrich(ticket, now)
    return len(tickets) / (time.perf_counter() - started)


def pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def throughput() -> dict:
    from middleware.enrichment import Enricher

    pin_to_one_core()
    enricher, rng, now = Enricher(), random.Random(7), datetime(2026, 1, 15, 10, 0)
    results = {}
    for name, size in SIZES.items():
        tickets = [make_ticket(rng, size, i) for i in range(TICKETS_PER_RUN)]
        tickets_per_second(enricher, tickets[:50], now)
        runs = [tickets_per_second(enricher, tickets, now) for _ in range(RUNS)]
        results[name] = {"median": round(statistics.median(runs)), "min": round(min(runs)),
                         "max": round(max(runs)), "tickets": TICKETS_PER_RUN}
    return results


def fresh_process_memory() -> dict:
    out = subprocess.run([sys.executable, "-c", RSS_SCRIPT], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    kib = json.loads(out.stdout.strip().splitlines()[-1])
    return {"rss_mb": round(kib["VmRSS"] / 1024, 1), "peak_rss_mb": round(kib["VmHWM"] / 1024, 1)}


def run() -> dict:
    """Tickets/s per size (median, min, max of five runs) and fresh-process RSS."""
    return {"tickets_per_second": throughput(), "memory": fresh_process_memory()}


def main() -> None:
    result = run()
    print("Enrichment on one core (tickets/s, median of 5 runs [min-max]):")
    for name, r in result["tickets_per_second"].items():
        print(f"  {name:>5}: {r['median']:>6} [{r['min']}-{r['max']}]")
    memory = result["memory"]
    print(f"Fresh process after Enricher + a few tickets: RSS {memory['rss_mb']} MB "
          f"(peak {memory['peak_rss_mb']} MB)")


if __name__ == "__main__":
    main()
