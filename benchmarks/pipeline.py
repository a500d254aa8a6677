"""Helpers shared by the benchmarks that run workers: readiness, an empty queue, and write-backs.

A ticket is done when the stand-in helpdesk has received Attune's first write for it (the ticket
update with the merged tags, or the private note).
"""

from __future__ import annotations

import json
import time
import urllib.request

import redis
from rq import Queue, Worker
from rq.registry import StartedJobRegistry

from middleware import store
from middleware.inbox import Inbox


def client(redis_url: str) -> redis.Redis:
    return store.connect(redis_url)


def wait_for_workers(r: redis.Redis, count: int, timeout: float = 60) -> None:
    """Return once `count` workers are registered (each has loaded the enrichment engine)."""
    queue = Queue(store.QUEUE_NAME, connection=r)
    _wait(lambda: Worker.count(connection=r, queue=queue) >= count, timeout,
          f"{count} worker(s) did not start; see benchmarks/.cache/worker.log")


def wait_until_idle(r: redis.Redis, timeout: float = 120) -> None:
    """Return once the inbox and the queue are empty and no job is running."""
    queue = Queue(store.QUEUE_NAME, connection=r)
    _wait(lambda: Inbox(r).depth() == 0 and queue.count == 0
          and StartedJobRegistry(queue=queue).count == 0, timeout, "the queue did not drain")


def reset_writes(standin_url: str) -> None:
    urllib.request.urlopen(urllib.request.Request(f"{standin_url}/_bench/reset", data=b"{}"),
                           timeout=5).close()


def first_writes(standin_url: str) -> dict[str, float]:
    """Ticket id -> wall-clock time the stand-in received the ticket's first write."""
    with urllib.request.urlopen(f"{standin_url}/_bench/writes", timeout=10) as response:
        return json.loads(response.read())["first"]


def wait_for_writes(standin_url: str, tickets: set[str], timeout: float) -> dict[str, float]:
    """First-write times of `tickets`, once all arrived or `timeout` seconds passed."""
    deadline = time.monotonic() + timeout
    while True:
        writes = first_writes(standin_url)
        if tickets <= writes.keys() or time.monotonic() > deadline:
            return {t: writes[t] for t in tickets if t in writes}
        time.sleep(0.1)


def _wait(done, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise RuntimeError(message)
        time.sleep(0.1)
