"""`python -m middleware worker`: one worker process (run N of them, on any machines)."""

from __future__ import annotations

from middleware import worker
from middleware.runtime import get_runtime


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("worker", help="process queued deliveries, retries and SLA steps")
    parser.add_argument("--burst", action="store_true", help="stop when the queue is empty")
    parser.set_defaults(func=run)


def run(args) -> int:
    worker.run(get_runtime(), burst=args.burst)
    return 0
