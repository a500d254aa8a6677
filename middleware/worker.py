"""The worker process: an rq worker (with rq's scheduler for delayed retries), plus the inbox pump
and the SLA sweeper running beside it. Start as many as needed, on any number of machines, against
one Redis: the pump and the sweeper claim their work atomically, so nothing runs twice."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import redis
from rq import SimpleWorker

from middleware.inbox import Inbox
from middleware.runtime import Runtime

log = logging.getLogger("attune.worker")
SWEEP_EVERY = 10.0


def preload(runtime: Runtime) -> None:
    """Load the enrichment engine and the policy now, so a bad file stops the start."""
    runtime.enricher  # noqa: B018 - cached_property: loads on first access
    runtime.policy  # noqa: B018


def pump_forever(runtime: Runtime, stop: threading.Event) -> None:
    inbox = Inbox(runtime.redis)
    inbox.recover()
    _loop(stop, lambda: inbox.pump(runtime.queue, wait=1), 0.0, "pump")


def sweep_forever(runtime: Runtime, stop: threading.Event) -> None:
    from middleware import sla

    _loop(stop, lambda: sla.enqueue_due(runtime.redis, runtime.queue, datetime.now(UTC)),
          SWEEP_EVERY, "sweeper")


def _loop(stop: threading.Event, step: Callable[[], object], pause: float, name: str) -> None:
    while not stop.is_set():
        try:
            step()
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            log.warning("%s: Redis unreachable (%s); retrying in 2 s", name, type(exc).__name__)
            stop.wait(2)
        except Exception:
            log.exception("%s: unexpected error; retrying in 2 s", name)
            stop.wait(2)
        if pause:
            stop.wait(pause)


def run(runtime: Runtime, *, burst: bool = False) -> None:
    """Work until stopped (or, with `burst`, until the queue is empty)."""
    preload(runtime)
    stop = threading.Event()
    threads = [threading.Thread(target=f, args=(runtime, stop), daemon=True, name=f.__name__)
               for f in (pump_forever, sweep_forever)]
    for thread in threads:
        thread.start()
    try:
        worker = SimpleWorker([runtime.queue], connection=runtime.redis)
        worker.work(with_scheduler=True, burst=burst)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=5)
        time.sleep(0)
